// SPDX-License-Identifier: MIT
// HubServer: runs tests/support/hub_server.py on 127.0.0.1 for the life of
// the object — a Hugging Face hub stand-in with injectable faults.
#pragma once

#include <sys/types.h>

#include <string>

#include "nlohmann/json.hpp"

namespace cmdai::test {

class HubServer {
 public:
  /// Starts tests/support/SCRIPT (hub_server.py by default) with `config`.
  explicit HubServer(const nlohmann::json& config, const std::string& script = "hub_server.py");
  ~HubServer();

  /// Replaces the fault configuration (read by the server on every request).
  void Configure(const nlohmann::json& config);
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Every request so far, one JSON object each.
  std::vector<nlohmann::json> Requests() const;

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace cmdai::test
