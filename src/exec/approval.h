// SPDX-License-Identifier: MIT
// Approval: the one gate between a rated command and its execution. The
// executor accepts only an ApprovedCommand, and only Approve can make one,
// from the command's own assessment and the person's consent; a blocked
// command never gets one.
#pragma once

#include <optional>
#include <string>

#include "safety/risk_classifier.h"

namespace cmdai {

/// How the person agreed to run the command.
enum class Consent {
  kNone,       // nothing said
  kRun,        // asked to run it: -x, or "run" in the menu for an allowed command
  kConfirmed,  // confirmed a command that needs it: -y, or the menu's confirmation
};

class ApprovedCommand {
 public:
  const std::string& text() const { return text_; }
  const std::string& shell() const { return shell_; }

 private:
  friend std::optional<ApprovedCommand> Approve(const safety::Assessment&, Consent, const std::string&);
  ApprovedCommand(std::string text, std::string shell) : text_(std::move(text)), shell_(std::move(shell)) {}
  std::string text_;
  std::string shell_;
};

/// Approves `assessment.command` to run in `shell` when its decision permits
/// it with this consent: allow needs kRun or more, confirm needs kConfirmed,
/// block never runs. The approved text is exactly the text that was rated.
std::optional<ApprovedCommand> Approve(const safety::Assessment& assessment, Consent consent, const std::string& shell);

}  // namespace cmdai
