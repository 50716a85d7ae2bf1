// SPDX-License-Identifier: MIT
// Downloader: fetches a model file from the Hugging Face hub (or a mirror)
// into the hub cache, resumably and verified. Nothing partial or unverified
// is ever placed where a model is looked up.
//
//   1. GET {endpoint}/{repo}/resolve/{revision}/{file} without following the
//      redirect: the hub answers with X-Repo-Commit, X-Linked-Size and
//      X-Linked-Etag (the file's SHA-256), and Location (the storage URL).
//   2. Under a lock (blobs/SHA.lock), unless the blob already exists: check
//      free space, say in one note what is coming (model, size, where), then
//      GET the file into blobs/SHA.incomplete, continuing with Range after
//      any interruption. Both requests go through src/net and retry by its
//      rules (no connection, a stall, 429 honouring Retry-After, 5xx), each
//      retry with a note.
//   3. Verify size and SHA-256; rename into place; link the snapshot.
//
// Thread-safety: one Download at a time per object; processes coordinate
// through the lock file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "models/catalog.h"
#include "models/hub_cache.h"

namespace cmdai {

struct DownloadOptions {
  std::string endpoint = "https://huggingface.co";  // HF_ENDPOINT
  std::string token;                                // HF_TOKEN; sent to the endpoint only
  int connect_timeout_s = 10;
  int stall_timeout_s = 30;  // no byte for this long: the attempt is abandoned and retried
  int max_attempts = 5;      // per step (metadata, file), the first included
  int backoff_ms = 500;      // first retry delay; doubles each time with jitter, capped (net::RetryPolicy)
  /// Called with (bytes done, bytes total) about 10 times a second.
  std::function<void(uint64_t, uint64_t)> progress;
  /// One-line notes: what is about to be downloaded (model, size, where),
  /// each retry and why, waiting for another process.
  std::function<void(const std::string&)> note;
};

/// Downloads `ref` into `cache` and returns the usable path. Fails with
/// kNotFound (404: no such repo, file or revision), kPermission (401/403),
/// kNetwork (cannot connect, timeouts after retries), kChecksum (the bytes
/// do not match the hub's SHA-256: the file is deleted), kDiskFull,
/// kInterrupted (its message says whether a partial file was kept for
/// resuming, or nothing arrived), kIo.
Result<std::string> Download(const ModelRef& ref, const HubCache& cache, const DownloadOptions& options);

}  // namespace cmdai
