// SPDX-License-Identifier: MIT
#include "context/context.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>
#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

namespace cmdai {

std::string ParseOsRelease(const std::string& text) {
  std::string pretty, name;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (key == "PRETTY_NAME") pretty = value;
    if (key == "NAME") name = value;
  }
  return pretty.empty() ? name : pretty;
}

Context DetectContext(const std::string& shell, const std::string& cwd, const std::string& os_release) {
  Context c;
  struct utsname u = {};
  if (uname(&u) == 0) {
    c.os = u.sysname;
    c.arch = u.machine;
  }
  if (c.os == "Darwin") {
    c.distro = "macOS";
  } else if (std::ifstream f(os_release); f) {
    std::stringstream s;
    s << f.rdbuf();
    c.distro = ParseOsRelease(s.str());
  }
  c.shell = shell;
  c.cwd = cwd;
  return c;
}

int PhysicalCores() {
  int logical = static_cast<int>(std::thread::hardware_concurrency());
#ifdef __APPLE__
  int n = 0;
  size_t len = sizeof(n);
  if (sysctlbyname("hw.perflevel0.physicalcpu", &n, &len, nullptr, 0) == 0 && n > 0) return n;
  if (sysctlbyname("hw.physicalcpu", &n, &len, nullptr, 0) == 0 && n > 0) return n;
#else
  // Count distinct (physical id, core id) pairs; VMs often report one core per
  // socket, which this handles too.
  std::ifstream f("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string> > cores;
  std::string phys = "0";
  for (std::string line; std::getline(f, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "physical id") phys = value;
    if (key == "core id") cores.insert({phys, value});
  }
  if (!cores.empty()) return static_cast<int>(cores.size());
#endif
  return logical > 0 ? logical : 1;
}

}  // namespace cmdai
