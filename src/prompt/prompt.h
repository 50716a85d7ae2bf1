// SPDX-License-Identifier: MIT
// Prompt: turns a request and its context into chat messages, the start of the
// assistant's answer, and the grammar that answer must follow.
//
// The answer is the shape a code model writes by itself — a fenced block with
// one command, then optionally one line of explanation — because small models
// get commands right far more often in that shape than in JSON (NL2SH-ALFA,
// NAACL 2025). The opening fence is part of the prompt, so no decode step is
// spent on it, and the grammar forbids anything but one command line inside.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "context/context.h"

namespace cmdai {

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

struct Prompt {
  /// System message first; it depends only on shell (and its version), OS,
  /// architecture and userland, so its KV state can be reused across requests.
  std::vector<ChatMessage> messages;
  /// Text the assistant's turn starts with (the opening fence); generation
  /// continues from it.
  std::string answer_prefix;
  /// GBNF for the rest of the answer, from just after answer_prefix.
  std::string grammar;
  /// What `grammar` forces (GenerationRequest::forced): once the answer holds
  /// `forced_after` (the newline that ends the one-line command), only
  /// `forced_rest` (the closing fence) may follow. Empty without a grammar.
  std::string forced_after;
  std::string forced_rest;
  /// How many leading characters of the last message's content depend only
  /// on the machine and the working directory (the "Working directory: …"
  /// line), not on the request: the engine reuses their state for the next
  /// request from the same directory: the directory line and the "Request:"
  /// label. It ends before the space that starts the request's first word
  /// (" list" is one token), so the text up to there tokenizes as the start
  /// of the whole prompt's tokens; the backend checks that and keeps nothing
  /// where a tokenizer joins differently.
  size_t reusable_chars = 0;
};

/// The code-fence language tag the model is asked to use for `shell`.
std::string FenceLanguage(const std::string& shell);

/// Builds the prompt. `with_explanation` allows (does not force) one line of
/// explanation after the block; without it the answer ends at the fence.
Prompt BuildPrompt(const Context& context, const std::string& request, bool with_explanation);

/// A follow-up asking for a changed command: the original request, the
/// previous answer, and the person's feedback.
Prompt BuildRevisionPrompt(const Context& context, const std::string& request, const std::string& previous_command,
                           const std::string& feedback, bool with_explanation);

/// The automatic revise round after grounding (docs/grounding.md): the
/// request, the command that did not fit and what was wrong (`problems`), in
/// one user message after the very system message BuildPrompt writes — so
/// the engine reuses that message's state (resident or from the prompt
/// cache) and keeps no state for a prefix that will not come again.
Prompt BuildFitPrompt(const Context& context, const std::string& request, const std::string& previous_command,
                      const std::string& problems, bool with_explanation);

/// A prompt asking the model to explain `command` part by part, as a short
/// list. Free text: no answer prefix and no grammar.
Prompt BuildExplainPrompt(const Context& context, const std::string& command);

/// The grammar alone, for tests and tools.
std::string AnswerGrammar(bool with_explanation);

}  // namespace cmdai
