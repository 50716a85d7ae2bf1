// SPDX-License-Identifier: MIT
// FallbackBackend: tries backends in order (for example Ollama, then the
// embedded model). Each is opened only when needed; when one fails to open
// or to answer, the next is tried, with a note saying so and which answered.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace cmdai {

struct BackendFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Backend>>()> open;
};

class FallbackBackend final : public Backend {
 public:
  FallbackBackend(std::vector<BackendFactory> chain, std::function<void(const std::string&)> note)
      : chain_(std::move(chain)), note_(std::move(note)) {}

  /// Opens the first backend that opens. Fails with the last one's error.
  Status Open();

  /// Generates with the current backend, moving down the chain on failure.
  /// Interrupts and too-long requests are returned at once, not retried.
  Result<Generation> Generate(const GenerationRequest& request) override;
  std::string Describe() const override;
  BackendInfo Info() const override;

 private:
  Status OpenFrom(size_t index);
  std::vector<BackendFactory> chain_;
  std::function<void(const std::string&)> note_;
  std::unique_ptr<Backend> current_;
  size_t index_ = 0;
};

}  // namespace cmdai
