// SPDX-License-Identifier: MIT
// PrefixCache: the prompt-state cache on disk. The state llama.cpp holds
// after the fixed prompt prefix (system message and template) is saved under
// a key made of the model's identity and the prefix's tokens, restored by
// later processes, and trusted only when the file holds exactly those tokens.
// A cache may be bounded: then it keeps its most recently used files only
// (the per-directory states, one per working directory, would grow without end).
//
// Internal to src/backends (it speaks llama.cpp's types). Thread-safety: one
// thread at a time per context; several processes may share the directory
// (writes are atomic renames). Ownership: borrows the context it is given.
#pragma once

#include <llama.h>

#include <string>
#include <vector>

namespace cmdai::detail {

class PrefixCache {
 public:
  /// `dir`: where state files live ("" turns the cache off). `identity`:
  /// what else the state depends on (model file, size, mtime, device,
  /// settings); part of every key. `max_files`: 0 for no bound; otherwise
  /// Save keeps at most this many state files in `dir` (whatever their
  /// identity), removing the least recently used (oldest mtime; Restore
  /// marks a file used), so `dir` must hold this cache's files alone.
  PrefixCache(std::string dir, std::string identity, size_t max_files = 0)
      : dir_(std::move(dir)), identity_(std::move(identity)), max_files_(max_files) {}

  bool enabled() const { return !dir_.empty(); }

  /// The file for `prefix`: DIR/<hash of identity and tokens>.state. A
  /// different model, setting or prefix gives a different file.
  std::string Key(const std::vector<llama_token>& prefix) const;

  /// Loads the state saved for `prefix` into sequence 0 of `ctx`. True only
  /// when the file exists, holds exactly `prefix`'s tokens and a state of the
  /// size it declares, and llama.cpp takes that state. A stale, foreign,
  /// truncated or corrupt file is never trusted (nor handed to llama.cpp's
  /// file loader, which aborts on a short file): it is removed and the
  /// context's memory cleared. When there is no file at all, `ctx` is left
  /// untouched. Cost: reading the file.
  bool Restore(llama_context* ctx, const std::vector<llama_token>& prefix) const;

  /// Saves sequence 0's state (which holds `prefix`) atomically: a temporary
  /// file, then a rename, so a reader never sees half a file. False when it
  /// cannot (no directory, disk full); a failure only costs speed. In a
  /// bounded cache it then removes the least recently used files beyond the
  /// bound (cost: listing `dir`). Cost: copying the state out of llama.cpp
  /// and writing it (a few MB for a 1.5B model: milliseconds, page cache).
  bool Save(llama_context* ctx, const std::vector<llama_token>& prefix) const;

 private:
  void Prune(const std::string& keep) const;

  std::string dir_;
  std::string identity_;
  size_t max_files_ = 0;
};

}  // namespace cmdai::detail
