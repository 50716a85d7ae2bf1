// SPDX-License-Identifier: MIT
#include "serve/socket_backend.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "common/interrupt.h"
#include "common/posix.h"
#include "serve/protocol.h"

namespace cmdai::serve {

Result<Generation> SocketBackend::Generate(const GenerationRequest& request) {
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (socket_.size() >= sizeof(addr.sun_path)) return Status::Error(ErrorCode::kNetwork, "socket path too long");
  std::memcpy(addr.sun_path, socket_.c_str(), socket_.size() + 1);
  const auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  const int fd = sock.ok() ? sock.value() : -1;
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (fd >= 0) close(fd);
    return Status::Error(ErrorCode::kNetwork, "cmdai serve is not running on " + socket_);
  }
  if (!posix::SendAll(fd, EncodeRequest(request, model_)).ok()) {
    close(fd);
    return Status::Error(ErrorCode::kNetwork, "cmdai serve closed the connection");
  }
  std::string line;
  char buf[65536];
  while (line.find('\n') == std::string::npos) {
    pollfd p = {fd, POLLIN, 0};
    const int r = poll(&p, 1, 100);
    if (Interrupted()) {
      close(fd);  // the server notices and moves on
      return Status::Error(ErrorCode::kInterrupted, "interrupted");
    }
    if (r <= 0) continue;
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (line.find('\n') == std::string::npos)
    return Status::Error(ErrorCode::kNetwork, "cmdai serve closed the connection without answering");
  return DecodeResponse(line.substr(0, line.find('\n')), &info_);
}

}  // namespace cmdai::serve
