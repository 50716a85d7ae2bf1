// SPDX-License-Identifier: MIT
#include "extract/extractor.h"

#include <gtest/gtest.h>

namespace cmdai {

TEST(Extractor, TakesTheCommandFromAFencedBlock) {
  auto r = ExtractCommand("```bash\nls -la\n```");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command, "ls -la");
  EXPECT_EQ(r->explanation, "");
}

TEST(Extractor, TakesTheExplanationLineAfterTheBlock) {
  auto r = ExtractCommand("```bash\ndu -sh * | sort -h\n```\n\nShows the size of each entry, smallest first.\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->command, "du -sh * | sort -h");
  EXPECT_EQ(r->explanation, "Shows the size of each entry, smallest first.");
}

TEST(Extractor, IgnoresProseAroundTheBlock) {
  auto r = ExtractCommand("To list files, run:\n```sh\n  ls  \n```\nDone.");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->command, "ls");
}

TEST(Extractor, ProseAloneIsNeverACommand) {
  auto r = ExtractCommand("rm -rf / would delete everything, so I will not do that.");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNoCommand);
}

TEST(Extractor, RejectsAnUnclosedBlock) {
  auto r = ExtractCommand("```bash\nrm -rf /tmp/bui");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ends inside"), std::string::npos);
}

TEST(Extractor, RejectsAnEmptyBlock) {
  EXPECT_FALSE(ExtractCommand("```bash\n```").ok());
  EXPECT_FALSE(ExtractCommand("```bash\n   \n```").ok());
}

TEST(Extractor, RejectsMoreThanOneLine) {
  auto r = ExtractCommand("```bash\ncd /tmp\nrm -rf *\n```");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than one line"), std::string::npos);
}

}  // namespace cmdai
