// SPDX-License-Identifier: MIT
// Backend: the one interface every inference engine implements. A backend
// turns chat messages plus the start of an answer into the rest of the answer;
// extraction and safety happen after it, the same for every engine.
//
// Thread-safety: a Backend is used from one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "prompt/prompt.h"

namespace cmdai {

struct GenerationRequest {
  std::vector<ChatMessage> messages;
  std::string answer_prefix;      // the assistant's turn starts with this text
  std::string grammar;            // GBNF over the text after answer_prefix; "" for none
  std::vector<std::string> stop;  // stop once the generated text contains one of these
  int max_tokens = 128;
  float temperature = 0.0f;  // 0: greedy
  uint32_t seed = 0;
  /// How many leading characters of the last message's content depend only
  /// on the machine and directory, not on the request (Prompt::reusable_chars;
  /// 0: none). An engine may keep the state of the prompt up to there and
  /// reuse it for later requests that share it; it never changes the prompt
  /// the model sees.
  size_t reusable_chars = 0;
  /// Benchmarks: decode exactly this text after answer_prefix (teacher
  /// forcing) through the same sampling and grammar path, then stop, so that
  /// timings match a trained model's answer; "" for free generation. The
  /// text must fit the grammar (kBackend otherwise).
  std::string forced_answer;
  /// Streaming: when set, called on the caller's thread each time the answer
  /// grows, with the whole answer so far (answer_prefix + generated text).
  /// Returning false ends the answer there: Generate returns it with
  /// Generation::stopped set, and no further token is decoded. Engines that
  /// cannot stream (remote servers) never call it, so a caller must also
  /// handle the finished answer alone. Costs one call per token.
  std::function<bool(const std::string& answer_so_far)> on_text;
  /// What the grammar forces: once the generated text holds `after`, only
  /// `rest` may follow it (cmdai's answer grammar: a newline ends the
  /// one-line command, and then only the closing fence may come). An engine
  /// that knows it may write `rest` itself instead of the model's steps for
  /// it: when a stop string ends there, the newline's own decode is saved as
  /// well. The text is the same either way. Empty: nothing forced.
  std::string forced_after;
  std::string forced_rest;
};

struct Timings {
  double prefill_ms = 0;     // prompt evaluation
  double generation_ms = 0;  // sampling and decoding answer tokens
  int prompt_tokens = 0;
  int generated_tokens = 0;  // of the answer, forced_tokens included
  int cached_tokens = 0;     // prompt tokens whose state came from the prompt cache
  double restore_ms = 0;     // reading that state from the prompt cache (part of prefill_ms)
  int forced_tokens = 0;     // of generated_tokens: written from GenerationRequest's forced_rest, no model step
};

/// Which engine answered, for -v and the --output object.
struct BackendInfo {
  std::string name;             // "embedded", …
  std::string model;            // model path or name
  std::string device;           // "CPU (2 threads)", "GPU NVIDIA H100", …
  double load_ms = 0;           // time spent opening it
  double backends_ms = 0;       // loading compute backends (their modules, the devices found), on a thread of
                                // its own alongside model_ms's metadata read: not part of the sum
  double model_ms = 0;          // of load_ms: loading the model (metadata and vocabulary, weights to the device,
                                // whose context is created alongside)
  double metadata_ms = 0;       // of model_ms: everything before the first weight is copied (the file's
                                // metadata and vocabulary read, its tensors laid out, the file mapped),
                                // less backends_wait_ms
  double backends_wait_ms = 0;  // of model_ms: waiting for the backends once the metadata was read
  double device_ready_ms = 0;   // on a GPU: when its device context was made (the driver started, the runtime's
                                // context created, on the backends' thread), in ms since the load began: the
                                // weights' buffer waits for it. 0: no GPU
  double context_ms = 0;        // of which creating the context (KV cache, compute buffers)
};

struct Generation {
  std::string text;        // answer_prefix followed by the generated text
  bool truncated = false;  // max_tokens ran out before the answer ended
  bool stopped = false;    // GenerationRequest::on_text ended it early
  Timings timings;
};

class Backend {
 public:
  virtual ~Backend() = default;

  /// Generates one answer. Fails with kTooLong when the prompt does not fit
  /// the context, kInterrupted on Ctrl-C, kBackend when the engine fails.
  /// A truncated answer is not an error here; extraction decides.
  virtual Result<Generation> Generate(const GenerationRequest& request) = 0;

  /// One line for -v: engine, model and device.
  virtual std::string Describe() const = 0;

  virtual BackendInfo Info() const = 0;
};

}  // namespace cmdai
