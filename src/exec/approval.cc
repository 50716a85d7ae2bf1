// SPDX-License-Identifier: MIT
#include "exec/approval.h"

namespace cmdai {

std::optional<ApprovedCommand> Approve(const safety::Assessment& a, Consent consent, const std::string& shell) {
  switch (a.decision) {
    case safety::Decision::kBlock: return std::nullopt;
    case safety::Decision::kConfirm:
      if (consent != Consent::kConfirmed) return std::nullopt;
      break;
    case safety::Decision::kAllow:
      if (consent == Consent::kNone) return std::nullopt;
      break;
  }
  return ApprovedCommand(a.command, shell);
}

}  // namespace cmdai
