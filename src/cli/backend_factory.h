// SPDX-License-Identifier: MIT
// Backend factory: turns the Config into the backend that answers — the
// configured one, then its fallbacks in order — finding (and, when allowed,
// fetching) the model, using a running `cmdai serve` or starting one, and
// sending every note through one reporter.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "common/status.h"
#include "config/config.h"

namespace cmdai {

/// Receives one-line notes for the person ("trying embedded", a retry).
using NoteSink = std::function<void(const std::string&)>;

/// Opens a backend of `kind`; `model`
/// is --model for the first backend of the chain and "" for the others,
/// which use their own keys.
using BackendOpener = std::function<Result<std::unique_ptr<Backend>>(BackendKind kind, const std::string& model)>;

/// The backends to try, in order: `backend`, then `fallback` without repeats.
std::vector<BackendKind> BackendOrder(const Config& config);

/// Opens the chain of BackendOrder(config) with `open`. One backend is
/// returned as it is; several go behind a FallbackBackend that opens the
/// first that opens and tells `note` when it moves down the chain. Fails with
/// the last backend's error.
Result<std::unique_ptr<Backend>> OpenBackendChain(const Config& config, const BackendOpener& open,
                                                  const NoteSink& note);

/// The real chain: scripted answers under CMDAI_TEST_ANSWERS, else the
/// embedded model (through a running `cmdai serve` when there is one),
/// Ollama or an OpenAI-compatible server. `spinner` draws the load spinner.
Result<std::unique_ptr<Backend>> OpenBackend(const Config& config, bool spinner);

/// Loads the model at `model_path` in this process (also `cmdai serve`).
Result<std::unique_ptr<Backend>> OpenInProcess(const Config& config, bool spinner, const std::string& model_path);

/// The note sink for `config`: notes on stderr unless quiet (or, with
/// `verbose_only`, only under --verbose).
NoteSink NotesFor(const Config& config, bool verbose_only = false);

}  // namespace cmdai
