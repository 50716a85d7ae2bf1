// SPDX-License-Identifier: MIT
// Exit codes: the one table that maps outcomes to process exit statuses.
// Documented in docs/cli.md; scripts may rely on them.
#pragma once

#include "common/status.h"

namespace cmdai {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,    // configuration, I/O and other failures
  kExitUsage = 2,      // bad flags, arguments, or an empty or too long request
  kExitBackend = 3,    // the model could not be found, loaded or run
  kExitNoCommand = 4,  // the model answered, but no command could be taken from it
  kExitBlocked = 5,    // the command is blocked at the current safety level
  kExitConfirm = 6,    // the command needs confirmation (`cmdai rate`, or -x without -y off a terminal)
  kExitAborted = 7,    // the person chose not to run it
  kExitInterrupted = 130,
};

inline int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kUsage:
    case ErrorCode::kTooLong: return kExitUsage;
    case ErrorCode::kNotFound:
    case ErrorCode::kInvalidModel:
    case ErrorCode::kBackend: return kExitBackend;
    case ErrorCode::kNoCommand: return kExitNoCommand;
    case ErrorCode::kInterrupted: return kExitInterrupted;
    case ErrorCode::kBlocked: return kExitBlocked;
    case ErrorCode::kNeedsConfirmation: return kExitConfirm;
    case ErrorCode::kNetwork:
    case ErrorCode::kPermission:
    case ErrorCode::kChecksum: return kExitBackend;
    case ErrorCode::kDiskFull: return kExitFailure;
    case ErrorCode::kConfig:
    case ErrorCode::kIo: return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace cmdai
