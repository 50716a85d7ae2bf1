// SPDX-License-Identifier: MIT
// The libcurl side of net/http_client.h: handle set-up, header parsing, the
// body's route (sink or memory), and the stall and Ctrl-C checks that run in
// libcurl's progress callback.
#include "net/http_client.h"

#include <cctype>
#include <chrono>
#include <memory>

#include "common/interrupt.h"
#include "net/curl_library.h"

namespace cmdai::net {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxErrorBody = 64 * 1024;

struct CurlDeleter {
  void operator()(CURL* c) const { Curl()->easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { Curl()->slist_free_all(l); }
};

// What the callbacks share during one Perform.
struct State {
  const HttpRequest* request = nullptr;
  const BodySink* sink = nullptr;
  Exchange* exchange = nullptr;
  Clock::time_point last_byte = Clock::now();
  bool started = false;  // the sink's start() was called (or would have been)
  bool stalled = false;
  bool interrupted = false;
  bool sink_refused = false;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<State*>(user);
  st->last_byte = Clock::now();
  const std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect or 100 Continue)
    st->exchange->headers.clear();
    const size_t sp = line.find(' ');
    st->exchange->status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string key = line.substr(0, colon);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  st->exchange->headers[key] = Trim(line.substr(colon + 1));
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<State*>(user);
  const size_t bytes = size * n;
  st->last_byte = Clock::now();
  Exchange& ex = *st->exchange;
  const bool success = ex.status >= 200 && ex.status < 300;
  if (!st->sink || !success) {  // kept in memory; an error body only as far as a message needs
    if (st->sink && ex.body.size() >= kMaxErrorBody) return bytes;
    ex.body.append(data, bytes);
    if (success) ex.body_bytes += bytes;
    return bytes;
  }
  if (!st->started) {
    st->started = true;
    if (st->sink->start && !st->sink->start(ex.status)) {
      st->sink_refused = true;
      return 0;  // makes libcurl fail with CURLE_WRITE_ERROR
    }
  }
  if (!st->sink->write(std::string_view(data, bytes))) {
    st->sink_refused = true;
    return 0;
  }
  ex.body_bytes += bytes;
  return bytes;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* st = static_cast<State*>(user);
  if (Interrupted()) {
    st->interrupted = true;
    return 1;
  }
  const int stall = st->request->stall_timeout_s;
  if (stall > 0 && Clock::now() - st->last_byte > std::chrono::seconds(stall)) {
    st->stalled = true;
    return 1;
  }
  return 0;
}

Failure Classify(const CurlApi& curl, CURLcode rc, const State& st, CURL* c) {
  switch (rc) {
    case CURLE_OK: return Failure::kNone;
    case CURLE_ABORTED_BY_CALLBACK: return st.stalled ? Failure::kStalled : Failure::kInterrupted;
    case CURLE_WRITE_ERROR: return st.sink_refused ? Failure::kSink : Failure::kOther;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR: return Failure::kConnect;
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected_us = 0;  // 0: the connection was never made
      curl.easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected_us);
      return connected_us == 0 ? Failure::kConnect : Failure::kTimeout;
    }
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return Failure::kTransport;
    default: return Failure::kOther;
  }
}

}  // namespace

std::string Exchange::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

Exchange Perform(const HttpRequest& r, const BodySink* sink) {
  Exchange ex;
  if (Interrupted()) {
    ex.failure = Failure::kInterrupted;
    return ex;
  }
  const auto& loaded = Curl();  // loads libcurl on the first exchange
  if (!loaded.ok()) {
    ex.failure = Failure::kOther;
    ex.detail = loaded.status().message() + "; " + loaded.status().hint();
    return ex;
  }
  const CurlApi& curl = loaded.value();
  State st;
  st.request = &r;
  st.sink = sink;
  st.exchange = &ex;

  std::unique_ptr<CURL, CurlDeleter> handle(curl.easy_init());
  CURL* c = handle.get();
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& h : r.headers) {
    curl_slist* grown = curl.slist_append(headers.get(), h.c_str());
    if (grown) {
      (void)headers.release();  // curl_slist_append returned the same list, now longer
      headers.reset(grown);
    }
  }
  curl.easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (r.method == "HEAD") curl.easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (r.method == "POST") {
    curl.easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
    curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  if (r.follow_redirects) {
    curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  }
  const std::string range = std::to_string(r.range_from) + "-";
  if (r.range_from > 0) curl.easy_setopt(c, CURLOPT_RANGE, range.c_str());
  curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(r.connect_timeout_s));
  curl.easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(r.total_timeout_s));
  curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl.easy_setopt(c, CURLOPT_HEADERDATA, &st);
  curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl.easy_setopt(c, CURLOPT_WRITEDATA, &st);
  curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl.easy_setopt(c, CURLOPT_XFERINFODATA, &st);
  curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: cmdai owns its signals
  curl.easy_setopt(c, CURLOPT_USERAGENT, "cmdai/0.1");

  const CURLcode rc = curl.easy_perform(c);
  ex.failure = Classify(curl, rc, st, c);
  if (Interrupted()) ex.failure = Failure::kInterrupted;  // whatever else happened, Ctrl-C wins
  if (!ex.ok()) ex.detail = curl.easy_strerror(rc);
  return ex;
}

std::string Describe(const Exchange& ex, const HttpRequest& r) {
  switch (ex.failure) {
    case Failure::kNone: return ex.status >= 400 ? "HTTP " + std::to_string(ex.status) : "";
    case Failure::kStalled: return "no data for " + std::to_string(r.stall_timeout_s) + " s";
    case Failure::kTimeout: return "no answer within " + std::to_string(r.total_timeout_s) + " s";
    case Failure::kInterrupted: return "interrupted";
    default: return ex.detail;
  }
}

}  // namespace cmdai::net
