// SPDX-License-Identifier: MIT
#include "ui/spinner.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace cmdai::ui {

Spinner::Spinner(bool active, std::string label) : label_(std::move(label)) {
  if (!active) return;
  running_ = true;
  thread_ = std::thread([this] {
    static const char* kFrames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; running_; ++i) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char line[256];
      const int n =
          std::snprintf(line, sizeof(line), "\r\033[K\033[2m%s %s %.1fs\033[0m", kFrames[i % 10], label_.c_str(), s);
      if (n > 0) (void)!write(STDERR_FILENO, line, static_cast<size_t>(std::min(n, 255)));
      for (int k = 0; k < 10 && running_; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    (void)!write(STDERR_FILENO, "\r\033[K", 4);
  });
}

void Spinner::Stop() {
  if (!running_) return;
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

Spinner::~Spinner() { Stop(); }

}  // namespace cmdai::ui
