// SPDX-License-Identifier: MIT
#include "serve/server.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/interrupt.h"
#include "common/posix.h"
#include "serve/protocol.h"

namespace cmdai::serve {
namespace {

bool SockAddr(const std::string& path, sockaddr_un& addr) {
  if (path.size() >= sizeof(addr.sun_path)) return false;
  std::memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

// Reads one line (up to 16 MiB) with a deadline, so a silent client cannot hold a thread forever.
bool ReadLine(int fd, std::string& line, int timeout_ms) {
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (line.find('\n') == std::string::npos) {
    const int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    pollfd p = {fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, left) <= 0) return false;
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    line.append(buf, static_cast<size_t>(n));
    if (line.size() > (16u << 20)) return false;
  }
  line.resize(line.find('\n'));
  return true;
}

}  // namespace

bool ServerAlive(const std::string& path) {
  sockaddr_un addr;
  if (!SockAddr(path, addr)) return false;
  const auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  if (!sock.ok()) return false;
  const int fd = sock.value();
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

Status Serve(Backend& backend, const ServerOptions& o) {
  sockaddr_un addr;
  if (!SockAddr(o.socket_path, addr))
    return Status::Error(ErrorCode::kUsage, "socket path too long: " + o.socket_path,
                         "set serve.socket to a shorter path");
  std::error_code ec;
  const auto dir = std::filesystem::path(o.socket_path).parent_path();
  std::filesystem::create_directories(dir, ec);
  chmod(dir.c_str(), 0700);  // owner-only: the socket's directory, and the socket below
  if (std::filesystem::exists(o.socket_path, ec)) {
    if (ServerAlive(o.socket_path))
      return Status::Error(ErrorCode::kUsage, "cmdai serve is already running on " + o.socket_path,
                           "stop it first, or set serve.socket to another path");
    std::filesystem::remove(o.socket_path, ec);  // stale: left by a server that died
  }
  const auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  if (!sock.ok()) return sock.status();
  const int fd = sock.value();
  const mode_t old_mask = umask(0177);
  const int bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  umask(old_mask);
  if (bound != 0 || listen(fd, 16) != 0) {
    const std::string err = std::strerror(errno);
    close(fd);
    return Status::Error(ErrorCode::kIo, "cannot listen on " + o.socket_path + ": " + err);
  }
  chmod(o.socket_path.c_str(), 0600);
  if (o.on_listening) o.on_listening();

  std::mutex generate;  // one context: requests take turns
  std::mutex clients_mu;
  int active = 0;
  auto last_request = std::chrono::steady_clock::now();
  while (!Interrupted()) {
    pollfd p = {fd, POLLIN, 0};
    const int ready = poll(&p, 1, 250);
    {
      std::lock_guard<std::mutex> lock(clients_mu);
      if (o.idle_timeout_s > 0 && active == 0 &&
          std::chrono::steady_clock::now() - last_request > std::chrono::seconds(o.idle_timeout_s))
        break;
    }
    if (ready <= 0) continue;
    const auto accepted = posix::AcceptCloexec(fd);
    if (!accepted.ok()) continue;
    const int client = accepted.value();
    {
      std::lock_guard<std::mutex> lock(clients_mu);
      ++active;
      last_request = std::chrono::steady_clock::now();
    }
    std::thread([&, client] {
      std::string line;
      if (ReadLine(client, line, 10000)) {
        auto req = DecodeRequest(line);
        Result<Generation> result = Status::Error(ErrorCode::kBackend, "not run");
        if (!req.ok()) {
          result = req.status();
        } else if (!o.model_path.empty() && req->second != o.model_path) {
          // Not a usage error: the client's fallback chain answers in its own
          // process, so a request for another model is never refused.
          result = Status::Error(ErrorCode::kBackend, "cmdai serve holds another model (" + o.model_path + ")",
                                 "the request is answered in this process");
        } else {
          std::lock_guard<std::mutex> lock(generate);
          result = backend.Generate(req->first);
        }
        (void)posix::SendAll(client, EncodeResponse(result, backend.Info()));  // a gone client is not fatal
      }
      close(client);
      std::lock_guard<std::mutex> lock(clients_mu);
      --active;
      last_request = std::chrono::steady_clock::now();
    }).detach();
  }
  close(fd);
  std::filesystem::remove(o.socket_path, ec);
  // Client threads use this frame's locals and the backend: wait for every
  // one to finish. They cannot hang: a request line has a 10 s deadline,
  // generation is bounded by max_tokens, and Ctrl-C/SIGTERM abort it.
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(clients_mu);
      if (active == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

}  // namespace cmdai::serve
