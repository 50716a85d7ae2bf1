// SPDX-License-Identifier: MIT
// FakeBackend: a scripted Backend for unit tests of what happens around
// generation. It returns canned answers and records what it was asked.
#pragma once

#include <deque>

#include "backends/backend.h"

namespace cmdai::test {

class FakeBackend : public Backend {
 public:
  void Push(Result<Generation> answer) { answers_.push_back(std::move(answer)); }
  void PushText(const std::string& generated, bool truncated = false) {
    Generation g;
    g.text = generated;
    g.truncated = truncated;
    answers_.push_back(g);
  }

  Result<Generation> Generate(const GenerationRequest& request) override {
    requests.push_back(request);
    if (answers_.empty()) return Status::Error(ErrorCode::kBackend, "FakeBackend: no scripted answer left");
    auto a = std::move(answers_.front());
    answers_.pop_front();
    return a;
  }
  std::string Describe() const override { return "fake"; }
  BackendInfo Info() const override { return {"fake", "none", "none", 0}; }

  std::vector<GenerationRequest> requests;

 private:
  std::deque<Result<Generation>> answers_;
};

}  // namespace cmdai::test
