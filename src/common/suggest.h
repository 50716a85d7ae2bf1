// SPDX-License-Identifier: MIT
// "Did you mean" for unknown flags, keys and names: the closest candidate by
// edit distance, when it is close enough to be a likely typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cmdai {

/// Edit distance between a and b, counting an adjacent transposition as one
/// edit (optimal string alignment). O(|a|·|b|) time, O(|b|) memory.
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate nearest to `word`, or "" when none is within a third of its
/// length (at least 1, at most 3 edits).
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cmdai
