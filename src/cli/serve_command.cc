// SPDX-License-Identifier: MIT
// `cmdai serve` and `cmdai serve --wake` (see serve_command.h).
#include "cli/serve_command.h"

#include <filesystem>

#include "backends/backend_modules.h"
#include "cli/backend_factory.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/models_command.h"
#include "serve/server.h"
#include "ui/terminal.h"

namespace cmdai {
namespace {

// The widget runs this on Ctrl-G with an empty line, so it must return at
// once, print nothing and load nothing: the model is found here (never
// fetched: a download belongs to a request the person sees) and the server
// loads it while the person types.
int Wake(const Config& config) {
  if (config.backend != BackendKind::kEmbedded) return kExitOk;
  // Only auto asks about the GPU (a look at files, never a dlopen).
  const bool gpu = config.serve_autostart == Autostart::kAuto && GpuInstalled();
  if (!WakeStartsServer(config, gpu)) return kExitOk;
  if (serve::ServerStartingOrAlive(config.serve_socket) || serve::ServerAlive(config.serve_socket)) return kExitOk;
  Config c = config;
  c.model_download = ModelDownload::kNever;
  c.offline = true;
  auto path = LocateModel(c);
  if (!path.ok()) return kExitOk;  // the request itself will say what is missing
  StartServerInBackground(config, std::filesystem::absolute(path.value()).string());
  return kExitOk;
}

}  // namespace

int RunServe(const Config& config, bool wake) {
  if (wake) return Wake(config);
  const Terminal term = Terminal::Detect();
  // Held until this returns: from before the model loads, so that a second
  // server started meanwhile (two quick requests) exits without loading.
  auto lock = serve::ServerLock::Acquire(config.serve_socket);
  if (!lock.ok()) return Fail(lock.status());
  if (serve::ServerAlive(config.serve_socket))
    return Fail(Status::Error(ErrorCode::kUsage, "cmdai serve is already running on " + config.serve_socket,
                              "stop it first, or pass --socket PATH"));
  auto path = LocateModel(config, TerminalHooks(config, term.stdin_tty, term.stderr_tty));
  if (!path.ok()) return Fail(path.status());
  const std::string model_path = std::filesystem::absolute(path.value()).string();
  auto backend = OpenInProcess(config, false, model_path, LoadFor::kServer);
  if (!backend.ok()) return Fail(backend.status());
  serve::ServerOptions o;
  o.socket_path = config.serve_socket;
  o.idle_timeout_s = config.serve_idle_timeout_s;
  o.model_path = model_path;
  // Said once the socket listens: a socket that cannot be made is one error.
  const std::string device = backend.value()->Info().device;
  // Repacking changes only the CPU's kernels (OpenInProcess: on by default here).
  const bool repacked = config.repack != Repack::kOff && device.rfind("CPU", 0) == 0;
  const std::string note =
      "serving " + path.value() + " on " + config.serve_socket + " (" + device + (repacked ? ", repack on" : "") + ")";
  if (!config.quiet) o.on_listening = [note] { Note(note); };
  if (Status s = serve::Serve(*backend.value(), o); !s.ok()) return Fail(s);
  if (!config.quiet) Note("serve stopped");
  return kExitOk;
}

}  // namespace cmdai
