// SPDX-License-Identifier: MIT
#include "cli/serve_command.h"

#include <filesystem>

#include "cli/backend_factory.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/models_command.h"
#include "serve/server.h"
#include "ui/terminal.h"

namespace cmdai {

int RunServe(const Config& config) {
  const Terminal term = Terminal::Detect();
  if (serve::ServerAlive(config.serve_socket))
    return Fail(Status::Error(ErrorCode::kUsage, "cmdai serve is already running on " + config.serve_socket,
                              "stop it first, or pass --socket PATH"));
  auto path = LocateModel(config, TerminalHooks(config, term.stdin_tty, term.stderr_tty));
  if (!path.ok()) return Fail(path.status());
  const std::string model_path = std::filesystem::absolute(path.value()).string();
  auto backend = OpenInProcess(config, false, model_path);
  if (!backend.ok()) return Fail(backend.status());
  serve::ServerOptions o;
  o.socket_path = config.serve_socket;
  o.idle_timeout_s = config.serve_idle_timeout_s;
  o.model_path = model_path;
  // Said once the socket listens: a socket that cannot be made is one error.
  const std::string note =
      "serving " + path.value() + " on " + config.serve_socket + " (" + backend.value()->Info().device + ")";
  if (!config.quiet) o.on_listening = [note] { Note(note); };
  if (Status s = serve::Serve(*backend.value(), o); !s.ok()) return Fail(s);
  if (!config.quiet) Note("serve stopped");
  return kExitOk;
}

}  // namespace cmdai
