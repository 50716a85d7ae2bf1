// SPDX-License-Identifier: MIT
#include "cli/pipeline.h"

#include <gtest/gtest.h>

#include "support/fake_backend.h"

namespace cmdai {
namespace {

Context Ctx() { return {"Linux", "Debian", "x86_64", "bash", "/tmp", "", ""}; }

TEST(Pipeline, NormalizeRequestTrimsAndRejectsEmpty) {
  EXPECT_EQ(NormalizeRequest("  list files \n").value(), "list files");
  auto r = NormalizeRequest(" \n\t ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUsage);
}

TEST(Pipeline, PassesPromptGrammarAndLimitsToTheBackend) {
  test::FakeBackend fake;
  fake.PushText("```bash\nls -la\n```");
  Config c;
  c.max_tokens = 77;
  c.temperature = 0.5f;
  c.seed = 9;
  auto r = RunPipeline(c, Ctx(), "list files", fake, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->extracted.command, "ls -la");
  ASSERT_EQ(fake.requests.size(), 1u);
  const auto& q = fake.requests[0];
  EXPECT_EQ(q.max_tokens, 77);
  EXPECT_EQ(q.temperature, 0.5f);
  EXPECT_EQ(q.seed, 9u);
  EXPECT_EQ(q.answer_prefix, "```bash\n");
  EXPECT_FALSE(q.grammar.empty());
  EXPECT_EQ(q.stop, std::vector<std::string>{"\n```"});
  EXPECT_NE(q.messages.back().content.find("list files"), std::string::npos);
  EXPECT_EQ(q.reusable_chars, BuildPrompt(Ctx(), "list files", false).reusable_chars);
}

TEST(Pipeline, WithExplanationDoesNotStopAtTheFence) {
  test::FakeBackend fake;
  fake.PushText("```bash\nls\n```\nLists files.");
  auto r = RunPipeline(Config{}, Ctx(), "list", fake, true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(fake.requests[0].stop.empty());
  EXPECT_EQ(r->extracted.explanation, "Lists files.");
}

TEST(Pipeline, ACutOffAnswerIsRefusedAndSaysSo) {
  test::FakeBackend fake;
  fake.PushText("```bash\nrm -rf /tmp/bu", /*truncated=*/true);
  auto r = RunPipeline(Config{}, Ctx(), "clean build dir", fake, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNoCommand);
  EXPECT_NE(r.status().message().find("cut off"), std::string::npos);
}

TEST(Pipeline, BackendErrorsPassThrough) {
  test::FakeBackend fake;
  fake.Push(Status::Error(ErrorCode::kTooLong, "too long"));
  auto r = RunPipeline(Config{}, Ctx(), "x", fake, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLong);
}

}  // namespace
}  // namespace cmdai
