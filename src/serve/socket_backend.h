// SPDX-License-Identifier: MIT
// SocketBackend: a Backend that asks a running `cmdai serve` over its Unix
// socket. Used when a server is up; otherwise cmdai runs the model itself.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "backends/backend.h"

namespace cmdai::serve {

class SocketBackend final : public Backend {
 public:
  /// `timeout`: how long one request may take, waiting for its turn included.
  /// `silence`: with streaming, how long the server may say nothing at all
  /// (it answers a streamed request at once, then each token): a stopped or
  /// stuck server is left after that, not after the whole timeout.
  SocketBackend(std::string socket_path, std::string model_path,
                std::chrono::seconds timeout = std::chrono::seconds(60),
                std::chrono::seconds silence = std::chrono::seconds(10))
      : socket_(std::move(socket_path)), model_(std::move(model_path)), timeout_(timeout), silence_(silence) {}

  /// One request, one connection. With request.on_text the server streams
  /// (serve/protocol.h): on_text gets each growth; when it returns false the
  /// connection closes, the server stops generating, and the answer so far
  /// returns with stopped set (no timings). Fails with kNetwork when the
  /// server is gone or gives no answer within the timeout, kInterrupted on
  /// Ctrl-C, or with the server's own error (e.g. kBackend for another model).
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override {
    return "cmdai serve on " + socket_ + ": " + info_.model + ", " + info_.device;
  }
  BackendInfo Info() const override { return info_; }

 private:
  std::string socket_;
  std::string model_;
  std::chrono::seconds timeout_;
  std::chrono::seconds silence_;
  BackendInfo info_{"serve", "", "", 0};
};

}  // namespace cmdai::serve
