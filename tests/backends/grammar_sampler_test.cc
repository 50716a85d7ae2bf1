// SPDX-License-Identifier: MIT
// GrammarSampler on the generated model's real vocabulary and cmdai's real
// answer grammar: the check, the fallbacks, and the property that under
// greedy decoding the fast path picks exactly the full filter's token, over
// many random logit vectors and grammar states.
#include "backends/grammar_sampler.h"

#include <gtest/gtest.h>
#include <llama.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "prompt/prompt.h"

namespace cmdai::detail {
namespace {

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};

// The tiny model's vocabulary (Qwen2's tokenizer), loaded once without weights.
class GrammarSamplerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    llama_log_set([](ggml_log_level, const char*, void*) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.vocab_only = true;
    model_.reset(llama_model_load_from_file(CMDAI_TINY_MODEL, mp));
    ASSERT_TRUE(model_) << CMDAI_TINY_MODEL;
    vocab_ = llama_model_get_vocab(model_.get());
    index_ = std::make_unique<TokenIndex>(vocab_);
    n_vocab_ = llama_vocab_n_tokens(vocab_);
    // Tokens the answer grammar often rejects inside a command: newlines,
    // backticks, ends of generation. Their logits are raised to force the
    // fallbacks.
    for (llama_token t = 0; t < n_vocab_; ++t) {
      char buf[256];
      const int n = llama_token_to_piece(vocab_, t, buf, sizeof(buf), 0, true);
      const std::string piece(buf, static_cast<size_t>(std::max(n, 0)));
      if (llama_vocab_is_eog(vocab_, t) || piece.find_first_of("\n`\t") != std::string::npos) awkward_.push_back(t);
    }
  }
  static void TearDownTestSuite() {
    index_.reset();
    model_.reset();
  }

  // The tokens the answer grammar's end may force (the ends of generation,
  // pieces of the closing fence): raised in the logits to reach its states.
  static std::vector<llama_token> Forced() {
    std::vector<llama_token> f;
    for (llama_token t : {llama_vocab_eos(vocab_), llama_vocab_eot(vocab_)})
      if (t >= 0) f.push_back(t);
    for (const char* piece : {"```", "``", "`", "\n", "\n```", "\n\n", "```\n"}) {
      llama_token t[4];
      if (llama_tokenize(vocab_, piece, static_cast<int32_t>(std::char_traits<char>::length(piece)), t, 4, false,
                         true) == 1)
        f.push_back(t[0]);
    }
    return f;
  }

  static GrammarSampler Greedy(const std::string& grammar) {
    auto s = GrammarSampler::Make(vocab_, grammar, 0.0f, 0, index_.get());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  static inline std::unique_ptr<llama_model, ModelFree> model_;
  static inline const llama_vocab* vocab_ = nullptr;
  static inline std::unique_ptr<TokenIndex> index_;
  static inline int n_vocab_ = 0;
  static inline std::vector<llama_token> awkward_;
};

TEST_F(GrammarSamplerTest, WithoutAGrammarEveryTokenPassesAndGreedyIsTheArgmax) {
  GrammarSampler s = Greedy("");
  std::vector<float> logits(static_cast<size_t>(n_vocab_), 0.0f);
  logits[1234] = 5.0f;
  EXPECT_TRUE(s.Check(awkward_.front()));
  EXPECT_EQ(s.Sample(logits.data()), 1234);
  EXPECT_EQ(s.SampleFullFilter(logits.data()), 1234);
}

TEST_F(GrammarSamplerTest, GrammarThatDoesNotParseIsABackendError) {
  auto s = GrammarSampler::Make(vocab_, "root ::= (", 0.0f, 0);
  EXPECT_EQ(s.status().code(), ErrorCode::kBackend);
}

TEST_F(GrammarSamplerTest, CheckFollowsTheGrammarAndAcceptAdvancesIt) {
  GrammarSampler s = Greedy(R"(root ::= "ab" "c")");
  llama_token a[8], c[8];
  ASSERT_EQ(llama_tokenize(vocab_, "ab", 2, a, 8, false, false), 1);
  ASSERT_EQ(llama_tokenize(vocab_, "c", 1, c, 8, false, false), 1);
  EXPECT_TRUE(s.Check(a[0]));
  EXPECT_FALSE(s.Check(c[0]));
  s.Accept(a[0]);
  EXPECT_TRUE(s.Check(c[0]));
  EXPECT_FALSE(s.Check(a[0]));
}

TEST_F(GrammarSamplerTest, RejectedPickFallsBackToTheLikeliestToken) {
  GrammarSampler s = Greedy(R"(root ::= [a-z]+)");
  llama_token x[8];
  ASSERT_EQ(llama_tokenize(vocab_, "x", 1, x, 8, false, false), 1);
  std::vector<float> logits(static_cast<size_t>(n_vocab_), 0.0f);
  for (size_t i = 0; i < 300 && i < awkward_.size(); ++i) logits[static_cast<size_t>(awkward_[i])] = 10.0f;
  logits[static_cast<size_t>(x[0])] = 9.0f;  // below hundreds of rejected tokens: past the top 64
  EXPECT_FALSE(s.Check(awkward_.front()));
  EXPECT_EQ(s.Sample(logits.data()), x[0]);
  EXPECT_EQ(s.SampleFullFilter(logits.data()), x[0]);
}

// The property: over random grammar states (random admissible prefixes of the
// real answer grammar, with and without explanation) and random logits
// (noise; rejected tokens raised above the rest; the grammar's forced tokens
// raised; rejected tokens over forced ones over a few others), the fast path and the full filter pick the same token.
TEST_F(GrammarSamplerTest, GreedyFastPathPicksTheFullFiltersTokenOnRandomLogitsAndStates) {
  std::mt19937 rng(20261127);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  const std::vector<llama_token> forced = Forced();
  int rejected_picks = 0, compared = 0;
  for (int trial = 0; trial < 50; ++trial) {
    GrammarSampler s = Greedy(AnswerGrammar(trial % 2 == 1));
    std::vector<float> logits(static_cast<size_t>(n_vocab_));
    // A random state: up to 12 admissible tokens, each picked on fresh noise.
    const int steps = static_cast<int>(rng() % 13);
    bool dead = false;
    for (int i = 0; i < steps && !dead; ++i) {
      for (auto& l : logits) l = noise(rng);
      const auto t = s.Sample(logits.data());
      if (!t || llama_vocab_is_eog(vocab_, *t)) {
        dead = true;
        break;
      }
      s.Accept(*t);
    }
    if (dead) continue;
    for (int shape = 0; shape < 4; ++shape) {
      for (auto& l : logits) l = noise(rng);
      if (shape == 3) {
        // More than 64 tokens this state rejects on top, the forced tokens
        // below them, and a few random tokens between: a forced token must
        // not win over a better token that fits.
        int raised = 0;
        for (size_t i = 0; i < awkward_.size() && raised < 100; ++i)
          if (!s.Check(awkward_[i])) {
            logits[static_cast<size_t>(awkward_[i])] = 40.0f + noise(rng);
            ++raised;
          }
        for (llama_token t : forced) logits[static_cast<size_t>(t)] = 20.0f + noise(rng);
        for (int i = 0; i < 20; ++i) logits[rng() % logits.size()] = 25.0f + noise(rng);
      }
      if (shape == 1 || shape == 2) {  // hundreds of mostly rejected tokens on top
        for (size_t i = 0; i < 400; ++i)
          logits[static_cast<size_t>(awkward_[rng() % awkward_.size()])] = 20.0f + noise(rng);
      }
      if (shape == 2)  // and the forced tokens somewhere below them
        for (llama_token t : forced) logits[static_cast<size_t>(t)] = 12.0f + noise(rng);
      const llama_token argmax =
          static_cast<llama_token>(std::max_element(logits.begin(), logits.end()) - logits.begin());
      if (!s.Check(argmax)) ++rejected_picks;
      const auto fast = s.Sample(logits.data());
      const auto full = s.SampleFullFilter(logits.data());
      ASSERT_EQ(fast.has_value(), full.has_value()) << "trial " << trial << " shape " << shape;
      if (full) {
        EXPECT_EQ(*fast, *full) << "trial " << trial << " shape " << shape;
      }
      ++compared;
    }
  }
  EXPECT_GE(compared, 100);
  EXPECT_GE(rejected_picks, 30);  // the fallbacks were exercised, not just the first check
}

TEST_F(GrammarSamplerTest, TokenIndexGroupsEveryTokenByItsFirstByte) {
  TokenIndex index(vocab_);
  const auto& groups = index.Groups();
  ASSERT_EQ(groups.size(), static_cast<size_t>(n_vocab_));
  size_t total = 0;
  for (uint32_t n : index.GroupSizes()) total += n;
  EXPECT_EQ(total, groups.size());
  llama_token fence[4];
  ASSERT_EQ(llama_tokenize(vocab_, "```", 3, fence, 4, false, false), 1);
  EXPECT_EQ(groups[static_cast<size_t>(fence[0])], '`');
  EXPECT_EQ(groups[static_cast<size_t>(llama_vocab_eos(vocab_))], TokenIndex::kEndOfGeneration);
  const llama_token a = index.ByteToken('a');
  ASSERT_GE(a, 0);
  char buf[8];
  ASSERT_EQ(llama_token_to_piece(vocab_, a, buf, sizeof(buf), 0, true), 1);
  EXPECT_EQ(buf[0], 'a');
  // Byte-level BPE has a token for every byte, the lead bytes of multi-byte
  // characters included.
  EXPECT_GE(index.ByteToken(0xe4), 0);
}

// "ü" and "é" share their first byte; a grammar that excludes "é" alone
// would reject that byte probed by itself, so the probe must not decide.
TEST_F(GrammarSamplerTest, FilteredPickKeepsACharacterWhoseFirstByteANegatedClassSharesWithAnExcludedOne) {
  llama_token u[4];
  ASSERT_EQ(llama_tokenize(vocab_, "\xc3\xbc", 2, u, 4, false, false), 1);
  std::vector<float> logits(static_cast<size_t>(n_vocab_), 0.0f);
  logits[static_cast<size_t>(u[0])] = 10.0f;
  for (const char* grammar : {R"(root ::= [^\u00e9\n]+)", R"(root ::= [^\xe9\n]+)", R"(root ::= [^é\n]+)"}) {
    GrammarSampler s = Greedy(grammar);
    EXPECT_EQ(s.SampleFiltered(logits.data()), u[0]) << grammar;
    EXPECT_EQ(s.SampleFullFilter(logits.data()), u[0]) << grammar;
  }
}

// The filtered path against the full filter: the answer grammar's states
// (where a closing fence or the end is forced, the case it is for), and
// grammars naming characters beyond ASCII in plain and negated classes,
// where probing a multi-byte character's first byte would not be exact.
TEST_F(GrammarSamplerTest, FilteredPickIsTheFullFiltersOnRandomLogitsStatesAndGrammars) {
  std::mt19937 rng(20261128);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  const std::vector<std::string> grammars = {AnswerGrammar(false), AnswerGrammar(true),
                                             R"(root ::= [^\n\u00e9\u4e00-\u4e20]+ "\n" "é"+ "`"?)",
                                             R"(root ::= ("ü" | [a-c] | [\u4e00-\u9fff])+ [^a-z\xe9]*)"};
  llama_token newline[4], fence[4];
  ASSERT_EQ(llama_tokenize(vocab_, "\n", 1, newline, 4, false, false), 1);
  ASSERT_EQ(llama_tokenize(vocab_, "```", 3, fence, 4, false, false), 1);
  int compared = 0, narrow = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const std::string& grammar = grammars[static_cast<size_t>(trial) % grammars.size()];
    GrammarSampler s = Greedy(grammar);
    std::vector<float> logits(static_cast<size_t>(n_vocab_));
    const int steps = 1 + static_cast<int>(rng() % 8);
    bool dead = false;
    for (int i = 0; i < steps && !dead; ++i) {
      for (auto& l : logits) l = noise(rng);
      const auto t = s.Sample(logits.data());
      if (!t || llama_vocab_is_eog(vocab_, *t))
        dead = true;
      else
        s.Accept(*t);
    }
    if (dead) continue;
    // Half the time end the command: the fence is then forced, then the end
    // or the explanation's newline.
    if (rng() % 2 == 0 && s.Check(newline[0])) {
      s.Accept(newline[0]);
      if (rng() % 2 == 0 && s.Check(fence[0])) s.Accept(fence[0]);
    }
    for (int shape = 0; shape < 3; ++shape) {
      for (auto& l : logits) l = noise(rng);
      if (shape == 1)
        for (size_t i = 0; i < 400; ++i)
          logits[static_cast<size_t>(awkward_[rng() % awkward_.size()])] = 20.0f + noise(rng);
      if (shape == 2)  // ties: the lower token id wins in both
        for (auto& l : logits) l = std::round(l);
      const auto filtered = s.SampleFiltered(logits.data());
      const auto full = s.SampleFullFilter(logits.data());
      ASSERT_EQ(filtered.has_value(), full.has_value()) << grammar << " trial " << trial << " shape " << shape;
      if (full) {
        EXPECT_EQ(*filtered, *full) << grammar << " trial " << trial << " shape " << shape;
      }
      ++compared;
    }
    // Count the states where few first bytes are left: the fast case.
    int bytes = 0;
    for (int b = 0; b < 128; ++b)
      if (index_->ByteToken(static_cast<uint8_t>(b)) >= 0 && s.Check(index_->ByteToken(static_cast<uint8_t>(b))))
        ++bytes;
    if (bytes <= 3) ++narrow;
  }
  EXPECT_GE(compared, 90);
  EXPECT_GE(narrow, 5);  // forced states were reached and compared
}

}  // namespace
}  // namespace cmdai::detail
