// SPDX-License-Identifier: MIT
// GrammarSampler: the sampler chain with a cheap grammar check and its exact
// fallbacks (see grammar_sampler.h).
#include "backends/grammar_sampler.h"

#include <algorithm>
#include <cmath>

namespace cmdai::detail {
namespace {

struct SamplerDeleter {
  void operator()(llama_sampler* s) const { llama_sampler_free(s); }
};
using SamplerPtr = std::unique_ptr<llama_sampler, SamplerDeleter>;

// How many of the likeliest tokens are checked one by one after a rejection.
constexpr size_t kTop = 64;
// After the likeliest and the forced tokens, at most this many tokens ranked
// between them are checked one by one before filtering the whole vocabulary.
constexpr size_t kBetween = 1024;

bool Better(const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; }

}  // namespace

struct GrammarSampler::Samplers {
  SamplerPtr chain;
  SamplerPtr grammar;
};

GrammarSampler::GrammarSampler(std::unique_ptr<Samplers> s, const llama_vocab* vocab, bool greedy,
                               std::vector<llama_token> forced)
    : s_(std::move(s)), n_vocab_(llama_vocab_n_tokens(vocab)), greedy_(greedy), forced_(std::move(forced)) {}
GrammarSampler::GrammarSampler(GrammarSampler&&) noexcept = default;
GrammarSampler& GrammarSampler::operator=(GrammarSampler&&) noexcept = default;
GrammarSampler::~GrammarSampler() = default;

Result<GrammarSampler> GrammarSampler::Make(const llama_vocab* vocab, const std::string& grammar, float temperature,
                                            uint32_t seed, std::vector<llama_token> forced) {
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
  return GrammarSampler(std::move(s), vocab, temperature <= 0, std::move(forced));
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

  // Steps where the answer's shape forces the next token (closing the fence,
  // ending the answer) rarely have it among the likeliest: try those few.
  for (llama_token t : forced_)
    if (t >= 0 && t < n_vocab_ && Check(t)) fits.push_back({t, logits[t], 0.0f});
  std::sort(fits.begin(), fits.end(), Better);
  if (!fits.empty() && greedy_) {
    // Exact for greedy: a token ranked between the likeliest and the best
    // forced one could fit too, and would win. Few of them: check each;
    // many: the full filter decides.
    const float floor = fits.front().logit;
    const float ceiling = top.empty() ? INFINITY : top.back().logit;
    std::vector<llama_token_data> between;
    for (llama_token t = 0; t < n_vocab_ && between.size() <= kBetween; ++t)
      if (logits[t] > floor && logits[t] <= ceiling &&
          std::none_of(top.begin(), top.end(), [t](const llama_token_data& d) { return d.id == t; }))
        between.push_back({t, logits[t], 0.0f});
    if (between.size() > kBetween) return SampleFullFilter(logits);
    std::sort(between.begin(), between.end(), Better);
    for (const auto& d : between)
      if (Check(d.id)) return d.id;
    return fits.front().id;
  }
  if (!fits.empty()) return PickAmong(fits);
  return SampleFullFilter(logits);
}

void GrammarSampler::Accept(llama_token id) {
  if (s_->grammar) llama_sampler_accept(s_->grammar.get(), id);
  llama_sampler_accept(s_->chain.get(), id);
}

}  // namespace cmdai::detail
