// SPDX-License-Identifier: MIT
// LlamaLogCapture: keeps llama.cpp's log (every level) for a test's duration,
// then gives the process's logger back (other tests in the binary rely on
// cmdai's). Thread-safe: llama.cpp may log from its loading threads.
#pragma once

#include <llama.h>

#include <mutex>
#include <string>

namespace cmdai::test {

class LlamaLogCapture {
 public:
  LlamaLogCapture() {
    llama_log_get(&saved_, &saved_data_);
    llama_log_set(&LlamaLogCapture::On, this);
  }
  ~LlamaLogCapture() { llama_log_set(saved_, saved_data_); }
  LlamaLogCapture(const LlamaLogCapture&) = delete;
  LlamaLogCapture& operator=(const LlamaLogCapture&) = delete;
  /// Everything logged so far.
  std::string Text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  static void On(ggml_log_level, const char* text, void* self) {
    auto* c = static_cast<LlamaLogCapture*>(self);
    std::lock_guard<std::mutex> lock(c->mu_);
    c->text_ += text;
  }
  ggml_log_callback saved_ = nullptr;
  void* saved_data_ = nullptr;
  std::mutex mu_;
  std::string text_;
};

}  // namespace cmdai::test
