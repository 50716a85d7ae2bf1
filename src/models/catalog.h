// SPDX-License-Identifier: MIT
// Catalog: the models cmdai knows by name, and how any model is named — a
// catalog id, a Hugging Face reference "owner/repo:file.gguf[@revision]",
// or a local path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai {

struct CatalogEntry {
  std::string id;         // "qwen2.5-coder-1.5b"
  std::string repo;       // "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF"
  std::string file;       // "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
  uint64_t approx_bytes;  // for display and the disk-space check before the hub says
  std::string family;     // prompt family: "qwen2.5" (ChatML)
  bool is_default = false;
};

const std::vector<CatalogEntry>& Catalog();
const CatalogEntry& DefaultCatalogEntry();

/// A model to fetch from the hub, or a local file.
struct ModelRef {
  bool local = false;
  std::string path;  // when local
  std::string repo;  // otherwise
  std::string file;
  std::string revision = "main";
  std::string id;  // catalog id, if it came from the catalog
};

/// Parses a model name. Catalog ids and hub references are recognised by
/// form; anything with a path separator or ending in .gguf is a local path.
/// Fails with kUsage for an unknown id (with a "did you mean").
Result<ModelRef> ParseModelRef(const std::string& name);

/// "owner/repo:file@rev" for messages.
std::string Describe(const ModelRef& ref);

}  // namespace cmdai
