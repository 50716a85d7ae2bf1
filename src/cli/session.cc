// SPDX-License-Identifier: MIT
// The request's journey (cli/session.h): answer, rate, then print, run or
// hand over to the menu (menu.cc).
#include "cli/session.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>

#include "cli/answer_step.h"
#include "cli/backend_factory.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/pipeline.h"
#include "cli/policy_from_config.h"
#include "cli/report.h"
#include "cli/session_state.h"
#include "cli/verdict.h"
#include "common/exit_handoff.h"
#include "common/visible_text.h"
#include "context/context.h"
#include "exec/approval.h"
#include "exec/executor.h"
#include "ui/keys.h"
#include "ui/presenter.h"
#include "ui/terminal.h"

namespace cmdai {
namespace detail {

using Clock = std::chrono::steady_clock;

Session::Session(const Invocation& inv, const Config& config)
    : inv_(inv), config_(config), term_(Terminal::Detect()), classifier_(PolicyFromConfig(config)) {
  style_.color = ui::ColorOn(config.color, term_.stderr_tty);
  style_.utf8 = term_.utf8;
  // Interactive only with a person at both ends, and nobody asked otherwise.
  interactive_ = term_.stdin_tty && term_.stderr_tty && term_.stdout_tty && !inv.print && !inv.no_input &&
                 inv.output == Output::kText && !inv.dry_run;
  chatty_ = term_.stderr_tty && !config.quiet;
}

int Session::Run() {
  const auto start = Clock::now();
  auto raw_request = ReadInput(inv_.words, term_.stdin_tty, "request");
  if (!raw_request.ok()) return Fail(raw_request.status());
  auto request = NormalizeRequest(raw_request.value());
  if (!request.ok()) return Fail(request.status());
  report_.request = request.value();
  report_.shell = config_.shell;
  context_ = DetectContext(config_.shell, config_.cwd);
  // Which userland and shell version run here (cached per program version):
  // the prompt says so, and grounding checks against them.
  DetectTools(context_, config_.path, GroundOptionsFor(config_, context_).cache_dir);
  grounder_ = std::make_unique<ground::Grounder>(GroundOptionsFor(config_, context_));
  extract_ = ExtractOptionsFor(config_, *grounder_);

  {
    auto backend = OpenBackend(config_, chatty_);
    if (!backend.ok()) return Fail(NamingSource(backend.status(), config_, "model"));
    backend_ = std::move(backend).value();
  }
  report_.backend = backend_->Info();

  // The explanation costs generation time: asked for only when shown.
  want_explanation_ = config_.explain && inv_.output != Output::kWidget && (chatty_ || inv_.output != Output::kText);
  AnswerSetup setup;
  setup.config = &config_;
  setup.context = &context_;
  setup.grounder = grounder_.get();
  setup.extract = &extract_;
  setup.with_explanation = want_explanation_;
  setup.spinner = chatty_ && style_.color;
  setup.live = interactive_ && !inv_.execute;  // the menu follows: show the command as soon as it is whole
  setup.style = style_;
  setup.card_head = [this](const std::string& command) { return ui::Card(command, "", Rating(command), style_); };
  auto answer = AnswerRequest(setup, report_.request, *backend_, report_, start);
  if (!answer.ok()) return Fail(answer.status());
  const PipelineResult& result = answer->result;
  report_.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  SetCommand(result.extracted.command, result.extracted.explanation, &answer->grounding);
  card_shown_ = answer->card_drawn;  // the live card: whole on screen already
  pending_key_ = answer->key;
  if (config_.verbose) WriteErr(TimingLines(report_, backend_->Describe()));

  const int rc = interactive_ && !inv_.execute ? Menu() : Decide();
  // The process ends next: the OS reclaims the model's memory at once,
  // faster than freeing its buffers one by one (a one-shot's "teardown").
  const BackendInfo info = backend_->Info();  // of the engine that answered last
  loaded_here_ = info.name == "embedded" && info.load_ms > 0;
  gpu_here_ = loaded_here_ && info.device.rfind("GPU", 0) == 0;
  (void)backend_.release();
  return rc;
}

// `grounding`: the command's grounding findings when already known; else
// it is grounded here (an edited or revised command).
void Session::SetCommand(const std::string& command, const std::string& explanation,
                         const std::vector<ground::GroundFinding>* grounding) {
  report_.command = command;
  report_.explanation = explanation;
  report_.assessment = Rating(command);  // every command is rated before it is shown
  if (grounding)
    report_.grounding = *grounding;
  else if (config_.grounding && grounder_)
    report_.grounding = grounder_->Check(command).findings;
}

const safety::Assessment& Session::Rating(const std::string& command) {
  if (!rated_ || rated_->first != command) rated_.emplace(command, classifier_.Rate(command));
  return rated_->second;
}

void Session::ShowCard() {
  card_shown_ = true;
  // A menu follows: keys count from when the card is on screen, so that
  // typing ahead never answers a question not yet asked.
  if (interactive_) ui::DiscardTypeahead(STDIN_FILENO);
  WriteErr(ui::Card(report_.command, report_.explanation, report_.assessment, style_) +
           ui::GroundingNotes(report_.grounding, style_));
}

void Session::Output() {
  const std::string out = ProductText(report_, inv_.output, term_.stdout_tty);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int Session::Execute(const ApprovedCommand& approved) {
  ExecOptions opts;
  opts.stdout_to_stderr = inv_.output != Output::kText;  // stdout holds the one object
  auto status = cmdai::Execute(approved, opts);
  if (!status.ok()) return Fail(status.status());
  report_.executed = true;
  report_.exit_status = status.value();
  if (inv_.output != Output::kText) Output();
  return status.value();
}

// A blocked command never reaches stdout as text (docs/interaction.md): the
// reason and the command, shown visibly, go to stderr instead, exit 5.
int Session::RefuseBlocked(const std::string& verb) {
  return Fail(BlockedError(report_.assessment, report_.command, verb));
}

// Without a menu: print, or run when asked and permitted.
int Session::Decide() {
  if (inv_.output == Output::kWidget) {  // the widget's three parts (cli/verdict.h), whatever the decision
    const std::string out = WidgetAnswer(report_.assessment, report_.command);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return kExitOk;
  }
  const auto& a = report_.assessment;
  const bool text = inv_.output == Output::kText;
  const bool blocked = a.decision == safety::Decision::kBlock;
  // A dry run shows the rating even in a script (stderr, not the product);
  // only -q silences it.
  const bool show_card = text && (chatty_ ? (!inv_.print || inv_.dry_run) : inv_.dry_run && !config_.quiet);
  // With stdout on the same terminal, the card already shows the command.
  const bool card_is_output = show_card && !inv_.print && term_.stdout_tty && !inv_.dry_run;
  if (show_card)
    ShowCard();
  else if (chatty_ && a.risk != safety::Risk::kSafe && !blocked)  // a blocked one is named in the error
    WriteErr("cmdai: risk " + std::string(safety::RiskName(a.risk)) + ": " + Reason(a) + "\n");
  if (!show_card && chatty_)  // what does not fit this machine, without a card
    for (const auto& f : report_.grounding)
      WriteErr("cmdai: " + VisibleText(f.message + (f.hint.empty() ? "" : " (" + f.hint + ")")) + "\n");
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
      WriteErr("cmdai: running: " + VisibleText(report_.command) + "\n");
    return Execute(*approved);
  }
  if (inv_.output != Output::kText) Output();
  // A refusal shows what was refused: the command, its rating and findings.
  if (text && !card_shown_ && !config_.quiet) ShowCard();
  if (blocked) return RefuseBlocked("running");
  if (interactive_) return Menu();
  const std::string reason = Reason(a);
  return Fail(Status::Error(ErrorCode::kNeedsConfirmation,
                            "not running a " + std::string(safety::RiskName(a.risk)) +
                                "-risk command without confirmation" + (reason.empty() ? "" : " (" + reason + ")") +
                                ": " + VisibleText(report_.command),
                            "review it and pass --yes (-y) to run it"));
}

}  // namespace detail

int RunSession(const Invocation& invocation, const Config& config) {
  detail::Session session(invocation, config);
  const int rc = session.Run();
  // With a model loaded here, the process ends now, without its teardown:
  // freeing the model's buffers one by one and the GPU runtime's exit
  // handlers (~0.15 s for CUDA's on an H100/H200) cost more than the whole
  // answer; the OS reclaims all of it at once. Everything written is
  // flushed first, and nothing else is left to do at exit.
  if (session.LoadedModelHere()) {
    std::fflush(nullptr);
    // The exit the shell waits for would still unmap the model and free its
    // buffers (~25 ms on the 2-core VM), and a GPU driver releases the device
    // at the last close of its descriptors (~0.1 s on an H100): a holder
    // keeps both until this process is gone (common/exit_handoff.h).
    HandOffExit(session.UsedGpuHere() ? DeviceDescriptors() : std::vector<int>{}, std::chrono::seconds(5));
    std::_Exit(CheckStdout(rc));
  }
  return rc;
}

}  // namespace cmdai
