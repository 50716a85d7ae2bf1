// SPDX-License-Identifier: MIT
// Loads ggml's backend modules beside the executable when a model is opened
// (see backend_modules.h); dlopen is only used to read a module's score or
// the reason it does not load, ggml's registry owns the modules it loads.
#include "backends/backend_modules.h"

#include <dlfcn.h>
#include <ggml-backend.h>

#include <filesystem>
#include <memory>
#include <mutex>

#include "common/posix.h"

#ifndef CMDAI_GPU_MODULES
#define CMDAI_GPU_MODULES ""
#endif

namespace cmdai {
namespace {

struct DlCloser {
  void operator()(void* handle) const { dlclose(handle); }
};
using DlHandle = std::unique_ptr<void, DlCloser>;

std::string ModuleFile(const std::string& name) { return "libggml-" + name + ".so"; }

std::string DlReason() {
  const char* e = dlerror();
  return e ? e : "unknown dlopen error";
}

// ggml's CPU variants (libggml-cpu-haswell.so, …-skylakex.so, …) each report
// how well they fit this processor; 0 means they cannot run here. We pick
// the best as ggml_backend_load_all does, but from our directory only.
std::string BestCpuModule(const std::string& dir) {
  std::error_code ec;
  int best_score = 0;
  std::string best;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("libggml-cpu", 0) != 0 || entry.path().extension() != ".so") continue;
    DlHandle handle(dlopen(entry.path().c_str(), RTLD_NOW | RTLD_LOCAL));
    if (!handle) continue;
    using ScoreFn = int (*)();
    auto score = reinterpret_cast<ScoreFn>(dlsym(handle.get(), "ggml_backend_score"));
    const int s = score ? score() : 1;  // a single, unscored CPU module
    if (s > best_score) {
      best_score = s;
      best = entry.path().string();
    }
  }
  return best;
}

}  // namespace

std::vector<std::string> BuiltGpuModules() {
  std::vector<std::string> out;
  std::string list = CMDAI_GPU_MODULES;  // "cuda" or "cuda;vulkan"
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(';', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool BackendsAreModules() {
#ifdef CMDAI_BACKEND_DL
  return true;
#else
  return false;
#endif
}

bool GpuInstalled(const std::string& dir_in) {
  if (!BackendsAreModules()) {
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i)
      if (ggml_backend_dev_type(ggml_backend_dev_get(i)) == GGML_BACKEND_DEVICE_TYPE_GPU) return true;
    return false;
  }
  std::string dir = dir_in;
  if (dir.empty()) {
    auto self = posix::ExecutablePath();
    if (!self.ok()) return false;
    dir = std::filesystem::path(self.value()).parent_path().string();
  }
  std::error_code ec;
  for (const std::string& name : BuiltGpuModules())
    if (std::filesystem::exists(std::filesystem::path(dir) / ModuleFile(name), ec)) return true;
  return false;
}

Result<ModuleReport> LoadBackendModules(const ModuleOptions& o) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  ModuleReport report;

  std::string dir = o.dir;
  if (dir.empty()) {
    auto self = posix::ExecutablePath();
    if (self.ok()) dir = std::filesystem::path(self.value()).parent_path().string();
  }

  if (BackendsAreModules() && !ggml_backend_reg_by_name("CPU")) {
    const std::string best = dir.empty() ? "" : BestCpuModule(dir);
    if (best.empty() || !ggml_backend_load(best.c_str()))
      return Status::Error(ErrorCode::kBackend,
                           "no usable CPU backend module (libggml-cpu-*.so) in " + (dir.empty() ? "?" : dir),
                           "reinstall cmdai with the modules that came with it");
  }

  if (!o.want_gpu) return report;
  for (const std::string& name : o.gpu_modules) {
    if (ggml_backend_reg_by_name(name.c_str())) continue;  // loaded by an earlier call
    const std::string file = ModuleFile(name);
    const std::filesystem::path path = std::filesystem::path(dir) / file;
    std::error_code ec;
    if (dir.empty() || !std::filesystem::exists(path, ec)) {
      report.notes.push_back("the GPU module " + file + " is missing from " + (dir.empty() ? "?" : dir) +
                             "; running on the CPU");
      report.gpu_module_failed = true;
      continue;
    }
    // Open it ourselves first: dlerror() says why (a missing libcuda.so.1,
    // a wrong architecture, a truncated file), which ggml only logs. Our
    // handle keeps the library mapped until ggml has taken its own.
    DlHandle probe(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
    if (!probe) {
      report.notes.push_back("cannot load the GPU module " + path.string() + " (" + DlReason() +
                             "); running on the CPU");
      report.gpu_module_failed = true;
      continue;
    }
    ggml_backend_reg_t reg = ggml_backend_load(path.c_str());
    if (!reg) {
      report.notes.push_back("the GPU module " + path.string() +
                             " does not run here (no supported device, or built for another ggml); running on the CPU");
      report.gpu_module_failed = true;
    } else if (ggml_backend_reg_dev_count(reg) == 0) {
      report.notes.push_back("the GPU module " + file + " finds no GPU; running on the CPU");
      report.gpu_module_failed = true;
    }
  }
  return report;
}

}  // namespace cmdai
