// SPDX-License-Identifier: MIT
// TokenIndex: tokens grouped by their text's first byte (see token_index.h).
#include "backends/token_index.h"

#include <vector>

namespace cmdai::detail {

void TokenIndex::Build() {
  const int n = llama_vocab_n_tokens(vocab_);
  group_.assign(static_cast<size_t>(n), kNever);
  byte_token_.fill(-1);
  sizes_.fill(0);
  char buf[256];
  for (llama_token t = 0; t < n; ++t) {
    uint16_t g = kNever;
    if (llama_vocab_is_eog(vocab_, t)) {
      g = kEndOfGeneration;
    } else {
      // The text the grammar sees: llama.cpp's piece cache renders special
      // tokens too. A negative length asks for a bigger buffer.
      int len = llama_token_to_piece(vocab_, t, buf, sizeof(buf), 0, true);
      std::vector<char> big;
      const char* text = buf;
      if (len < 0) {
        big.resize(static_cast<size_t>(-len));
        len = llama_token_to_piece(vocab_, t, big.data(), static_cast<int32_t>(big.size()), 0, true);
        text = big.data();
      }
      if (len > 0 && text[0] != 0) {
        const auto first = static_cast<uint8_t>(text[0]);
        g = first;
        if (len == 1 && byte_token_[first] < 0) byte_token_[first] = t;
      }
    }
    group_[static_cast<size_t>(t)] = g;
    ++sizes_[g];
  }
  built_ = true;
}

const std::vector<uint16_t>& TokenIndex::Groups() {
  if (!built_) Build();
  return group_;
}

llama_token TokenIndex::ByteToken(uint8_t byte) {
  if (!built_) Build();
  return byte_token_[byte];
}

const std::array<uint32_t, 258>& TokenIndex::GroupSizes() {
  if (!built_) Build();
  return sizes_;
}

}  // namespace cmdai::detail
