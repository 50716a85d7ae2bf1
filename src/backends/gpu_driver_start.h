// SPDX-License-Identifier: MIT
// GpuDriverStart: starts the CUDA driver (cuInit, each device's primary
// context) on a thread of its own while the CUDA module and its runtime
// libraries are still being loaded, so that the two overlap: the runtime
// then finds the driver started and the contexts there. Reaches the driver
// only through dlopen of its stable C ABI (libcuda.so.1), so nothing links
// it; where there is no such library (macOS, a CPU machine, a Vulkan build)
// it does nothing.
#pragma once

#include <thread>

namespace cmdai {

class GpuDriverStart {
 public:
  /// Starts the thread when `cuda` (the build's GPU module is CUDA's and a
  /// GPU is wanted); otherwise does nothing. Cost to the caller: a thread's
  /// start. On the thread: dlopen, cuInit and a primary context per device
  /// (~0.1-0.2 s on an H100), which the CUDA runtime would otherwise pay
  /// after its own libraries are loaded.
  /// `library` is the driver's file, another only in tests.
  explicit GpuDriverStart(bool cuda, const char* library = "libcuda.so.1");
  /// Waits for the thread: the contexts it made stay with the process, as
  /// the runtime's own would.
  ~GpuDriverStart();
  GpuDriverStart(const GpuDriverStart&) = delete;
  GpuDriverStart& operator=(const GpuDriverStart&) = delete;

 private:
  std::thread thread_;
};

}  // namespace cmdai
