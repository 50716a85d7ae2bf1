// SPDX-License-Identifier: MIT
#include "models/model_locator.h"

#include <filesystem>

namespace cmdai {

std::string DefaultModelPath(const Config& config) { return config.data_dir + "/models/" + DefaultCatalogEntry().file; }

std::vector<std::string> ModelCopies(const Config& config, const ModelRef& ref) {
  std::vector<std::string> copies = CacheFor(config).FindAll(ref);
  const CatalogEntry& def = DefaultCatalogEntry();
  std::error_code ec;
  if (!ref.local && ref.repo == def.repo && ref.file == def.file && ref.revision == "main" &&
      std::filesystem::is_regular_file(DefaultModelPath(config), ec))
    copies.push_back(DefaultModelPath(config));
  return copies;
}

HubCache CacheFor(const Config& config) { return HubCache(config.hub_dir, config.llama_cache_dir); }

DownloadOptions DownloadOptionsFor(const Config& config) {
  DownloadOptions o;
  o.endpoint = config.hf_endpoint;
  o.token = config.hf_token;
  o.stall_timeout_s = config.download_stall_s;
  o.max_attempts = config.download_retries;
  return o;
}

Result<std::string> LocateModel(const Config& config, const LocateHooks& hooks) {
  auto ref = ParseModelRef(config.model);
  if (!ref.ok()) return ref.status();
  if (ref->local) return ref->path;
  const HubCache cache = CacheFor(config);
  if (const auto copies = ModelCopies(config, *ref); !copies.empty()) return copies.front();

  const std::string what = ref->id.empty() ? Describe(*ref) : ref->id;
  const std::string pull =
      "run cmdai models pull " + (ref->id.empty() ? Describe(*ref) : ref->id) + " while online, or pass --model PATH";
  if (config.offline)
    return Status::Error(ErrorCode::kNotFound, "the model " + what + " is not in the cache, and cmdai is offline",
                         pull);
  if (config.model_download == ModelDownload::kNever)
    return Status::Error(ErrorCode::kNotFound, "the model " + what + " is not downloaded (model_download = never)",
                         pull);
  uint64_t approx = 0;
  for (const auto& e : Catalog())
    if (e.repo == ref->repo && e.file == ref->file) approx = e.approx_bytes;
  if (config.model_download == ModelDownload::kAsk && hooks.ask && !hooks.ask(*ref, approx))
    return Status::Error(ErrorCode::kNotFound, "the model " + what + " is not downloaded", pull);
  DownloadOptions o = DownloadOptionsFor(config);
  o.progress = hooks.progress;
  o.note = hooks.note;
  return Download(*ref, cache, o);
}

}  // namespace cmdai
