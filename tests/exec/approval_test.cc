// SPDX-License-Identifier: MIT
#include "exec/approval.h"

#include <gtest/gtest.h>

#include "exec/executor.h"

namespace cmdai {
namespace {

safety::Assessment Rated(safety::Decision d, const std::string& cmd = "ls") {
  safety::Assessment a;
  a.command = cmd;
  a.decision = d;
  return a;
}

TEST(Approval, AllowedCommandsNeedAnAskToRun) {
  EXPECT_FALSE(Approve(Rated(safety::Decision::kAllow), Consent::kNone, "bash"));
  auto ok = Approve(Rated(safety::Decision::kAllow, "echo hi"), Consent::kRun, "bash");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->text(), "echo hi");  // exactly what was rated
  EXPECT_EQ(ok->shell(), "bash");
}

TEST(Approval, ConfirmLevelNeedsConfirmation) {
  EXPECT_FALSE(Approve(Rated(safety::Decision::kConfirm), Consent::kRun, "sh"));
  EXPECT_TRUE(Approve(Rated(safety::Decision::kConfirm), Consent::kConfirmed, "sh"));
}

TEST(Approval, BlockedCommandsNeverRun) {
  for (Consent c : {Consent::kNone, Consent::kRun, Consent::kConfirmed})
    EXPECT_FALSE(Approve(Rated(safety::Decision::kBlock), c, "sh"));
}

TEST(Executor, RunsInTheTargetShellAndReturnsItsStatus) {
  EXPECT_EQ(ShellInvocation("zsh", "ls"), (std::vector<std::string>{"zsh", "-c", "ls"}));
  EXPECT_EQ(ShellInvocation("pwsh", "ls")[1], "-NoProfile");
  auto cmd = Approve(Rated(safety::Decision::kAllow, "exit 42"), Consent::kRun, "sh");
  ASSERT_TRUE(cmd);
  auto status = Execute(*cmd);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value(), 42);
  auto killed = Approve(Rated(safety::Decision::kAllow, "kill -TERM $$"), Consent::kRun, "sh");
  EXPECT_EQ(Execute(*killed).value(), 128 + 15);
}

TEST(Executor, MissingShellIsAClearError) {
  auto cmd = Approve(Rated(safety::Decision::kAllow, "ls"), Consent::kRun, "no-such-shell-xyz");
  auto status = Execute(*cmd);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.status().code(), ErrorCode::kUsage);  // the --shell setting's fault: exit 2
  EXPECT_NE(status.status().message().find("no-such-shell-xyz"), std::string::npos);
}

}  // namespace
}  // namespace cmdai
