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

/// What a model is loaded for: one request, or `cmdai serve`'s many.
enum class LoadFor { kOneRequest, kServer };

/// Loads the model at `model_path` in this process. repack = auto repacks
/// for a server only (docs/performance.md).
Result<std::unique_ptr<Backend>> OpenInProcess(const Config& config, bool spinner, const std::string& model_path,
                                               LoadFor purpose = LoadFor::kOneRequest);

/// Whether a request that loaded the model in this process (`loaded`, its
/// device "GPU …" or "CPU (…)") leaves `cmdai serve` behind for the next
/// ones: auto on a GPU, on always, off never.
bool ShouldAutostart(Autostart policy, const BackendInfo& loaded);

/// Whether `cmdai serve --wake` (the hotkey on an empty line) starts a
/// server, decided without loading a GPU library: auto when this
/// installation has a GPU (`gpu_installed`, GpuInstalled()) and the device
/// is not cpu; on always (a CPU holds ~1 GB for it: opt-in); off never.
bool WakeStartsServer(const Config& config, bool gpu_installed);

/// The parts of opening the embedded model that touch the world, so that
/// tests can fake a server, a GPU and the start of a server.
struct EmbeddedSeams {
  std::function<bool()> server_alive;                             // a server accepts on serve.socket
  std::function<Result<std::unique_ptr<Backend>>()> open_served;  // a client of that server
  std::function<Result<std::unique_ptr<Backend>>()> open_here;    // the model loaded in this process
  std::function<void()> start_server;                             // `cmdai serve` started detached
};

/// The embedded model for one request: through a running server when one is
/// alive (in this process should the server fail, e.g. another model), else
/// loaded here, after which start_server runs when ShouldAutostart says so;
/// this request is answered here either way.
Result<std::unique_ptr<Backend>> OpenEmbeddedWith(const Config& config, const EmbeddedSeams& seams);

/// Starts `cmdai serve --model MODEL_PATH` on config.serve_socket, detached
/// (its own session, output discarded), unless a server already holds the
/// socket's lock (loading or serving). Returns at once; best effort: when
/// this binary's path is unknown nothing starts (a note under -v).
void StartServerInBackground(const Config& config, const std::string& model_path);

/// The note sink for `config`: notes on stderr unless quiet (or, with
/// `verbose_only`, only under --verbose).
NoteSink NotesFor(const Config& config, bool verbose_only = false);

}  // namespace cmdai
