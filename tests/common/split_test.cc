// SPDX-License-Identifier: MIT
#include "common/split.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cmdai {
namespace {

std::vector<std::string> Pieces(std::string_view text, char sep) {
  std::vector<std::string> out;
  for (std::string_view p : Split(text, sep)) out.emplace_back(p);
  return out;
}

TEST(Split, KeepsEveryPieceEmptyOnesIncluded) {
  EXPECT_EQ(Pieces("a:b:c", ':'), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Pieces("a::b", ':'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Pieces(":a:", ':'), (std::vector<std::string>{"", "a", ""}));
  EXPECT_EQ(Pieces("line\n", '\n'), (std::vector<std::string>{"line", ""}));
  EXPECT_EQ(Pieces("", ':'), (std::vector<std::string>{""}));
  EXPECT_EQ(Pieces("no separator", ':'), (std::vector<std::string>{"no separator"}));
}

TEST(Split, PiecesAreViewsIntoTheText) {
  const std::string text = "/usr/bin:/bin";
  const auto pieces = Split(text, ':');
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[1].data(), text.data() + 9);
}

}  // namespace
}  // namespace cmdai
