// SPDX-License-Identifier: MIT
#include "backends/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "common/interrupt.h"

namespace cmdai {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t Append(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t Header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  auto* retry_after = static_cast<std::string*>(user);
  if (line.size() > 12 && (line.rfind("Retry-After:", 0) == 0 || line.rfind("retry-after:", 0) == 0)) {
    *retry_after = line.substr(12);
    retry_after->erase(0, retry_after->find_first_not_of(' '));
    while (!retry_after->empty() && (retry_after->back() == '\r' || retry_after->back() == '\n'))
      retry_after->pop_back();
  }
  return size * n;
}

int Progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return Interrupted() ? 1 : 0; }

}  // namespace

Result<HttpResponse> HttpRequest(const std::string& url, const std::string& body, const HttpOptions& o,
                                 const std::string& what) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    curl_slist* h = nullptr;
    h = curl_slist_append(h, "Content-Type: application/json");
    for (const auto& extra : o.headers) h = curl_slist_append(h, extra.c_str());
    headers.reset(h);
    HttpResponse r;
    std::string retry_after;
    curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
    if (!body.empty()) {
      curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, Append);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, Header);
    curl_easy_setopt(c.get(), CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.connect_timeout_s));
    curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(o.total_timeout_s));
    curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(c.get(), CURLOPT_USERAGENT, "cmdai/0.1");
    const CURLcode rc = curl_easy_perform(c.get());
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &r.status);
    if (rc == CURLE_ABORTED_BY_CALLBACK || Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    const bool transient = rc != CURLE_OK ? rc != CURLE_OPERATION_TIMEDOUT  // a stall is not retried
                                          : (r.status == 429 || r.status >= 500);
    if (rc == CURLE_OK && !transient) return r;
    if (attempt + 1 >= o.max_attempts || !transient) {
      if (rc == CURLE_OPERATION_TIMEDOUT)
        return Status::Error(ErrorCode::kNetwork,
                             what + " did not answer within " + std::to_string(o.total_timeout_s) + " s",
                             "check the server's load, or raise request_timeout_s");
      if (rc != CURLE_OK)
        return Status::Error(ErrorCode::kNetwork, "cannot reach " + what + ": " + curl_easy_strerror(rc),
                             "start the server or fix its address, or use --backend embedded");
      return Status::Error(
          ErrorCode::kNetwork,
          what + " answered HTTP " + std::to_string(r.status) + " after " + std::to_string(attempt + 1) + " attempts",
          r.status == 429 ? "the server is rate-limiting; try again later" : "check the server's log");
    }
    int ms = std::min(o.backoff_ms << std::min(attempt, 4), 4000);
    if (!retry_after.empty() && std::isdigit(static_cast<unsigned char>(retry_after[0])))
      ms = std::min(std::atoi(retry_after.c_str()) * 1000, 30000);
    if (o.note)
      o.note("retrying " + what + " in " + std::to_string(ms) + " ms (" +
             (rc != CURLE_OK ? std::string(curl_easy_strerror(rc)) : "HTTP " + std::to_string(r.status)) + ")");
    for (int waited = 0; waited < ms; waited += 25) {
      if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
}

}  // namespace cmdai
