// SPDX-License-Identifier: MIT
// RetryPolicy: the one set of rules for trying an HTTP exchange again, used
// by the remote backends and the model downloader alike —
//   - what is transient: no connection, a broken or stalled transfer, 429
//     and 5xx; never a total timeout (a slow server is as slow again), an
//     interrupt, a refused sink, another 4xx or a malformed request;
//   - how long to wait: the server's Retry-After (seconds or an HTTP date),
//     capped; otherwise exponential backoff with jitter, capped;
//   - waits end at once on Ctrl-C.
//
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_client.h"

namespace cmdai::net {

struct RetryPolicy {
  int max_attempts = 3;                              // attempts in all, the first included; 1 means no retry
  std::chrono::milliseconds first_delay{500};        // before the first retry; doubles each time
  std::chrono::milliseconds max_delay{8000};         // cap on the backoff
  std::chrono::milliseconds max_retry_after{60000};  // cap on a server's Retry-After
};

/// Whether another attempt may get a different answer (see the file comment).
bool IsTransient(const Exchange& exchange);

/// A Retry-After value as a wait from `now`: delta-seconds ("120") or an
/// HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT", also the RFC 850 and asctime
/// forms). A date in the past is zero. nullopt when empty or unparsable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

/// The wait before retry number `retry` (1 for the first). With a
/// Retry-After: that, capped at max_retry_after. Otherwise "equal jitter":
/// d = min(max_delay, first_delay * 2^(retry-1)), waiting d/2 + unit * d/2,
/// where `unit` in [0, 1) is the random part (a parameter, so tests can fix it).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry,
                                     std::optional<std::chrono::milliseconds> retry_after, double unit);

/// What a caller is told before each wait, to write one note line.
struct RetryNotice {
  int next_attempt = 0;  // 2 for the first retry
  int max_attempts = 0;
  std::chrono::milliseconds delay{0};
  const Exchange* failed = nullptr;  // the attempt that failed
};

/// Runs `attempt` (given the attempt number, from 1) until it returns an
/// exchange that is not transient, or the attempts run out; between tries it
/// calls `notice` (may be empty) and waits RetryDelay, with the failed
/// exchange's Retry-After. Returns the last exchange; Failure::kInterrupted
/// when Ctrl-C ends a wait. `attempt` is called from this thread only.
Exchange RunWithRetries(const RetryPolicy& policy, const std::function<Exchange(int attempt)>& attempt,
                        const std::function<void(const RetryNotice&)>& notice);

/// "in 1.5 s (attempt 2 of 3)": the tail every retry note shares.
std::string RetryTail(const RetryNotice& notice);

}  // namespace cmdai::net
