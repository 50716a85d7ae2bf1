// SPDX-License-Identifier: MIT
// DieWithParent: a forked test child (the program under test, a stand-in
// server) is killed when the test process dies, so a crashed or killed test
// leaves nothing running. The tests' one platform-specific call; it lives
// here so that scripts/check-posix.sh can allow it in this file alone.
#pragma once

#include <signal.h>
#if defined(__linux__)
#include <sys/prctl.h>
#elif defined(__FreeBSD__)
#include <sys/procctl.h>
#endif

namespace cmdai::test {

/// Call in the child between fork() and exec(); the setting survives exec.
/// Linux: prctl(PR_SET_PDEATHSIG); FreeBSD: procctl(PROC_PDEATHSIG_CTL); both
/// send SIGKILL when the parent dies. Elsewhere (macOS, the other BSDs) there
/// is no such call and this does nothing: each test still kills its children
/// in its destructors, so only a test process that crashes or is killed
/// leaves them behind; `cmdai serve` then exits after its idle timeout, and a
/// stray llama-server or python3 stand-in server must be killed by hand.
inline void DieWithParent() {
#if defined(__linux__)
  (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
#elif defined(__FreeBSD__)
  int signal_number = SIGKILL;
  (void)procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &signal_number);
#endif
}

}  // namespace cmdai::test
