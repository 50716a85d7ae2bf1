// SPDX-License-Identifier: MIT
// Real llama.cpp on a generated random-weight Qwen2 model: its answers are
// meaningless, so these tests check the pipeline and the answer's shape.
#include "backends/embedded_backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/interrupt.h"
#include "extract/extractor.h"
#include "prompt/prompt.h"

namespace cmdai {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("cmdai-backend-test-" + std::to_string(getpid()) + "-" + name))
      .string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

class EmbeddedBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EmbeddedOptions o;
    o.model_path = CMDAI_TINY_MODEL;
    o.device = Device::kCpu;
    auto b = EmbeddedBackend::Open(o);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    backend_ = std::move(b).value().release();
  }
  static void TearDownTestSuite() { delete backend_; }

  static GenerationRequest Request(const std::string& text, bool explain = false, int max_tokens = 64) {
    Context ctx{"Linux", "Debian", "x86_64", "bash", "/tmp", "", ""};
    Prompt p = BuildPrompt(ctx, text, explain);
    GenerationRequest r;
    r.messages = p.messages;
    r.answer_prefix = p.answer_prefix;
    r.grammar = p.grammar;
    if (!explain) r.stop = {"\n```"};
    r.max_tokens = max_tokens;
    return r;
  }

  static EmbeddedBackend* backend_;  // shared: loading once keeps the suite fast
};
EmbeddedBackend* EmbeddedBackendTest::backend_ = nullptr;

Result<std::unique_ptr<EmbeddedBackend>> OpenModel(const std::string& path) {
  EmbeddedOptions o;
  o.model_path = path;
  o.device = Device::kCpu;
  return EmbeddedBackend::Open(o);
}

TEST_F(EmbeddedBackendTest, DescribesModelAndDevice) {
  EXPECT_NE(backend_->Describe().find("CPU"), std::string::npos);
  EXPECT_NE(backend_->Describe().find("tiny.gguf"), std::string::npos);
  EXPECT_GT(backend_->load_ms(), 0.0);
}

TEST_F(EmbeddedBackendTest, AnswerStartsWithThePrefixAndCountsTokens) {
  auto g = backend_->Generate(Request("list files"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->text.rfind("```bash\n", 0), 0u);
  EXPECT_GT(g->timings.prompt_tokens, 20);
  EXPECT_GT(g->timings.generated_tokens, 0);
  EXPECT_LE(g->timings.generated_tokens, 64);
}

TEST_F(EmbeddedBackendTest, GreedyDecodingIsDeterministic) {
  auto a = backend_->Generate(Request("show disk usage"));
  auto b = backend_->Generate(Request("show disk usage"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->text, b->text);
}

// Whatever the random model prefers, the grammar keeps the command on one
// line: across many sampled answers the first newline is always the start of
// the closing fence, and every answer that ended on its own yields exactly
// one command.
TEST_F(EmbeddedBackendTest, GrammarKeepsEveryAnswerToOneCommandLine) {
  int complete = 0;
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    auto req = Request("request number " + std::to_string(seed), seed % 2 == 0, 256);
    req.temperature = 1.0f;
    req.seed = seed;
    auto g = backend_->Generate(req);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    const std::string body = g->text.substr(std::string("```bash\n").size());
    ASSERT_FALSE(body.empty());
    EXPECT_NE(body[0], ' ');
    const auto nl = body.find('\n');
    if (nl != std::string::npos) {
      const std::string tail = body.substr(nl, 4);
      // Either the closing fence, or (cut off) the start of one.
      EXPECT_EQ(std::string("\n```").compare(0, tail.size(), tail), 0) << g->text;
    } else {
      EXPECT_TRUE(g->truncated) << g->text;
    }
    for (unsigned char c : body.substr(0, nl)) EXPECT_TRUE(c >= 0x20 || c == '\t') << "control character " << int(c);
    if (!g->truncated || (nl != std::string::npos && body.compare(nl, 4, "\n```") == 0)) {
      ++complete;
      auto e = ExtractCommand(g->text);
      ASSERT_TRUE(e.ok()) << e.status().ToString() << "\n" << g->text;
      EXPECT_EQ(e->command.find('\n'), std::string::npos);
    }
  }
  EXPECT_GT(complete, 0) << "no sampled answer finished within 256 tokens";
}

TEST_F(EmbeddedBackendTest, MaxTokensBoundsTheAnswer) {
  auto g = backend_->Generate(Request("anything", false, 2));
  ASSERT_TRUE(g.ok());
  EXPECT_LE(g->timings.generated_tokens, 2);
  EXPECT_TRUE(g->truncated);
}

TEST_F(EmbeddedBackendTest, RequestLongerThanTheContextIsRefused) {
  std::string huge;
  for (int i = 0; i < 3000; ++i) huge += "word ";
  auto g = backend_->Generate(Request(huge));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kTooLong);
  EXPECT_NE(g.status().ToString().find("context_size"), std::string::npos);
}

TEST_F(EmbeddedBackendTest, InterruptStopsGeneration) {
  RaiseInterruptForTest(true);
  auto g = backend_->Generate(Request("list files"));
  RaiseInterruptForTest(false);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kInterrupted);
}

TEST(EmbeddedBackendOpen, MissingFileIsNotFound) {
  auto b = OpenModel("/nonexistent/model.gguf");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(b.status().ToString().find("--model"), std::string::npos);
}

TEST(EmbeddedBackendOpen, NonGgufFileIsRejected) {
  const std::string p = TempPath("notgguf.gguf");
  WriteAll(p, "this is a text file, not a model\n");
  auto b = OpenModel(p);
  std::filesystem::remove(p);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidModel);
  EXPECT_NE(b.status().message().find("not a GGUF"), std::string::npos);
}

TEST(EmbeddedBackendOpen, EmptyFileIsRejected) {
  const std::string p = TempPath("empty.gguf");
  WriteAll(p, "");
  auto b = OpenModel(p);
  std::filesystem::remove(p);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidModel);
}

TEST(EmbeddedBackendOpen, TruncatedGgufIsRejected) {
  const std::string model = ReadAll(CMDAI_TINY_MODEL);
  for (size_t keep : {size_t{64}, model.size() / 2, model.size() - 100}) {
    const std::string p = TempPath("truncated.gguf");
    WriteAll(p, model.substr(0, keep));
    auto b = OpenModel(p);
    std::filesystem::remove(p);
    ASSERT_FALSE(b.ok()) << "kept " << keep << " bytes";
    EXPECT_EQ(b.status().code(), ErrorCode::kInvalidModel) << b.status().ToString();
    EXPECT_NE(b.status().message().find("cannot load model"), std::string::npos);
  }
}

TEST(EmbeddedBackendOpen, UnsupportedArchitectureIsRejected) {
  std::string model = ReadAll(CMDAI_TINY_MODEL);
  // general.architecture's value follows its key: type (4 bytes), length (8).
  const std::string key = "general.architecture";
  auto at = model.find(key);
  ASSERT_NE(at, std::string::npos);
  const size_t value = at + key.size() + 4 + 8;
  ASSERT_EQ(model.compare(value, 5, "qwen2"), 0);
  model.replace(value, 5, "zzzz9");
  const std::string p = TempPath("arch.gguf");
  WriteAll(p, model);
  auto b = OpenModel(p);
  std::filesystem::remove(p);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidModel);
  EXPECT_NE(b.status().message().find("zzzz9"), std::string::npos) << b.status().message();
}

}  // namespace
}  // namespace cmdai
