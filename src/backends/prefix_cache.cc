// SPDX-License-Identifier: MIT
// PrefixCache: keys, atomic saves and verified restores of prompt states
// (see prefix_cache.h).
#include "backends/prefix_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>
#include <vector>

#include "common/hash.h"

namespace cmdai::detail {
namespace {

// The file: this magic, the token count (u32), the tokens, the state's size
// (u64) and the state as llama_state_seq_get_data writes it; native byte
// order, as the file never leaves this machine's cache.
constexpr char kMagic[] = "cmdai-prefix-state-1\n";

}  // namespace

std::string PrefixCache::Key(const std::vector<llama_token>& prefix) const {
  std::string key_text = identity_ + "|";
  for (llama_token t : prefix) key_text += std::to_string(t) + ",";
  return dir_ + "/" + cmdai::HashHex(key_text) + ".state";
}

bool PrefixCache::Restore(llama_context* ctx, const std::vector<llama_token>& prefix) const {
  if (!enabled() || prefix.empty()) return false;
  const std::string file = Key(prefix);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return false;
  // Verified before llama.cpp sees a byte: its own loader trusts the file's
  // size and aborts the process on a truncated state.
  const auto file_size = std::filesystem::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  char magic[sizeof(kMagic) - 1] = {};
  uint32_t n_tokens = 0;
  uint64_t n_state = 0;
  std::vector<llama_token> stored;
  std::vector<uint8_t> state;
  bool ok = !ec && in.read(magic, sizeof(magic)) && std::memcmp(magic, kMagic, sizeof(magic)) == 0 &&
            in.read(reinterpret_cast<char*>(&n_tokens), sizeof(n_tokens)) && n_tokens == prefix.size();
  if (ok) {
    stored.resize(n_tokens);
    ok =
        in.read(reinterpret_cast<char*>(stored.data()), static_cast<std::streamsize>(n_tokens * sizeof(llama_token))) &&
        stored == prefix && in.read(reinterpret_cast<char*>(&n_state), sizeof(n_state)) &&
        n_state == file_size - static_cast<uint64_t>(in.tellg());
  }
  if (ok) {
    state.resize(n_state);
    ok = in.read(reinterpret_cast<char*>(state.data()), static_cast<std::streamsize>(n_state)) &&
         llama_state_seq_set_data(ctx, state.data(), state.size(), 0) > 0;
  }
  if (ok) {
    // Used now: a bounded cache removes the least recently used first.
    if (max_files_ > 0) std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now(), ec);
    return true;
  }
  // Stale, foreign or corrupt: never trusted; removed, so that the caller rebuilds it.
  llama_memory_clear(llama_get_memory(ctx), true);
  std::filesystem::remove(file, ec);
  return false;
}

bool PrefixCache::Save(llama_context* ctx, const std::vector<llama_token>& prefix) const {
  if (!enabled() || prefix.empty()) return false;
  std::vector<uint8_t> state(llama_state_seq_get_size(ctx, 0));
  state.resize(llama_state_seq_get_data(ctx, state.data(), state.size(), 0));
  if (state.empty()) return false;
  const std::string file = Key(prefix);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return false;
  const std::string tmp = file + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const uint32_t n_tokens = static_cast<uint32_t>(prefix.size());
    const uint64_t n_state = state.size();
    out.write(kMagic, sizeof(kMagic) - 1);
    out.write(reinterpret_cast<const char*>(&n_tokens), sizeof(n_tokens));
    out.write(reinterpret_cast<const char*>(prefix.data()),
              static_cast<std::streamsize>(prefix.size() * sizeof(llama_token)));
    out.write(reinterpret_cast<const char*>(&n_state), sizeof(n_state));
    out.write(reinterpret_cast<const char*>(state.data()), static_cast<std::streamsize>(state.size()));
    out.close();
    if (out) {
      std::filesystem::rename(tmp, file, ec);
      if (!ec) {
        if (max_files_ > 0) Prune(file);
        return true;
      }
    }
  }
  std::filesystem::remove(tmp, ec);
  return false;
}

void PrefixCache::Prune(const std::string& keep) const {
  // Only finished state files count; another process's temporary is left to
  // its rename. A file another process removes meanwhile is simply skipped.
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
  for (auto it = std::filesystem::directory_iterator(dir_, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() != ".state" || path == std::filesystem::path(keep)) continue;
    std::error_code time_ec;
    const auto mtime = std::filesystem::last_write_time(path, time_ec);
    if (!time_ec) files.emplace_back(mtime, path);
  }
  if (files.size() + 1 <= max_files_) return;
  std::sort(files.begin(), files.end());  // oldest first
  for (size_t i = 0; i + max_files_ < files.size() + 1; ++i) std::filesystem::remove(files[i].second, ec);
}

}  // namespace cmdai::detail
