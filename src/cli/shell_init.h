// SPDX-License-Identifier: MIT
// Shell integration: the snippets `cmdai init SHELL` prints (a key binding
// that turns the text on the command line into a command, in place) and the
// tab completions `cmdai completions SHELL` prints.
#pragma once

#include <string>

namespace cmdai {

/// The init snippet for bash, zsh or fish; "" for another shell.
std::string InitSnippet(const std::string& shell);

/// The completion script for bash, zsh or fish; "" for another shell.
std::string CompletionScript(const std::string& shell);

}  // namespace cmdai
