// SPDX-License-Identifier: MIT
#include "backends/fallback_backend.h"

namespace cmdai {
namespace {

bool Final(const Status& s) {
  return s.code() == ErrorCode::kInterrupted || s.code() == ErrorCode::kTooLong || s.code() == ErrorCode::kUsage;
}

}  // namespace

Status FallbackBackend::OpenFrom(size_t i) {
  Status last = Status::Error(ErrorCode::kBackend, "no backend configured", "set backend in the config");
  for (; i < chain_.size(); ++i) {
    auto b = chain_[i].open();
    if (b.ok()) {
      if (i > 0 && note_) note_("answering with the " + chain_[i].name + " backend");
      current_ = std::move(b).value();
      index_ = i;
      return Status::Ok();
    }
    last = b.status();
    if (Final(last)) return last;
    if (i + 1 < chain_.size() && note_)
      note_(chain_[i].name + " backend unavailable (" + last.message() + "); trying " + chain_[i + 1].name);
  }
  return last;
}

Status FallbackBackend::Open() { return OpenFrom(0); }

Result<Generation> FallbackBackend::Generate(const GenerationRequest& request) {
  for (;;) {
    if (!current_) return Status::Error(ErrorCode::kBackend, "no backend is open");
    auto g = current_->Generate(request);
    if (g.ok() || Final(g.status()) || index_ + 1 >= chain_.size()) return g;
    if (note_)
      note_(chain_[index_].name + " backend failed (" + g.status().message() + "); trying " + chain_[index_ + 1].name);
    current_.reset();
    if (Status s = OpenFrom(index_ + 1); !s.ok()) return s;
  }
}

std::string FallbackBackend::Describe() const { return current_ ? current_->Describe() : "no backend"; }
BackendInfo FallbackBackend::Info() const { return current_ ? current_->Info() : BackendInfo{}; }

}  // namespace cmdai
