// SPDX-License-Identifier: MIT
#include "cli/arguments.h"

#include <gtest/gtest.h>

namespace cmdai {
namespace {

Result<Invocation> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "cmdai");
  return ParseArguments(static_cast<int>(args.size()), args.data());
}

TEST(Arguments, WordsFormTheRequest) {
  auto r = Parse({"list", "all", "files"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, Action::kGenerate);
  EXPECT_EQ(r->words, (std::vector<std::string>{"list", "all", "files"}));
}

TEST(Arguments, WakeBelongsToServe) {
  auto r = Parse({"serve", "--wake"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, Action::kServe);
  EXPECT_TRUE(r->wake);
  EXPECT_FALSE(Parse({"serve"})->wake);
  for (auto args : std::vector<std::vector<const char*>>{{"--wake", "list", "files"}, {"models", "list", "--wake"}}) {
    auto bad = Parse(args);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), ErrorCode::kUsage);
    EXPECT_NE(bad.status().message().find("--wake is an option of cmdai serve"), std::string::npos);
  }
}

TEST(Arguments, FlagsBecomeConfigValues) {
  auto r = Parse({"-m", "a.gguf", "--shell", "fish", "--max-tokens=40", "-v", "hello"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->config.flags.at("model"), "a.gguf");
  EXPECT_EQ(r->config.flags.at("shell"), "fish");
  EXPECT_EQ(r->config.flags.at("max_tokens"), "40");
  EXPECT_EQ(r->config.flags.at("verbose"), "true");
  EXPECT_EQ(r->config.flags.count("device"), 0u);
}

TEST(Arguments, ConfigSubcommandOnlyAsFirstArgument) {
  EXPECT_EQ(Parse({"config", "show"})->action, Action::kConfigShow);
  EXPECT_EQ(Parse({"config", "path"})->action, Action::kConfigPath);
  auto r = Parse({"edit", "config", "show"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->action, Action::kGenerate);
}

TEST(Arguments, RequestStartingWithASubcommandNameWorksAfterDoubleDash) {
  auto r = Parse({"--", "config", "files", "changed", "today"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, Action::kGenerate);
  EXPECT_EQ(r->words.front(), "config");
  auto q = Parse({"config files changed today"});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->action, Action::kGenerate);
}

TEST(Arguments, SubcommandsWithRequestLikeWordsSayHowToAsk) {
  auto r = Parse({"serve", "now"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUsage);
  EXPECT_NE(r.status().ToString().find("cmdai serve takes no request"), std::string::npos);
  auto q = Parse({"--", "serve", "now"});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->action, Action::kGenerate);
  EXPECT_EQ(Parse({"models", "list"})->action, Action::kModels);
  EXPECT_EQ(Parse({"serve", "--idle-timeout", "5"})->config.flags.at("serve.idle_timeout_s"), "5");
}

TEST(Arguments, UnknownOptionSuggestsTheIntendedOne) {
  auto r = Parse({"--modle", "x.gguf", "list"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUsage);
  EXPECT_NE(r.status().message().find("unknown option '--modle' (did you mean '--model'?)"), std::string::npos)
      << r.status().message();
}

TEST(Arguments, UnknownConfigCommandSuggests) {
  auto r = Parse({"config", "shwo"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean 'show'"), std::string::npos);
}

TEST(Arguments, HelpLeadsWithExamples) {
  auto r = Parse({"--help"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->action, Action::kHelp);
  EXPECT_NE(r->help.find("Examples:"), std::string::npos);
  EXPECT_NE(r->help.find("--model"), std::string::npos);
}

TEST(Arguments, MissingFlagValueIsAUsageError) {
  auto r = Parse({"list", "--model"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUsage);
}

TEST(Arguments, OptionsMayComeBeforeOrAfterASubcommand) {
  auto r = Parse({"-v", "models", "list"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, Action::kModels);
  EXPECT_EQ(r->words, (std::vector<std::string>{"list"}));
  EXPECT_EQ(r->config.flags.at("verbose"), "true");
  r = Parse({"--offline", "models", "pull", "qwen2.5-coder-0.5b"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->config.flags.at("offline"), "true");
  EXPECT_EQ(r->words, (std::vector<std::string>{"pull", "qwen2.5-coder-0.5b"}));
  r = Parse({"config", "show", "--threads", "1"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->action, Action::kConfigShow);
  EXPECT_EQ(r->config.flags.at("threads"), "1");
  r = Parse({"list", "files", "-vq", "-t2", "--backend=ollama"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->words, (std::vector<std::string>{"list", "files"}));
  EXPECT_EQ(r->config.flags.at("quiet"), "true");
  EXPECT_EQ(r->config.flags.at("threads"), "2");
  EXPECT_EQ(r->config.flags.at("backend"), "ollama");
}

TEST(Arguments, MistypedSubcommandGetsDidYouMean) {
  auto r = Parse({"confg", "show"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUsage);
  EXPECT_NE(r.status().message().find("did you mean 'config'"), std::string::npos) << r.status().message();
  EXPECT_FALSE(Parse({"modles"}).ok());
  EXPECT_TRUE(Parse({"--", "confg", "show"}).ok());        // asked for as a request
  EXPECT_TRUE(Parse({"list", "config", "files"}).ok());    // an ordinary request
  EXPECT_TRUE(Parse({"rats", "in", "the", "logs"}).ok());  // more than a command's words
}

TEST(Arguments, HelpVersionAndPerSubcommandHelp) {
  EXPECT_EQ(Parse({"version"})->action, Action::kVersion);
  auto h = Parse({"help"});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->action, Action::kHelp);
  EXPECT_NE(h->help.find("Examples:"), std::string::npos);
  auto e = Parse({"explain", "--help"});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->action, Action::kHelp);
  EXPECT_NE(e->help.find("usage: cmdai explain"), std::string::npos);
  EXPECT_EQ(Parse({"help", "models"})->help, Parse({"models", "--help"})->help);
  auto bad = Parse({"help", "modles"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("did you mean 'models'"), std::string::npos);
}

TEST(Arguments, ChoiceValuesOfCommandLineOptionsAreChecked) {
  auto r = Parse({"-o", "jsno", "list"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean 'json'"), std::string::npos) << r.status().message();
  EXPECT_FALSE(Parse({"rate", "-o", "yaml", "--", "ls"}).ok());
}

}  // namespace
}  // namespace cmdai
