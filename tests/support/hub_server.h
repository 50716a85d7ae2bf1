// SPDX-License-Identifier: MIT
// HubServer: one of the Python stand-in servers in tests/support (the
// Hugging Face hub by default; llm_server.py, net_server.py) on 127.0.0.1,
// on a port the OS chose, for the life of the object, with its behaviour
// and faults read from a JSON configuration the test may change.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "support/subprocess.h"

namespace cmdai::test {

class HubServer {
 public:
  /// Starts tests/support/SCRIPT (hub_server.py by default) with `config`,
  /// and returns once it listens. Throws std::runtime_error when it cannot.
  explicit HubServer(const nlohmann::json& config, const std::string& script = "hub_server.py");

  /// Replaces the fault configuration (read by the server on every request).
  void Configure(const nlohmann::json& config);
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Every request so far, one JSON object each.
  std::vector<nlohmann::json> Requests() const;

 private:
  std::string dir_;
  std::unique_ptr<Child> child_;
  int port_ = 0;
};

}  // namespace cmdai::test
