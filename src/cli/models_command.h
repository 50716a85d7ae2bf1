// SPDX-License-Identifier: MIT
// `cmdai models list|pull|rm|path`: the catalog, what is installed, and
// fetching or removing models in the shared Hugging Face cache.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "models/model_locator.h"

namespace cmdai {

/// `words` = {"list"} | {"pull", ID} | {"rm", ID} | {"path", ID}.
int RunModels(const std::vector<std::string>& words, const Config& config);

/// The hooks a terminal gets: ask before a download, draw progress, notes.
LocateHooks TerminalHooks(const Config& config, bool stdin_tty, bool stderr_tty);

}  // namespace cmdai
