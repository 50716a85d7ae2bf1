// SPDX-License-Identifier: MIT
// HttpClient: one HTTP exchange over libcurl — GET, HEAD or POST, optional
// redirects and Range, connect, total and stall deadlines, Ctrl-C, and the
// body kept whole or streamed to a sink. It never waits or retries: that is
// net/retry_policy.h, so each caller decides what an attempt is.
//
// Thread-safety: Perform may run on several threads at once; each call uses
// its own libcurl handle. Cost: one connection per call (no reuse).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cmdai::net {

struct HttpRequest {
  std::string method = "GET";        // GET, HEAD or POST
  std::string url;                   // http:// or https://
  std::string body;                  // sent with POST
  std::vector<std::string> headers;  // "Name: value"
  bool follow_redirects = false;     // up to 5 hops
  uint64_t range_from = 0;           // > 0: ask for the bytes from this offset on (Range: bytes=N-)
  int connect_timeout_s = 10;
  int total_timeout_s = 0;  // the whole exchange, including the server's thinking; 0: no limit
  int stall_timeout_s = 0;  // no byte (header or body) received for this long; 0: no limit
};

/// What stopped an exchange before a whole response arrived.
enum class Failure {
  kNone,         // a complete response (any HTTP status)
  kConnect,      // no connection: refused, unresolvable, connect timeout, TLS handshake
  kTransport,    // the connection broke or the response was cut short
  kStalled,      // nothing arrived for stall_timeout_s
  kTimeout,      // total_timeout_s passed while the server was still working
  kInterrupted,  // Ctrl-C (common/interrupt.h)
  kSink,         // the body sink refused (for example, the disk is full)
  kOther,        // anything else libcurl reports (bad URL, certificate, …)
};

/// Response headers by lower-case name (the last value of a repeated one).
using Headers = std::map<std::string, std::string>;

struct Exchange {
  Failure failure = Failure::kNone;
  std::string detail;       // libcurl's words for a failure ("Couldn't connect to server")
  long status = 0;          // of the final response; 0 when none arrived
  Headers headers;          // of the final response (after redirects)
  std::string body;         // the body; with a sink, only an error (non-2xx) response's first 64 KiB
  uint64_t body_bytes = 0;  // body bytes of a 2xx response that went to the sink or `body`

  bool ok() const { return failure == Failure::kNone; }
  /// The header's value, or "" when absent.
  std::string Header(const std::string& lower_case_name) const;
};

/// Receives a 2xx body as it arrives, instead of keeping it in memory.
struct BodySink {
  /// Called once with the final status before the first body byte; false
  /// abandons the transfer (Failure::kSink). Optional.
  std::function<bool(long status)> start;
  /// Each piece of the body, in order; false stops (Failure::kSink).
  std::function<bool(std::string_view piece)> write;
};

/// Performs `request`. Never throws; every outcome is in the Exchange. A
/// non-2xx status is not a failure here (the caller reads `status`).
/// `sink` may be null (the body goes to Exchange::body); it must outlive the call.
Exchange Perform(const HttpRequest& request, const BodySink* sink = nullptr);

/// A short description of what went wrong, for messages: "HTTP 503",
/// "no data for 30 s", "Couldn't connect to server"; "" for a 2xx/3xx.
std::string Describe(const Exchange& exchange, const HttpRequest& request);

}  // namespace cmdai::net
