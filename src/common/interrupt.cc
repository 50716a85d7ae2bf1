// SPDX-License-Identifier: MIT
#include "common/interrupt.h"

#include <atomic>
#include <csignal>

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
}

bool Interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

void RaiseInterruptForTest(bool value) { g_interrupted.store(value); }

}  // namespace cmdai
