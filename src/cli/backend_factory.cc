// SPDX-License-Identifier: MIT
#include "cli/backend_factory.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "backends/embedded_backend.h"
#include "backends/fallback_backend.h"
#include "backends/remote_backends.h"
#include "backends/scripted_backend.h"
#include "cli/edge.h"
#include "cli/models_command.h"
#include "common/posix.h"
#include "serve/server.h"
#include "serve/socket_backend.h"
#include "ui/spinner.h"
#include "ui/terminal.h"

namespace cmdai {
namespace {

// The embedded model: found (or fetched), then answered by a running
// `cmdai serve` when there is one, else loaded here.
Result<std::unique_ptr<Backend>> OpenEmbedded(const std::shared_ptr<const Config>& config, bool spinner,
                                              const std::string& model) {
  const Terminal term = Terminal::Detect();
  Config c = *config;
  c.model = model;
  auto model_path = LocateModel(c, TerminalHooks(*config, term.stdin_tty, term.stderr_tty));
  if (!model_path.ok()) return model_path.status();
  const std::string path = std::filesystem::absolute(model_path.value()).string();
  EmbeddedSeams seams;
  seams.server_alive = [config] { return serve::ServerAlive(config->serve_socket); };
  seams.open_served = [config, path]() -> Result<std::unique_ptr<Backend>> {
    return std::unique_ptr<Backend>(new serve::SocketBackend(config->serve_socket, path,
                                                             std::chrono::seconds(config->request_timeout_s),
                                                             std::chrono::seconds(2 * config->connect_timeout_s)));
  };
  seams.open_here = [config, spinner, path] { return OpenInProcess(*config, spinner, path); };
  seams.start_server = [config, path] { StartServerInBackground(*config, path); };
  return OpenEmbeddedWith(*config, seams);
}

HttpOptions HttpFor(const Config& config) {
  HttpOptions h;
  h.connect_timeout_s = config.connect_timeout_s;
  h.total_timeout_s = config.request_timeout_s;
  h.max_attempts = config.http_retries;
  h.note = NotesFor(config);
  return h;
}

Result<std::unique_ptr<Backend>> OpenOllama(const Config& config, const std::string& model) {
  OllamaOptions o;
  o.host = config.ollama_host;
  o.model = model.empty() ? config.ollama_model : model;
  o.keep_alive = config.ollama_keep_alive;
  o.json_schema = config.ollama_format == OllamaFormat::kSchema;
  o.fence = FenceLanguage(config.shell);
  o.http = HttpFor(config);
  auto b = OllamaBackend::Open(o);
  if (!b.ok()) return b.status();
  return std::unique_ptr<Backend>(std::move(b).value());
}

Result<std::unique_ptr<Backend>> OpenOpenAi(const Config& config, const std::string& model) {
  OpenAiOptions o;
  o.base_url = config.openai_base_url;
  o.model = model.empty() ? config.openai_model : model;
  o.api_key = config.openai_api_key;
  o.api_key_env = config.openai_api_key_env;
  o.gbnf = config.openai_grammar == OpenAiGrammar::kGbnf;
  o.http = HttpFor(config);
  return std::unique_ptr<Backend>(new OpenAiBackend(o));
}

}  // namespace

void StartServerInBackground(const Config& config, const std::string& model_path) {
  // A server loading (or serving) holds the lock: several quick requests
  // start one. Two starters can still both pass here; the second server
  // then finds the lock taken and exits before loading anything.
  if (serve::ServerStartingOrAlive(config.serve_socket)) return;
  // Everything the child needs is computed before fork: it only execs.
  const auto self = posix::ExecutablePath();
  if (!self.ok()) {
    if (config.verbose) Note("not starting cmdai serve: " + self.status().message());
    return;
  }
  // The server answers for this request's settings: the same model, device,
  // threads and context, and the same configuration file (which holds the
  // rest) when there is one. Built before fork: the child only execs.
  std::vector<std::string> words = {"cmdai",          "serve",
                                    "--model",        model_path,
                                    "--socket",       config.serve_socket,
                                    "--idle-timeout", std::to_string(config.serve_idle_timeout_s),
                                    "--device",       ChoiceName(config.device),
                                    "--threads",      std::to_string(config.threads),
                                    "--context-size", std::to_string(config.context_size)};
  if (!config.config_file.empty() && access(config.config_file.c_str(), R_OK) == 0) {
    words.push_back("--config");
    words.push_back(config.config_file);
  }
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  // The server outlives this process by up to its idle timeout: it must not
  // hold this one's descriptors (the terminal, a pipe a shell waits on, the
  // model file). sysconf is not safe to call after fork.
  const long open_max = std::min(sysconf(_SC_OPEN_MAX), 65536L);
  if (config.verbose)
    Note("starting cmdai serve in the background on " + config.serve_socket +
         " (serve.autostart = " + ChoiceName(config.serve_autostart) + ")");
  const pid_t pid = fork();
  if (pid < 0) return;
  if (pid > 0) {
    // The child exits at once (its child is adopted by init): reap it, so
    // that no zombie stays for the life of this process.
    int status = 0;
    (void)waitpid(pid, &status, 0);
    return;
  }
  setsid();
  if (fork() != 0) _exit(0);
  const int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  for (long fd = 3; fd < open_max; ++fd) close(static_cast<int>(fd));
  execv(self->c_str(), argv.data());
  _exit(127);
}

bool ShouldAutostart(Autostart policy, const BackendInfo& loaded) {
  switch (policy) {
    case Autostart::kOn: return true;
    case Autostart::kOff: return false;
    case Autostart::kAuto: break;
  }
  // On a GPU a request spends ~1 s loading and ~20 ms generating: a
  // resident model pays at once. On a CPU it holds ~1 GB of memory for
  // a gain of a few tenths of a second, which the person opts into (on).
  return loaded.device.rfind("GPU", 0) == 0;
}

bool WakeStartsServer(const Config& config, bool gpu_installed) {
  switch (config.serve_autostart) {
    case Autostart::kOn: return true;
    case Autostart::kOff: return false;
    case Autostart::kAuto: break;
  }
  return gpu_installed && config.device != Device::kCpu;
}

Result<std::unique_ptr<Backend>> OpenEmbeddedWith(const Config& config, const EmbeddedSeams& seams) {
  // A running `cmdai serve` answers without loading anything; if it cannot
  // (gone, another model), the model runs here.
  if (seams.server_alive()) {
    std::vector<BackendFactory> chain = {{"serve", seams.open_served}, {"in-process", seams.open_here}};
    auto fb = std::make_unique<FallbackBackend>(std::move(chain), NotesFor(config, /*verbose_only=*/true));
    if (Status s = fb->Open(); !s.ok()) return s;
    return std::unique_ptr<Backend>(std::move(fb));
  }
  auto here = seams.open_here();
  // Started once the model is loaded here: the device is known then, and on
  // a small machine the server's load does not slow this one's.
  if (here.ok() && ShouldAutostart(config.serve_autostart, here.value()->Info())) seams.start_server();
  return here;
}

NoteSink NotesFor(const Config& config, bool verbose_only) {
  const bool on = verbose_only ? config.verbose : !config.quiet;
  if (!on) return [](const std::string&) {};
  return [](const std::string& n) { Note(n); };
}

std::vector<BackendKind> BackendOrder(const Config& config) {
  std::vector<BackendKind> kinds = {config.backend};
  for (BackendKind f : config.fallback)
    if (std::find(kinds.begin(), kinds.end(), f) == kinds.end()) kinds.push_back(f);
  return kinds;
}

Result<std::unique_ptr<Backend>> OpenBackendChain(const Config& config, const BackendOpener& open,
                                                  const NoteSink& note) {
  const std::vector<BackendKind> kinds = BackendOrder(config);
  if (kinds.size() == 1) return open(kinds[0], config.model);
  std::vector<BackendFactory> chain;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const std::string model = i == 0 ? config.model : "";
    chain.push_back({ChoiceName(kinds[i]), [open, kind = kinds[i], model] { return open(kind, model); }});
  }
  auto fb = std::make_unique<FallbackBackend>(std::move(chain), note);
  if (Status s = fb->Open(); !s.ok()) return s;
  return std::unique_ptr<Backend>(std::move(fb));
}

Result<std::unique_ptr<Backend>> OpenBackend(const Config& config, bool spinner) {
  if (!config.test_answers.empty())
    return std::unique_ptr<Backend>(new ScriptedBackend(config.test_answers, config.test_token_ms));
  // The chain may open a fallback long after this returns (when the first
  // backend fails mid-answer): it keeps its own copy of the settings.
  auto shared = std::make_shared<const Config>(config);
  BackendOpener open = [shared, spinner](BackendKind kind,
                                         const std::string& model) -> Result<std::unique_ptr<Backend>> {
    switch (kind) {
      case BackendKind::kEmbedded: return OpenEmbedded(shared, spinner, model);
      case BackendKind::kOllama: return OpenOllama(*shared, model);
      case BackendKind::kOpenAi: break;
    }
    return OpenOpenAi(*shared, model);
  };
  return OpenBackendChain(config, open, NotesFor(config));
}

Result<std::unique_ptr<Backend>> OpenInProcess(const Config& config, bool spinner, const std::string& model_path,
                                               LoadFor purpose) {
  EmbeddedOptions opts;
  opts.model_path = model_path;
  opts.device = config.device;
  opts.threads = config.threads;
  opts.context_size = config.context_size;
  opts.note = NotesFor(config);
  if (config.prompt_cache) opts.prompt_cache_dir = config.cache_dir + "/prompt-cache";
  // auto: on for `cmdai serve`, off for one request. A one-shot prefills ~25
  // tokens after the cached prefix, so repacking costs more load time than
  // it saves; a server repacks once and prefills faster on every request
  // (0.41 vs 0.68 s a request on two cores). Repacked kernels round
  // differently, so on a near tie a served answer may differ from a
  // one-shot's; both are the model's answer. docs/performance.md.
  opts.repack = config.repack == Repack::kOn || (config.repack == Repack::kAuto && purpose == LoadFor::kServer);
  // After any download prompt and progress; drawn only where colour is on.
  ui::Spinner spin(spinner && config.color != ColorMode::kNever, "loading model…");
  auto b = EmbeddedBackend::Open(opts);
  if (!b.ok()) return b.status();
  return std::unique_ptr<Backend>(std::move(b).value());
}

}  // namespace cmdai
