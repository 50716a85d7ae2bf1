// SPDX-License-Identifier: MIT
// HashHex: the one short content hash cmdai names cache files with (the
// prompt-state cache, the grounding cache). Not a security hash.
#pragma once

#include <string>

namespace cmdai {

/// FNV-1a, 64-bit, twice with different seeds, as 32 lowercase hex digits.
/// Stable across runs and machines. Cost: one pass over `s`.
std::string HashHex(const std::string& s);

}  // namespace cmdai
