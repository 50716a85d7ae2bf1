// SPDX-License-Identifier: MIT
// PrefixCache with real llama.cpp on the generated model: keys, atomic saves,
// verified restores, and corrupt, foreign or stale files never trusted.
#include "backends/prefix_cache.h"

#include <gtest/gtest.h>
#include <llama.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace cmdai::detail {
namespace {

namespace fs = std::filesystem;

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextFree {
  void operator()(llama_context* c) const { llama_free(c); }
};
using ContextPtr = std::unique_ptr<llama_context, ContextFree>;

class PrefixCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    llama_log_set([](ggml_log_level, const char*, void*) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    model_.reset(llama_model_load_from_file(CMDAI_TINY_MODEL, mp));
    ASSERT_TRUE(model_) << CMDAI_TINY_MODEL;
  }
  static void TearDownTestSuite() { model_.reset(); }

  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cmdai-prefix-cache-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ContextPtr NewContext() {
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 256;
    cp.n_batch = 256;
    cp.n_ubatch = 256;
    cp.n_seq_max = 1;
    cp.n_threads = 1;
    cp.n_threads_batch = 1;
    return ContextPtr(llama_init_from_model(model_.get(), cp));
  }
  static std::vector<llama_token> Tokens(const std::string& text) {
    std::vector<llama_token> t(text.size() + 8);
    const int n = llama_tokenize(llama_model_get_vocab(model_.get()), text.data(), static_cast<int32_t>(text.size()),
                                 t.data(), static_cast<int32_t>(t.size()), false, false);
    t.resize(static_cast<size_t>(std::max(n, 0)));
    return t;
  }
  // A context holding `prefix`, decoded.
  static ContextPtr Decoded(std::vector<llama_token> prefix) {
    ContextPtr ctx = NewContext();
    EXPECT_EQ(llama_decode(ctx.get(), llama_batch_get_one(prefix.data(), static_cast<int32_t>(prefix.size()))), 0);
    return ctx;
  }
  size_t FilesIn() const {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
    return n;
  }

  static inline std::unique_ptr<llama_model, ModelFree> model_;
  fs::path dir_;
};

TEST_F(PrefixCacheTest, KeyDependsOnIdentityAndEveryToken) {
  const PrefixCache a(dir_.string(), "model-a"), b(dir_.string(), "model-b");
  const std::vector<llama_token> p = {1, 2, 3}, q = {1, 2, 4}, r = {1, 2};
  EXPECT_EQ(a.Key(p), a.Key(p));
  EXPECT_NE(a.Key(p), b.Key(p));
  EXPECT_NE(a.Key(p), a.Key(q));
  EXPECT_NE(a.Key(p), a.Key(r));
  EXPECT_EQ(fs::path(a.Key(p)).parent_path(), dir_);
  EXPECT_EQ(fs::path(a.Key(p)).extension(), ".state");
}

TEST_F(PrefixCacheTest, SavedStateIsRestoredInAnotherContext) {
  const PrefixCache cache(dir_.string(), "tiny");
  const auto prefix = Tokens("You write shell commands. Answer with one line.");
  ASSERT_GT(prefix.size(), 3u);
  ASSERT_TRUE(cache.Save(Decoded(prefix).get(), prefix));
  EXPECT_EQ(FilesIn(), 1u);  // the state file, no temporary left behind
  EXPECT_TRUE(fs::exists(cache.Key(prefix)));
  ContextPtr fresh = NewContext();
  EXPECT_TRUE(cache.Restore(fresh.get(), prefix));
  EXPECT_EQ(llama_memory_seq_pos_max(llama_get_memory(fresh.get()), 0), static_cast<llama_pos>(prefix.size()) - 1);
}

TEST_F(PrefixCacheTest, MissingFileRestoresNothing) {
  const PrefixCache cache(dir_.string(), "tiny");
  ContextPtr ctx = NewContext();
  EXPECT_FALSE(cache.Restore(ctx.get(), Tokens("nothing saved for this")));
}

TEST_F(PrefixCacheTest, CorruptFileIsNotTrustedAndIsRemoved) {
  const PrefixCache cache(dir_.string(), "tiny");
  const auto prefix = Tokens("a prefix whose file is damaged");
  fs::create_directories(dir_);
  std::ofstream(cache.Key(prefix)) << "not a llama.cpp state file at all";
  ContextPtr ctx = NewContext();
  EXPECT_FALSE(cache.Restore(ctx.get(), prefix));
  EXPECT_FALSE(fs::exists(cache.Key(prefix)));
}

TEST_F(PrefixCacheTest, FileHoldingOtherTokensIsNotTrustedAndIsRemoved) {
  const PrefixCache cache(dir_.string(), "tiny");
  const auto saved = Tokens("the tokens that were saved");
  const auto asked = Tokens("other tokens asked for here");
  ASSERT_TRUE(cache.Save(Decoded(saved).get(), saved));
  // A foreign file under the asked-for key (a hash collision, a copied file).
  fs::rename(cache.Key(saved), cache.Key(asked));
  ContextPtr ctx = NewContext();
  EXPECT_FALSE(cache.Restore(ctx.get(), asked));
  EXPECT_FALSE(fs::exists(cache.Key(asked)));
  EXPECT_EQ(llama_memory_seq_pos_max(llama_get_memory(ctx.get()), 0), -1);  // the context was cleared
}

TEST_F(PrefixCacheTest, TruncatedFileIsNotTrusted) {
  const PrefixCache cache(dir_.string(), "tiny");
  const auto prefix = Tokens("a prefix whose file was cut short by a crash");
  ASSERT_TRUE(cache.Save(Decoded(prefix).get(), prefix));
  fs::resize_file(cache.Key(prefix), fs::file_size(cache.Key(prefix)) / 2);
  ContextPtr ctx = NewContext();
  EXPECT_FALSE(cache.Restore(ctx.get(), prefix));
  EXPECT_FALSE(fs::exists(cache.Key(prefix)));
}

TEST_F(PrefixCacheTest, UnwritableDirectoryOnlyCostsTheSave) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "a file where the directory should be";
  const PrefixCache cache((dir_ / "file" / "cache").string(), "tiny");
  const auto prefix = Tokens("cannot be saved");
  EXPECT_FALSE(cache.Save(Decoded(prefix).get(), prefix));
  EXPECT_EQ(FilesIn(), 1u);
}

TEST_F(PrefixCacheTest, BoundedCacheKeepsTheMostRecentlyUsedFiles) {
  const PrefixCache cache(dir_.string(), "tiny", 2);
  const auto a = Tokens("working directory one"), b = Tokens("working directory two"),
             c = Tokens("working directory three");
  ASSERT_TRUE(cache.Save(Decoded(a).get(), a));
  ASSERT_TRUE(cache.Save(Decoded(b).get(), b));
  // Explicit ages, so the test does not hang on the file system's clock; then
  // `a` is used, which makes `b` the least recently used.
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(cache.Key(a), now - std::chrono::hours(2));
  fs::last_write_time(cache.Key(b), now - std::chrono::hours(1));
  ContextPtr ctx = NewContext();
  ASSERT_TRUE(cache.Restore(ctx.get(), a));
  ASSERT_TRUE(cache.Save(Decoded(c).get(), c));
  EXPECT_EQ(FilesIn(), 2u);
  EXPECT_TRUE(fs::exists(cache.Key(a)));
  EXPECT_FALSE(fs::exists(cache.Key(b)));
  EXPECT_TRUE(fs::exists(cache.Key(c)));
}

TEST_F(PrefixCacheTest, UnboundedCacheKeepsEveryFile) {
  const PrefixCache cache(dir_.string(), "tiny");
  for (const char* text : {"one prefix", "another prefix", "a third prefix"}) {
    const auto p = Tokens(text);
    ASSERT_TRUE(cache.Save(Decoded(p).get(), p));
  }
  EXPECT_EQ(FilesIn(), 3u);
}

TEST_F(PrefixCacheTest, EmptyDirectoryTurnsTheCacheOff) {
  const PrefixCache cache("", "tiny");
  const auto prefix = Tokens("cache off");
  EXPECT_FALSE(cache.enabled());
  EXPECT_FALSE(cache.Save(Decoded(prefix).get(), prefix));
  ContextPtr ctx = NewContext();
  EXPECT_FALSE(cache.Restore(ctx.get(), prefix));
}

}  // namespace
}  // namespace cmdai::detail
