// SPDX-License-Identifier: MIT
#include "models/model_locator.h"

#include <filesystem>

namespace cmdai {

std::string DefaultModelPath(const Config& config) { return config.data_dir + "/models/" + DefaultModel::kFile; }

Result<std::string> LocateModel(const Config& config) {
  if (!config.model.empty()) return config.model;
  const std::string path = DefaultModelPath(config);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  return Status::Error(
      ErrorCode::kNotFound,
      std::string("the default model ") + DefaultModel::kFile + " is not installed (looked in " + path + ")",
      std::string("download it from huggingface.co/") + DefaultModel::kRepo +
          " into that folder, or pass --model PATH");
}

}  // namespace cmdai
