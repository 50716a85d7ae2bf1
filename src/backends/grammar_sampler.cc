// SPDX-License-Identifier: MIT
// GrammarSampler: the sampler chain with a cheap grammar check and its exact
// fallbacks (see grammar_sampler.h).
#include "backends/grammar_sampler.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace cmdai::detail {
namespace {

struct SamplerDeleter {
  void operator()(llama_sampler* s) const { llama_sampler_free(s); }
};
using SamplerPtr = std::unique_ptr<llama_sampler, SamplerDeleter>;

// How many of the likeliest tokens are checked one by one after a rejection.
constexpr size_t kTop = 64;

bool Better(const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; }

// True when no character the grammar names is beyond ASCII: no byte above
// 0x7f and no \u, \U or \x80-\xff escape (an escaped backslash before a
// "u" counts too: a false "no" only costs speed). Then every negated class
// excludes ASCII alone, and a probe with a lead byte of a multi-byte
// character is exact (see SampleFiltered).
bool AsciiOnly(const std::string& grammar) {
  for (size_t i = 0; i < grammar.size(); ++i) {
    const auto c = static_cast<unsigned char>(grammar[i]);
    if (c >= 0x80) return false;
    if (c != '\\' || i + 1 >= grammar.size()) continue;
    const char e = grammar[i + 1];
    if (e == 'u' || e == 'U') return false;
    if (e == 'x' && i + 2 < grammar.size() &&
        std::string_view("89abcdefABCDEF").find(grammar[i + 2]) != std::string_view::npos)
      return false;
  }
  return true;
}

}  // namespace

struct GrammarSampler::Samplers {
  SamplerPtr chain;
  SamplerPtr grammar;
};

GrammarSampler::GrammarSampler(std::unique_ptr<Samplers> s, const llama_vocab* vocab, bool greedy, TokenIndex* index,
                               bool probe_non_ascii)
    : s_(std::move(s)),
      n_vocab_(llama_vocab_n_tokens(vocab)),
      greedy_(greedy),
      index_(index),
      probe_non_ascii_(probe_non_ascii) {}
GrammarSampler::GrammarSampler(GrammarSampler&&) noexcept = default;
GrammarSampler& GrammarSampler::operator=(GrammarSampler&&) noexcept = default;
GrammarSampler::~GrammarSampler() = default;

Result<GrammarSampler> GrammarSampler::Make(const llama_vocab* vocab, const std::string& grammar, float temperature,
                                            uint32_t seed, TokenIndex* index) {
  auto s = std::make_unique<Samplers>();
  s->chain.reset(llama_sampler_chain_init(llama_sampler_chain_default_params()));
  if (temperature > 0) {
    llama_sampler_chain_add(s->chain.get(), llama_sampler_init_top_k(40));
    llama_sampler_chain_add(s->chain.get(), llama_sampler_init_top_p(0.95f, 1));
    llama_sampler_chain_add(s->chain.get(), llama_sampler_init_temp(temperature));
    llama_sampler_chain_add(s->chain.get(), llama_sampler_init_dist(seed));
  } else {
    llama_sampler_chain_add(s->chain.get(), llama_sampler_init_greedy());
  }
  if (!grammar.empty()) {
    s->grammar.reset(llama_sampler_init_grammar(vocab, grammar.c_str(), "root"));
    if (!s->grammar) return Status::Error(ErrorCode::kBackend, "the answer grammar does not parse (a bug in cmdai)");
  }
  return GrammarSampler(std::move(s), vocab, temperature <= 0, index, AsciiOnly(grammar));
}

bool GrammarSampler::Check(llama_token id) {
  if (!s_->grammar) return true;
  llama_token_data single = {id, 1.0f, 0.0f};
  llama_token_data_array one = {&single, 1, -1, false};
  llama_sampler_apply(s_->grammar.get(), &one);
  return !(std::isinf(single.logit) && single.logit < 0);
}

std::optional<llama_token> GrammarSampler::PickAmong(std::vector<llama_token_data>& fits) {
  llama_token_data_array few = {fits.data(), fits.size(), -1, false};
  llama_sampler_apply(s_->chain.get(), &few);
  return few.data[few.selected].id;
}

std::optional<llama_token> GrammarSampler::SampleFullFilter(const float* logits) {
  candidates_.resize(static_cast<size_t>(n_vocab_));
  for (llama_token id = 0; id < n_vocab_; ++id) candidates_[static_cast<size_t>(id)] = {id, logits[id], 0.0f};
  llama_token_data_array cur = {candidates_.data(), candidates_.size(), -1, false};
  if (s_->grammar) llama_sampler_apply(s_->grammar.get(), &cur);
  llama_sampler_apply(s_->chain.get(), &cur);
  if (cur.selected < 0 || std::isinf(cur.data[cur.selected].logit)) return std::nullopt;  // grammar dead end
  return cur.data[cur.selected].id;
}

std::optional<llama_token> GrammarSampler::SampleFiltered(const float* logits) {
  if (!s_->grammar || index_ == nullptr) return SampleFullFilter(logits);
  // A group of tokens is filtered only when the grammar accepts its first
  // byte alone. Exact: a grammar that accepts a token accepts each prefix of
  // its characters. For an ASCII byte the probe is that whole character. For
  // a byte of a multi-byte character the probe is an unfinished character,
  // which llama.cpp accepts when some character it could finish as is
  // allowed, except that a negated class rejects it when any excluded
  // character could be the one: exact only when the grammar excludes ASCII
  // alone (AsciiOnly), so other grammars filter those groups whole.
  const auto& groups = index_->Groups();
  const auto& sizes = index_->GroupSizes();
  std::array<bool, 258> take{};
  take[TokenIndex::kEndOfGeneration] = true;
  for (int b = 0; b < 256; ++b) {
    if (sizes[static_cast<size_t>(b)] == 0) continue;
    const llama_token probe = index_->ByteToken(static_cast<uint8_t>(b));
    take[static_cast<size_t>(b)] = probe < 0 || (b >= 0x80 && !probe_non_ascii_) || Check(probe);
  }
  // In token order, as the full filter sees them, so ties break alike.
  candidates_.clear();
  for (llama_token t = 0; t < n_vocab_; ++t)
    if (take[groups[static_cast<size_t>(t)]]) candidates_.push_back({t, logits[t], 0.0f});
  if (candidates_.empty()) return std::nullopt;
  llama_token_data_array cur = {candidates_.data(), candidates_.size(), -1, false};
  llama_sampler_apply(s_->grammar.get(), &cur);
  llama_sampler_apply(s_->chain.get(), &cur);
  if (cur.selected < 0 || std::isinf(cur.data[cur.selected].logit)) return std::nullopt;  // grammar dead end
  return cur.data[cur.selected].id;
}

llama_token GrammarSampler::Pick(const float* logits) {
  // Greedy is the argmax straight off the logits, with no vocabulary-sized array.
  if (greedy_) return static_cast<llama_token>(std::max_element(logits, logits + n_vocab_) - logits);
  candidates_.resize(static_cast<size_t>(n_vocab_));
  for (llama_token t = 0; t < n_vocab_; ++t) candidates_[static_cast<size_t>(t)] = {t, logits[t], 0.0f};
  llama_token_data_array cur = {candidates_.data(), candidates_.size(), -1, false};
  llama_sampler_apply(s_->chain.get(), &cur);
  return cur.data[cur.selected].id;
}

std::optional<llama_token> GrammarSampler::Sample(const float* logits) {
  const llama_token id = Pick(logits);
  if (Check(id)) return id;
  return AfterRejection(logits);
}

std::optional<llama_token> GrammarSampler::AfterRejection(const float* logits) {
  // Rejected. Filtering the whole vocabulary through the grammar costs 10-20x
  // a GPU decode step, so first the 64 likeliest tokens, found in one pass
  // over the logits (a min-heap; most logits fail the first comparison), are
  // checked best first.
  auto worse = [](const llama_token_data& a, const llama_token_data& b) { return Better(a, b); };
  std::vector<llama_token_data> top;
  top.reserve(kTop);
  for (llama_token t = 0; t < n_vocab_; ++t) {
    if (top.size() < kTop) {
      top.push_back({t, logits[t], 0.0f});
      std::push_heap(top.begin(), top.end(), worse);
    } else if (logits[t] > top.front().logit) {
      std::pop_heap(top.begin(), top.end(), worse);
      top.back() = {t, logits[t], 0.0f};
      std::push_heap(top.begin(), top.end(), worse);
    }
  }
  std::sort_heap(top.begin(), top.end(), worse);
  std::vector<llama_token_data> fits;
  for (size_t i = 0; i < top.size() && (fits.empty() || !greedy_); ++i)
    if (Check(top[i].id)) fits.push_back(top[i]);
  if (!fits.empty()) return PickAmong(fits);
  // None of them: the grammar has nearly decided the next character (a
  // closing fence, the end), so few tokens are left to look at.
  return SampleFiltered(logits);
}

void GrammarSampler::Accept(llama_token id) {
  if (s_->grammar) llama_sampler_accept(s_->grammar.get(), id);
  llama_sampler_accept(s_->chain.get(), id);
}

}  // namespace cmdai::detail
