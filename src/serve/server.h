// SPDX-License-Identifier: MIT
// Server: `cmdai serve` keeps the model loaded and answers on a Unix socket
// with owner-only permissions, so each request skips loading (docs/performance.md).
// Requests are served one at a time on one context (the fixed prompt prefix
// stays resident between them); concurrent clients wait their turn.
#pragma once

#include <functional>
#include <string>

#include "backends/backend.h"
#include "common/status.h"
#include "serve/socket_io.h"

namespace cmdai::serve {

struct ServerOptions {
  std::string socket_path;
  int idle_timeout_s = 0;  // exit after this long without a request; 0 = never
  std::string model_path;  // what the backend serves, to check clients ask for it
  /// Called once the socket listens, before the first request: where the
  /// "serving …" note belongs (never before a bind that fails).
  std::function<void()> on_listening;
};

/// Binds the socket (replacing a stale one, refusing if another server
/// answers on it), then serves until Ctrl-C/SIGTERM or the idle timeout.
/// Removes the socket on exit. Fails with kIo (cannot bind) or kUsage
/// (a server already runs there).
Status Serve(Backend& backend, const ServerOptions& options);

/// True when something accepts connections on `socket_path`.
bool ServerAlive(const std::string& socket_path);

/// One server per socket, loading included: a server holds an exclusive
/// lock on `<socket>.lock` (flock: BSD, Linux and macOS alike) from before it
/// loads its model until it exits, so that several quick requests that each
/// find no server listening start one server, not several, and a starter can
/// tell a server that is still loading from none at all. The file holds the
/// holder's process id. The kernel drops the lock when the process dies;
/// the file stays (removing it would race).
/// Move-only; the lock is released when the object goes.
class ServerLock {
 public:
  /// Takes the lock, making the socket's directory if needed. Fails with
  /// kUsage when another process holds it (a server starts or runs there),
  /// kIo when the file cannot be made. Cost: an open and a flock.
  static Result<ServerLock> Acquire(const std::string& socket_path);

 private:
  explicit ServerLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

/// True when a server holds the lock of `socket_path`: it is loading or
/// serving. Never blocks; takes the lock for an instant when it is free.
bool ServerStartingOrAlive(const std::string& socket_path);

}  // namespace cmdai::serve
