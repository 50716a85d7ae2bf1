// SPDX-License-Identifier: MIT
// Split: a text cut at every separator. Lines of a help text or a crontab,
// $PATH entries, the parts of a path and the safety tables' word lists are
// all read with it, each keeping or skipping empty pieces as it needs.
//
// Thread-safety: a pure function. Cost: one pass over the text. The pieces
// are views into `text`, so it must outlive them: a range-for over
// Split(SomeFunction(), …) would read a destroyed temporary.
#pragma once

#include <string_view>
#include <vector>

namespace cmdai {

/// Every piece of `text` between separators, empty ones included, in order:
/// "a::b" gives "a", "", "b"; "a\n" gives "a", ""; "" gives one empty piece.
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string_view::npos; start = end + 1)
    pieces.push_back(text.substr(start, end - start));
  pieces.push_back(text.substr(start));
  return pieces;
}

}  // namespace cmdai
