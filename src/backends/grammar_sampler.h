// SPDX-License-Identifier: MIT
// GrammarSampler: picks each answer token under the answer grammar, cheaply.
// The sampler chain (greedy, or top-k/top-p/temperature) picks a token; the
// grammar checks only that token. On a rejection the likeliest tokens are
// checked one by one, then the few tokens the answer's shape forces (fence,
// end of generation); only when that cannot decide is the whole vocabulary
// filtered. Under greedy decoding the pick is exactly the full filter's
// (tests/backends/grammar_sampler_test.cc checks it on random logits and
// grammar states).
//
// Internal to src/backends (it speaks llama.cpp's types). Thread-safety: one
// thread at a time. Ownership: holds its llama samplers; borrows the vocab,
// which must outlive it.
#pragma once

#include <llama.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai::detail {

class GrammarSampler {
 public:
  /// `grammar`: GBNF with rule "root", "" for none. `temperature` <= 0 is
  /// greedy. `forced`: tokens the grammar's shape may force (see above).
  /// Fails with kBackend when the grammar does not parse. Cost: parsing the
  /// grammar.
  static Result<GrammarSampler> Make(const llama_vocab* vocab, const std::string& grammar, float temperature,
                                     uint32_t seed, std::vector<llama_token> forced);

  GrammarSampler(GrammarSampler&&) noexcept;
  GrammarSampler& operator=(GrammarSampler&&) noexcept;
  ~GrammarSampler();

  /// True when the grammar accepts `id` next (always without a grammar).
  /// Cost: one grammar step on one token.
  bool Check(llama_token id);

  /// The chain's own pick for `logits`, the grammar not consulted (what
  /// teacher forcing pays for before putting the answer's token in its place).
  llama_token Pick(const float* logits);

  /// The next token for `logits` (vocabulary-sized): the fast path. Nothing
  /// when the grammar admits no token (a dead end). Does not change the
  /// grammar's state; Accept does.
  std::optional<llama_token> Sample(const float* logits);

  /// The reference: the whole vocabulary through the grammar, then the chain.
  /// Cost: one grammar step per vocabulary token.
  std::optional<llama_token> SampleFullFilter(const float* logits);

  /// Advances the grammar and the chain past `id`.
  void Accept(llama_token id);

 private:
  struct Samplers;
  GrammarSampler(std::unique_ptr<Samplers> s, const llama_vocab* vocab, bool greedy, std::vector<llama_token> forced);
  std::optional<llama_token> PickAmong(std::vector<llama_token_data>& fits);
  std::optional<llama_token> AfterRejection(const float* logits);

  std::unique_ptr<Samplers> s_;
  int n_vocab_ = 0;
  bool greedy_ = true;
  std::vector<llama_token> forced_;
  std::vector<llama_token_data> candidates_;  // reused: one vocabulary-sized array
};

}  // namespace cmdai::detail
