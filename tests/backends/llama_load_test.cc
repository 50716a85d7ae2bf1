// SPDX-License-Identifier: MIT
// llama.cpp's model load with the two options cmdai's patches add:
// wait_for_backends (scripts/llama-patches/0002: the GPU backend loads on
// another thread while the model's metadata and vocabulary are read) and
// vocab_alongside_tensors (0003: the vocabulary is read on a thread while
// the tensors load). These check what the patches promise in llama.h: the
// hook runs once, after the vocabulary is read and before any tensor is laid
// out; returning false cancels; the vocabulary read alongside is the same
// one, and its errors still fail the load; loads without them are as before.
#include <gtest/gtest.h>
#include <llama.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "support/llama_log_capture.h"

namespace {

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
using ModelPtr = std::unique_ptr<llama_model, ModelFree>;

using LogCapture = cmdai::test::LlamaLogCapture;

struct Hook {
  explicit Hook(LogCapture* l, bool r = true) : log(l), result(r) {}
  LogCapture* log;
  bool result;
  int calls = 0;
  std::string log_then;  // the log when the hook ran
  static bool Wait(void* self) {
    auto* h = static_cast<Hook*>(self);
    ++h->calls;
    h->log_then = h->log->Text();
    return h->result;
  }
};

ModelPtr Load(Hook* hook, bool vocab_only = false, bool alongside = false,
              const llama_model_kv_override* overrides = nullptr) {
  llama_model_params p = llama_model_default_params();
  p.n_gpu_layers = 0;
  p.vocab_only = vocab_only;
  p.vocab_alongside_tensors = alongside;
  p.kv_overrides = overrides;
  if (hook) {
    p.wait_for_backends = &Hook::Wait;
    p.wait_for_backends_user_data = hook;
  }
  return ModelPtr(llama_model_load_from_file(CMDAI_TINY_MODEL, p));
}

TEST(LlamaLoad, TheDefaultParametersHaveNoHook) {
  const llama_model_params p = llama_model_default_params();
  EXPECT_EQ(p.wait_for_backends, nullptr);
  EXPECT_EQ(p.wait_for_backends_user_data, nullptr);
  EXPECT_FALSE(p.vocab_alongside_tensors);
}

TEST(LlamaLoad, TheHookRunsOnceAfterTheVocabularyAndBeforeTheTensors) {
  LogCapture log;
  Hook hook(&log);
  ModelPtr model = Load(&hook);
  ASSERT_TRUE(model);
  EXPECT_EQ(hook.calls, 1);
  // print_info's vocabulary lines come after the vocabulary is read;
  // load_tensors' first line comes once the devices are chosen.
  EXPECT_NE(hook.log_then.find("n_vocab"), std::string::npos) << hook.log_then;
  EXPECT_EQ(hook.log_then.find("loading model tensors"), std::string::npos) << hook.log_then;
  EXPECT_NE(log.Text().find("loading model tensors"), std::string::npos);
  // The model is whole: the vocabulary and the weights a decode needs.
  ModelPtr vocab = Load(nullptr, /*vocab_only=*/true);
  ASSERT_TRUE(vocab);
  EXPECT_EQ(llama_vocab_n_tokens(llama_model_get_vocab(model.get())),
            llama_vocab_n_tokens(llama_model_get_vocab(vocab.get())));
  EXPECT_GT(llama_model_n_params(model.get()), 0u);
}

TEST(LlamaLoad, AHookThatReturnsFalseCancelsTheLoad) {
  LogCapture log;
  Hook hook(&log, false);
  EXPECT_FALSE(Load(&hook));
  EXPECT_EQ(hook.calls, 1);
  EXPECT_EQ(log.Text().find("loading model tensors"), std::string::npos);
}

TEST(LlamaLoad, AVocabularyOnlyLoadDoesNotCallTheHook) {
  LogCapture log;
  Hook hook(&log);
  EXPECT_TRUE(Load(&hook, /*vocab_only=*/true));
  EXPECT_EQ(hook.calls, 0);
}

TEST(LlamaLoad, ALoadWithoutTheHookIsUnchanged) {
  LogCapture log;
  ModelPtr model = Load(nullptr);
  ASSERT_TRUE(model);
  EXPECT_NE(log.Text().find("loading model tensors"), std::string::npos);
}

// Everything a request reads from the vocabulary, and the logits of a
// short decode: equal for two models means the same model.
struct Fingerprint {
  std::vector<std::string> pieces;
  std::vector<bool> eog;
  std::vector<llama_token> tokens;
  std::vector<float> logits;
};
Fingerprint Take(llama_model* model) {
  Fingerprint f;
  const llama_vocab* v = llama_model_get_vocab(model);
  char buf[256];
  for (llama_token t = 0; t < llama_vocab_n_tokens(v); ++t) {
    const int n = llama_token_to_piece(v, t, buf, sizeof(buf), 0, true);
    f.pieces.emplace_back(buf, n > 0 ? n : 0);
    f.eog.push_back(llama_vocab_is_eog(v, t));
  }
  const std::string text = "<|im_start|>user\nlist the files in /tmp, largest first<|im_end|>\n";
  f.tokens.resize(64);
  const int n = llama_tokenize(v, text.c_str(), static_cast<int32_t>(text.size()), f.tokens.data(), 64, false, true);
  f.tokens.resize(n > 0 ? n : 0);
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = 128;
  cp.n_batch = 64;
  cp.n_threads = cp.n_threads_batch = 1;
  std::unique_ptr<llama_context, void (*)(llama_context*)> ctx(llama_init_from_model(model, cp), llama_free);
  if (ctx && !f.tokens.empty() &&
      llama_decode(ctx.get(), llama_batch_get_one(f.tokens.data(), static_cast<int32_t>(f.tokens.size()))) == 0) {
    const float* l = llama_get_logits_ith(ctx.get(), -1);
    f.logits.assign(l, l + llama_vocab_n_tokens(v));
  }
  return f;
}

TEST(LlamaLoad, TheVocabularyReadAlongsideTheTensorsIsTheSameModel) {
  LogCapture log;
  ModelPtr plain = Load(nullptr);
  const size_t before = log.Text().size();
  Hook hook(&log);
  ModelPtr alongside = Load(&hook, false, /*alongside=*/true);
  ASSERT_TRUE(plain);
  ASSERT_TRUE(alongside);
  EXPECT_EQ(hook.calls, 1);
  // The option took: the vocabulary's summary is printed once it is joined,
  // after the tensors' load began (without it, before).
  const std::string log_alongside = log.Text().substr(before);
  EXPECT_LT(log_alongside.find("loading model tensors"), log_alongside.find("n_vocab")) << log_alongside;
  const Fingerprint a = Take(plain.get());
  const Fingerprint b = Take(alongside.get());
  ASSERT_GT(a.pieces.size(), 100000u);
  EXPECT_EQ(a.pieces, b.pieces);
  EXPECT_EQ(a.eog, b.eog);
  ASSERT_GT(a.tokens.size(), 5u);
  EXPECT_EQ(a.tokens, b.tokens);
  ASSERT_FALSE(a.logits.empty());
  EXPECT_EQ(a.logits, b.logits);  // the same weights and the same graph, bit for bit
}

TEST(LlamaLoad, AVocabularyThatFailsAlongsideTheTensorsFailsTheLoad) {
  // An unknown tokenizer: llama_vocab::load throws on the vocabulary's thread
  // after the tensors have begun to load; the load must end, not crash.
  llama_model_kv_override overrides[2] = {};
  std::snprintf(overrides[0].key, sizeof(overrides[0].key), "tokenizer.ggml.model");
  overrides[0].tag = LLAMA_KV_OVERRIDE_TYPE_STR;
  std::snprintf(overrides[0].val_str, sizeof(overrides[0].val_str), "no-such-tokenizer");
  LogCapture log;
  EXPECT_FALSE(Load(nullptr, false, /*alongside=*/true, overrides));
  EXPECT_NE(log.Text().find("error loading model vocabulary"), std::string::npos) << log.Text();
  EXPECT_FALSE(Load(nullptr, false, /*alongside=*/false, overrides));  // as without the option
}

}  // namespace
