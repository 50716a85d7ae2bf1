// SPDX-License-Identifier: MIT
// TokenIndex: a vocabulary's tokens grouped by the first byte of their text,
// so the grammar need not look at every token. A grammar that rejects a
// byte rejects every token whose text starts with it; asking the grammar
// about the one-byte token for each first byte (a probe) rules out whole
// groups, and only the tokens of the groups left are filtered one by one
// (grammar_sampler.cc says when that is exact).
//
// Internal to src/backends (it speaks llama.cpp's types). Thread-safety: one
// thread at a time. Ownership: borrows the vocab, which must outlive it.
#pragma once

#include <llama.h>

#include <array>
#include <cstdint>
#include <vector>

namespace cmdai::detail {

class TokenIndex {
 public:
  /// Cheap: the groups are built on first use.
  explicit TokenIndex(const llama_vocab* vocab) : vocab_(vocab) {}

  /// A token's group: its text's first byte (0-255), kEndOfGeneration, or
  /// kNever for a token a grammar always rejects (empty text, or text that
  /// starts with a NUL byte, as llama.cpp's grammar does). The first call
  /// builds the groups: one llama_token_to_piece per vocabulary token, a few
  /// milliseconds for a 150k-token vocabulary.
  static constexpr uint16_t kEndOfGeneration = 256;
  static constexpr uint16_t kNever = 257;
  const std::vector<uint16_t>& Groups();

  /// The token whose whole text is `byte`, or -1 when the vocabulary has
  /// none (then that group cannot be probed).
  llama_token ByteToken(uint8_t byte);

  /// How many tokens fall into each group (index as Groups()' values).
  const std::array<uint32_t, 258>& GroupSizes();

 private:
  void Build();

  const llama_vocab* vocab_;
  bool built_ = false;
  std::vector<uint16_t> group_;
  std::array<llama_token, 256> byte_token_{};
  std::array<uint32_t, 258> sizes_{};
};

}  // namespace cmdai::detail
