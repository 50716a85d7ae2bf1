// SPDX-License-Identifier: MIT
// Unix-socket I/O with deadlines for `cmdai serve` and its client (see socket_io.h).
#include "serve/socket_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/posix.h"

namespace cmdai::serve {
namespace {

// How often a wait wakes to ask `cancelled`.
constexpr auto kCancelSlice = std::chrono::milliseconds(100);

bool SockAddr(const std::string& path, sockaddr_un& addr) {
  if (path.size() >= sizeof(addr.sun_path)) return false;
  std::memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

bool SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && ((flags & O_NONBLOCK) != 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
}

// Waits until `fd` is ready for `events`, the deadline passes or `cancelled`
// says stop. Ok when ready; kNetwork on timeout; kInterrupted when cancelled.
Status WaitFor(int fd, short events, Clock::time_point deadline, const Cancelled& cancelled, const char* what) {
  for (;;) {
    if (cancelled && cancelled()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Status::Error(ErrorCode::kNetwork, std::string("timed out ") + what);
    const auto slice = cancelled ? std::min(left, std::chrono::milliseconds(kCancelSlice)) : left;
    pollfd p = {fd, events, 0};
    const int r = poll(&p, 1, static_cast<int>(slice.count()));
    if (r > 0) return Status::Ok();  // readable, writable, or an error/hang-up the next call reports
    if (r < 0 && errno != EINTR)
      return Status::Error(ErrorCode::kNetwork, std::string("cannot wait ") + what + ": " + std::strerror(errno));
  }
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

bool FitsSocketAddress(const std::string& path) { return path.size() < sizeof(sockaddr_un::sun_path); }

Result<UniqueFd> ConnectUnix(const std::string& path) {
  sockaddr_un addr;
  if (!SockAddr(path, addr)) return Status::Error(ErrorCode::kNetwork, "socket path too long: " + path);
  auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  if (!sock.ok()) return Status::Error(ErrorCode::kNetwork, sock.status().message());
  UniqueFd fd(sock.value());
  int r;
  do {
    r = connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } while (r != 0 && errno == EINTR);
  if (r != 0) return Status::Error(ErrorCode::kNetwork, "nothing listens on " + path + ": " + std::strerror(errno));
  return fd;
}

Result<UniqueFd> ListenUnix(const std::string& path, int backlog) {
  sockaddr_un addr;
  if (!SockAddr(path, addr))
    return Status::Error(ErrorCode::kUsage, "socket path too long: " + path, "set serve.socket to a shorter path");
  auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  if (!sock.ok()) return sock.status();
  UniqueFd fd(sock.value());
  // The socket file is born owner-only: no moment where others could connect.
  const mode_t old_mask = umask(0177);
  const int bound = bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  const int err = errno;
  umask(old_mask);
  if (bound != 0) return Status::Error(ErrorCode::kIo, "cannot listen on " + path + ": " + std::strerror(err));
  if (listen(fd.get(), backlog) != 0)
    return Status::Error(ErrorCode::kIo, "cannot listen on " + path + ": " + std::strerror(errno));
  chmod(path.c_str(), 0600);
  return fd;
}

Status MakeSocketDirectory(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  // The missing levels, deepest first; the first existing one ends the walk.
  std::vector<std::filesystem::path> missing;
  for (auto p = dir; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      return Status::Error(ErrorCode::kIo, "cannot create " + it->string() + ": " + std::strerror(errno));
    // Only what this call made is restricted; mkdir's mode is masked by umask,
    // so set it outright.
    chmod(it->c_str(), 0700);
  }
  return Status::Ok();
}

Status SendFrame(int fd, std::string_view frame, Clock::time_point deadline, const Cancelled& cancelled) {
  if (!frame.empty() && frame.back() == '\n') frame.remove_suffix(1);  // the line's own end
  if (frame.find('\n') != std::string_view::npos)
    return Status::Error(ErrorCode::kUsage, "a frame cannot hold a newline");
  if (!SetNonBlocking(fd))
    return Status::Error(ErrorCode::kNetwork, std::string("cannot send: ") + std::strerror(errno));
  std::string data(frame);
  data += '\n';
  std::string_view rest = data;
  while (!rest.empty()) {
    if (Status s = WaitFor(fd, POLLOUT, deadline, cancelled, "sending"); !s.ok()) return s;
    auto sent = posix::SendSome(fd, rest);
    if (!sent.ok()) return Status::Error(ErrorCode::kNetwork, sent.status().message());
    rest.remove_prefix(sent.value());
  }
  return Status::Ok();
}

Result<std::string> ReceiveFrame(int fd, Clock::time_point deadline, const Cancelled& cancelled, size_t max_bytes) {
  return FrameReader(fd, max_bytes).Next(deadline, cancelled);
}

Result<std::string> FrameReader::Next(Clock::time_point deadline, const Cancelled& cancelled) {
  if (!SetNonBlocking(fd_))
    return Status::Error(ErrorCode::kNetwork, std::string("cannot receive: ") + std::strerror(errno));
  size_t searched = 0;  // buffered_ before this holds no '\n'
  char buf[65536];
  for (;;) {
    if (const size_t nl = buffered_.find('\n', searched); nl != std::string::npos) {
      if (nl > max_bytes_) break;
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    if (buffered_.size() > max_bytes_) break;
    searched = buffered_.size();
    if (Status s = WaitFor(fd_, POLLIN, deadline, cancelled, "receiving"); !s.ok()) return s;
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n < 0) return Status::Error(ErrorCode::kNetwork, std::string("cannot receive: ") + std::strerror(errno));
    if (n == 0) return Status::Error(ErrorCode::kNetwork, "the connection closed before a whole line");
    buffered_.append(buf, static_cast<size_t>(n));
  }
  return Status::Error(ErrorCode::kNetwork, "a line longer than " + std::to_string(max_bytes_) + " bytes");
}

}  // namespace cmdai::serve
