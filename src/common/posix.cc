// SPDX-License-Identifier: MIT
// The one place with per-platform #ifdefs for system calls (see posix.h).
// Feature macros (SOCK_CLOEXEC, MSG_NOSIGNAL, SO_NOSIGPIPE) pick the path
// where the headers say what exists; functions without a macro (pipe2,
// accept4) are picked by operating system.
#include "common/posix.h"

#include <dirent.h>
#include <fcntl.h>
#if defined(__linux__)
#include <sched.h>
#include <signal.h>
#endif
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <utility>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#include <sys/sysctl.h>
#elif defined(__FreeBSD__) || defined(__DragonFly__) || defined(__NetBSD__)
#include <sys/sysctl.h>
#endif

#if defined(__linux__) || defined(__FreeBSD__) || defined(__DragonFly__) || defined(__NetBSD__) || defined(__OpenBSD__)
#define CMDAI_HAVE_PIPE2 1
#endif
#if defined(SOCK_CLOEXEC)  // every system with SOCK_CLOEXEC also has accept4
#define CMDAI_HAVE_ACCEPT4 1
#endif

namespace cmdai::posix {
namespace {

Status IoError(const std::string& what, int err) {
  return Status::Error(ErrorCode::kIo, what + ": " + std::strerror(err));
}

bool SetCloexec(int fd) {
  const int flags = fcntl(fd, F_GETFD);
  return flags >= 0 && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0;
}

// Where sockets carry their own no-SIGPIPE flag (macOS, the BSDs), set it.
void SetNoSigpipe(int fd) {
#if defined(SO_NOSIGPIPE)
  const int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#else
  (void)fd;
#endif
}

// Closes `fd` keeping errno, for the error paths below.
void CloseKeepErrno(int fd) {
  const int err = errno;
  close(fd);
  errno = err;
}

}  // namespace

namespace detail {

Result<Pipe> PipeThenFcntl() {
  int fds[2];
  if (pipe(fds) != 0) return IoError("cannot create a pipe", errno);
  if (!SetCloexec(fds[0]) || !SetCloexec(fds[1])) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    return IoError("cannot mark a pipe close-on-exec", err);
  }
  return Pipe{fds[0], fds[1]};
}

Result<int> AcceptThenFcntl(int listen_fd) {
  const int fd = accept(listen_fd, nullptr, nullptr);
  if (fd < 0) return IoError("cannot accept a connection", errno);
  if (!SetCloexec(fd)) {
    CloseKeepErrno(fd);
    return IoError("cannot mark a connection close-on-exec", errno);
  }
  SetNoSigpipe(fd);
  return fd;
}

int CountCpuinfoCores(const std::string& cpuinfo) {
  std::set<std::pair<std::string, std::string>> cores;
  std::string phys = "0";
  std::istringstream in(cpuinfo);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    const auto key_end = line.find_last_not_of(" \t", colon - 1);
    const std::string key = key_end == std::string::npos ? "" : line.substr(0, key_end + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "physical id") phys = value;
    if (key == "core id") cores.insert({phys, value});
  }
  return static_cast<int>(cores.size());
}

}  // namespace detail

Result<Pipe> CloexecPipe() {
#if defined(CMDAI_HAVE_PIPE2)
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return IoError("cannot create a pipe", errno);
  return Pipe{fds[0], fds[1]};
#else
  return detail::PipeThenFcntl();
#endif
}

Result<int> CloexecSocket(int domain, int type) {
#if defined(SOCK_CLOEXEC)
  const int fd = socket(domain, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError("cannot create a socket", errno);
#else
  const int fd = socket(domain, type, 0);
  if (fd < 0) return IoError("cannot create a socket", errno);
  if (!SetCloexec(fd)) {
    CloseKeepErrno(fd);
    return IoError("cannot mark a socket close-on-exec", errno);
  }
#endif
  SetNoSigpipe(fd);
  return fd;
}

Result<int> AcceptCloexec(int listen_fd) {
#if defined(CMDAI_HAVE_ACCEPT4)
  const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return IoError("cannot accept a connection", errno);
  SetNoSigpipe(fd);
  return fd;
#else
  return detail::AcceptThenFcntl(listen_fd);
#endif
}

Status SendAll(int fd, std::string_view data) {
#if defined(MSG_NOSIGNAL)
  const int flags = MSG_NOSIGNAL;
#else
  const int flags = 0;
  SetNoSigpipe(fd);  // idempotent; covers sockets this module did not make
#endif
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = send(fd, data.data() + off, data.size() - off, flags);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot send", errno);
    if (n == 0) return Status::Error(ErrorCode::kIo, "cannot send: the connection was closed");
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<size_t> SendSome(int fd, std::string_view data) {
#if defined(MSG_NOSIGNAL)
  const int flags = MSG_NOSIGNAL;
#else
  const int flags = 0;
  SetNoSigpipe(fd);
#endif
  for (;;) {
    const ssize_t n = send(fd, data.data(), data.size(), flags);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return size_t{0};
    return IoError("cannot send", errno);
  }
}

Result<std::string> ExecutablePath() {
  std::string path;
#if defined(__linux__)
  std::string buf(256, '\0');
  for (;;) {
    const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size());
    if (n < 0)
      return Status::Error(ErrorCode::kNotFound,
                           std::string("cannot find the running executable: /proc/self/exe: ") + std::strerror(errno));
    if (static_cast<size_t>(n) < buf.size()) {
      buf.resize(static_cast<size_t>(n));
      break;
    }
    buf.resize(buf.size() * 2);
  }
  path = std::move(buf);
#elif defined(__APPLE__)
  uint32_t size = 0;
  _NSGetExecutablePath(nullptr, &size);  // asks for the size
  std::string raw(size, '\0');
  if (_NSGetExecutablePath(raw.data(), &size) != 0)
    return Status::Error(ErrorCode::kNotFound, "cannot find the running executable");
  raw.resize(std::strlen(raw.c_str()));
  // The dyld path may hold symbolic links or "..": resolve it.
  const std::unique_ptr<char, decltype(&std::free)> real(realpath(raw.c_str(), nullptr), &std::free);
  if (!real)
    return Status::Error(ErrorCode::kNotFound,
                         "cannot find the running executable: " + raw + ": " + std::strerror(errno));
  path = real.get();
#elif defined(__FreeBSD__) || defined(__DragonFly__) || defined(__NetBSD__)
#if defined(__NetBSD__)
  int mib[4] = {CTL_KERN, KERN_PROC_ARGS, -1, KERN_PROC_PATHNAME};
#else
  int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PATHNAME, -1};
#endif
  size_t len = 0;
  if (sysctl(mib, 4, nullptr, &len, nullptr, 0) != 0 || len == 0)
    return Status::Error(ErrorCode::kNotFound,
                         std::string("cannot find the running executable: sysctl: ") + std::strerror(errno));
  std::string buf(len, '\0');
  if (sysctl(mib, 4, buf.data(), &len, nullptr, 0) != 0)
    return Status::Error(ErrorCode::kNotFound,
                         std::string("cannot find the running executable: sysctl: ") + std::strerror(errno));
  buf.resize(std::strlen(buf.c_str()));
  path = std::move(buf);
#else
  return Status::Error(ErrorCode::kNotFound, "cannot find the running executable on this system");
#endif
  // A binary replaced or removed while running (an upgrade) leaves a path
  // that no longer names it (Linux appends " (deleted)").
  if (path.empty() || access(path.c_str(), X_OK) != 0)
    return Status::Error(ErrorCode::kNotFound, "the running executable is gone: '" + path + "'",
                         "it was probably upgraded or removed; run cmdai again");
  return path;
}

int PhysicalCoreCount() {
#if defined(__APPLE__)
  // Apple Silicon: the performance cores; Intel Macs have only hw.physicalcpu.
  int n = 0;
  size_t len = sizeof(n);
  if (sysctlbyname("hw.perflevel0.physicalcpu", &n, &len, nullptr, 0) == 0 && n > 0) return n;
  len = sizeof(n);
  if (sysctlbyname("hw.physicalcpu", &n, &len, nullptr, 0) == 0 && n > 0) return n;
  return 0;
#elif defined(__linux__)
  std::ifstream f("/proc/cpuinfo");
  if (!f) return 0;
  std::stringstream text;
  text << f.rdbuf();
  return detail::CountCpuinfoCores(text.str());
#else
  return 0;
#endif
}

std::string DiskOfPartition(const std::string& name) {
  // nvme0n1p2, mmcblk0p1, loop0p1, md0p1: the partition number follows a 'p'.
  for (const char* prefix : {"nvme", "mmcblk", "loop", "md", "nbd"}) {
    if (name.rfind(prefix, 0) != 0) continue;
    const size_t p = name.rfind('p');
    if (p != std::string::npos && p > std::string(prefix).size() && p + 1 < name.size() &&
        name.find_first_not_of("0123456789", p + 1) == std::string::npos &&
        std::isdigit(static_cast<unsigned char>(name[p - 1])))
      return name.substr(0, p);
    return name;
  }
  // sda1, vdb2, xvda1, hda3: letters, then the partition number.
  size_t end = name.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
  if (end > 0 && end < name.size() && std::isalpha(static_cast<unsigned char>(name[end - 1])))
    return name.substr(0, end);
  return name;
}

std::optional<std::vector<int>> OpenDescriptors() {
  DIR* dir = opendir("/dev/fd");
  if (!dir) return std::nullopt;
  const int own = dirfd(dir);
  std::vector<int> fds;
  while (const dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd < 0 || fd > INT_MAX || fd == own) continue;  // ".", ".."
    fds.push_back(static_cast<int>(fd));
  }
  closedir(dir);
  std::sort(fds.begin(), fds.end());
  return fds;
}

pid_t StartSharingMemory(int (*fn)(void*), void* arg, char* stack, size_t stack_size) {
#if defined(__linux__)
  // Stacks grow down on every architecture Linux runs cmdai on; clone wants
  // the top, 16-byte aligned.
  const auto top = (reinterpret_cast<uintptr_t>(stack) + stack_size) & ~uintptr_t{15};
  return clone(fn, reinterpret_cast<void*>(top), CLONE_VM | SIGCHLD, arg);
#else
  (void)fn, (void)arg, (void)stack, (void)stack_size;
  errno = ENOSYS;
  return -1;
#endif
}

std::optional<BlockDevices> ReadBlockDevices() {
#if defined(__linux__)
  BlockDevices out;
  auto use = [&](std::string dev) {
    if (dev.rfind("/dev/", 0) != 0) return;
    char resolved[PATH_MAX];
    if (realpath(dev.c_str(), resolved)) dev = resolved;  // /dev/disk/by-uuid/…, /dev/mapper/… links
    const std::string name = dev.substr(dev.rfind('/') + 1);
    out.in_use.push_back(name);
    out.in_use.push_back(DiskOfPartition(name));
  };
  std::ifstream mounts("/proc/mounts");
  if (!mounts) return std::nullopt;
  std::string line;
  while (std::getline(mounts, line)) use(line.substr(0, line.find(' ')));
  std::ifstream swaps("/proc/swaps");
  while (std::getline(swaps, line)) use(line.substr(0, line.find_first_of(" \t")));
  std::error_code ec;
  for (const auto& disk : std::filesystem::directory_iterator("/sys/block", ec)) {
    const std::string d = disk.path().filename().string();
    out.present.push_back(d);
    std::error_code ec2;
    for (const auto& part : std::filesystem::directory_iterator(disk.path(), ec2)) {
      const std::string p = part.path().filename().string();
      if (p.rfind(d, 0) == 0 && p.size() > d.size()) out.present.push_back(p);
    }
  }
  return out;
#else
  return std::nullopt;
#endif
}

}  // namespace cmdai::posix
