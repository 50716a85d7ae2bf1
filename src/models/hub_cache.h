// SPDX-License-Identifier: MIT
// HubCache: the Hugging Face hub cache layout, shared with huggingface-cli,
// transformers and llama.cpp, so a model any of them fetched is reused and
// ours is usable by them:
//
//   $HF_HOME/hub/models--OWNER--REPO/blobs/SHA256         the file's bytes
//                                   /snapshots/COMMIT/FILE → ../../blobs/SHA256
//                                   /refs/REVISION          holds COMMIT
//
// Also finds models in llama.cpp's own cache (LLAMA_CACHE, OWNER_REPO_FILE).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "models/catalog.h"

namespace cmdai {

class HubCache {
 public:
  /// `hub_dir` is $HF_HOME/hub; `llama_cache` is llama.cpp's cache ("" for none).
  HubCache(std::string hub_dir, std::string llama_cache);

  /// The cached file for `ref`, when complete; nullopt otherwise. Never
  /// returns a partial download. The first of FindAll.
  std::optional<std::string> Find(const ModelRef& ref) const;

  /// Every complete cached copy of `ref`, in the order they are used: the
  /// hub cache's snapshot, then llama.cpp's cache (for revision main).
  std::vector<std::string> FindAll(const ModelRef& ref) const;

  std::string RepoDir(const std::string& repo) const;
  std::string BlobPath(const std::string& repo, const std::string& sha256) const;
  std::string IncompletePath(const std::string& repo, const std::string& sha256) const;

  /// Records a complete blob: links snapshots/COMMIT/FILE to it and writes
  /// refs/REVISION, each atomically (temporary name, then rename).
  Status Commit(const ModelRef& ref, const std::string& commit, const std::string& sha256) const;

  /// Removes the snapshot link for `ref` and its blob when no other snapshot
  /// uses it. Fails with kNotFound when it is not cached.
  Status Remove(const ModelRef& ref) const;

  struct Installed {
    std::string repo, file, path;
    uint64_t bytes;
  };
  /// Every cached .gguf file (in the hub cache and llama.cpp's).
  std::vector<Installed> List() const;

  const std::string& hub_dir() const { return hub_dir_; }

 private:
  std::string hub_dir_;
  std::string llama_cache_;
};

}  // namespace cmdai
