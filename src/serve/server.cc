// SPDX-License-Identifier: MIT
// cmdai serve: accepts clients on the Unix socket and answers each request
// with the one loaded backend, in turn (see server.h).
#include "serve/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/interrupt.h"
#include "common/posix.h"
#include "serve/protocol.h"
#include "serve/socket_io.h"

namespace cmdai::serve {
namespace {

// A client has this long to send its request and to take the answer, so a
// silent or stuck client cannot hold a thread forever.
constexpr auto kClientDeadline = std::chrono::seconds(10);

}  // namespace

bool ServerAlive(const std::string& path) { return ConnectUnix(path).ok(); }

namespace {

std::string LockPath(const std::string& socket_path) { return socket_path + ".lock"; }

// Tries the lock a few times over ~50 ms: ServerStartingOrAlive holds it for
// an instant, which must not make a starting server give up.
bool TryLock(int fd) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

Result<ServerLock> ServerLock::Acquire(const std::string& socket_path) {
  // Before any directory is made or model loaded: a server that could never
  // listen must not load for nothing (each autostart would).
  if (!FitsSocketAddress(socket_path))
    return Status::Error(ErrorCode::kUsage, "socket path too long: " + socket_path,
                         "set serve.socket to a shorter path");
  if (Status s = MakeSocketDirectory(std::filesystem::path(socket_path).parent_path()); !s.ok()) return s;
  const std::string path = LockPath(socket_path);
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0)
    return Status::Error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno),
                         "check the directory's permissions, or set serve.socket to another path");
  if (!TryLock(fd.get()))
    return Status::Error(ErrorCode::kUsage, "cmdai serve is already running or starting on " + socket_path,
                         "stop it first, or pass --socket PATH");
  // The holder's process id, for the person (and tests) to stop it by.
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd.get(), 0) == 0) {
    const ssize_t written = write(fd.get(), pid.data(), pid.size());
    (void)written;  // only informative
  }
  return ServerLock(std::move(fd));
}

bool ServerStartingOrAlive(const std::string& socket_path) {
  UniqueFd fd(open(LockPath(socket_path).c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) return false;                             // no lock file: no server ever started here
  if (flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return false;  // closing the descriptor releases it
  return errno == EWOULDBLOCK;
}

Status Serve(Backend& backend, const ServerOptions& o) {
  std::error_code ec;
  // Only a directory made here is restricted; one the person chose (e.g.
  // $HOME) keeps its mode, and the socket itself is owner-only.
  if (Status s = MakeSocketDirectory(std::filesystem::path(o.socket_path).parent_path()); !s.ok()) return s;
  if (std::filesystem::exists(o.socket_path, ec)) {
    if (ServerAlive(o.socket_path))
      return Status::Error(ErrorCode::kUsage, "cmdai serve is already running on " + o.socket_path,
                           "stop it first, or set serve.socket to another path");
    std::filesystem::remove(o.socket_path, ec);  // stale: left by a server that died
  }
  auto listening = ListenUnix(o.socket_path, 16);
  if (!listening.ok()) return listening.status();
  const int fd = listening->get();
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
      {
        const UniqueFd owned(client);
        auto line = ReceiveFrame(client, Clock::now() + kClientDeadline);
        if (line.ok()) {
          auto req = DecodeRequest(line.value());
          Result<Generation> result = Status::Error(ErrorCode::kBackend, "not run");
          if (!req.ok()) {
            result = req.status();
          } else if (!o.model_path.empty() && req->model != o.model_path) {
            // Not a usage error: the client's fallback chain answers in its own
            // process, so a request for another model is never refused.
            result = Status::Error(ErrorCode::kBackend, "cmdai serve holds another model (" + o.model_path + ")",
                                   "the request is answered in this process");
          } else {
            GenerationRequest r = req->request;
            // Each growth goes out as it comes; a send that fails (the
            // client closed: it wants no more, or it is gone) ends the
            // generation, so the next client's turn comes at once.
            if (req->stream) {
              // At once, before waiting for the model: the client knows this
              // server is alive and has its request (socket_backend.h).
              (void)SendFrame(client, EncodePartial(""), Clock::now() + kClientDeadline);
              r.on_text = [client](const std::string& so_far) {
                return SendFrame(client, EncodePartial(so_far), Clock::now() + kClientDeadline).ok();
              };
            }
            std::lock_guard<std::mutex> lock(generate);
            result = backend.Generate(r);
          }
          // A gone or stuck client is not fatal.
          (void)SendFrame(client, EncodeResponse(result, backend.Info()), Clock::now() + kClientDeadline);
        }
      }  // the connection closes here
      std::lock_guard<std::mutex> lock(clients_mu);
      --active;
      last_request = std::chrono::steady_clock::now();
    }).detach();
  }
  listening->reset();
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
