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

// After the command's newline the answer grammar allows only the closing
// fence (GenerationRequest::forced_after/forced_rest, from the prompt): the
// engine writes it instead of a model step, so the answer is the same text
// with one decode fewer. A teacher-forced answer makes the model's tokens
// known; the fence then counts as forced.
TEST_F(EmbeddedBackendTest, TheFenceTheGrammarForcesIsWrittenNotGenerated) {
  for (const bool explain : {false, true}) {
    SCOPED_TRACE(explain);
    GenerationRequest r = Request("list every file here", explain);
    r.forced_answer = explain ? "ls -la\n```\n\nLists every file." : "ls -la\n```";
    const auto plain = backend_->Generate(r);
    Context ctx{"Linux", "Debian", "x86_64", "bash", "/tmp", "", ""};
    const Prompt p = BuildPrompt(ctx, "list every file here", explain);
    r.forced_after = p.forced_after;
    r.forced_rest = p.forced_rest;
    const auto forced = backend_->Generate(r);
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    ASSERT_TRUE(forced.ok()) << forced.status().ToString();
    EXPECT_EQ(plain->text, r.answer_prefix + r.forced_answer);
    EXPECT_EQ(forced->text, plain->text);
    EXPECT_EQ(plain->timings.forced_tokens, 0);
    EXPECT_EQ(forced->timings.forced_tokens, 1);
    EXPECT_EQ(forced->timings.generated_tokens, plain->timings.generated_tokens);
  }
}

TEST_F(EmbeddedBackendTest, NothingIsForcedWithoutAGrammar) {
  GenerationRequest r = Request("list every file here");
  r.grammar.clear();
  r.forced_after = "\n";
  r.forced_rest = "```";
  r.forced_answer = "ls\n```";
  const auto g = backend_->Generate(r);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->text, r.answer_prefix + r.forced_answer);
  EXPECT_EQ(g->timings.forced_tokens, 0);
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

// The prompt-state cache on disk, one process per EmbeddedBackend as for
// one-shots: the fixed prefix's state and, per working directory, the longer
// reusable one's (Prompt::reusable_chars).
class EmbeddedPromptCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempPath(std::string("cache-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<EmbeddedBackend> Open(bool cache = true) const {
    EmbeddedOptions o;
    o.model_path = CMDAI_TINY_MODEL;
    o.device = Device::kCpu;
    o.prompt_cache_dir = cache ? dir_ : "";
    auto b = EmbeddedBackend::Open(o);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? std::move(b).value() : nullptr;
  }
  static GenerationRequest Request(const std::string& cwd, const std::string& text) {
    return Request(Context{"Linux", "Debian", "x86_64", "bash", cwd, "", ""}, text);
  }
  static GenerationRequest Request(const Context& ctx, const std::string& text) {
    Prompt p = BuildPrompt(ctx, text, false);
    GenerationRequest r;
    r.messages = p.messages;
    r.answer_prefix = p.answer_prefix;
    r.grammar = p.grammar;
    r.reusable_chars = p.reusable_chars;
    r.stop = {"\n```"};
    r.max_tokens = 24;
    return r;
  }
  // One process's request: a fresh backend over the same cache directory.
  Generation OneShot(const GenerationRequest& r, std::string* source = nullptr) const {
    auto b = Open();
    if (!b) return {};
    auto g = b->Generate(r);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    if (source) *source = b->prefix_source();
    return g.ok() ? g.value() : Generation{};
  }
  std::vector<std::filesystem::path> DirectoryStates() const {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir_ + "/directories", ec);
         !ec && it != std::filesystem::directory_iterator(); ++it)
      files.push_back(it->path());
    return files;
  }

  std::string dir_;
};

TEST_F(EmbeddedPromptCacheTest, SecondRequestFromTheSameDirectoryRestoresMoreOfThePrompt) {
  std::string source;
  const Generation first = OneShot(Request("/home/ana/project", "list files"), &source);
  EXPECT_EQ(first.timings.cached_tokens, 0);
  EXPECT_EQ(source, "computed");
  EXPECT_EQ(DirectoryStates().size(), 1u);
  const Generation same_dir = OneShot(Request("/home/ana/project", "show disk usage"), &source);
  EXPECT_EQ(source, "file (directory)");
  const Generation other_dir = OneShot(Request("/srv/data", "show disk usage"), &source);
  EXPECT_EQ(source, "file");  // only the fixed prefix's state fits
  EXPECT_GT(other_dir.timings.cached_tokens, 0);
  // "/home/ana/project\n" is several tokens past the fixed prefix.
  EXPECT_GE(same_dir.timings.cached_tokens, other_dir.timings.cached_tokens + 4);
  EXPECT_LT(same_dir.timings.cached_tokens, same_dir.timings.prompt_tokens);
  EXPECT_EQ(DirectoryStates().size(), 2u);  // the new directory's state was saved
}

TEST_F(EmbeddedPromptCacheTest, AnswerIsTheSameWhicheverStateWasReused) {
  const GenerationRequest r = Request("/home/ana/project", "find large log files");
  auto uncached = Open(false)->Generate(r);
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  std::string source;
  EXPECT_EQ(OneShot(r, &source).text, uncached->text);
  EXPECT_EQ(source, "computed");
  EXPECT_EQ(OneShot(r, &source).text, uncached->text);
  EXPECT_EQ(source, "file (directory)");
  // Fixed prefix from the file, the directory's part decoded here.
  std::filesystem::remove_all(dir_ + "/directories");
  EXPECT_EQ(OneShot(r, &source).text, uncached->text);
  EXPECT_EQ(source, "file");
  // Resident: the same process answers again, from memory.
  auto b = Open();
  ASSERT_TRUE(b);
  for (int i = 0; i < 2; ++i) {
    auto g = b->Generate(r);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(g->text, uncached->text);
  }
  EXPECT_EQ(b->prefix_source(), "resident");
}

TEST_F(EmbeddedPromptCacheTest, ResidentStateFollowsTheDirectory) {
  auto b = Open();
  ASSERT_TRUE(b);
  auto ask = [&](const std::string& cwd) {
    auto g = b->Generate(Request(cwd, "list files"));
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? g->timings.cached_tokens : -1;
  };
  EXPECT_EQ(ask("/home/ana/project"), 0);
  const int same = ask("/home/ana/project");
  EXPECT_EQ(b->prefix_source(), "resident");
  const int fixed = ask("/srv/data");  // the new directory's state is neither in memory nor on disk
  EXPECT_EQ(b->prefix_source(), "resident");
  EXPECT_GT(fixed, 0);
  EXPECT_GT(same, fixed);
  EXPECT_GT(ask("/srv/data"), fixed);  // its state kept in memory since
  EXPECT_EQ(b->prefix_source(), "resident");
  // Back to the first directory: its state comes from the file saved before.
  EXPECT_EQ(ask("/home/ana/project"), same);
  EXPECT_EQ(b->prefix_source(), "file (directory)");
}

TEST_F(EmbeddedPromptCacheTest, ACutThatSplitsATokenFallsBackToTheFixedPrefix) {
  GenerationRequest r = Request("/home/ana/project", "list files");
  auto uncached = Open(false)->Generate(r);
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  // In the middle of "Working": the shorter text tokenizes differently.
  r.reusable_chars = 4;
  std::string source;
  EXPECT_EQ(OneShot(r, &source).text, uncached->text);
  const Generation again = OneShot(r, &source);
  EXPECT_EQ(again.text, uncached->text);
  EXPECT_EQ(source, "file");
  EXPECT_TRUE(DirectoryStates().empty());
  // Past the end of the message: nothing to keep either.
  r.reusable_chars = r.messages.back().content.size() + 10;
  EXPECT_EQ(OneShot(r, &source).text, uncached->text);
  EXPECT_EQ(source, "file");
  EXPECT_TRUE(DirectoryStates().empty());
}

TEST_F(EmbeddedPromptCacheTest, FixedPrefixStatesAreBoundedToo) {
  // Ten different system messages (an OS name each): ten fixed prefixes,
  // of which at most 8 states stay, the most recently used.
  auto b = Open();
  ASSERT_TRUE(b);
  for (int i = 0; i < 10; ++i) {
    GenerationRequest r =
        Request(Context{"Linux", "Distro" + std::to_string(i), "x86_64", "bash", "/w", "", ""}, "list files");
    r.max_tokens = 4;
    ASSERT_TRUE(b->Generate(r).ok());
  }
  size_t states = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_))
    if (e.path().extension() == ".state") ++states;
  EXPECT_EQ(states, 8u);
}

TEST_F(EmbeddedPromptCacheTest, CorruptDirectoryStateIsNotTrustedAndIsRebuilt) {
  const GenerationRequest r = Request("/home/ana/project", "list files");
  const Generation clean = OneShot(r);
  const auto files = DirectoryStates();
  ASSERT_EQ(files.size(), 1u);
  const auto good_size = std::filesystem::file_size(files[0]);
  WriteAll(files[0].string(), "not a llama.cpp state file at all");
  std::string source;
  const Generation after = OneShot(r, &source);
  EXPECT_EQ(after.text, clean.text);
  EXPECT_EQ(source, "file");  // the fixed prefix's file only
  ASSERT_EQ(DirectoryStates().size(), 1u);
  EXPECT_EQ(std::filesystem::file_size(files[0]), good_size);  // removed, then rebuilt
  EXPECT_EQ(OneShot(r, &source).text, clean.text);
  EXPECT_EQ(source, "file (directory)");
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
