// SPDX-License-Identifier: MIT
#include "context/context.h"

#include <sys/utsname.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "common/posix.h"
#include "ground/grounder.h"

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

void DetectTools(Context& c, const std::string& path, const std::string& cache_dir) {
  const std::string search = path.empty() ? "/usr/bin:/bin" : path;
  c.userland = ground::DetectUserland(search, cache_dir);
  c.shell_version = ground::DetectShellVersion(c.shell, search, cache_dir);
}

int PhysicalCores() {
  if (const int n = posix::PhysicalCoreCount(); n > 0) return n;
  const int logical = static_cast<int>(std::thread::hardware_concurrency());
  return logical > 0 ? logical : 1;
}

}  // namespace cmdai
