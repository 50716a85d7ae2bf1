// SPDX-License-Identifier: MIT
// make-test-model: writes a GGUF file in the Qwen2 architecture with random
// weights, the real Qwen2 tokenizer and the Qwen2.5 Instruct chat template.
// Such a model loads, tokenizes and runs exactly like the real one, at the
// same speed for the same shape; its answers are meaningless. Tests and
// benchmarks generate these at run time; none is ever committed.
//
//   make-test-model SHAPE OUT.gguf [--vocab PATH] [--template PATH] [--seed N]
//
// SHAPE is `tiny` (a few MB, for tests) or `qwen2.5-1.5b` (the real model's
// shapes in Q4_K_M, ~1 GB, for benchmarks).

#include <ggml.h>
#include <gguf.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/unique_file.h"

namespace {

struct Shape {
  const char* name;
  uint32_t n_layer, n_embd, n_ff, n_head, n_head_kv, n_ctx_train;
  ggml_type embd_type;  // token_embd (also the output layer: embeddings are tied)
  bool q4_k_m;          // apply llama.cpp's Q4_K_M mix to layer matrices; else F32
  float embd_spread;    // token embedding values lie in ±embd_spread
  float layer_gain;     // layer matrices lie in ±layer_gain/sqrt(fan_in)
};

constexpr Shape kShapes[] = {
    // Its layers outweigh its embeddings, so each next token depends on the whole
    // context rather than echoing the last one: greedy answers then wander
    // through the vocabulary and reach a newline (and so finish) instead of
    // repeating one token forever.
    {"tiny", 2, 64, 128, 4, 2, 4096, GGML_TYPE_Q4_0, false, 0.1f, 4.0f},
    // Qwen2.5-Coder-1.5B-Instruct: 28 layers, 1536 wide, 8960 FFN, 12/2 heads.
    {"qwen2.5-1.5b", 28, 1536, 8960, 12, 2, 32768, GGML_TYPE_Q6_K, true, 1.0f, 1.0f},
};

// splitmix64: tiny, fast and identical on every platform, so a given seed
// always yields the same model (std::*_distribution is implementation-defined).
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  float Uniform() { return static_cast<float>(Next() >> 40) / static_cast<float>(1 << 24) * 2.0f - 1.0f; }
};

// llama.cpp's Q4_K_M rule (llama-quant.cpp, use_more_bits): the first and last
// eighth of the layers and every third one between keep attn_v/ffn_down at Q6_K.
bool UseMoreBits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

struct TensorSpec {
  std::string name;
  std::vector<int64_t> ne;
  ggml_type type;
  float center, spread;  // values are center + spread * U(-1, 1)
};

std::vector<TensorSpec> Tensors(const Shape& s) {
  const int64_t head_dim = s.n_embd / s.n_head;
  const int64_t kv = head_dim * s.n_head_kv;
  const float w = s.layer_gain / std::sqrt(static_cast<float>(s.n_embd));
  std::vector<TensorSpec> t;
  t.push_back({"token_embd.weight", {s.n_embd, 151936}, s.embd_type, 0, s.embd_spread});
  t.push_back({"output_norm.weight", {s.n_embd}, GGML_TYPE_F32, 1, 0.1f});
  for (uint32_t i = 0; i < s.n_layer; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    const ggml_type base = s.q4_k_m ? GGML_TYPE_Q4_K : GGML_TYPE_F32;
    const ggml_type more =
        s.q4_k_m && UseMoreBits(static_cast<int>(i), static_cast<int>(s.n_layer)) ? GGML_TYPE_Q6_K : base;
    t.push_back({p + "attn_norm.weight", {s.n_embd}, GGML_TYPE_F32, 1, 0.1f});
    t.push_back({p + "attn_q.weight", {s.n_embd, s.n_embd}, base, 0, w});
    t.push_back({p + "attn_q.bias", {s.n_embd}, GGML_TYPE_F32, 0, 0.1f});
    t.push_back({p + "attn_k.weight", {s.n_embd, kv}, base, 0, w});
    t.push_back({p + "attn_k.bias", {kv}, GGML_TYPE_F32, 0, 0.1f});
    t.push_back({p + "attn_v.weight", {s.n_embd, kv}, more, 0, w});
    t.push_back({p + "attn_v.bias", {kv}, GGML_TYPE_F32, 0, 0.1f});
    t.push_back({p + "attn_output.weight", {s.n_embd, s.n_embd}, base, 0, w});
    t.push_back({p + "ffn_norm.weight", {s.n_embd}, GGML_TYPE_F32, 1, 0.1f});
    t.push_back({p + "ffn_gate.weight", {s.n_embd, s.n_ff}, base, 0, w});
    t.push_back({p + "ffn_up.weight", {s.n_embd, s.n_ff}, base, 0, w});
    t.push_back(
        {p + "ffn_down.weight", {s.n_ff, s.n_embd}, more, 0, s.layer_gain / std::sqrt(static_cast<float>(s.n_ff))});
  }
  return t;
}

// Quantizing 1.5 B random values would take minutes on a small machine, so each
// (type, row length, scale) gets a pool of quantized random rows that tensors
// draw from. The values are still random-looking and every block is valid.
class RowPool {
 public:
  // rows: how many distinct rows to make; tensors with more rows reuse them.
  const std::vector<uint8_t>& Get(ggml_type type, int64_t n_per_row, int64_t rows, float center, float spread,
                                  Rng& rng) {
    std::ostringstream key;
    key << type << '/' << n_per_row << '/' << rows << '/' << center << '/' << spread;
    auto it = pools_.find(key.str());
    if (it != pools_.end()) return it->second;
    std::vector<float> src(static_cast<size_t>(n_per_row * rows));
    for (auto& v : src) v = center + spread * rng.Uniform();
    std::vector<uint8_t> dst(ggml_row_size(type, n_per_row) * rows);
    if (type == GGML_TYPE_F32) {
      std::memcpy(dst.data(), src.data(), dst.size());
    } else {
      ggml_quantize_chunk(type, src.data(), dst.data(), 0, rows, n_per_row, nullptr);
    }
    return pools_.emplace(key.str(), std::move(dst)).first->second;
  }
  // Tensors up to this many values get all-distinct rows (every token of the
  // tiny model its own embedding); larger ones draw from this many rows.
  static constexpr int64_t kDistinctValues = 16 << 20;
  static constexpr int64_t kPoolRows = 256;

 private:
  std::map<std::string, std::vector<uint8_t>> pools_;
};

int Fail(const std::string& msg) {
  std::fprintf(stderr, "make-test-model: error: %s\n", msg.c_str());
  return 1;
}

int Usage() {
  std::fprintf(stderr,
               "usage: make-test-model SHAPE OUT.gguf [--vocab PATH] [--template PATH] [--seed N]\n"
               "  SHAPE: tiny | qwen2.5-1.5b\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  std::string vocab_path = CMDAI_TEST_VOCAB;
  std::string template_path = CMDAI_TEST_TEMPLATE;
  uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--vocab" || a == "--template" || a == "--seed") {
      const char* v = next();
      if (!v) return Usage();
      if (a == "--vocab")
        vocab_path = v;
      else if (a == "--template")
        template_path = v;
      else
        seed = std::strtoull(v, nullptr, 10);
    } else if (a == "-h" || a == "--help") {
      Usage();
      return 0;
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2) return Usage();
  const Shape* shape = nullptr;
  for (const auto& s : kShapes)
    if (pos[0] == s.name) shape = &s;
  if (!shape) return Fail("unknown shape '" + pos[0] + "'; use tiny or qwen2.5-1.5b");
  const std::string out = pos[1];

  std::ifstream tf(template_path);
  if (!tf) return Fail("cannot read chat template '" + template_path + "'; pass --template PATH");
  std::stringstream tmpl;
  tmpl << tf.rdbuf();

  gguf_init_params vp = {/*no_alloc=*/true, /*ctx=*/nullptr};
  std::unique_ptr<gguf_context, decltype(&gguf_free)> vocab(gguf_init_from_file(vocab_path.c_str(), vp), gguf_free);
  if (!vocab) return Fail("cannot read vocabulary '" + vocab_path + "'; pass --vocab PATH");

  std::unique_ptr<gguf_context, decltype(&gguf_free)> g(gguf_init_empty(), gguf_free);
  gguf_set_kv(g.get(), vocab.get());  // the tokenizer.ggml.* keys
  gguf_set_val_str(g.get(), "general.architecture", "qwen2");
  gguf_set_val_str(g.get(), "general.name", (std::string("cmdai test model ") + shape->name).c_str());
  gguf_set_val_u32(g.get(), "general.file_type", shape->q4_k_m ? 15 /*MOSTLY_Q4_K_M*/ : 2 /*MOSTLY_Q4_0*/);
  gguf_set_val_u32(g.get(), "qwen2.block_count", shape->n_layer);
  gguf_set_val_u32(g.get(), "qwen2.context_length", shape->n_ctx_train);
  gguf_set_val_u32(g.get(), "qwen2.embedding_length", shape->n_embd);
  gguf_set_val_u32(g.get(), "qwen2.feed_forward_length", shape->n_ff);
  gguf_set_val_u32(g.get(), "qwen2.attention.head_count", shape->n_head);
  gguf_set_val_u32(g.get(), "qwen2.attention.head_count_kv", shape->n_head_kv);
  gguf_set_val_f32(g.get(), "qwen2.rope.freq_base", 1000000.0f);
  gguf_set_val_f32(g.get(), "qwen2.attention.layer_norm_rms_epsilon", 1e-6f);
  gguf_set_val_str(g.get(), "tokenizer.chat_template", tmpl.str().c_str());

  const auto specs = Tensors(*shape);
  ggml_init_params ip = {/*mem_size=*/ggml_tensor_overhead() * (specs.size() + 1), /*mem_buffer=*/nullptr,
                         /*no_alloc=*/true};
  std::unique_ptr<ggml_context, decltype(&ggml_free)> meta(ggml_init(ip), ggml_free);
  for (const auto& s : specs) {
    ggml_tensor* t = s.ne.size() == 1 ? ggml_new_tensor_1d(meta.get(), s.type, s.ne[0])
                                      : ggml_new_tensor_2d(meta.get(), s.type, s.ne[0], s.ne[1]);
    ggml_set_name(t, s.name.c_str());
    gguf_add_tensor(g.get(), t);
  }

  // Write to a temporary name and rename, so a reader never sees half a file.
  const std::string tmp = out + ".tmp";
  cmdai::UniqueFile f(std::fopen(tmp.c_str(), "wb"));
  if (!f) return Fail("cannot write '" + tmp + "'");
  if (!gguf_write_to_file_ptr(g.get(), f.get(), /*only_meta=*/true)) return Fail("writing metadata failed");

  Rng rng{seed};
  RowPool pool;
  const size_t align = gguf_get_alignment(g.get());
  std::vector<uint8_t> zeros(align, 0);
  for (const auto& s : specs) {
    const int64_t rows = s.ne.size() == 1 ? 1 : s.ne[1];
    const bool distinct = rows * s.ne[0] <= RowPool::kDistinctValues;
    const int64_t pool_rows = distinct ? rows : RowPool::kPoolRows;
    const auto& rowbuf = pool.Get(s.type, s.ne[0], pool_rows, s.center, s.spread, rng);
    const size_t row_bytes = ggml_row_size(s.type, s.ne[0]);
    for (int64_t r = 0; r < rows; ++r) {
      const size_t pick = distinct ? static_cast<size_t>(r) : rng.Next() % RowPool::kPoolRows;
      if (std::fwrite(rowbuf.data() + pick * row_bytes, 1, row_bytes, f.get()) != row_bytes)
        return Fail("write failed (disk full?)");
    }
    const size_t nbytes = row_bytes * rows;
    const size_t pad = (align - nbytes % align) % align;
    if (pad && std::fwrite(zeros.data(), 1, pad, f.get()) != pad) return Fail("write failed (disk full?)");
  }
  if (std::fflush(f.get()) != 0) return Fail("write failed (disk full?)");
  f.reset();
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) return Fail("cannot rename '" + tmp + "' to '" + out + "': " + ec.message());
  return 0;
}
