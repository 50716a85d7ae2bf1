// SPDX-License-Identifier: MIT
// Starts a stand-in server through the one bootstrap (local_server.py): the
// server binds port 0 and writes the port it got to a file, atomically.
#include "support/hub_server.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cmdai::test {

HubServer::HubServer(const nlohmann::json& config, const std::string& name) : dir_(TempDir()) {
  Configure(config);
  const std::string script = std::string(CMDAI_TESTS_DIR) + "/support/" + name;
  if (FindTool("python3").empty()) throw std::runtime_error("python3 not found on PATH; the stand-in servers need it");
  child_ = std::make_unique<Child>(
      std::vector<std::string>{"python3", script, dir_ + "/config.json", dir_ + "/log", dir_ + "/port"},
      std::map<std::string, std::string>{{"PYTHONDONTWRITEBYTECODE", "1"}},
      dir_ + "/server.log");  // no __pycache__ in the tree
  WaitUntil(
      [this] {
        std::ifstream f(dir_ + "/port");
        return (f >> port_) || !child_->Running();
      },
      10000);
  if (port_ == 0) throw std::runtime_error(name + " did not start: " + ReadFile(dir_ + "/server.log"));
}

void HubServer::Configure(const nlohmann::json& config) {
  std::ofstream(dir_ + "/config.json.tmp") << config.dump();
  std::filesystem::rename(dir_ + "/config.json.tmp", dir_ + "/config.json");
}

std::vector<nlohmann::json> HubServer::Requests() const {
  std::vector<nlohmann::json> out;
  std::ifstream f(dir_ + "/log");
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace cmdai::test
