// SPDX-License-Identifier: MIT
// CurlLibrary: libcurl loaded on first use (see curl_library.h).
#include "net/curl_library.h"

#include <dlfcn.h>

namespace cmdai::net {
namespace {

// Casts dlsym's object pointer to a function pointer: POSIX guarantees it
// round-trips, C++ calls it conditionally supported.
template <typename Fn>
bool Bind(void* library, const char* name, Fn& out) {
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) return false;
  out = reinterpret_cast<Fn>(symbol);
  return true;
}

}  // namespace

std::vector<std::string> CurlLibraryNames() {
  std::vector<std::string> names;
#ifdef CMDAI_CURL_LIBRARY
  names.emplace_back(CMDAI_CURL_LIBRARY);  // the one found at build time (CMakeLists.txt)
#endif
#ifdef __APPLE__
  names.insert(names.end(), {"libcurl.4.dylib", "/usr/lib/libcurl.4.dylib", "libcurl.dylib"});
#else
  names.insert(names.end(), {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"});
#endif
  return names;
}

Result<CurlApi> LoadCurl(const std::vector<std::string>& names) {
  std::string last_error = "no library name to try";
  for (const auto& name : names) {
    void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* e = dlerror();
      last_error = e != nullptr ? e : name + ": cannot be opened";
      continue;
    }
    CurlApi api{};
    if (Bind(library, "curl_global_init", api.global_init) && Bind(library, "curl_easy_init", api.easy_init) &&
        Bind(library, "curl_easy_cleanup", api.easy_cleanup) && Bind(library, "curl_easy_setopt", api.easy_setopt) &&
        Bind(library, "curl_easy_perform", api.easy_perform) && Bind(library, "curl_easy_getinfo", api.easy_getinfo) &&
        Bind(library, "curl_easy_strerror", api.easy_strerror) &&
        Bind(library, "curl_slist_append", api.slist_append) &&
        Bind(library, "curl_slist_free_all", api.slist_free_all) && Bind(library, "curl_getdate", api.getdate))
      return api;  // stays loaded for the process's life
    last_error = name + " is not libcurl (a call is missing)";
    dlclose(library);
  }
  return Status::Error(ErrorCode::kNetwork, "libcurl could not be loaded (" + last_error + ")",
                       "install libcurl (Debian/Ubuntu: apt-get install libcurl4; Fedora: dnf install libcurl; "
                       "macOS has it)");
}

const Result<CurlApi>& Curl() {
  // A function-local static is initialised once, thread-safely; so is
  // curl_global_init, which is not thread-safe itself.
  static const Result<CurlApi> curl = [] {
    auto api = LoadCurl(CurlLibraryNames());
    if (api.ok()) api->global_init(CURL_GLOBAL_DEFAULT);
    return api;
  }();
  return curl;
}

}  // namespace cmdai::net
