// SPDX-License-Identifier: MIT
// The rules of net/retry_policy.h and the loop that applies them.
#include "net/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

#include "common/interrupt.h"
#include "net/curl_library.h"

namespace cmdai::net {

using std::chrono::milliseconds;

bool IsTransient(const Exchange& ex) {
  switch (ex.failure) {
    case Failure::kConnect:
    case Failure::kTransport:
    case Failure::kStalled: return true;
    case Failure::kNone: return ex.status == 429 || ex.status >= 500;
    default: return false;
  }
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  std::string v(value);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  v.erase(0, std::min(v.size(), v.find_first_not_of(" \t")));
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (v.size() > 9) return milliseconds(std::chrono::hours(24 * 365));  // absurdly long: the cap decides
    return milliseconds(std::stoll(v) * 1000);
  }
  // curl_getdate knows the three forms RFC 9110 §5.6.7 allows.
  const auto& curl = Curl();
  if (!curl.ok()) return std::nullopt;
  const time_t when = curl->getdate(v.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(when);
  if (at <= now) return milliseconds(0);
  return std::chrono::duration_cast<milliseconds>(at - now);
}

milliseconds RetryDelay(const RetryPolicy& p, int retry, std::optional<milliseconds> retry_after, double unit) {
  if (retry_after) return std::min(*retry_after, p.max_retry_after);
  const int doublings = std::clamp(retry - 1, 0, 20);
  const milliseconds full = std::min(p.max_delay, p.first_delay * (int64_t{1} << doublings));
  unit = std::clamp(unit, 0.0, 1.0);
  return full / 2 + milliseconds(static_cast<int64_t>(unit * static_cast<double>((full / 2).count())));
}

Exchange RunWithRetries(const RetryPolicy& policy, const std::function<Exchange(int)>& attempt,
                        const std::function<void(const RetryNotice&)>& notice) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int n = 1;; ++n) {
    Exchange ex = attempt(n);
    if (!IsTransient(ex) || n >= policy.max_attempts) return ex;
    const auto retry_after = ParseRetryAfter(ex.Header("retry-after"), std::chrono::system_clock::now());
    RetryNotice note;
    note.next_attempt = n + 1;
    note.max_attempts = policy.max_attempts;
    note.delay = RetryDelay(policy, n, retry_after, unit(rng));
    note.failed = &ex;
    if (notice) notice(note);
    if (!SleepUnlessInterrupted(note.delay)) {
      Exchange stopped;
      stopped.failure = Failure::kInterrupted;
      stopped.detail = "interrupted";
      return stopped;
    }
  }
}

std::string RetryTail(const RetryNotice& n) {
  char delay[32];
  std::snprintf(delay, sizeof(delay), "%.1f s", static_cast<double>(n.delay.count()) / 1000.0);
  return std::string("in ") + delay + " (attempt " + std::to_string(n.next_attempt) + " of " +
         std::to_string(n.max_attempts) + ")";
}

}  // namespace cmdai::net
