// SPDX-License-Identifier: MIT
// Reading a model's GGUF header, as llama.cpp does it for every load. cmdai
// patches that read (scripts/llama-patches/0004-gguf-header-faster.patch: the
// file is parsed from a mapping instead of one fread per string, and the
// loader stops building an array's text once it has the 40 characters it
// prints), so these check what the patch must not change: a file parses to
// the same context by path as through stdio, a cut file still fails cleanly,
// and the loader's metadata lines read as the whole text cut to 40.
#include <gguf.h>
#include <gtest/gtest.h>
#include <llama.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "support/llama_log_capture.h"

namespace {

struct GgufFree {
  void operator()(gguf_context* g) const { gguf_free(g); }
};
using GgufPtr = std::unique_ptr<gguf_context, GgufFree>;

GgufPtr ByPath(const std::string& path) { return GgufPtr(gguf_init_from_file(path.c_str(), {true, nullptr})); }

GgufPtr ThroughStdio(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return nullptr;
  GgufPtr g(gguf_init_from_file_ptr(f, {true, nullptr}));
  std::fclose(f);
  return g;
}

// The size of one value of a fixed-size GGUF type.
size_t TypeSize(gguf_type t) {
  switch (t) {
    case GGUF_TYPE_UINT8:
    case GGUF_TYPE_INT8:
    case GGUF_TYPE_BOOL: return 1;
    case GGUF_TYPE_UINT16:
    case GGUF_TYPE_INT16: return 2;
    case GGUF_TYPE_UINT32:
    case GGUF_TYPE_INT32:
    case GGUF_TYPE_FLOAT32: return 4;
    case GGUF_TYPE_UINT64:
    case GGUF_TYPE_INT64:
    case GGUF_TYPE_FLOAT64: return 8;
    default: return 0;
  }
}

// One value's text, every element of an array included.
std::string ValueText(const gguf_context* g, int64_t i) {
  const gguf_type t = gguf_get_kv_type(g, i);
  if (t == GGUF_TYPE_STRING) return gguf_get_val_str(g, i);
  if (t != GGUF_TYPE_ARRAY) return std::to_string(gguf_get_val_data(g, i) != nullptr);
  std::string out = std::to_string(gguf_get_arr_type(g, i)) + "[";
  for (size_t j = 0; j < gguf_get_arr_n(g, i); ++j) {
    if (gguf_get_arr_type(g, i) == GGUF_TYPE_STRING) {
      out += gguf_get_arr_str(g, i, j);
      out += '\x1f';
    } else {
      out += std::to_string(j);  // the elements' bytes are compared below
    }
  }
  return out + "]";
}

TEST(GgufHeader, AFileParsesTheSameByPathAsThroughStdio) {
  const GgufPtr a = ByPath(CMDAI_TINY_MODEL), b = ThroughStdio(CMDAI_TINY_MODEL);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(gguf_get_n_kv(a.get()), gguf_get_n_kv(b.get()));
  for (int64_t i = 0; i < gguf_get_n_kv(a.get()); ++i) {
    SCOPED_TRACE(gguf_get_key(a.get(), i));
    EXPECT_STREQ(gguf_get_key(a.get(), i), gguf_get_key(b.get(), i));
    ASSERT_EQ(gguf_get_kv_type(a.get(), i), gguf_get_kv_type(b.get(), i));
    EXPECT_EQ(ValueText(a.get(), i), ValueText(b.get(), i));
    const gguf_type t = gguf_get_kv_type(a.get(), i);
    if (t == GGUF_TYPE_ARRAY && gguf_get_arr_type(a.get(), i) != GGUF_TYPE_STRING) {
      ASSERT_EQ(gguf_get_arr_n(a.get(), i), gguf_get_arr_n(b.get(), i));
      const size_t bytes = gguf_get_arr_n(a.get(), i) * TypeSize(gguf_get_arr_type(a.get(), i));
      EXPECT_EQ(std::string(static_cast<const char*>(gguf_get_arr_data(a.get(), i)), bytes),
                std::string(static_cast<const char*>(gguf_get_arr_data(b.get(), i)), bytes));
    } else if (t != GGUF_TYPE_ARRAY && t != GGUF_TYPE_STRING) {
      const size_t bytes = TypeSize(t);
      EXPECT_EQ(std::string(static_cast<const char*>(gguf_get_val_data(a.get(), i)), bytes),
                std::string(static_cast<const char*>(gguf_get_val_data(b.get(), i)), bytes));
    }
  }
  ASSERT_EQ(gguf_get_n_tensors(a.get()), gguf_get_n_tensors(b.get()));
  for (int64_t i = 0; i < gguf_get_n_tensors(a.get()); ++i) {
    EXPECT_STREQ(gguf_get_tensor_name(a.get(), i), gguf_get_tensor_name(b.get(), i));
    EXPECT_EQ(gguf_get_tensor_offset(a.get(), i), gguf_get_tensor_offset(b.get(), i));
    EXPECT_EQ(gguf_get_tensor_type(a.get(), i), gguf_get_tensor_type(b.get(), i));
    EXPECT_EQ(gguf_get_tensor_size(a.get(), i), gguf_get_tensor_size(b.get(), i));
  }
  EXPECT_EQ(gguf_get_data_offset(a.get()), gguf_get_data_offset(b.get()));
  EXPECT_EQ(gguf_get_alignment(a.get()), gguf_get_alignment(b.get()));
}

TEST(GgufHeader, AFileCutAnywhereInItsHeaderFailsCleanly) {
  std::ifstream in(CMDAI_TINY_MODEL, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const GgufPtr whole = ByPath(CMDAI_TINY_MODEL);
  ASSERT_TRUE(whole);
  const size_t header = gguf_get_data_offset(whole.get());
  ASSERT_LT(header, bytes.size());
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cmdai-cut-" + std::to_string(getpid()) + ".gguf")).string();
  // In the magic, the counts, the first keys, the vocabulary's strings, the
  // last tensor's description.
  for (size_t cut : {size_t{3}, size_t{20}, size_t{400}, header / 3, header / 2, header - 1}) {
    SCOPED_TRACE(cut);
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(cut));
    EXPECT_EQ(ByPath(path), nullptr);
    EXPECT_EQ(ThroughStdio(path), nullptr);
  }
  std::filesystem::remove(path);
  EXPECT_EQ(ByPath("/dev/null"), nullptr);  // not a regular file: read as before, and empty
}

using LogCapture = cmdai::test::LlamaLogCapture;

// What llama.cpp's loader prints for a string array: the whole list, each
// element quoted with \ and " escaped, cut to 37 characters and "..." when
// longer than 40.
std::string PrintedStrings(const gguf_context* g, int64_t i) {
  std::string all = "[";
  for (size_t j = 0; j < gguf_get_arr_n(g, i); ++j) {
    all += '"';
    for (const char* c = gguf_get_arr_str(g, i, j); *c; ++c) {
      if (*c == '\\' || *c == '"') all += '\\';
      all += *c;
    }
    all += '"';
    if (j + 1 < gguf_get_arr_n(g, i)) all += ", ";
  }
  all += "]";
  if (all.size() > 40) all = all.substr(0, 37) + "...";
  std::string out;
  for (char c : all) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

TEST(GgufHeader, TheLoaderPrintsEachArrayAsItsWholeTextCut) {
  const GgufPtr g = ByPath(CMDAI_TINY_MODEL);
  ASSERT_TRUE(g);
  LogCapture log;
  llama_model_params p = llama_model_default_params();
  p.vocab_only = true;
  llama_model* m = llama_model_load_from_file(CMDAI_TINY_MODEL, p);
  ASSERT_NE(m, nullptr);
  llama_model_free(m);
  const std::string text = log.Text();
  int checked = 0;
  for (const char* key : {"tokenizer.ggml.tokens", "tokenizer.ggml.merges"}) {
    const int64_t i = gguf_find_key(g.get(), key);
    ASSERT_GE(i, 0) << key;
    const std::string expected = std::string(key) + " arr[str," + std::to_string(gguf_get_arr_n(g.get(), i)) + "]";
    const size_t at = text.find(expected);
    ASSERT_NE(at, std::string::npos) << key << " not in the log:\n" << text.substr(0, 4000);
    const size_t eq = text.find(" = ", at), end = text.find('\n', at);
    ASSERT_LT(eq, end);
    EXPECT_EQ(text.substr(eq + 3, end - eq - 3), PrintedStrings(g.get(), i)) << key;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
