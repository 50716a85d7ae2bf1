// SPDX-License-Identifier: MIT
// CurlLibrary: libcurl's functions, loaded (dlopen) the first time an HTTP
// exchange needs them. Linked normally, libcurl and its ~25 libraries
// (TLS, Kerberos, LDAP, ...) load on every start: ~5 ms on a 2-core VM,
// half of `cmdai --version`, and paid again by every client of `cmdai serve`
// that never speaks HTTP. The headers are still libcurl's own, and libcurl
// keeps its ABI within a soname, so the calls are the linked ones.
//
// Thread-safety: Curl() may be called from several threads; the first call
// loads, the others wait for it. Ownership: the library stays loaded until
// the process exits (libcurl holds global state that must not be unloaded).
#pragma once

#include <curl/curl.h>

#include <ctime>
#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai::net {

/// The libcurl calls cmdai makes, each named after its curl_ function.
struct CurlApi {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);
  time_t (*getdate)(const char* text, const time_t* unused);
};

/// The library names tried, in order: the file cmdai was built against, then
/// the platform's usual names (libcurl.so.4, libcurl-gnutls.so.4, or
/// libcurl.4.dylib on macOS).
std::vector<std::string> CurlLibraryNames();

/// Loads libcurl from the first of `names` that opens and has every call.
/// Fails (kNetwork) naming the last loader error and what to install.
/// Cost: a dlopen of libcurl's dependency chain (~5 ms).
Result<CurlApi> LoadCurl(const std::vector<std::string>& names);

/// libcurl for this process: LoadCurl(CurlLibraryNames()) on the first call,
/// then the same result (a failure too) without trying again.
const Result<CurlApi>& Curl();

}  // namespace cmdai::net
