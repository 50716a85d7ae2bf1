// SPDX-License-Identifier: MIT
// Fake tools: a directory of real, small executables (POSIX sh scripts that
// only print) standing in for a system's utilities, so grounding tests run
// against a controlled PATH: a BSD/macOS userland (find, stat, du, sed, ls,
// xargs answer --help with their usage synopsis, and a `man` that prints
// BSD-style pages for find and du), or GNU-style tools (grep, sed, ls with a
// full --help). Scripts use only shell builtins and /bin/cat.
#pragma once

#include <string>

namespace cmdai::test {

/// A new directory holding the BSD-style tools and their `man`.
std::string MakeBsdTools();

/// A new directory holding GNU-style grep, sed and ls.
std::string MakeGnuTools();

/// Writes an executable script `dir/name` with `body` (after "#!/bin/sh").
void WriteScript(const std::string& dir, const std::string& name, const std::string& body);

}  // namespace cmdai::test
