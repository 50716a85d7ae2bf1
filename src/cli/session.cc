// SPDX-License-Identifier: MIT
#include "cli/session.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "backends/embedded_backend.h"
#include "backends/fallback_backend.h"
#include "backends/remote_backends.h"
#include "backends/scripted_backend.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/models_command.h"
#include "cli/pipeline.h"
#include "cli/policy_from_config.h"
#include "cli/report.h"
#include "common/interrupt.h"
#include "common/posix.h"
#include "common/visible_text.h"
#include "context/context.h"
#include "exec/approval.h"
#include "exec/executor.h"
#include "models/model_locator.h"
#include "serve/server.h"
#include "serve/socket_backend.h"
#include "ui/clipboard.h"
#include "ui/keys.h"
#include "ui/line_editor.h"
#include "ui/presenter.h"
#include "ui/spinner.h"
#include "ui/terminal.h"

namespace cmdai {
namespace {

using Clock = std::chrono::steady_clock;

int Fail(const Status& s) { return ReportError(s); }

void Err(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stderr);
  std::fflush(stderr);
}

// A note from a backend or the downloader: may quote a server's words.
void Note(const std::string& n) { Err("cmdai: " + VisibleText(n) + "\n"); }

Result<std::string> ReadRequest(const std::vector<std::string>& words, const Terminal& term) {
  auto raw = ReadInput(words, term.stdin_tty, "request");
  if (!raw.ok()) return raw.status();
  return NormalizeRequest(raw.value());
}

// Starts `cmdai serve` detached from this process, its output discarded.
// Best effort: when this binary's path is unknown, the request still runs in
// process and nothing is started.
void StartServerInBackground(const Config& config, const std::string& model_path) {
  // Everything the child needs is computed before fork: it only execs.
  const auto self = posix::ExecutablePath();
  if (!self.ok()) {
    if (config.verbose) std::fprintf(stderr, "cmdai: not starting cmdai serve: %s\n", self.status().message().c_str());
    return;
  }
  const std::string idle = std::to_string(config.serve_idle_timeout_s);
  const pid_t pid = fork();
  if (pid != 0) return;
  setsid();
  if (fork() != 0) _exit(0);  // the grandchild is adopted by init
  const int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  execl(self->c_str(), "cmdai", "serve", "--model", model_path.c_str(), "--socket", config.serve_socket.c_str(),
        "--idle-timeout", idle.c_str(), nullptr);
  _exit(127);
}

Result<std::unique_ptr<Backend>> OpenInProcess(const Config& config, bool spinner, const std::string& model_path,
                                               bool for_server);

Result<std::unique_ptr<Backend>> OpenEmbedded(const Config& config, bool spinner, const std::string& model) {
  const Terminal term = Terminal::Detect();
  Config c = config;
  c.model = model;
  auto model_path = LocateModel(c, TerminalHooks(config, term.stdin_tty, term.stderr_tty));
  if (!model_path.ok()) return model_path.status();
  const std::string path = std::filesystem::absolute(model_path.value()).string();
  // A running `cmdai serve` answers without loading anything; if it cannot
  // (gone, another model), the model runs here, with the same answer.
  if (serve::ServerAlive(config.serve_socket)) {
    std::vector<BackendFactory> chain = {
        {"serve",
         [&config, path]() -> Result<std::unique_ptr<Backend>> {
           return std::unique_ptr<Backend>(new serve::SocketBackend(config.serve_socket, path));
         }},
        {"in-process", [&config, spinner, path] { return OpenInProcess(config, spinner, path, false); }}};
    auto fb = std::make_unique<FallbackBackend>(std::move(chain), [&config](const std::string& n) {
      if (config.verbose) Note(n);
    });
    if (Status s = fb->Open(); !s.ok()) return s;
    return std::unique_ptr<Backend>(std::move(fb));
  }
  if (config.serve_autostart) StartServerInBackground(config, path);
  return OpenInProcess(config, spinner, path, false);
}

Result<std::unique_ptr<Backend>> OpenInProcess(const Config& config, bool spinner, const std::string& model_path,
                                               bool for_server) {
  EmbeddedOptions opts;
  opts.model_path = model_path;
  opts.device = config.device;
  opts.threads = config.threads;
  opts.context_size = config.context_size;
  opts.note = [&config](const std::string& n) {
    if (!config.quiet) Note(n);
  };
  if (config.prompt_cache) opts.prompt_cache_dir = config.cache_dir + "/prompt-cache";
  // Off unless asked for: a one-shot prefills ~25 tokens after the cached
  // prefix, so repacking costs more load time than it saves; and `cmdai serve`
  // uses the same kernels as a one-shot so that answers are identical either
  // way (repacked kernels round differently). docs/performance.md.
  (void)for_server;
  opts.repack = config.repack == "on";
  ui::Spinner spin(spinner, "loading model…");  // after any download prompt and progress
  auto b = EmbeddedBackend::Open(opts);
  if (!b.ok()) return b.status();
  return std::unique_ptr<Backend>(std::move(b).value());
}

HttpOptions HttpFor(const Config& config) {
  HttpOptions h;
  h.connect_timeout_s = config.connect_timeout_s;
  h.total_timeout_s = config.request_timeout_s;
  h.max_attempts = config.http_retries;
  if (!config.quiet) h.note = Note;
  return h;
}

// The backend chain: the configured backend, then the fallbacks. `model`
// (--model) names the first backend's model; the others use their own keys.
Result<std::unique_ptr<Backend>> OpenBackend(const Config& config, bool spinner) {
  if (!config.test_answers.empty()) return std::unique_ptr<Backend>(new ScriptedBackend(config.test_answers));
  std::vector<std::string> names = {config.backend};
  for (const auto& f : config.fallback)
    if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(f);
  std::vector<BackendFactory> chain;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    const std::string model = i == 0 ? config.model : "";
    if (n == "embedded") {
      chain.push_back({n, [&config, spinner, model] { return OpenEmbedded(config, spinner, model); }});
    } else if (n == "ollama") {
      chain.push_back({n, [&config, model]() -> Result<std::unique_ptr<Backend>> {
                         OllamaOptions o;
                         o.host = config.ollama_host;
                         o.model = model.empty() ? config.ollama_model : model;
                         o.keep_alive = config.ollama_keep_alive;
                         o.json_schema = config.ollama_format == "schema";
                         o.fence = FenceLanguage(config.shell);
                         o.http = HttpFor(config);
                         auto b = OllamaBackend::Open(o);
                         if (!b.ok()) return b.status();
                         return std::unique_ptr<Backend>(std::move(b).value());
                       }});
    } else {
      chain.push_back({n, [&config, model]() -> Result<std::unique_ptr<Backend>> {
                         OpenAiOptions o;
                         o.base_url = config.openai_base_url;
                         o.model = model.empty() ? config.openai_model : model;
                         o.api_key = config.openai_api_key;
                         o.api_key_env = config.openai_api_key_env;
                         o.gbnf = config.openai_grammar == "gbnf";
                         o.http = HttpFor(config);
                         return std::unique_ptr<Backend>(new OpenAiBackend(o));
                       }});
    }
  }
  if (chain.size() == 1) return chain[0].open();
  auto fb = std::make_unique<FallbackBackend>(std::move(chain), [&config](const std::string& n) {
    if (!config.quiet) Note(n);
  });
  if (Status s = fb->Open(); !s.ok()) return s;
  return std::unique_ptr<Backend>(std::move(fb));
}

// Everything one request carries through the menu.
class Session {
 public:
  Session(const Invocation& inv, const Config& config)
      : inv_(inv), config_(config), term_(Terminal::Detect()), classifier_(PolicyFromConfig(config)) {
    style_.color = ui::ColorOn(config.color, term_.stderr_tty);
    // Interactive only with a person at both ends, and nobody asked otherwise.
    interactive_ = term_.stdin_tty && term_.stderr_tty && term_.stdout_tty && !inv.print && !inv.no_input &&
                   inv.output == Output::kText && !inv.dry_run;
    chatty_ = term_.stderr_tty && !config.quiet;
  }

  int Run() {
    const auto start = Clock::now();
    auto request = ReadRequest(inv_.words, term_);
    if (!request.ok()) return Fail(request.status());
    report_.request = request.value();
    report_.shell = config_.shell;
    context_ = DetectContext(config_.shell, config_.cwd);

    {
      auto backend = OpenBackend(config_, chatty_);
      if (!backend.ok()) return Fail(backend.status());
      backend_ = std::move(backend).value();
    }
    report_.backend = backend_->Info();

    // The explanation costs generation time: asked for only when shown.
    want_explanation_ = config_.explain && inv_.output != Output::kWidget && (chatty_ || inv_.output != Output::kText);
    Generation raw;
    Result<PipelineResult> result = Status::Error(ErrorCode::kBackend, "not run");
    {
      ui::Spinner spin(chatty_, "thinking…");
      result = RunPipeline(config_, context_, report_.request, *backend_, want_explanation_, &raw);
    }
    if (config_.verbose && !raw.text.empty()) Err("cmdai: model answer: " + VisibleText(raw.text) + "\n");
    if (!result.ok()) return Fail(result.status());
    report_.timings = result->generation.timings;
    report_.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    SetCommand(result->extracted.command, result->extracted.explanation);
    if (config_.verbose) Verbose();

    const int rc = interactive_ && !inv_.execute ? Menu() : Decide();
    // The process ends next: the OS reclaims the model's memory at once,
    // faster than freeing its buffers one by one (a one-shot's "teardown").
    (void)backend_.release();
    return rc;
  }

 private:
  void SetCommand(const std::string& command, const std::string& explanation) {
    report_.command = command;
    report_.explanation = explanation;
    report_.assessment = classifier_.Rate(command);  // every command is rated before it is shown
  }

  void Verbose() {
    const Timings& t = report_.timings;
    const BackendInfo& b = report_.backend;
    const int fresh = t.prompt_tokens - t.cached_tokens;
    const double fresh_ms = t.prefill_ms - t.restore_ms;
    char line[768];
    std::snprintf(line, sizeof(line),
                  "cmdai: %s\n"
                  "cmdai: load %.0f ms (model %.0f, context %.0f) | prompt %d tokens: %d restored in %.1f ms, %d "
                  "prefilled in %.0f ms (%.1f tok/s) | generation %d tokens in %.0f ms (%.1f tok/s) | total %.0f ms\n",
                  backend_->Describe().c_str(), b.load_ms, b.model_ms, b.context_ms, t.prompt_tokens, t.cached_tokens,
                  t.restore_ms, fresh, fresh_ms, fresh_ms > 0 ? fresh * 1000.0 / fresh_ms : 0.0, t.generated_tokens,
                  t.generation_ms, t.generation_ms > 0 ? t.generated_tokens * 1000.0 / t.generation_ms : 0.0,
                  report_.total_ms);
    Err(line);
  }

  void ShowCard() { Err(ui::Card(report_.command, report_.explanation, report_.assessment, style_)); }

  // Writes the product to stdout: the command alone, or the whole object.
  // The command goes out byte for byte only to a pipe or file (for eval);
  // on a terminal it is shown visibly, so that it cannot redraw the screen.
  void Output() {
    std::string out;
    if (inv_.output == Output::kJson)
      out = ReportJson(report_) + "\n";
    else if (inv_.output == Output::kYaml)
      out = ReportYaml(report_);
    else
      out = (term_.stdout_tty ? VisibleText(report_.command) : report_.command) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  int Execute(const ApprovedCommand& approved) {
    ExecOptions opts;
    opts.stdout_to_stderr = inv_.output != Output::kText;  // stdout holds the one object
    auto status = cmdai::Execute(approved, opts);
    if (!status.ok()) return Fail(status.status());
    report_.executed = true;
    report_.exit_status = status.value();
    if (inv_.output != Output::kText) Output();
    return status.value();
  }

  // The finding that sets the command's risk (the first of the highest).
  const safety::Finding* WorstFinding() const {
    const safety::Finding* worst = nullptr;
    for (const auto& f : report_.assessment.findings)
      if (!worst || f.risk > worst->risk) worst = &f;
    return worst;
  }

  // "delete.home: deletes your home directory", shown visibly; "" without findings.
  std::string Reason() const {
    const safety::Finding* f = WorstFinding();
    return f ? VisibleText(f->rule + ": " + f->message) : "";
  }

  // A blocked command never reaches stdout as text (docs/interaction.md): the
  // reason and the command, shown visibly, go to stderr instead, exit 5.
  int RefuseBlocked(const std::string& verb) {
    const auto& a = report_.assessment;
    const std::string reason = Reason();
    return Fail(Status::Error(ErrorCode::kBlocked,
                              "not " + verb + " a " + std::string(safety::RiskName(a.risk)) +
                                  "-risk command: blocked at safety level " + safety::LevelName(a.level) +
                                  (reason.empty() ? "" : " (" + reason + ")") + ": " + report_.command,
                              "review it with cmdai rate; to be asked instead, choose a lower level explicitly "
                              "with --safety"));
  }

  // `--output widget`, for the Ctrl-G widget of `cmdai init SHELL`: three
  // parts on stdout, whatever the decision, and exit 0.
  //   1. "command" when the line text is the command itself, "comment" when
  //      it is a comment that runs nothing;
  //   2. a note for the person, one visible line; empty for a safe command;
  //   3. the text for the prompt line (may hold newlines).
  // A blocked command, or one whose bytes would not show as they are (controls
  // other than tab and newline, bidi or invisible characters, invalid UTF-8),
  // becomes a comment with the command shown visibly, never runnable text.
  int WidgetOutput() {
    const auto& a = report_.assessment;
    const bool blocked = a.decision == safety::Decision::kBlock;
    const bool hidden = HasInvisible(report_.command, /*keep_newlines=*/true);
    const safety::Finding* worst = WorstFinding();
    const std::string message = worst ? VisibleText(worst->message + " (" + worst->rule + ")") : "";
    std::string note;
    if (blocked)
      note = "cmdai: blocked at safety level " + std::string(safety::LevelName(a.level)) + ", " +
             safety::RiskName(a.risk) + " risk: " + message;
    else if (a.risk != safety::Risk::kSafe)
      note = "cmdai: " + std::string(safety::RiskName(a.risk)) + " risk: " + message;
    if (hidden && !blocked)
      note += std::string(note.empty() ? "cmdai: " : "; ") +
              "not inserted: it holds characters that do not show as they are";
    std::string out;
    if (blocked)
      out = "comment\n" + note + "\n# blocked (" + (worst ? VisibleText(worst->rule) : std::string("safety level")) +
            "): " + VisibleText(report_.command) + "\n";
    else if (hidden)
      out = "comment\n" + note + "\n# not inserted (invisible characters): " + VisibleText(report_.command) + "\n";
    else
      out = "command\n" + note + "\n" + report_.command + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return kExitOk;
  }

  // Without a menu: print, or run when asked and permitted.
  int Decide() {
    if (inv_.output == Output::kWidget) return WidgetOutput();
    const auto& a = report_.assessment;
    const bool text = inv_.output == Output::kText;
    const bool blocked = a.decision == safety::Decision::kBlock;
    const bool show_card = chatty_ && text && (!inv_.print || inv_.dry_run);
    // With stdout on the same terminal, the card already shows the command.
    const bool card_is_output = show_card && !inv_.print && term_.stdout_tty && !inv_.dry_run;
    if (show_card)
      ShowCard();
    else if (chatty_ && a.risk != safety::Risk::kSafe && !blocked)  // a blocked one is named in the error
      Err("cmdai: risk " + std::string(safety::RiskName(a.risk)) + ": " + Reason() + "\n");
    if (inv_.dry_run || !inv_.execute) {
      if (blocked) {
        if (!text) Output();  // the object says "block"; it is no runnable text
        return RefuseBlocked("printing");
      }
      if (!card_is_output) Output();
      return kExitOk;
    }
    auto approved = Approve(a, inv_.yes ? Consent::kConfirmed : Consent::kRun, config_.shell);
    if (approved) {
      // stdout is the command's own output now; the command itself goes to stderr.
      if (inv_.output == Output::kText && !chatty_ && !config_.quiet)
        Err("cmdai: running: " + VisibleText(report_.command) + "\n");
      return Execute(*approved);
    }
    if (inv_.output != Output::kText) Output();
    if (blocked) return RefuseBlocked("running");
    if (interactive_) return Menu();
    return Fail(
        Status::Error(ErrorCode::kNeedsConfirmation,
                      "not running a " + std::string(safety::RiskName(a.risk)) + "-risk command without confirmation",
                      "review it and pass --yes (-y) to run it"));
  }

  // The interactive menu: one key per choice, looping until run or abort.
  int Menu() {
    for (;;) {
      ShowCard();
      const auto& a = report_.assessment;
      Err(ui::MenuLine(a, style_));
      std::optional<ui::Key> key;
      {
        ui::RawMode raw(STDIN_FILENO);
        key = ui::ReadKey(STDIN_FILENO);
      }
      Err("\n");
      if (!key || Interrupted()) return Aborted();
      std::string k = key->code == ui::KeyCode::kChar ? key->text : "";
      if (key->code == ui::KeyCode::kEnter) k = ui::EnterRuns(a) ? "y" : "n";
      if (key->code == ui::KeyCode::kEscape || key->code == ui::KeyCode::kCtrlC || key->code == ui::KeyCode::kCtrlD)
        k = "n";
      if (k == "y" || k == "Y") {
        if (a.decision == safety::Decision::kBlock) {
          Err("  blocked at safety level " + std::string(safety::LevelName(a.level)) + "; not running it\n");
          continue;
        }
        Consent consent = a.decision == safety::Decision::kAllow ? Consent::kRun : Consent::kConfirmed;
        if (a.risk >= safety::Risk::kHigh) {  // high risk: the person types it out
          auto typed = ui::EditLine(
              "  " + style_.Risk(a.risk, std::string(safety::RiskName(a.risk)) + " risk") + ": type yes to run it: ",
              "", STDIN_FILENO, STDERR_FILENO);
          if (!typed || *typed != "yes") {
            Err("  not run\n");
            continue;
          }
        }
        auto approved = Approve(a, consent, config_.shell);
        if (!approved) continue;
        Err("\n");
        return Execute(*approved);
      }
      if (k == "e" || k == "E") {
        auto edited = ui::EditLine("  edit> ", report_.command, STDIN_FILENO, STDERR_FILENO);
        if (edited && !edited->empty() && *edited != report_.command) SetCommand(*edited, "");  // re-rated
        continue;
      }
      if (k == "r" || k == "R") {
        auto feedback = ui::EditLine("  revise> ", "", STDIN_FILENO, STDERR_FILENO);
        if (!feedback || feedback->empty()) continue;
        Result<PipelineResult> revised = Status::Error(ErrorCode::kBackend, "not run");
        {
          ui::Spinner spin(true, "revising…");
          revised = RunPrompt(
              config_, BuildRevisionPrompt(context_, report_.request, report_.command, *feedback, want_explanation_),
              *backend_, want_explanation_);
        }
        if (!revised.ok()) {
          if (revised.status().code() == ErrorCode::kInterrupted) return Fail(revised.status());
          Err("  " + style_.Visible(revised.status().ToString()) + "\n");
          continue;
        }
        SetCommand(revised->extracted.command, revised->extracted.explanation);
        continue;
      }
      if (k == "d" || k == "D" || k == "?") {
        Result<std::string> text = Status::Error(ErrorCode::kBackend, "not run");
        {
          ui::Spinner spin(true, "explaining…");
          text = ExplainCommand(config_, context_, report_.command, *backend_);
        }
        Err(text.ok() ? "\n" + Indent(style_.Visible(text.value(), /*keep_newlines=*/true)) + "\n"
                      : "  " + style_.Visible(text.status().ToString()) + "\n");
        continue;
      }
      if (k == "c" || k == "C") {
        const std::string how = ui::CopyToClipboard(report_.command, STDERR_FILENO);
        Err("  copied with " + how + "\n");
        continue;
      }
      if (k == "n" || k == "N" || k == "q" || k == "Q") return Aborted();
    }
  }

  static std::string Indent(const std::string& text) {
    std::string out = "  ";
    for (char c : text) {
      out += c;
      if (c == '\n') out += "  ";
    }
    return out;
  }

  int Aborted() {
    Err("  aborted; nothing was run\n");
    return kExitAborted;
  }

  const Invocation& inv_;
  const Config& config_;
  Terminal term_;
  safety::RiskClassifier classifier_;
  ui::Style style_;
  bool interactive_ = false;
  bool chatty_ = false;
  bool want_explanation_ = false;
  Context context_;
  std::unique_ptr<Backend> backend_;
  Report report_;
};

}  // namespace

int RunSession(const Invocation& invocation, const Config& config) { return Session(invocation, config).Run(); }

int RunServe(const Config& config) {
  const Terminal term = Terminal::Detect();
  if (serve::ServerAlive(config.serve_socket))
    return Fail(Status::Error(ErrorCode::kUsage, "cmdai serve is already running on " + config.serve_socket,
                              "stop it first, or pass --socket PATH"));
  auto path = LocateModel(config, TerminalHooks(config, term.stdin_tty, term.stderr_tty));
  if (!path.ok()) return Fail(path.status());
  auto backend = OpenInProcess(config, false, std::filesystem::absolute(path.value()).string(), true);
  if (!backend.ok()) return Fail(backend.status());
  if (!config.quiet)
    std::fprintf(stderr, "cmdai: serving %s on %s (%s)\n", VisibleText(path.value()).c_str(),
                 VisibleText(config.serve_socket).c_str(), backend.value()->Info().device.c_str());
  serve::ServerOptions o;
  o.socket_path = config.serve_socket;
  o.idle_timeout_s = config.serve_idle_timeout_s;
  o.model_path = std::filesystem::absolute(path.value()).string();
  if (Status s = serve::Serve(*backend.value(), o); !s.ok()) return Fail(s);
  if (!config.quiet) std::fprintf(stderr, "cmdai: serve stopped\n");
  return kExitOk;
}

int RunExplain(const Invocation& inv, const Config& config) {
  const Terminal term = Terminal::Detect();
  auto command = ReadRequest(inv.words, term);
  if (!command.ok())
    return Fail(command.status().code() == ErrorCode::kUsage
                    ? Status::Error(ErrorCode::kUsage, "no command to explain", "cmdai explain -- 'COMMAND'")
                    : command.status());
  const safety::Assessment a = safety::RiskClassifier(PolicyFromConfig(config)).Rate(command.value());
  std::unique_ptr<Backend> backend;
  {
    auto b = OpenBackend(config, term.stderr_tty && !config.quiet);
    if (!b.ok()) return Fail(b.status());
    backend = std::move(b).value();
  }
  Result<std::string> text = Status::Error(ErrorCode::kBackend, "not run");
  {
    ui::Spinner spin(term.stderr_tty && !config.quiet, "explaining…");
    text = ExplainCommand(config, DetectContext(config.shell, config.cwd), command.value(), *backend);
  }
  if (!text.ok()) return Fail(text.status());
  // The explanation is prose for reading, wherever it goes: lines and tabs
  // are kept, every other control or invisible character is shown.
  VisibleOptions prose;
  prose.keep_newlines = true;
  std::printf("%s\n", VisibleText(text.value(), prose).c_str());
  if (!config.quiet) {
    std::fprintf(stderr, "risk: %s (%s at safety level %s)\n", safety::RiskName(a.risk),
                 safety::DecisionName(a.decision), safety::LevelName(a.level));
    for (const auto& f : a.findings)
      std::fprintf(stderr, "  %s: %s\n", safety::RiskName(f.risk), VisibleText(f.message).c_str());
  }
  return kExitOk;
}

}  // namespace cmdai
