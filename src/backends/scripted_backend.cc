// SPDX-License-Identifier: MIT
#include "backends/scripted_backend.h"

#include <chrono>
#include <thread>

#include "common/interrupt.h"

namespace cmdai {

Result<Generation> ScriptedBackend::Generate(const GenerationRequest& request) {
  if (next_ >= answers_.size())
    return Status::Error(ErrorCode::kBackend, "the scripted test answers ran out", "add answers to CMDAI_TEST_ANSWERS");
  std::string answer = answers_[next_++];
  Generation g;
  if (answer.rfind(request.answer_prefix, 0) == 0) answer.erase(0, request.answer_prefix.size());
  if (request.on_text) {
    for (size_t at = 0; at < answer.size();) {
      size_t end = answer.find_first_of(" \n", at);
      end = end == std::string::npos ? answer.size() : end + 1;
      if (token_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(token_ms_));
      if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
      if (!request.on_text(request.answer_prefix + answer.substr(0, end))) {
        answer.resize(end);
        g.stopped = true;
        break;
      }
      at = end;
    }
  }
  g.text = request.answer_prefix + answer;
  return g;
}

}  // namespace cmdai
