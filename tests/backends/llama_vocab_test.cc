// SPDX-License-Identifier: MIT
// The vocabulary llama.cpp loads for Qwen2 (the real tokenizer of the tiny
// test model), checked against what it must be. cmdai patches that load
// (scripts/llama-patches/0001-vocab-load-faster.patch: the special-token
// scan skips tokens early, the token-to-piece cache is filled on threads),
// so these check what the patch must not change: every token's piece, and
// which tokens end generation.
#include <gtest/gtest.h>
#include <llama.h>

#include <map>
#include <memory>
#include <set>
#include <string>

namespace {

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};

std::unique_ptr<llama_model, ModelFree> LoadVocab() {
  llama_model_params p = llama_model_default_params();
  p.vocab_only = true;
  return std::unique_ptr<llama_model, ModelFree>(llama_model_load_from_file(CMDAI_TINY_MODEL, p));
}

// GPT-2's byte-level encoding, as published with it: each byte is shown as
// one printable code point; a normal token's text is its bytes so shown.
std::map<char32_t, char> PrintableToByte() {
  std::map<char32_t, char> m;
  int next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    m[printable ? static_cast<char32_t>(b) : static_cast<char32_t>(next++)] = static_cast<char>(b);
  }
  return m;
}

// The bytes a normal token stands for; false if its text is not valid
// UTF-8 of printable code points.
bool DecodeText(const std::string& text, const std::map<char32_t, char>& to_byte, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    auto it = to_byte.find(cp);
    if (it == to_byte.end()) return false;
    out += it->second;
    i += len;
  }
  return true;
}

TEST(LlamaVocab, EveryTokensPieceIsItsTextDecoded) {
  auto model = LoadVocab();
  ASSERT_TRUE(model);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  const int n = llama_vocab_n_tokens(vocab);
  ASSERT_GT(n, 150000);  // Qwen2's 151,936: the cache is filled in several slices
  const auto to_byte = PrintableToByte();
  int normal = 0, special = 0;
  std::string want;
  for (llama_token id = 0; id < n; ++id) {
    const std::string text = llama_vocab_get_text(vocab, id);
    const llama_token_attr attr = llama_vocab_get_attr(vocab, id);
    char buf[512];
    const int len = llama_token_to_piece(vocab, id, buf, sizeof(buf), 0, true);
    ASSERT_GE(len, 0) << id;
    const std::string piece(buf, static_cast<size_t>(len));
    if (attr & (LLAMA_TOKEN_ATTR_CONTROL | LLAMA_TOKEN_ATTR_USER_DEFINED | LLAMA_TOKEN_ATTR_UNKNOWN)) {
      EXPECT_EQ(piece, text) << id;  // shown as written
      ++special;
    } else if (attr & LLAMA_TOKEN_ATTR_NORMAL) {
      ASSERT_TRUE(DecodeText(text, to_byte, want)) << id << " " << text;
      EXPECT_EQ(piece, want) << id << " " << text;
      ++normal;
    }
  }
  EXPECT_GT(normal, 150000);
  EXPECT_GT(special, 10);
}

TEST(LlamaVocab, QwenEndsGenerationAtItsEndTokensOnly) {
  auto model = LoadVocab();
  ASSERT_TRUE(model);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  auto id = [&](const char* text) {
    llama_token t = LLAMA_TOKEN_NULL;
    const int n =
        llama_tokenize(vocab, text, static_cast<int32_t>(std::char_traits<char>::length(text)), &t, 1, false, true);
    return n == 1 ? t : LLAMA_TOKEN_NULL;
  };
  const llama_token im_end = id("<|im_end|>"), endoftext = id("<|endoftext|>"), im_start = id("<|im_start|>");
  ASSERT_NE(im_end, LLAMA_TOKEN_NULL);
  ASSERT_NE(endoftext, LLAMA_TOKEN_NULL);
  ASSERT_NE(im_start, LLAMA_TOKEN_NULL);
  EXPECT_TRUE(llama_vocab_is_eog(vocab, im_end));
  EXPECT_TRUE(llama_vocab_is_eog(vocab, endoftext));
  EXPECT_FALSE(llama_vocab_is_eog(vocab, im_start));
  EXPECT_TRUE(llama_vocab_is_control(vocab, im_start));
  EXPECT_EQ(llama_vocab_eot(vocab), im_end);
  // Exactly these, found by their text (the unpatched llama.cpp v0.5.0 finds
  // the same three, and the same pieces; checked when the patch was written).
  std::set<std::string> eog;
  for (llama_token t = 0; t < llama_vocab_n_tokens(vocab); ++t)
    if (llama_vocab_is_eog(vocab, t)) eog.insert(llama_vocab_get_text(vocab, t));
  EXPECT_EQ(eog, (std::set<std::string>{"</s>", "<|endoftext|>", "<|im_end|>"}));
}

}  // namespace
