// SPDX-License-Identifier: MIT
#include "support/hub_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/die_with_parent.h"
#include "support/subprocess.h"

namespace cmdai::test {

HubServer::HubServer(const nlohmann::json& config, const std::string& name) : dir_(TempDir()) {
  Configure(config);
  const std::string script = std::string(CMDAI_TESTS_DIR) + "/support/" + name;
  const std::string python = FindTool("python3");
  if (python.empty()) throw std::runtime_error("python3 not found on PATH; the stand-in servers need it");
  pid_ = fork();
  if (pid_ == 0) {
    DieWithParent();  // never outlive the test
    freopen("/dev/null", "w", stdout);
    execl(python.c_str(), "python3", script.c_str(), (dir_ + "/config.json").c_str(), (dir_ + "/log").c_str(),
          (dir_ + "/port").c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 200 && port_ == 0; ++i) {
    std::ifstream f(dir_ + "/port");
    if (f >> port_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (port_ == 0) throw std::runtime_error("hub_server.py did not start");
}

HubServer::~HubServer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
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
