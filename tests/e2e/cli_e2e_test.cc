// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "support/subprocess.h"

namespace cmdai {
namespace {
TEST(CliE2E, Placeholder) { EXPECT_EQ(test::Run({CMDAI_BIN, "--version"}).exit_code, 0); }
}  // namespace
}  // namespace cmdai
