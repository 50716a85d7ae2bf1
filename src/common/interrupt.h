// SPDX-License-Identifier: MIT
// The process-wide Ctrl-C flag. The signal handler only sets it; long work
// (model loading, decoding) polls it and stops with ErrorCode::kInterrupted.
#pragma once

#include <chrono>

namespace cmdai {

/// Installs a SIGINT, SIGTERM, SIGHUP and SIGQUIT handler that sets the flag.
/// Call once from main.
void InstallInterruptHandler();

/// True once an interrupt arrived. Async-signal-safe to set, cheap to read.
bool Interrupted();

/// Waits `duration`, waking every 25 ms to check the flag. Returns false as
/// soon as an interrupt arrives (before or during the wait), true otherwise.
/// The one way cmdai waits between attempts (retries, lock polling).
bool SleepUnlessInterrupted(std::chrono::milliseconds duration);

/// Sets the flag as a signal would; for tests.
void RaiseInterruptForTest(bool value);

}  // namespace cmdai
