// SPDX-License-Identifier: MIT
// The backend chain: which backends are tried, in what order, with which
// model, and what the person is told when one gives way to the next.
#include "cli/backend_factory.h"

#include <gtest/gtest.h>

#include "support/fake_backend.h"

namespace cmdai {
namespace {

// Records every open; the names in `failing` fail to open.
struct Opener {
  std::vector<std::string> failing;
  std::vector<std::pair<std::string, std::string>> opened;  // name, model
  ErrorCode failure = ErrorCode::kBackend;

  BackendOpener Fn() {
    return [this](BackendKind kind, const std::string& model) -> Result<std::unique_ptr<Backend>> {
      const std::string name = ChoiceName(kind);
      opened.push_back({name, model});
      for (const auto& f : failing)
        if (f == name) return Status::Error(failure, name + " is down");
      auto b = std::make_unique<test::FakeBackend>();
      b->PushText("```bash\nls\n```");
      return std::unique_ptr<Backend>(std::move(b));
    };
  }
};

constexpr BackendKind kEmbedded = BackendKind::kEmbedded;
constexpr BackendKind kOllama = BackendKind::kOllama;
constexpr BackendKind kOpenAi = BackendKind::kOpenAi;

Config WithChain(BackendKind backend, std::vector<BackendKind> fallback) {
  Config c;
  c.backend = backend;
  c.fallback = std::move(fallback);
  c.model = "m.gguf";
  return c;
}

TEST(BackendFactory, OrderIsTheBackendThenEachFallbackOnce) {
  EXPECT_EQ(BackendOrder(WithChain(kOllama, {kEmbedded, kOllama, kOpenAi, kEmbedded})),
            (std::vector<BackendKind>{kOllama, kEmbedded, kOpenAi}));
  EXPECT_EQ(BackendOrder(WithChain(kEmbedded, {})), (std::vector<BackendKind>{kEmbedded}));
}

TEST(BackendFactory, ASingleBackendOpensWithTheModelFlagAndNoNotes) {
  Opener o;
  std::vector<std::string> notes;
  auto b = OpenBackendChain(WithChain(kOpenAi, {}), o.Fn(), [&](const std::string& n) { notes.push_back(n); });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(o.opened, (std::vector<std::pair<std::string, std::string>>{{"openai", "m.gguf"}}));
  EXPECT_TRUE(notes.empty());
}

TEST(BackendFactory, FallbacksOpenOnlyWhenNeededWithTheirOwnModel) {
  Opener o;
  auto b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [](const std::string&) {});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(o.opened.size(), 1u);  // the first opened: the fallback is never touched
  o.failing = {"ollama"};
  o.opened.clear();
  std::vector<std::string> notes;
  b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [&](const std::string& n) { notes.push_back(n); });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(o.opened, (std::vector<std::pair<std::string, std::string>>{{"ollama", "m.gguf"}, {"embedded", ""}}));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "ollama backend unavailable (ollama is down); trying embedded");
  EXPECT_EQ(notes[1], "answering with the embedded backend");
  auto g = b.value()->Generate(GenerationRequest{});
  EXPECT_TRUE(g.ok());
}

TEST(BackendFactory, WhenEveryBackendFailsTheLastErrorIsReturned) {
  Opener o;
  o.failing = {"ollama", "openai"};
  auto b = OpenBackendChain(WithChain(kOllama, {kOpenAi}), o.Fn(), [](const std::string&) {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "openai is down");
}

TEST(BackendFactory, AnInterruptStopsTheChain) {
  Opener o;
  o.failing = {"ollama"};
  o.failure = ErrorCode::kInterrupted;
  auto b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [](const std::string&) {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInterrupted);
  EXPECT_EQ(o.opened.size(), 1u);
}

TEST(BackendFactory, TestAnswersNeedNoEngine) {
  Config c = WithChain(kOllama, {});
  c.test_answers = {"```bash\nls\n```"};
  auto b = OpenBackend(c, false);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
}

}  // namespace
}  // namespace cmdai
