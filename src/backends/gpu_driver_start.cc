// SPDX-License-Identifier: MIT
// Starts the CUDA driver early on its own thread (see gpu_driver_start.h).
#include "backends/gpu_driver_start.h"

#include <dlfcn.h>

namespace cmdai {
namespace {

// The driver API's C ABI, as cuda.h declares it (CUresult is an int enum,
// CUdevice an int, CUcontext a pointer).
using CuInit = int (*)(unsigned int);
using CuDeviceGetCount = int (*)(int*);
using CuDeviceGet = int (*)(int*, int);
using CuPrimaryCtxRetain = int (*)(void**, int);

void StartDriver(const char* library) {
  // Never closed: the CUDA runtime loads the same library and keeps it.
  void* lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!lib) return;
  auto init = reinterpret_cast<CuInit>(dlsym(lib, "cuInit"));
  auto count = reinterpret_cast<CuDeviceGetCount>(dlsym(lib, "cuDeviceGetCount"));
  auto get = reinterpret_cast<CuDeviceGet>(dlsym(lib, "cuDeviceGet"));
  auto retain = reinterpret_cast<CuPrimaryCtxRetain>(dlsym(lib, "cuDevicePrimaryCtxRetain"));
  if (!init || !count || !get || !retain || init(0) != 0) return;
  int n = 0;
  if (count(&n) != 0) return;
  for (int i = 0; i < n; ++i) {
    int device = 0;
    void* context = nullptr;
    if (get(&device, i) == 0) retain(&context, device);  // released by the process's exit
  }
}

}  // namespace

GpuDriverStart::GpuDriverStart(bool cuda, const char* library) {
  if (cuda) thread_ = std::thread(StartDriver, library);
}

GpuDriverStart::~GpuDriverStart() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace cmdai
