// SPDX-License-Identifier: MIT
// llama.cpp's model load with wait_for_backends, the hook cmdai adds
// (scripts/llama-patches/0002-devices-after-vocabulary.patch) so that the
// GPU backend loads on another thread while the model's metadata and
// vocabulary are read. These check what the patch promises in llama.h: the
// hook runs once, after the vocabulary is read and before any tensor is
// laid out; returning false cancels; vocab_only loads and loads without it
// are as before.
#include <gtest/gtest.h>
#include <llama.h>

#include <memory>
#include <mutex>
#include <string>

namespace {

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
using ModelPtr = std::unique_ptr<llama_model, ModelFree>;

// Keeps llama.cpp's log for the test's duration, then gives the process's
// logger back (other tests in this binary rely on cmdai's).
class LogCapture {
 public:
  LogCapture() {
    llama_log_get(&saved_, &saved_data_);
    llama_log_set(&LogCapture::On, this);
  }
  ~LogCapture() { llama_log_set(saved_, saved_data_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string Text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  static void On(ggml_log_level, const char* text, void* self) {
    auto* c = static_cast<LogCapture*>(self);
    std::lock_guard<std::mutex> lock(c->mu_);
    c->text_ += text;
  }
  ggml_log_callback saved_ = nullptr;
  void* saved_data_ = nullptr;
  std::mutex mu_;
  std::string text_;
};

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

ModelPtr Load(Hook* hook, bool vocab_only = false) {
  llama_model_params p = llama_model_default_params();
  p.n_gpu_layers = 0;
  p.vocab_only = vocab_only;
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

}  // namespace
