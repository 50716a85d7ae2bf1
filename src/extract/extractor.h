// SPDX-License-Identifier: MIT
// Extractor: finds the one command in a model's answer. Works on any answer
// text (embedded, or later a remote engine that ignores grammars): the first
// fenced code block is the command; prose outside a block is never one.
#pragma once

#include <string>

#include "common/status.h"

namespace cmdai {

struct Extracted {
  std::string command;      // one line, trimmed
  std::string explanation;  // the first non-empty line after the block; may be ""
};

/// Extracts the command. Fails with kNoCommand when there is no complete
/// fenced block, the block is empty, or it holds more than one line.
Result<Extracted> ExtractCommand(const std::string& answer);

}  // namespace cmdai
