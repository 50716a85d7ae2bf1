// SPDX-License-Identifier: MIT
// CurlLibrary: libcurl found and bound on first use; a missing or wrong
// library is an error that says what to install, never a crash.
#include "net/curl_library.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cmdai::net {
namespace {

TEST(CurlLibrary, LoadsTheLibraryItWasBuiltAgainstAndItsCallsWork) {
  const auto& curl = Curl();
  ASSERT_TRUE(curl.ok()) << curl.status().ToString();
  // The words differ between curl versions ("Couldn't connect to server" in
  // 7.88, "Could not connect to server" in 8.14): a message about connecting.
  const std::string connect = curl->easy_strerror(CURLE_COULDNT_CONNECT);
  EXPECT_NE(connect.find("onnect"), std::string::npos) << connect;
  EXPECT_NE(connect, std::string(curl->easy_strerror(CURLE_OK)));
  EXPECT_EQ(curl->getdate("Sun, 06 Nov 1994 08:49:37 GMT", nullptr), 784111777);
  EXPECT_EQ(&Curl(), &curl);  // loaded once
}

TEST(CurlLibrary, NoLibraryIsANetworkErrorThatSaysWhatToInstall) {
  auto curl = LoadCurl({"/nonexistent/libcurl.so.4", "libcmdai-no-such-library.so.9"});
  ASSERT_FALSE(curl.ok());
  EXPECT_EQ(curl.status().code(), ErrorCode::kNetwork);
  EXPECT_NE(curl.status().message().find("libcurl could not be loaded"), std::string::npos);
  EXPECT_NE(curl.status().message().find("libcmdai-no-such-library.so.9"), std::string::npos);
  EXPECT_NE(curl.status().hint().find("install libcurl"), std::string::npos);
}

TEST(CurlLibrary, ALibraryWithoutCurlsCallsIsSkippedForTheNextName) {
  // libm opens but is not libcurl: the next name is tried.
#ifdef __APPLE__
  const std::string not_curl = "/usr/lib/libSystem.B.dylib";
#else
  const std::string not_curl = "libm.so.6";
#endif
  auto wrong = LoadCurl({not_curl});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("is not libcurl"), std::string::npos) << wrong.status().ToString();
  std::vector<std::string> names = {not_curl};
  for (const auto& n : CurlLibraryNames()) names.push_back(n);
  EXPECT_TRUE(LoadCurl(names).ok());
}

TEST(CurlLibrary, TheBuildsOwnLibraryComesBeforeTheUsualNames) {
  const auto names = CurlLibraryNames();
#ifdef __APPLE__
  const std::string usual = "libcurl.4.dylib";
#else
  const std::string usual = "libcurl.so.4";
#endif
  const auto at = std::find(names.begin(), names.end(), usual);
  ASSERT_NE(at, names.end());
  // Before it, at most the file CMake found: an absolute path that exists.
  for (auto it = names.begin(); it != at; ++it) {
    ASSERT_EQ(it->front(), '/') << *it;
    EXPECT_EQ(access(it->c_str(), R_OK), 0) << *it;
  }
}

}  // namespace
}  // namespace cmdai::net
