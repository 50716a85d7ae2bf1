// SPDX-License-Identifier: MIT
// Session's state: what one request carries from words to outcome. Private
// to src/cli: the journey (answer, rate, print or run) is in session.cc, the
// interactive menu (run, edit, revise, describe, copy, no) in menu.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backends/backend.h"
#include "cli/arguments.h"
#include "cli/report.h"
#include "config/config.h"
#include "context/context.h"
#include "exec/approval.h"
#include "extract/extractor.h"
#include "ground/grounder.h"
#include "safety/risk_classifier.h"
#include "ui/keys.h"
#include "ui/style.h"
#include "ui/terminal.h"

namespace cmdai::detail {

class Session {
 public:
  Session(const Invocation& inv, const Config& config);
  int Run();
  /// The request loaded a model in this process (not through `cmdai serve`
  /// or a remote engine).
  bool LoadedModelHere() const { return loaded_here_; }
  /// That model ran on a GPU.
  bool UsedGpuHere() const { return gpu_here_; }

 private:
  // `grounding`: the command's grounding findings when already known; else
  // it is grounded here (an edited or revised command).
  void SetCommand(const std::string& command, const std::string& explanation,
                  const std::vector<ground::GroundFinding>* grounding = nullptr);
  // `command`'s rating, rated once: the live card's head and the card after
  // it show the same command, and a rating may take up to its deadline.
  const safety::Assessment& Rating(const std::string& command);
  void ShowCard();
  void Output();
  int Execute(const ApprovedCommand& approved);
  // A blocked command never reaches stdout as text (docs/interaction.md): the
  // reason and the command, shown visibly, go to stderr instead, exit 5.
  int RefuseBlocked(const std::string& verb);
  // Without a menu: print, or run when asked and permitted.
  int Decide();
  // The interactive menu: one key per choice, looping until run or abort.
  int Menu();
  // "Run" chosen at the menu: the exit status once run, nullopt to go on.
  std::optional<int> TryRun();
  // "Revise": asks the model again with the person's feedback; an exit
  // status only when interrupted.
  std::optional<int> Revise();
  void Describe();
  int Aborted();

  const Invocation& inv_;
  const Config& config_;
  Terminal term_;
  safety::RiskClassifier classifier_;
  std::optional<std::pair<std::string, safety::Assessment>> rated_;  // the last command rated, see Rating
  ui::Style style_;
  bool interactive_ = false;
  bool chatty_ = false;
  bool want_explanation_ = false;
  bool loaded_here_ = false;  // see LoadedModelHere
  bool gpu_here_ = false;     // see UsedGpuHere
  bool card_shown_ = false;   // the card of the current command is on screen
  Context context_;
  std::unique_ptr<ground::Grounder> grounder_;
  ExtractOptions extract_;
  std::optional<ui::Key> pending_key_;  // a menu key pressed before the menu line
  std::unique_ptr<Backend> backend_;
  Report report_;
};

}  // namespace cmdai::detail
