// SPDX-License-Identifier: MIT
// UniqueFile: a std::FILE* that closes itself. A function object, not
// `decltype(&std::fclose)`, because fclose carries attributes (nonnull,
// nothrow) that GCC 13+ warns are dropped when it becomes a template argument.
#pragma once

#include <cstdio>
#include <memory>

namespace cmdai {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f) std::fclose(f);
  }
};

/// Owns the stream; closing errors are ignored, so a writer that must know
/// the data reached the disk calls std::fflush/fclose itself first.
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace cmdai
