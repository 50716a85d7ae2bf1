// SPDX-License-Identifier: MIT
// `cmdai config show|path`: the effective settings as typed TOML, each with
// where it came from, or the configuration file's path.
#pragma once

#include <string>

#include "config/config.h"

namespace cmdai {

/// The `config show` text: one aligned `key = value  # source` line per
/// setting (strings quoted, numbers and booleans bare, lists as arrays), then
/// the file's path.
std::string ConfigShowText(const Config& config);

}  // namespace cmdai
