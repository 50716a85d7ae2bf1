// SPDX-License-Identifier: MIT
// SocketBackend: a Backend that asks a running `cmdai serve` over its Unix
// socket. Used when a server is up; otherwise cmdai runs the model itself.
#pragma once

#include <memory>
#include <string>

#include "backends/backend.h"

namespace cmdai::serve {

class SocketBackend final : public Backend {
 public:
  SocketBackend(std::string socket_path, std::string model_path)
      : socket_(std::move(socket_path)), model_(std::move(model_path)) {}

  /// One request, one connection. Fails with kNetwork when the server is
  /// gone, or the server's own error (e.g. kUsage for another model).
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override {
    return "cmdai serve on " + socket_ + ": " + info_.model + ", " + info_.device;
  }
  BackendInfo Info() const override { return info_; }

 private:
  std::string socket_;
  std::string model_;
  BackendInfo info_{"serve", "", "", 0};
};

}  // namespace cmdai::serve
