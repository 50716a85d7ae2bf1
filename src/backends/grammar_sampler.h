// SPDX-License-Identifier: MIT
// GrammarSampler: picks each answer token under the answer grammar, cheaply.
// The sampler chain (greedy, or top-k/top-p/temperature) picks a token; the
// grammar checks only that token. On a rejection the likeliest tokens are
// checked one by one; when none fits, the grammar has nearly decided the
// next character (a closing fence, the end), and only the tokens whose first
// byte it accepts are filtered (token_index.h), not the whole vocabulary.
// The pick is exactly the full filter's (tests/backends/grammar_sampler_test.cc
// checks it under greedy decoding on random logits, grammars and states).
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

#include "backends/token_index.h"
#include "common/status.h"

namespace cmdai::detail {

class GrammarSampler {
 public:
  /// `grammar`: GBNF with rule "root", "" for none. `temperature` <= 0 is
  /// greedy. `index`: the vocabulary's tokens by first byte, borrowed (it must
  /// outlive the sampler), null to filter the whole vocabulary when it must.
  /// Fails with kBackend when the grammar does not parse. Cost: parsing the
  /// grammar.
  static Result<GrammarSampler> Make(const llama_vocab* vocab, const std::string& grammar, float temperature,
                                     uint32_t seed, TokenIndex* index = nullptr);

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

  /// The same pick as SampleFullFilter, with the grammar asked only about
  /// the tokens whose first byte it accepts (token_index.h). Cost: a probe
  /// per first byte, a pass over the vocabulary, and one grammar step per
  /// token left: far below the full filter where the grammar's next
  /// character is nearly decided (a closing fence, the end).
  std::optional<llama_token> SampleFiltered(const float* logits);

  /// Advances the grammar and the chain past `id`.
  void Accept(llama_token id);

 private:
  struct Samplers;
  GrammarSampler(std::unique_ptr<Samplers> s, const llama_vocab* vocab, bool greedy, TokenIndex* index,
                 bool probe_non_ascii);
  std::optional<llama_token> PickAmong(std::vector<llama_token_data>& fits);
  std::optional<llama_token> AfterRejection(const float* logits);

  std::unique_ptr<Samplers> s_;
  int n_vocab_ = 0;
  bool greedy_ = true;
  TokenIndex* index_ = nullptr;
  bool probe_non_ascii_ = false;
  std::vector<llama_token_data> candidates_;  // reused: one vocabulary-sized array
};

}  // namespace cmdai::detail
