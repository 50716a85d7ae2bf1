// SPDX-License-Identifier: MIT
// HashHex: FNV-1a twice, for cache file names (see hash.h).
#include "common/hash.h"

#include <cstdint>
#include <cstdio>

namespace cmdai {

std::string HashHex(const std::string& s) {
  auto fnv = [&](uint64_t h) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
  };
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(fnv(1469598103934665603ULL)),
                static_cast<unsigned long long>(fnv(0x9e3779b97f4a7c15ULL)));
  return buf;
}

}  // namespace cmdai
