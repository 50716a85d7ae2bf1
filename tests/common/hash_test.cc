// SPDX-License-Identifier: MIT
// HashHex: stable, 32 hex digits, different for different text.
#include "common/hash.h"

#include <gtest/gtest.h>

namespace cmdai {
namespace {

TEST(HashHex, IsStableAndThirtyTwoHexDigits) {
  EXPECT_EQ(HashHex("abc"), HashHex("abc"));
  EXPECT_NE(HashHex("abc"), HashHex("abd"));
  EXPECT_EQ(HashHex("").size(), 32u);
  EXPECT_EQ(HashHex("x").find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(HashHex, KeepsItsValuesSoExistingCacheFilesStillMatch) {
  // The hash of nothing is the two seeds: cache files named before this
  // function moved here keep their names.
  EXPECT_EQ(HashHex(""), "14650fb0739d03839e3779b97f4a7c15");
}

}  // namespace
}  // namespace cmdai
