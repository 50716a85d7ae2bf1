// SPDX-License-Identifier: MIT
// EmbeddedBackend: runs a GGUF model in-process on llama.cpp. This module is
// the only one that includes llama.h; every llama handle lives here in a
// unique_ptr with its matching free.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/backend_modules.h"
#include "config/config.h"

namespace cmdai {

/// How weights reach their device: llama.cpp's choice (memory-mapped), a
/// memory map, plain reads (for a GPU: through pinned staging buffers,
/// uploaded asynchronously), or direct I/O past the page cache.
enum class WeightLoad { kAuto, kMmap, kRead, kDirect };

struct EmbeddedOptions {
  std::string model_path;
  Device device = Device::kAuto;
  int threads = 0;  // 0: one per physical core
  int context_size = 2048;
  /// One-line notes for the person (e.g. a GPU fallback); may be empty.
  std::function<void(const std::string&)> note;
  /// Directory for saved prompt states ("" disables the cache). The KV state
  /// of the fixed part of the prompt (system message and the start of the
  /// user turn) is saved after the first run and restored afterwards; so is
  /// that of the longer start shared by requests from one directory
  /// (GenerationRequest::reusable_chars), in DIR/directories, the 16 most
  /// recently used kept.
  std::string prompt_cache_dir;
  /// Repack weights into llama.cpp's interleaved CPU layout: faster prefill,
  /// but about a second more load and a second copy of the weights in memory.
  bool repack = true;
  /// Where the backend modules are (GPU builds keep them in files beside the
  /// executable; see backend_modules.h): "" = the executable's directory.
  std::string module_dir;
  /// GPU modules to load unless device is kCpu; a missing or broken one is a
  /// note, and the CPU answers.
  std::vector<std::string> gpu_modules = BuiltGpuModules();
  WeightLoad weight_load = WeightLoad::kAuto;
};

/// Which compute devices this build can use; cheap after the first call.
struct DeviceSupport {
  bool gpu_available = false;  // a GPU backend is compiled in and a device is present
  std::string gpu_name;        // its description, when available
};
DeviceSupport ProbeDevices();

class EmbeddedBackend final : public Backend {
 public:
  /// Loads the model and creates a context. Cost: maps the file and, for a
  /// GPU, copies the weights to it (about a second for a 1 GB model); on CPU
  /// the pages load lazily during the first decode.
  /// Fails with kNotFound (no such file), kInvalidModel (not GGUF, truncated,
  /// unsupported architecture, no chat template), kUsage (--device gpu without
  /// a GPU), kInterrupted, or kBackend (context creation failed).
  /// A failed GPU load, or a GPU module that is missing or does not load,
  /// falls back to CPU with a note; kBackend when a module build finds no
  /// CPU module either.
  static Result<std::unique_ptr<EmbeddedBackend>> Open(const EmbeddedOptions& options);

  ~EmbeddedBackend() override;

  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override;
  BackendInfo Info() const override;

  /// Milliseconds spent in Open (model load and context creation).
  double load_ms() const;
  /// "CPU (2 threads)" or the GPU's name.
  const std::string& device_description() const;

  /// How the last Generate obtained the longest prefix state it reused:
  /// "resident" (still in memory), "file (directory)" (the reusable prefix,
  /// restored from the prompt cache), "file" (the fixed prefix, restored),
  /// "computed" (none reused), or "off". Timings::cached_tokens says how long.
  const std::string& prefix_source() const;

 private:
  struct Impl;
  explicit EmbeddedBackend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cmdai
