// SPDX-License-Identifier: MIT
#include "backends/scripted_backend.h"

namespace cmdai {

Result<Generation> ScriptedBackend::Generate(const GenerationRequest& request) {
  if (next_ >= answers_.size())
    return Status::Error(ErrorCode::kBackend, "the scripted test answers ran out", "add answers to CMDAI_TEST_ANSWERS");
  std::string answer = answers_[next_++];
  Generation g;
  if (answer.rfind(request.answer_prefix, 0) == 0) answer.erase(0, request.answer_prefix.size());
  g.text = request.answer_prefix + answer;
  return g;
}

}  // namespace cmdai
