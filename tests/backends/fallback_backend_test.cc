// SPDX-License-Identifier: MIT
// FallbackBackend on scripted backends: the order backends are opened and
// asked in, the notes that say so, which errors move down the chain and
// which end it at once.
#include "backends/fallback_backend.h"

#include <gtest/gtest.h>

#include "support/fake_backend.h"

namespace cmdai {
namespace {

using test::FakeBackend;

// A chain whose links are described by what their open() returns; records
// each open and each note.
struct Chain {
  std::vector<std::string> opened;
  std::vector<std::string> notes;
  std::vector<BackendFactory> links;

  // `answers` are what the backend's Generate returns, in order.
  void Add(const std::string& name, std::vector<Result<Generation>> answers) {
    links.push_back({name, [this, name, answers]() -> Result<std::unique_ptr<Backend>> {
                       opened.push_back(name);
                       auto b = std::make_unique<FakeBackend>();
                       for (const auto& a : answers) b->Push(a);
                       return std::unique_ptr<Backend>(std::move(b));
                     }});
  }
  void AddFailing(const std::string& name, ErrorCode code) {
    links.push_back({name, [this, name, code]() -> Result<std::unique_ptr<Backend>> {
                       opened.push_back(name);
                       return Status::Error(code, name + " is down");
                     }});
  }
  FallbackBackend Make() {
    return FallbackBackend(links, [this](const std::string& n) { notes.push_back(n); });
  }
};

Generation Text(const std::string& t) {
  Generation g;
  g.text = t;
  return g;
}

TEST(FallbackBackend, TheFirstThatOpensIsUsedSilently) {
  Chain c;
  c.Add("ollama", {Text("ls")});
  c.Add("embedded", {});
  FallbackBackend f = c.Make();
  ASSERT_TRUE(f.Open().ok());
  EXPECT_EQ(f.Generate({}).value().text, "ls");
  EXPECT_EQ(c.opened, std::vector<std::string>{"ollama"});  // the rest only when needed
  EXPECT_TRUE(c.notes.empty());
  EXPECT_EQ(f.Info().name, "fake");
}

TEST(FallbackBackend, ABackendThatCannotOpenIsSkippedWithNotes) {
  Chain c;
  c.AddFailing("ollama", ErrorCode::kNetwork);
  c.Add("embedded", {Text("ls")});
  FallbackBackend f = c.Make();
  ASSERT_TRUE(f.Open().ok());
  EXPECT_EQ(c.opened, (std::vector<std::string>{"ollama", "embedded"}));
  EXPECT_EQ(c.notes, (std::vector<std::string>{"ollama backend unavailable (ollama is down); trying embedded",
                                               "answering with the embedded backend"}));
  EXPECT_EQ(f.Generate({}).value().text, "ls");
}

TEST(FallbackBackend, WhenNoneOpensTheLastErrorIsReturned) {
  Chain c;
  c.AddFailing("ollama", ErrorCode::kNetwork);
  c.AddFailing("openai", ErrorCode::kPermission);
  FallbackBackend f = c.Make();
  const Status s = f.Open();
  EXPECT_EQ(s.code(), ErrorCode::kPermission);
  EXPECT_EQ(s.message(), "openai is down");
  EXPECT_EQ(f.Describe(), "no backend");
  EXPECT_EQ(f.Generate({}).status().code(), ErrorCode::kBackend);
}

TEST(FallbackBackend, AnInterruptWhileOpeningEndsTheChain) {
  Chain c;
  c.AddFailing("ollama", ErrorCode::kInterrupted);
  c.Add("embedded", {Text("ls")});
  FallbackBackend f = c.Make();
  EXPECT_EQ(f.Open().code(), ErrorCode::kInterrupted);
  EXPECT_EQ(c.opened, std::vector<std::string>{"ollama"});
  EXPECT_TRUE(c.notes.empty());
}

TEST(FallbackBackend, AFailedAnswerMovesToTheNextBackendWhichAnswers) {
  Chain c;
  c.Add("ollama", {Status::Error(ErrorCode::kNetwork, "connection reset")});
  c.Add("embedded", {Text("du -sh *")});
  FallbackBackend f = c.Make();
  ASSERT_TRUE(f.Open().ok());
  auto g = f.Generate({});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g.value().text, "du -sh *");
  EXPECT_EQ(c.opened, (std::vector<std::string>{"ollama", "embedded"}));
  EXPECT_EQ(c.notes, (std::vector<std::string>{"ollama backend failed (connection reset); trying embedded",
                                               "answering with the embedded backend"}));
}

TEST(FallbackBackend, InterruptsTooLongRequestsAndUsageErrorsAreNotPassedOn) {
  for (ErrorCode code : {ErrorCode::kInterrupted, ErrorCode::kTooLong, ErrorCode::kUsage}) {
    Chain c;
    c.Add("ollama", {Status::Error(code, "stop")});
    c.Add("embedded", {Text("ls")});
    FallbackBackend f = c.Make();
    ASSERT_TRUE(f.Open().ok());
    EXPECT_EQ(f.Generate({}).status().code(), code);
    EXPECT_EQ(c.opened, std::vector<std::string>{"ollama"});
  }
}

TEST(FallbackBackend, TheLastBackendsFailureIsReturnedAsItIs) {
  Chain c;
  c.Add("ollama", {Status::Error(ErrorCode::kNetwork, "reset")});
  c.Add("embedded", {Status::Error(ErrorCode::kBackend, "decode failed")});
  FallbackBackend f = c.Make();
  ASSERT_TRUE(f.Open().ok());
  const auto g = f.Generate({});
  EXPECT_EQ(g.status().code(), ErrorCode::kBackend);
  EXPECT_EQ(g.status().message(), "decode failed");
}

}  // namespace
}  // namespace cmdai
