// SPDX-License-Identifier: MIT
#include "ground/cache.h"

#include "common/hash.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cmdai::ground {
namespace {

constexpr const char* kMagic = "cmdai-probe 1";

using Clock = std::chrono::steady_clock;

bool ReadEntry(const std::string& file, ProbeResult& r) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string magic;
  if (!std::getline(in, magic) || magic != kMagic) return false;
  int started = 0, timed_out = 0, truncated = 0, exit_code = -1;
  size_t size = 0;
  std::string header;
  if (!std::getline(in, header)) return false;
  if (std::sscanf(header.c_str(), "%d %d %d %d %zu", &started, &timed_out, &truncated, &exit_code, &size) != 5)
    return false;
  if (size > (16u << 20)) return false;
  r.output.resize(size);
  if (size > 0 && !in.read(r.output.data(), static_cast<std::streamsize>(size))) return false;
  r.started = started != 0;
  r.timed_out = timed_out != 0;
  r.truncated = truncated != 0;
  r.exit_code = exit_code;
  return true;
}

void WriteEntry(const std::string& dir, const std::string& file, const ProbeResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return;
  chmod(dir.c_str(), 0700);
  const std::string tmp = file + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << kMagic << "\n"
        << (r.started ? 1 : 0) << " " << (r.timed_out ? 1 : 0) << " " << (r.truncated ? 1 : 0) << " " << r.exit_code
        << " " << r.output.size() << "\n";
    out.write(r.output.data(), static_cast<std::streamsize>(r.output.size()));
    if (!out.flush()) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

std::string ProbeCache::Identity(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);  // through symbolic links: the program itself
  if (ec) return "";
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return "";
  return path + "|" + std::to_string(size) + "|" + std::to_string(mtime.time_since_epoch().count());
}

ProbeResult ProbeCache::Get(const std::string& program, const std::vector<std::string>& args, const std::string& argv0,
                            const ProbeLimits& limits, const std::string& salt) {
  const std::string identity = Identity(program);
  if (identity.empty()) return {};
  std::string key_text = std::string(kMagic) + "\n" + identity + "\n" + argv0 + "\n" + salt;
  for (const auto& a : args) key_text += "\n" + a;
  const std::string key = HashHex(key_text);
  if (auto it = memory_.find(key); it != memory_.end()) {
    ++stats_.memory_hits;
    return it->second;
  }
  ProbeResult r;
  const std::string file = dir_.empty() ? "" : dir_ + "/" + key;
  if (!file.empty() && ReadEntry(file, r)) {
    ++stats_.disk_hits;
    memory_[key] = r;
    return r;
  }
  const auto start = Clock::now();
  r = RunProbe(program, args, limits, argv0);
  stats_.run_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  ++stats_.runs;
  memory_[key] = r;
  // Kept when it ran to its end. One that ran out of time (a cold disk, a
  // busy machine) is tried again next time; one that could not start, too.
  if (r.started && !r.timed_out && !file.empty()) WriteEntry(dir_, file, r);
  return r;
}

}  // namespace cmdai::ground
