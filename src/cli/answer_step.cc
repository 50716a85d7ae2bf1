// SPDX-License-Identifier: MIT
#include "cli/answer_step.h"

#include "cli/edge.h"

#include <unistd.h>

#include <cstdio>
#include <memory>

#include "common/visible_text.h"
#include "ui/live_card.h"
#include "ui/spinner.h"

namespace cmdai {
namespace {

using Clock = std::chrono::steady_clock;

double MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

Result<Answer> AnswerRequest(const AnswerSetup& s, const std::string& request, Backend& backend, Report& report,
                             Clock::time_point start) {
  const Config& config = *s.config;
  auto spin = std::make_unique<ui::Spinner>(s.spinner, "thinking…");
  // The card's head is drawn only for a command that will be the one shown:
  // one that grounds cleanly (else the revise round may replace it).
  std::string drawn_command;
  ui::LiveCard::Head head = [&](const std::string& through_fence) -> std::optional<std::string> {
    auto command = ExtractCommand(through_fence, *s.extract);
    if (!command.ok() || !s.card_head) return std::nullopt;
    if (config.grounding && s.grounder) {
      ground::GroundResult g = s.grounder->Check(command->command);
      if (!g.clean()) return std::nullopt;
    }
    drawn_command = command->command;
    return s.card_head(command->command);
  };
  const Prompt prompt = BuildPrompt(*s.context, request, s.with_explanation);
  ui::LiveCard card(
      prompt.answer_prefix, s.live, s.style, head, [&spin] { spin.reset(); }, STDIN_FILENO, STDERR_FILENO);

  Generation raw;
  auto result = RunPrompt(config, prompt, backend, s.with_explanation, &raw, *s.extract,
                          [&card](const std::string& answer) { return card.OnText(answer); });
  card.Finish();
  spin.reset();
  const auto generated = Clock::now();
  if (config.verbose && !raw.text.empty()) WriteErr("cmdai: model answer: " + VisibleText(raw.text) + "\n");
  if (!result.ok()) return result.status();
  report.timings = result->generation.timings;

  Answer answer;
  answer.card_drawn = card.drawn();
  answer.key = card.key();
  if (config.grounding && s.grounder) {  // checked here, and revised once when it does not fit
    std::unique_ptr<ui::Spinner> revising;
    GroundedAnswer g = GroundAndRevise(
        config, *s.context, request, backend, s.with_explanation, *s.grounder, std::move(result).value(), *s.extract,
        [&] { revising = std::make_unique<ui::Spinner>(s.spinner, "revising to fit this system…"); });
    revising.reset();
    if (g.revision) {
      if (config.verbose && !g.revision->generation.text.empty())
        WriteErr("cmdai: revised answer: " + VisibleText(g.revision->generation.text) + "\n");
      report.grounding_revision =
          Report::GroundingRevision{g.revision->first_command, g.revision->first_findings, g.revision->second_command,
                                    g.revision->used_second, g.revision->note};
      report.revise_timings = g.revision->generation.timings;
      answer.card_drawn = false;  // never leave a card standing for a command that is not the one shown
    }
    report.grounding_stats = g.stats;
    answer.result = std::move(g.result);
    answer.grounding = std::move(g.findings);
  } else {
    answer.result = std::move(result).value();
  }
  // A card stands on screen only for the command shown: an answer that
  // started again (a server gone mid-answer, its fallback answering anew)
  // may have ended with another.
  if (answer.card_drawn && answer.result.extracted.command != drawn_command) answer.card_drawn = false;
  const auto done = Clock::now();
  // Time to command: when the shown command was whole — its closing fence,
  // or, after a revise round, the round's end. Time to explanation: when
  // the answers were whole.
  report.explanation_ms = MsBetween(start, report.grounding_revision ? done : generated);
  report.command_ms = report.grounding_revision || !card.command_ready() ? report.explanation_ms
                                                                         : MsBetween(start, *card.command_ready());
  return answer;
}

}  // namespace cmdai
