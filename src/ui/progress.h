// SPDX-License-Identifier: MIT
// Progress: a download's bytes, percentage, speed and time left, redrawn in
// place on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cmdai::ui {

/// "512.0 MiB / 1.0 GiB  50%  12.5 MiB/s  0:41 left"
std::string ProgressLine(uint64_t done, uint64_t total, double bytes_per_s);

class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}
  /// Redraws the line on stderr (call only on a terminal).
  void Update(uint64_t done, uint64_t total);
  /// Ends the line.
  void Finish();

 private:
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  uint64_t first_done_ = UINT64_MAX;
  bool drawn_ = false;
};

/// Human-readable size: "1.1 GiB", "398.0 MiB", "512 B".
std::string Bytes(uint64_t n);

}  // namespace cmdai::ui
