// SPDX-License-Identifier: MIT
// ModelLocator: decides which GGUF file a request uses — a local path, or a
// catalog id or hub reference found in the caches, or fetched when allowed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "models/catalog.h"
#include "models/downloader.h"
#include "models/hub_cache.h"

namespace cmdai {

/// Where older versions kept the default model: DATA_DIR/models/FILE (still
/// found, never written). Models now live in the hub cache (HubCache).
std::string DefaultModelPath(const Config& config);

/// Every complete copy of `ref` that cmdai would use, in the order it looks:
/// the hub cache, llama.cpp's cache, then, for the default catalog model, the
/// old DefaultModelPath. The first is the one LocateModel returns.
std::vector<std::string> ModelCopies(const Config& config, const ModelRef& ref);

HubCache CacheFor(const Config& config);
DownloadOptions DownloadOptionsFor(const Config& config);

struct LocateHooks {
  /// Asked before downloading when model_download is "ask"; nullptr means
  /// nobody can be asked (then the download proceeds). Returns consent.
  std::function<bool(const ModelRef&, uint64_t approx_bytes)> ask;
  std::function<void(uint64_t, uint64_t)> progress;
  std::function<void(const std::string&)> note;
};

/// The model path to load for config.model ("" is the default model). Local
/// paths are returned as given (the backend reports a missing file). Cached
/// models are used as they are; a missing one is downloaded unless offline,
/// model_download = never, or the person declines — each a kNotFound that
/// names the model, `cmdai models pull` and --model.
Result<std::string> LocateModel(const Config& config, const LocateHooks& hooks = {});

}  // namespace cmdai
