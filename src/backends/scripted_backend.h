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
  /// `token_ms` > 0 paces a streamed answer (CMDAI_TEST_TOKEN_MS): one
  /// piece per that many milliseconds, as a slow model would write it.
  explicit ScriptedBackend(std::vector<std::string> answers, int token_ms = 0)
      : answers_(std::move(answers)), token_ms_(token_ms) {}

  /// The next answer, as if generated after the request's answer prefix
  /// (a leading prefix in the answer is not repeated). With on_text set it
  /// streams: a piece per word (each space or newline ends one), so the
  /// caller sees the answer grow and may end it. Fails with kBackend when
  /// the script has run out, kInterrupted on Ctrl-C.
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override { return "scripted test answers (CMDAI_TEST_ANSWERS)"; }
  BackendInfo Info() const override { return {"scripted", "CMDAI_TEST_ANSWERS", "none", 0}; }

 private:
  std::vector<std::string> answers_;
  size_t next_ = 0;
  int token_ms_ = 0;
};

}  // namespace cmdai
