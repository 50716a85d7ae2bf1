// SPDX-License-Identifier: MIT
// Hands the end of a process that loaded a model to a short-lived holder, so
// that what its exit releases is released after the shell has its prompt
// back. Two things cost there: the memory's teardown (on Linux, unmapping a
// 1 GB model and freeing its buffers takes ~20-30 ms of a one-shot's exit on
// the 2-core VM) and a GPU driver's release of the device at the last close
// of its descriptors (~0.1 s for CUDA on an H100). Where the system can (Linux)
// the holder shares the process's memory, so the exit leaves both to it;
// elsewhere it is a fork that keeps the device's descriptors only.
// Nothing else changes: the holder closes every other descriptor at once
// (pipes, terminals, files, sockets), runs nothing, touches no GPU API, and
// ends as soon as the process has ended, or after a bounded wait.
//
// Thread-safety: call from one thread, just before _Exit, once; the holder uses
// only async-signal-safe calls, so other threads (a GPU runtime's) cannot
// deadlock it. POSIX, with posix::StartSharingMemory where it exists.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <vector>

namespace cmdai {

/// This process's open descriptors of character devices other than
/// terminals and /dev/null: a GPU driver's (/dev/nvidia*, /dev/dri/*), and
/// whatever else a library keeps open that way. Looks at every open
/// descriptor (posix::OpenDescriptors; below 4096 where it cannot list them):
/// one fstat each.
std::vector<int> DeviceDescriptors();

/// Starts a holder that keeps `keep` open (and, where it shares this
/// process's memory, the memory too), closes every other descriptor open
/// here (listed before it starts, whatever their numbers), and exits once
/// this process has exited (its parent changed) or `max_wait` has passed,
/// whichever is first. Like any process that outlives its parent, it is then
/// reaped by init or the nearest subreaper. Returns the
/// holder's pid; -1 when nothing was started: it failed, or `keep` is empty
/// on a system where the holder cannot share memory (it would hold nothing).
/// The caller should exit right after: until it does, the holder waits.
/// Cost: ~0.1 ms sharing memory; a fork (page tables copied) elsewhere.
pid_t HandOffExit(const std::vector<int>& keep, std::chrono::milliseconds max_wait);

}  // namespace cmdai
