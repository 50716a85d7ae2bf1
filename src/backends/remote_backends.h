// SPDX-License-Identifier: MIT
// Remote backends: Ollama (POST /api/chat) and any OpenAI-compatible server
// (POST /v1/chat/completions: vLLM, llama-server, LM Studio). Their answers
// go through the same extraction, rating and menu as local ones.
//
// Thread-safety: one Generate at a time per object.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace cmdai {

/// How the remote backends talk HTTP (through src/net): deadlines, and
/// retries by net/retry_policy.h's rules (no connection, 429 honouring
/// Retry-After, 5xx; never another 4xx or a total timeout). Ctrl-C cancels
/// at once.
struct HttpOptions {
  int connect_timeout_s = 5;
  int total_timeout_s = 60;                      // whole request, including generation on the server
  int max_attempts = 3;                          // 1: no retry
  std::vector<std::string> headers;              // "Name: value"
  std::function<void(const std::string&)> note;  // one line per retry
};

struct OllamaOptions {
  std::string host = "http://127.0.0.1:11434";  // OLLAMA_HOST
  std::string model = "qwen2.5-coder:1.5b";
  std::string keep_alive = "10m";  // how long Ollama keeps the model loaded after the request
  bool json_schema = false;        // ask for {"command","explanation"} via `format` instead of text
  std::string fence = "bash";      // code-fence language of the shell
  HttpOptions http;
};

class OllamaBackend final : public Backend {
 public:
  /// Checks with GET /api/tags that the server is up and has the model.
  /// Fails with kNetwork (server down) or kNotFound (model missing: the
  /// message names `ollama pull MODEL`).
  static Result<std::unique_ptr<OllamaBackend>> Open(const OllamaOptions& options);

  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override;
  BackendInfo Info() const override;

 private:
  explicit OllamaBackend(OllamaOptions o) : o_(std::move(o)) {}
  OllamaOptions o_;
};

struct OpenAiOptions {
  std::string base_url = "http://127.0.0.1:8080";  // without /v1
  std::string model;
  std::string api_key;      // from the variable named by openai.api_key_env; never printed
  std::string api_key_env;  // its name, for messages
  bool gbnf = false;        // send our GBNF grammar as `grammar` (llama-server)
  HttpOptions http;
};

class OpenAiBackend final : public Backend {
 public:
  explicit OpenAiBackend(OpenAiOptions o) : o_(std::move(o)) {}

  /// Fails with kNetwork (down, timeout, 5xx/429 after retries), kPermission
  /// (401/403: the key), kNotFound (unknown model or URL), kBackend
  /// (malformed response, or the server rejected the request).
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override;
  BackendInfo Info() const override;

 private:
  OpenAiOptions o_;
};

/// The answer grammar with the answer prefix folded in, for servers that
/// generate the whole answer (no prefill).
std::string FullAnswerGrammar(const GenerationRequest& request);

}  // namespace cmdai
