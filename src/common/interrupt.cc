// SPDX-License-Identifier: MIT
#include "common/interrupt.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>

namespace cmdai {
namespace {

// The one mutable global besides the logger (STYLE.md §12): a lock-free
// atomic is the only thing a signal handler may safely touch.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnSignal(int) { g_interrupted.store(true, std::memory_order_relaxed); }

}  // namespace

void InstallInterruptHandler() {
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A hung-up terminal or Ctrl-\ ends the request the same way, through the
  // code that gives the terminal back its settings (raw mode, the cursor).
  sigaction(SIGHUP, &sa, nullptr);
  sigaction(SIGQUIT, &sa, nullptr);
}

bool Interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

bool SleepUnlessInterrupted(std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    if (Interrupted()) return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return true;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(25)));
  }
}

void RaiseInterruptForTest(bool value) { g_interrupted.store(value); }

}  // namespace cmdai
