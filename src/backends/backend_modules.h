// SPDX-License-Identifier: MIT
// Backend modules: loads the compute backends that a GPU build keeps in
// separate files beside the executable (ggml's GGML_BACKEND_DL layout:
// libggml-cpu-<variant>.so, libggml-cuda.so, …), and only when a model is
// opened, so that a start that generates nothing here (--version, rate, a
// client of `cmdai serve`, a remote backend) never loads a GPU library.
// A missing or broken GPU module is a note, never an error: the CPU answers.
//
// Thread-safety: LoadBackendModules serialises itself; call it from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai {

/// The GPU modules this build was made with, by ggml's name ({"cuda"},
/// {"vulkan"}); empty for a CPU build or one with its GPU backend linked in.
std::vector<std::string> BuiltGpuModules();

/// True when the CPU backend too is a module (GGML_BACKEND_DL builds).
bool BackendsAreModules();

/// Whether this installation can run a model on a GPU, told without loading
/// a GPU library: a module build looks for its GPU module files in `dir`
/// ("" = the executable's directory); a build with its GPU backend linked in
/// (Metal) asks ggml's registry, which that build has loaded already. Says
/// nothing about a device being present. Cost: a stat or two.
bool GpuInstalled(const std::string& dir = "");

struct ModuleOptions {
  std::string dir;                       // where the modules are; "" = the running executable's directory
  std::vector<std::string> gpu_modules;  // GPU modules to load, e.g. BuiltGpuModules()
  bool want_gpu = true;                  // false (--device cpu): leave GPU modules unloaded
};

struct ModuleReport {
  /// One line each for the person, e.g. "the GPU module libggml-cuda.so is
  /// missing from /opt/cmdai; running on the CPU".
  std::vector<std::string> notes;
  bool gpu_module_failed = false;  // a wanted GPU module is missing or did not load
};

/// Loads the CPU backend's best variant (module builds only) and each wanted
/// GPU module from options.dir. Cost: a directory scan and dlopen of a few
/// files the first time (the CUDA module pulls in the CUDA runtime and
/// cuBLAS: tens to hundreds of ms); later calls only check what is loaded.
/// A module loads at most once per process; a failed GPU module is retried
/// (and reported) on the next call. Fails with kBackend only when no CPU
/// backend can be had (a module build with no libggml-cpu*.so beside it).
Result<ModuleReport> LoadBackendModules(const ModuleOptions& options);

}  // namespace cmdai
