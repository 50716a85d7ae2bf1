// SPDX-License-Identifier: MIT
#include "models/catalog.h"

#include "common/suggest.h"

namespace cmdai {

const std::vector<CatalogEntry>& Catalog() {
  static const std::vector<CatalogEntry> kCatalog = {
      {"qwen2.5-coder-0.5b", "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
       398'000'000, "qwen2.5", false},
      {"qwen2.5-coder-1.5b", "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
       1'120'000'000, "qwen2.5", true},
      {"qwen2.5-coder-3b", "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF", "qwen2.5-coder-3b-instruct-q4_k_m.gguf",
       2'100'000'000, "qwen2.5", false},
      {"qwen2.5-coder-7b", "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF", "qwen2.5-coder-7b-instruct-q4_k_m.gguf",
       4'680'000'000, "qwen2.5", false},
  };
  return kCatalog;
}

const CatalogEntry& DefaultCatalogEntry() {
  for (const auto& e : Catalog())
    if (e.is_default) return e;
  return Catalog().front();
}

Result<ModelRef> ParseModelRef(const std::string& name) {
  ModelRef ref;
  if (name.empty()) {
    const auto& d = DefaultCatalogEntry();
    ref.repo = d.repo;
    ref.file = d.file;
    ref.id = d.id;
    return ref;
  }
  for (const auto& e : Catalog())
    if (e.id == name) {
      ref.repo = e.repo;
      ref.file = e.file;
      ref.id = e.id;
      return ref;
    }
  // owner/repo:file.gguf[@revision]
  const auto colon = name.find(':');
  const auto slash = name.find('/');
  if (colon != std::string::npos && slash != std::string::npos && slash < colon && name[0] != '/' && name[0] != '.' &&
      name[0] != '~') {
    ref.repo = name.substr(0, colon);
    std::string rest = name.substr(colon + 1);
    if (auto at = rest.rfind('@'); at != std::string::npos) {
      ref.revision = rest.substr(at + 1);
      rest = rest.substr(0, at);
    }
    ref.file = rest;
    if (ref.repo.find('/') == std::string::npos || ref.repo.find('/') != ref.repo.rfind('/') || ref.file.empty() ||
        ref.revision.empty() || ref.file.find("..") != std::string::npos)
      return Status::Error(ErrorCode::kUsage, "'" + name + "' is not a model reference",
                           "use owner/repo:file.gguf[@revision], a catalog id, or a path");
    return ref;
  }
  if (name.find('/') != std::string::npos || (name.size() > 5 && name.substr(name.size() - 5) == ".gguf")) {
    ref.local = true;
    ref.path = name;
    return ref;
  }
  std::vector<std::string> ids;
  for (const auto& e : Catalog()) ids.push_back(e.id);
  return Status::Error(ErrorCode::kUsage, "unknown model '" + name + "'" + DidYouMean(name, ids),
                       "see cmdai models list, or use owner/repo:file.gguf or a path");
}

std::string Describe(const ModelRef& ref) {
  if (ref.local) return ref.path;
  return ref.repo + ":" + ref.file + (ref.revision == "main" ? "" : "@" + ref.revision);
}

}  // namespace cmdai
