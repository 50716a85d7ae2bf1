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

}  // namespace cmdai::serve
