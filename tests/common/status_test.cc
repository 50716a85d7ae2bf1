// SPDX-License-Identifier: MIT
#include "common/status.h"

#include <gtest/gtest.h>

namespace cmdai {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
}

TEST(Status, ToStringJoinsMessageAndHint) {
  Status s = Status::Error(ErrorCode::kNotFound, "cannot open model 'x.gguf': no such file", "pass --model PATH");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "cannot open model 'x.gguf': no such file; pass --model PATH");
  EXPECT_EQ(Status::Error(ErrorCode::kIo, "disk full").ToString(), "disk full");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 7);
  Result<int> bad(Status::Error(ErrorCode::kUsage, "empty request"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kUsage);
}

}  // namespace cmdai
