// SPDX-License-Identifier: MIT
#include "ui/progress.h"

#include <unistd.h>

#include <cstdio>

namespace cmdai::ui {

std::string Bytes(uint64_t n) {
  char buf[32];
  if (n < 1024)
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(n));
  else if (n < (1ull << 20))
    std::snprintf(buf, sizeof(buf), "%.1f KiB", n / 1024.0);
  else if (n < (1ull << 30))
    std::snprintf(buf, sizeof(buf), "%.1f MiB", n / 1048576.0);
  else
    std::snprintf(buf, sizeof(buf), "%.1f GiB", n / 1073741824.0);
  return buf;
}

std::string ProgressLine(uint64_t done, uint64_t total, double rate) {
  std::string s = Bytes(done) + " / " + Bytes(total);
  char buf[96];
  if (total > 0) {
    std::snprintf(buf, sizeof(buf), "  %3d%%",
                  static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)));
    s += buf;
  }
  if (rate > 0) {
    s += "  " + Bytes(static_cast<uint64_t>(rate)) + "/s";
    if (total > done) {
      const long left = static_cast<long>(static_cast<double>(total - done) / rate);
      std::snprintf(buf, sizeof(buf), "  %ld:%02ld left", left / 60, left % 60);
      s += buf;
    }
  }
  return s;
}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (first_done_ == UINT64_MAX) first_done_ = done;  // resumed bytes do not count toward speed
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0.5 ? static_cast<double>(done - first_done_) / secs : 0;
  const std::string line = "\r\033[K" + label_ + "  " + ProgressLine(done, total, rate);
  (void)!write(STDERR_FILENO, line.data(), line.size());
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (drawn_) (void)!write(STDERR_FILENO, "\n", 1);
  drawn_ = false;
}

}  // namespace cmdai::ui
