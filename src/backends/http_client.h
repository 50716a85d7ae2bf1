// SPDX-License-Identifier: MIT
// HttpClient: JSON over HTTP for the remote backends — connect and total
// timeouts, retries with backoff for connection errors, 429 (honouring
// Retry-After) and 5xx, none for other 4xx, and Ctrl-C cancelling at once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai {

struct HttpOptions {
  int connect_timeout_s = 5;
  int total_timeout_s = 60;  // whole request, including generation on the server
  int max_attempts = 3;
  int backoff_ms = 250;                          // doubles per retry, capped at 4 s; Retry-After wins
  std::vector<std::string> headers;              // "Name: value"
  std::function<void(const std::string&)> note;  // one line per retry
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

/// Sends `body` (POST, when non-empty) or GET to `url`. Returns the final
/// response for any HTTP status (the caller interprets 4xx), or fails with
/// kNetwork (cannot connect, timed out, 5xx/429 after retries) or
/// kInterrupted. `what` names the server in messages ("Ollama at …").
Result<HttpResponse> HttpRequest(const std::string& url, const std::string& body, const HttpOptions& options,
                                 const std::string& what);

}  // namespace cmdai
