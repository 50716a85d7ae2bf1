// SPDX-License-Identifier: MIT
#include "common/suggest.h"

#include <gtest/gtest.h>

namespace cmdai {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("model", "model"), 0u);
  EXPECT_EQ(EditDistance("modle", "model"), 1u);  // one transposition
  EXPECT_EQ(EditDistance("shwo", "show"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(Suggest, OffersTheClosestLikelyTypo) {
  const std::vector<std::string> keys = {"model", "shell", "max_tokens", "threads"};
  EXPECT_EQ(Suggest("modell", keys), "model");
  EXPECT_EQ(Suggest("max_token", keys), "max_tokens");
  EXPECT_EQ(DidYouMean("shel", keys), " (did you mean 'shell'?)");
}

TEST(Suggest, StaysSilentForUnrelatedWords) {
  EXPECT_EQ(Suggest("banana", {"model", "shell"}), "");
  EXPECT_EQ(DidYouMean("xyz", {"model"}), "");
}

}  // namespace cmdai
