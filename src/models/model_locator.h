// SPDX-License-Identifier: MIT
// ModelLocator: decides which GGUF file a request uses — the one the person
// named, or the default model in cmdai's data directory.
#pragma once

#include <string>

#include "common/status.h"
#include "config/config.h"

namespace cmdai {

/// The default model: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M.
struct DefaultModel {
  static constexpr const char* kId = "qwen2.5-coder-1.5b";
  static constexpr const char* kRepo = "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF";
  static constexpr const char* kFile = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf";
};

/// Where the default model is stored: DATA_DIR/models/FILE.
std::string DefaultModelPath(const Config& config);

/// The model path to load. With config.model set, that path (the backend
/// reports a missing file). Otherwise the default model when present, else
/// kNotFound naming the file, where it was looked for, and --model.
Result<std::string> LocateModel(const Config& config);

}  // namespace cmdai
