// SPDX-License-Identifier: MIT
// The system calls whose spelling differs between Linux, macOS and the BSDs:
// close-on-exec pipes and sockets, sending without SIGPIPE, the running
// executable's path, the physical core count, the machine's block devices
// and a child process that shares this one's memory. Everything else in cmdai is
// plain POSIX; scripts/check-posix.sh fails when a Linux-only call appears
// outside this module.
//
// Thread-safety: every function may be called from any thread. Ownership:
// each descriptor returned belongs to the caller, who close()s it.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cmdai::posix {

/// The two ends of a pipe; both belong to the caller.
struct Pipe {
  int read = -1;
  int write = -1;
};

/// A pipe whose ends close on exec. Linux and the BSDs make it atomically
/// (pipe2); macOS sets FD_CLOEXEC just after pipe(), so a fork+exec in another
/// thread at that instant could inherit the ends (cmdai forks to run commands
/// from its main thread only). Fails with kIo when out of descriptors.
Result<Pipe> CloexecPipe();

/// socket(domain, type, 0) that closes on exec, and on platforms with
/// SO_NOSIGPIPE (macOS, the BSDs) never raises SIGPIPE. Fails with kIo.
Result<int> CloexecSocket(int domain, int type);

/// accept() on a listening socket; the new descriptor closes on exec (accept4
/// where it exists, else accept + fcntl) and gets SO_NOSIGPIPE where that
/// exists. Fails with kIo; EINTR, EAGAIN and ECONNABORTED are routine in an
/// accept loop, so callers usually just try again.
Result<int> AcceptCloexec(int listen_fd);

/// Writes all of `data` to a connected socket. A peer that went away is an
/// error (kIo, "broken pipe"), never a SIGPIPE that kills the process:
/// MSG_NOSIGNAL where it exists (Linux, the BSDs), else SO_NOSIGPIPE (macOS).
/// Blocks until written unless the socket is non-blocking.
Status SendAll(int fd, std::string_view data);

/// One send() of as much of `data` as the socket takes now, never raising
/// SIGPIPE (as SendAll). Returns the bytes sent: 0 when a non-blocking socket
/// would block (EAGAIN), so the caller polls for POLLOUT and tries again.
/// Fails with kIo when the peer went away or the send fails.
Result<size_t> SendSome(int fd, std::string_view data);

/// The absolute path of the running executable, symbolic links resolved:
/// /proc/self/exe on Linux, _NSGetExecutablePath on macOS, sysctl
/// KERN_PROC_PATHNAME on FreeBSD, DragonFly and NetBSD. Fails with kNotFound
/// elsewhere (OpenBSD has no reliable way) or when the file was deleted.
/// Cost: one or two system calls.
Result<std::string> ExecutablePath();

/// Physical CPU cores, not hyper-threads: distinct (physical id, core id)
/// pairs in /proc/cpuinfo on Linux; the performance cores (or all physical
/// ones) from sysctl on macOS. 0 when unknown (the BSDs, a sandbox hiding
/// /proc): the caller picks a fallback. Cost: one small file read or sysctl.
int PhysicalCoreCount();

/// Block devices of this machine, by kernel name ("sda", "sda1", "nvme0n1p2"):
/// those present, and those holding a mounted file system or active swap
/// (a disk counts as in use when one of its partitions is).
struct BlockDevices {
  std::vector<std::string> present;
  std::vector<std::string> in_use;
};
/// Linux: reads /proc/mounts, /proc/swaps and /sys/block. Elsewhere returns
/// nothing (unknown), and callers assume the worst. Cost: a few small reads.
std::optional<BlockDevices> ReadBlockDevices();

/// The disk a partition belongs to: "sda1" → "sda", "nvme0n1p2" → "nvme0n1".
std::string DiskOfPartition(const std::string& name);

/// This process's open descriptors, in increasing order, read from /dev/fd
/// (Linux, where it is /proc/self/fd, macOS and the BSDs), however high
/// their numbers. Nothing (nullopt) where that directory cannot be read.
/// Cost: one directory read; allocates.
std::optional<std::vector<int>> OpenDescriptors();

/// Starts `fn(arg)` in a new process that shares this one's memory, as a
/// thread does, but with a copy of the descriptor table and signal handlers
/// (as fork gives) and an exit of its own; `fn`'s return value is its exit
/// status. Linux: clone(CLONE_VM) on `stack` (the caller's memory, which must
/// stay valid while the child runs: a static buffer). Nothing is copied, so
/// it costs ~0.1 ms however much memory the process holds, where fork copies
/// the page tables. The child runs on this thread's thread-local storage:
/// `fn` must use only async-signal-safe calls and touch nothing another
/// thread writes. Returns the child's pid (its parent is the caller, who
/// gets SIGCHLD at its exit), or -1 on failure and on every other system
/// (errno ENOSYS), where callers fall back to fork.
pid_t StartSharingMemory(int (*fn)(void*), void* arg, char* stack, size_t stack_size);

namespace detail {

/// The portable fallback of CloexecPipe (pipe + fcntl), compiled everywhere
/// so that Linux tests exercise the code macOS runs.
Result<Pipe> PipeThenFcntl();

/// The portable fallback of AcceptCloexec (accept + fcntl), likewise.
Result<int> AcceptThenFcntl(int listen_fd);

/// Counts distinct (physical id, core id) pairs in /proc/cpuinfo text; 0 when
/// it has none (some ARM kernels and VMs omit them).
int CountCpuinfoCores(const std::string& cpuinfo);

}  // namespace detail
}  // namespace cmdai::posix
