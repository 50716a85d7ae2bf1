// SPDX-License-Identifier: MIT
#include "ui/spinner.h"

#include "ui/terminal.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace cmdai::ui {

Spinner::Spinner(bool active, std::string label) : label_(std::move(label)) {
  if (!active) return;
  running_ = true;
  const bool utf8 = Terminal::Utf8Locale();
  if (!utf8)  // "thinking…" reads "thinking..." where UTF-8 would be garbage
    for (size_t at; (at = label_.find("…")) != std::string::npos;) label_.replace(at, 3, "...");
  thread_ = std::thread([this, utf8] {
    static const char* kUtf8Frames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    static const char* kAsciiFrames[] = {"|", "/", "-", "\\", "|", "/", "-", "\\", "|", "/"};
    const char* const* kFrames = utf8 ? kUtf8Frames : kAsciiFrames;
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
