// SPDX-License-Identifier: MIT
// PrefixCache: the prompt-state cache on disk. The state llama.cpp holds
// after the fixed prompt prefix (system message and template) is saved under
// a key made of the model's identity and the prefix's tokens, restored by
// later processes, and trusted only when the file holds exactly those tokens.
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
  /// settings); part of every key.
  PrefixCache(std::string dir, std::string identity) : dir_(std::move(dir)), identity_(std::move(identity)) {}

  bool enabled() const { return !dir_.empty(); }

  /// The file for `prefix`: DIR/<hash of identity and tokens>.state. A
  /// different model, setting or prefix gives a different file.
  std::string Key(const std::vector<llama_token>& prefix) const;

  /// Loads the state saved for `prefix` into sequence 0 of `ctx`. True only
  /// when the file exists, holds exactly `prefix`'s tokens and a state of the
  /// size it declares, and llama.cpp takes that state. A stale, foreign,
  /// truncated or corrupt file is never trusted (nor handed to llama.cpp's
  /// file loader, which aborts on a short file): it is removed and the
  /// context's memory cleared. Cost: reading the file.
  bool Restore(llama_context* ctx, const std::vector<llama_token>& prefix) const;

  /// Saves sequence 0's state (which holds `prefix`) atomically: a temporary
  /// file, then a rename, so a reader never sees half a file. False when it
  /// cannot (no directory, disk full); a failure only costs speed.
  bool Save(llama_context* ctx, const std::vector<llama_token>& prefix) const;

 private:
  std::string dir_;
  std::string identity_;
};

}  // namespace cmdai::detail
