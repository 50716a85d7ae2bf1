// SPDX-License-Identifier: MIT
// ScriptedBackend: the documented test hook. It returns given answers in
// order instead of running a model, so end-to-end tests can choose the
// command cmdai proposes (CMDAI_TEST_ANSWERS; docs/testing.md). Everything
// after the backend — extraction, rating, the menu, execution — is the same.
#pragma once

#include <string>
#include <vector>

#include "backends/backend.h"

namespace cmdai {

class ScriptedBackend final : public Backend {
 public:
  explicit ScriptedBackend(std::vector<std::string> answers) : answers_(std::move(answers)) {}

  /// The next answer, as if generated after the request's answer prefix
  /// (a leading prefix in the answer is not repeated). Fails with kBackend
  /// when the script has run out.
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override { return "scripted test answers (CMDAI_TEST_ANSWERS)"; }
  BackendInfo Info() const override { return {"scripted", "CMDAI_TEST_ANSWERS", "none", 0}; }

 private:
  std::vector<std::string> answers_;
  size_t next_ = 0;
};

}  // namespace cmdai
