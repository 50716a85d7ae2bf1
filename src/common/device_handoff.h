// SPDX-License-Identifier: MIT
// Hands a GPU driver's descriptors to a short-lived process as cmdai exits,
// so the driver's release of the device happens after the shell has its
// prompt back. On an H100 the CUDA driver spends ~0.1 s at the last close of
// /dev/nvidia* releasing the process's device state, inside the exit the
// shell waits for; a one-shot answer is ~0.9 s, so that is a tenth of it.
// Nothing else changes: the holder closes every other descriptor at once
// (pipes, terminals, files, sockets), runs nothing, touches no GPU API, and
// ends as soon as cmdai has ended, or after a bounded wait.
//
// Thread-safety: call from one thread, just before _Exit; the holder uses
// only async-signal-safe calls, so other threads (a GPU runtime's) cannot
// deadlock it. POSIX only: fork, poll, getppid, close.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <vector>

namespace cmdai {

/// This process's open descriptors of character devices other than
/// terminals and /dev/null: a GPU driver's (/dev/nvidia*, /dev/dri/*), and
/// whatever else a library keeps open that way. Looks at descriptors below
/// min(RLIMIT_NOFILE, 4096): one fstat each.
std::vector<int> DeviceDescriptors();

/// Forks a holder that keeps `keep` open, closes every other descriptor
/// below the highest one open here, and exits once this process has exited
/// (its parent changed) or `max_wait` has passed, whichever is first.
/// Returns the holder's pid, or -1 when `keep` is empty or fork fails (then
/// nothing happened). The caller should exit right after: until it does, the
/// holder waits.
pid_t HandOffDescriptors(const std::vector<int>& keep, std::chrono::milliseconds max_wait);

}  // namespace cmdai
