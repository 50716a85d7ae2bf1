// SPDX-License-Identifier: MIT
// The interactive menu of a request (docs/interaction.md): one key per
// choice — run, edit, revise, describe, copy, no — looping until the command
// runs or the person says no. Part of Session (cli/session_state.h).
#include <unistd.h>

#include <optional>
#include <utility>

#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/pipeline.h"
#include "cli/session_state.h"
#include "cli/verdict.h"
#include "common/interrupt.h"
#include "ui/clipboard.h"
#include "ui/keys.h"
#include "ui/line_editor.h"
#include "ui/presenter.h"
#include "ui/spinner.h"

namespace cmdai::detail {
// The interactive menu: one key per choice, looping until run or abort.
int Session::Menu() {
  for (;;) {
    if (!card_shown_) ShowCard();  // -x shows it before coming here: once
    card_shown_ = false;
    WriteErr(ui::MenuLine(report_.assessment, style_));
    std::optional<ui::Key> key = std::exchange(pending_key_, std::nullopt);  // pressed while the card was drawn
    if (!key) {
      ui::RawMode raw(STDIN_FILENO);
      key = ui::ReadKey(STDIN_FILENO);
    }
    WriteErr("\n");
    if (!key || Interrupted()) return Aborted();
    switch (ui::MenuChoice(*key, report_.assessment)) {
      case 'y':
        if (auto rc = TryRun()) return *rc;
        break;
      case 'e': {
        auto edited = ui::EditLine("  edit> ", report_.command, STDIN_FILENO, STDERR_FILENO);
        if (edited && !edited->empty() && *edited != report_.command) SetCommand(*edited, "");  // re-rated
        break;
      }
      case 'r':
        if (auto rc = Revise()) return *rc;
        break;
      case 'd': Describe(); break;
      case 'c': WriteErr("  copied with " + ui::CopyToClipboard(report_.command, STDERR_FILENO) + "\n"); break;
      case 'n': return Aborted();
      default: break;
    }
  }
}

// "Run" chosen at the menu: the exit status once run, nullopt to go on.
std::optional<int> Session::TryRun() {
  const auto& a = report_.assessment;
  if (a.decision == safety::Decision::kBlock) {
    WriteErr("  blocked at safety level " + std::string(safety::LevelName(a.level)) + "; not running it\n");
    return std::nullopt;
  }
  const Consent consent = a.decision == safety::Decision::kAllow ? Consent::kRun : Consent::kConfirmed;
  if (a.risk >= safety::Risk::kHigh) {  // high risk: the person types it out, after seeing the question
    ui::DiscardTypeahead(STDIN_FILENO);
    auto typed = ui::EditLine(
        "  " + style_.Risk(a.risk, std::string(safety::RiskName(a.risk)) + " risk") + ": type yes to run it: ", "",
        STDIN_FILENO, STDERR_FILENO);
    if (!typed || *typed != "yes") {
      WriteErr("  not run\n");
      return std::nullopt;
    }
  }
  auto approved = Approve(a, consent, config_.shell);
  if (!approved) return std::nullopt;
  // cd, export, source: they would change a child shell only.
  if (const std::string b = ShellStateBuiltin(report_.command); !b.empty())
    WriteErr("  " + CallingShellNote(b, report_.request, config_.shell) + "\n");
  WriteErr("\n");
  return Execute(*approved);
}

// "Revise": asks the model again with the person's feedback; an exit
// status only when interrupted.
std::optional<int> Session::Revise() {
  auto feedback = ui::EditLine("  revise> ", "", STDIN_FILENO, STDERR_FILENO);
  if (!feedback || feedback->empty()) return std::nullopt;
  Result<PipelineResult> revised = Status::Error(ErrorCode::kBackend, "not run");
  {
    ui::Spinner spin(style_.color, "revising…");
    revised = RunPrompt(config_,
                        BuildRevisionPrompt(context_, report_.request, report_.command, *feedback, want_explanation_),
                        *backend_, want_explanation_, nullptr, extract_);
  }
  if (revised.ok()) {
    SetCommand(revised->extracted.command, revised->extracted.explanation);
  } else {
    if (revised.status().code() == ErrorCode::kInterrupted) return Fail(revised.status());
    WriteErr("  " + style_.Visible(revised.status().ToString()) + "\n");
  }
  return std::nullopt;
}

void Session::Describe() {
  Result<std::string> text = Status::Error(ErrorCode::kBackend, "not run");
  {
    ui::Spinner spin(style_.color, "explaining…");
    text = ExplainCommand(config_, context_, report_.command, *backend_);
  }
  WriteErr(text.ok() ? "\n" + ui::Indented(style_.Visible(text.value(), /*keep_newlines=*/true)) + "\n"
                     : "  " + style_.Visible(text.status().ToString()) + "\n");
}

int Session::Aborted() {
  WriteErr("  aborted; nothing was run\n");
  return kExitAborted;
}

}  // namespace cmdai::detail
