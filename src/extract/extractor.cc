// SPDX-License-Identifier: MIT
#include "extract/extractor.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "common/split.h"
#include "safety/shell_syntax.h"

namespace cmdai {
namespace {

const char* kHint = "rephrase the request, or raise max_tokens if the answer was cut off";

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
  }
  return out;
}

// Step 0: reasoning is not the answer. "<think>…</think>" anywhere; a
// "…</think>" whose opening tag was part of the prompt; an opening tag never
// closed (the answer is all reasoning).
std::string StripThinking(std::string s) {
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"<think>", "</think>"},
                                    std::pair<std::string, std::string>{"<thinking>", "</thinking>"}}) {
    for (;;) {
      const auto c = s.find(close);
      const auto o = s.find(open);
      if (c != std::string::npos && (o == std::string::npos || o > c)) {
        s.erase(0, c + close.size());
        continue;
      }
      if (o == std::string::npos) break;
      if (c == std::string::npos) {
        s.erase(o);
        break;
      }
      s.erase(o, c + close.size() - o);
    }
  }
  return s;
}

// ---- Fenced blocks ---------------------------------------------------------

struct Block {
  std::string lang;  // lower case; "" when none
  std::vector<std::string> lines;
  bool closed = true;
  size_t begin = 0, end = 0;  // the block's span in the text, fences included
};

const std::set<std::string>& ShellLanguages() {
  static const std::set<std::string> s = {"",
                                          "bash",
                                          "sh",
                                          "shell",
                                          "zsh",
                                          "fish",
                                          "ksh",
                                          "dash",
                                          "ash",
                                          "console",
                                          "shell-session",
                                          "sh-session",
                                          "shellsession",
                                          "bash-session",
                                          "zsh-session",
                                          "terminal",
                                          "text",
                                          "txt",
                                          "plaintext",
                                          "plain",
                                          "none",
                                          "cli",
                                          "command",
                                          "cmd",
                                          "powershell",
                                          "pwsh",
                                          "ps1",
                                          "posh"};
  return s;
}

bool ConsoleLanguage(const std::string& lang) {
  return lang == "console" || lang == "shell-session" || lang == "sh-session" || lang == "shellsession" ||
         lang == "bash-session" || lang == "zsh-session" || lang == "terminal";
}

std::string FenceLanguage(std::string info) {
  info = Trim(info);
  while (!info.empty() && (info[0] == '{' || info[0] == '.')) info.erase(0, 1);
  const auto end = info.find_first_of(" \t{},");
  return Lower(info.substr(0, end));
}

// The fenced blocks of `text`, in order. A block never closed ends the list.
std::vector<Block> FencedBlocks(const std::string& text) {
  std::vector<Block> out;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto b = text.find("```", pos), t = text.find("~~~", pos);
    const size_t f = std::min(b, t);
    if (f == std::string::npos) break;
    const char fc = text[f];
    size_t run = f;
    while (run < text.size() && text[run] == fc) ++run;
    const size_t count = run - f;
    const std::string fence(count, fc);
    const auto eol = text.find('\n', run);
    const std::string info = text.substr(run, eol == std::string::npos ? std::string::npos : eol - run);
    Block block;
    block.begin = f;
    // ```ls -la``` on one line.
    if (const auto close = info.find(fence); close != std::string::npos) {
      std::string body = Trim(info.substr(0, close));
      const auto sp = body.find(' ');
      if (sp != std::string::npos && ShellLanguages().count(Lower(body.substr(0, sp))) && !body.substr(0, sp).empty())
        body = Trim(body.substr(sp + 1));
      block.lines.push_back(body);
      block.end = run + close + count;
      pos = block.end;
      out.push_back(std::move(block));
      continue;
    }
    block.lang = FenceLanguage(info);
    if (eol == std::string::npos) {
      block.closed = false;
      block.end = text.size();
      out.push_back(std::move(block));
      break;
    }
    size_t line_start = eol + 1;
    block.closed = false;
    while (line_start <= text.size()) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string::npos) line_end = text.size();
      std::string line = text.substr(line_start, line_end - line_start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::string trimmed = Trim(line);
      if (StartsWith(trimmed, fence) && trimmed.find_first_not_of(fc) == std::string::npos) {
        block.closed = true;
        block.end = line_end;
        break;
      }
      block.lines.push_back(line);
      if (line_end == text.size()) break;
      line_start = line_end + 1;
    }
    if (!block.closed) {
      block.end = text.size();
      out.push_back(std::move(block));
      break;
    }
    pos = block.end;
    out.push_back(std::move(block));
  }
  return out;
}

// Joins lines that end in an unescaped backslash with the next one.
std::vector<std::string> JoinContinuations(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  std::string pending;
  bool continuing = false;
  for (const auto& l : lines) {
    std::string line = continuing ? pending + " " + Trim(l) : l;
    size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) {
      line.pop_back();
      pending = line;
      while (!pending.empty() && (pending.back() == ' ' || pending.back() == '\t')) pending.pop_back();
      continuing = true;
      continue;
    }
    continuing = false;
    out.push_back(line);
  }
  if (continuing) out.push_back(pending);
  return out;
}

// Where a prompt ends: "$ ", "% " ("# " in a console block), or a full
// prompt such as "user@host:~/src$ " or "[user@host src]# ". npos: none.
size_t PromptEnd(const std::string& t, bool console) {
  if (StartsWith(t, "$ ") || StartsWith(t, "% ") || (console && StartsWith(t, "# "))) return 2;
  const auto sp = t.find(' ');
  if (sp == std::string::npos || sp < 3) return std::string::npos;
  const std::string head = t.substr(0, sp);
  const char last = head.back();
  if ((last == '$' || last == '#' || last == '%') && head.find('@') != std::string::npos) return sp + 1;
  if (head[0] == '[' && (last == '$' || last == '#')) {  // "[user@host dir]$ " (the dir may hold no blank)
    if (head.find("]") != std::string::npos) return sp + 1;
  }
  return std::string::npos;
}

bool PromptLine(const std::string& t, bool console) { return PromptEnd(t, console) != std::string::npos; }

// The command lines of a code block: blank and comment lines skipped; where
// lines carry a prompt, only those, without it.
std::vector<std::string> CodeLines(const std::vector<std::string>& raw, bool console) {
  const std::vector<std::string> lines = JoinContinuations(raw);
  bool prompts = false;
  for (const auto& l : lines) prompts |= PromptLine(Trim(l), console) && !StartsWith(Trim(l), "# ");
  if (console)
    for (const auto& l : lines) prompts |= PromptLine(Trim(l), true);
  std::vector<std::string> out;
  for (const auto& l : lines) {
    const std::string t = Trim(l);
    if (t.empty()) continue;
    if (prompts) {
      if (PromptLine(t, console)) {
        const std::string cmd = Trim(t.substr(PromptEnd(t, console)));
        if (!cmd.empty() && cmd[0] != '#') out.push_back(cmd);
      }
      continue;  // a line without a prompt is output
    }
    if (t[0] == '#') continue;  // a comment (or a shebang)
    out.push_back(t);
  }
  return out;
}

// ---- Candidates outside blocks ---------------------------------------------

const std::set<std::string>& StopWords() {
  static const std::set<std::string> s = {
      "the",  "a",     "an",   "is",    "are",  "was",    "be",    "to",    "of",    "and",   "or",     "that",
      "this", "it",    "you",  "your",  "we",   "i",      "will",  "would", "can",   "could", "should", "not",
      "with", "from",  "as",   "so",    "but",  "please", "here",  "there", "these", "those", "which",  "what",
      "when", "how",   "my",   "me",    "its",  "into",   "using", "use",   "by",    "on",    "at",     "all",
      "each", "every", "sure", "first", "then", "want",   "need",  "like",  "just",  "also",  "if"};
  return s;
}

// Whether a line reads as a sentence rather than a command.
bool ProseLike(const std::string& t) {
  // Words outside quotes.
  std::vector<std::pair<std::string, bool>> words;  // text, quoted
  {
    std::string w;
    bool quoted = false;
    char q = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      const char c = t[i];
      if (q) {
        if (c == q) q = 0;
        w += c;
        continue;
      }
      if (c == '\'' || c == '"') {
        q = c;
        quoted = true;
        w += c;
        continue;
      }
      if (c == ' ' || c == '\t') {
        if (!w.empty()) words.push_back({w, quoted});
        w.clear();
        quoted = false;
        continue;
      }
      if (c == ',' && i + 1 < t.size() && t[i + 1] == ' ' && words.size() >= 2) return true;  // "…, so I …"
      w += c;
    }
    if (!w.empty()) words.push_back({w, quoted});
  }
  if (words.size() >= 3 && t.size() >= 2) {
    const char last = t.back(), before = t[t.size() - 2];
    if ((last == '.' || last == '!' || last == '?') && std::isalpha(static_cast<unsigned char>(before))) return true;
  }
  int plain = 0, stop = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].second) continue;
    std::string w = words[i].first;
    while (!w.empty() && std::string(",.;:!?").find(w.back()) != std::string::npos) w.pop_back();
    if (w.empty() || !std::all_of(w.begin(), w.end(),
                                  [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '\''; }))
      continue;
    ++plain;
    if (i > 0 && StopWords().count(Lower(w))) ++stop;
  }
  return stop >= 2 && plain >= 4 && plain * 2 >= static_cast<int>(words.size());
}

bool IsAssignmentWord(const std::string& w) {
  if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
  size_t i = 1;
  while (i < w.size() && (std::isalnum(static_cast<unsigned char>(w[i])) || w[i] == '_')) ++i;
  return i < w.size() && (w[i] == '=' || (w[i] == '+' && i + 1 < w.size() && w[i + 1] == '='));
}

bool VerbNoun(const std::string& w) {  // Get-ChildItem
  const auto dash = w.find('-');
  return dash != std::string::npos && dash > 0 && dash + 1 < w.size() &&
         std::isupper(static_cast<unsigned char>(w[0])) && std::isupper(static_cast<unsigned char>(w[dash + 1]));
}

// Why a candidate was refused, for the error message.
struct Rejection {
  std::string unknown_name;  // its first word is no command here
};

bool Check(const std::string& line, const ExtractOptions& o, Rejection* why) {
  if (!o.resolves) return false;
  const std::string t = Trim(line);
  if (t.empty() || t.size() > 8192 || t.find('\n') != std::string::npos) return false;
  if (ProseLike(t)) return false;
  const safety::ParsedScript parsed = safety::ParseShell(t);
  for (const auto& f : parsed.findings)
    if (f.rule.rfind("parse.", 0) == 0) return false;
  if (parsed.commands.empty()) return false;
  // The first word as written.
  size_t e = 0;
  while (e < t.size() && !std::isspace(static_cast<unsigned char>(t[e])) &&
         std::string(";|&()<>").find(t[e]) == std::string::npos)
    ++e;
  std::string first = t.substr(0, e);
  // The first command that runs a program (`x=5; echo $x`: echo).
  const safety::SimpleCommand* earliest = nullptr;
  for (const auto& c : parsed.commands) {
    if (c.name.empty() && !c.name_word.dynamic) continue;  // an assignment alone
    if (!earliest || c.start < earliest->start || (c.start == earliest->start && c.depth < earliest->depth))
      earliest = &c;
  }
  if (!earliest) return false;
  static const std::set<std::string> kLeaders = {"",      "!",    "{",    "if", "for",     "while",
                                                 "until", "case", "time", "[[", "function"};
  if (kLeaders.count(first) || IsAssignmentWord(first)) {
    // The command that actually runs first decides.
    first = earliest->wrappers.empty() ? earliest->name : earliest->wrappers.front();
    first = first.substr(0, first.find(' '));
    if (earliest->name_word.dynamic || first.empty()) return false;
  }
  if (first.find('$') != std::string::npos || first.find('`') != std::string::npos) return false;
  if (o.shell == "pwsh" && VerbNoun(first)) return true;
  if (std::isupper(static_cast<unsigned char>(first[0]))) return false;  // "Open a terminal", "Sure"
  if (!o.resolves(first)) {
    if (why && why->unknown_name.empty()) why->unknown_name = first;
    return false;
  }
  return true;
}

struct Span {
  std::string text;
  size_t line = 0;
  size_t column = 0;  // of the opening backquote
};

// Whether the span opens inside a quoted argument of a line that is shaped
// like a command (it parses as shell, and starts with a lower-case word).
bool QuotedSpan(const std::string& line, const Span& span) {
  const std::string t = Trim(line);
  if (t.empty() || !std::islower(static_cast<unsigned char>(t[0]))) return false;
  const safety::ParsedScript parsed = safety::ParseShell(line);
  for (const auto& f : parsed.findings)
    if (f.rule.rfind("parse.", 0) == 0) return false;
  char q = 0;
  for (size_t i = 0; i < span.column && i < line.size(); ++i) {
    const char c = line[i];
    if (q) {
      if (c == q)
        q = 0;
      else if (c == '\\' && q == '"')
        ++i;
    } else if (c == '\\') {
      ++i;
    } else if (c == '\'' || c == '"') {
      q = c;
    }
  }
  return q != 0;
}

// Inline code spans (` or ``) outside fenced blocks, with their line number.
std::vector<Span> InlineSpans(const std::vector<std::string>& lines) {
  std::vector<Span> out;
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& l = lines[n];
    size_t i = 0;
    while ((i = l.find('`', i)) != std::string::npos) {
      size_t run = i;
      while (run < l.size() && l[run] == '`') ++run;
      const size_t count = run - i;
      if (count > 2) {
        i = run;
        continue;
      }
      const std::string fence(count, '`');
      size_t close = l.find(fence, run);
      while (close != std::string::npos && close + count < l.size() && l[close + count] == '`')
        close = l.find(fence, close + count + 1);
      if (close == std::string::npos) break;
      const std::string body = Trim(l.substr(run, close - run));
      if (!body.empty()) out.push_back({body, n, i});
      i = close + count;
    }
  }
  return out;
}

bool ListStep(const std::string& line) {
  const std::string t = Trim(line);
  if (StartsWith(t, "- ") || StartsWith(t, "* ") || StartsWith(t, "+ ") || StartsWith(t, "\xe2\x80\xa2 ")) return true;
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i > 0 && i + 1 < t.size() && (t[i] == '.' || t[i] == ')') && t[i + 1] == ' ') return true;
  const std::string low = Lower(t);
  return StartsWith(low, "step ") && low.find(':') != std::string::npos && low.find(':') < 10;
}

std::string FirstWord(const std::string& s) { return s.substr(0, s.find_first_of(" \t")); }

bool LooksLikeRefusal(const std::string& text) {
  const std::string low = Lower(text);
  for (const char* p : {"i can't",
                        "i cannot",
                        "i can not",
                        "i can\xe2\x80\x99t",
                        "i'm sorry",
                        "i am sorry",
                        "i\xe2\x80\x99m sorry",
                        "i won't",
                        "i will not",
                        "i'm unable",
                        "i am unable",
                        "as an ai",
                        "i'm not able",
                        "i am not able",
                        "cannot help with",
                        "can't help with",
                        "i must decline",
                        "not able to help",
                        "unable to assist",
                        "cannot assist",
                        "can't assist"})
    if (low.find(p) != std::string::npos) return true;
  return false;
}

Extracted Found(std::string command, std::string explanation, const char* shape) {
  Extracted e;
  e.command = Trim(command);
  e.explanation = Trim(explanation);
  e.shape = shape;
  return e;
}

std::string FirstNonEmptyLineAfter(const std::string& text, size_t pos) {
  if (pos >= text.size()) return "";
  for (const auto& l : Lines(text.substr(pos))) {
    const std::string t = Trim(l);
    if (!t.empty()) return t;
  }
  return "";
}

// Step 2 on one piece of text.
std::optional<Extracted> FromJson(const std::string& text, const ExtractOptions& o, Rejection* why) {
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  auto j = nlohmann::json::parse(text.substr(open, close - open + 1), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  for (const char* key : {"cmd", "command"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) continue;
    const std::string cmd = Trim(it->get<std::string>());
    if (cmd.find('\n') != std::string::npos || !Check(cmd, o, why)) return std::nullopt;
    std::string explanation;
    for (const char* ek : {"explanation", "description", "explain"})
      if (auto e = j.find(ek); e != j.end() && e->is_string()) {
        explanation = e->get<std::string>();
        break;
      }
    if (explanation.find('\n') != std::string::npos) explanation = explanation.substr(0, explanation.find('\n'));
    return Found(cmd, explanation, "json");
  }
  return std::nullopt;
}

}  // namespace

bool PlausibleCommand(const std::string& line, const ExtractOptions& options) { return Check(line, options, nullptr); }

Result<Extracted> ExtractCommand(const std::string& raw_answer, const ExtractOptions& o) {
  const std::string answer = StripThinking(raw_answer);
  if (Trim(answer).empty())
    return Status::Error(ErrorCode::kNoCommand,
                         raw_answer.find("<think") != std::string::npos ? "the model's answer holds only its reasoning"
                                                                        : "the model's answer is empty",
                         kHint);
  Rejection why;

  // 1. Fenced blocks.
  const std::vector<Block> blocks = FencedBlocks(answer);
  std::string outside;  // the text outside every block, for the later steps
  {
    size_t pos = 0;
    for (const auto& b : blocks) {
      outside += answer.substr(pos, b.begin - pos) + "\n";
      pos = b.end;
    }
    if (pos < answer.size()) outside += answer.substr(pos);
  }
  for (const auto& b : blocks) {
    if (b.lang == "json" || b.lang == "jsonc" || b.lang == "json5") {
      std::string body;
      for (const auto& l : b.lines) body += l + "\n";
      if (auto j = FromJson(body, o, &why)) return *j;
      continue;
    }
    if (!ShellLanguages().count(b.lang)) continue;
    if (!b.closed) return Status::Error(ErrorCode::kNoCommand, "the model's answer ends inside its code block", kHint);
    const std::vector<std::string> lines = CodeLines(b.lines, ConsoleLanguage(b.lang));
    if (lines.empty()) {
      bool comments = false;
      for (const auto& l : b.lines) comments |= !Trim(l).empty();
      return Status::Error(ErrorCode::kNoCommand,
                           comments ? "the model's code block holds only comments" : "the model's code block is empty",
                           kHint);
    }
    if (lines.size() > 1)
      return Status::Error(ErrorCode::kNoCommand, "the model's code block holds more than one line", kHint);
    return Found(lines[0], FirstNonEmptyLineAfter(answer, b.end), "fenced");
  }

  // 2. A JSON object.
  if (auto j = FromJson(outside, o, &why)) return *j;

  const std::vector<std::string> lines = Lines(outside);

  // 3. Inline code spans — in prose: a line that is itself a command uses
  // its backquotes as command substitution, and backquotes inside a
  // command's quoted argument (ruby -e '`…`') are that program's code.
  {
    std::vector<Span> spans;
    for (auto& sp : InlineSpans(lines))
      if (!Check(lines[sp.line], o, nullptr) && !QuotedSpan(lines[sp.line], sp)) spans.push_back(std::move(sp));
    if (spans.size() == 1 && Check(spans[0].text, o, &why)) return Found(spans[0].text, "", "inline");
    // The only one in a list step.
    std::vector<size_t> step_lines;
    for (const auto& s : spans)
      if (ListStep(lines[s.line]) && std::find(step_lines.begin(), step_lines.end(), s.line) == step_lines.end())
        step_lines.push_back(s.line);
    if (step_lines.size() == 1) {
      std::vector<const Span*> in_step;
      for (const auto& s : spans)
        if (s.line == step_lines[0]) in_step.push_back(&s);
      if (in_step.size() == 1 && Check(in_step[0]->text, o, &why)) return Found(in_step[0]->text, "", "list");
    }
    // The only span that is a command, once spans that merely name the
    // tool of another are set aside.
    std::vector<std::string> passing;
    for (const auto& s : spans)
      if (std::find(passing.begin(), passing.end(), s.text) == passing.end() && Check(s.text, o, &why))
        passing.push_back(s.text);
    std::vector<std::string> full;
    for (const auto& p : passing) {
      const bool names_tool = p.find_first_of(" \t") == std::string::npos &&
                              std::any_of(passing.begin(), passing.end(),
                                          [&](const std::string& q) { return q != p && FirstWord(q) == p; });
      if (!names_tool) full.push_back(p);
    }
    if (full.size() == 1) return Found(full[0], "", spans.size() == 1 ? "inline" : "list");
  }

  // 4. An indented code block.
  {
    std::vector<std::string> code;
    bool in_block = false;
    for (size_t n = 0; n < lines.size(); ++n) {
      const std::string& l = lines[n];
      const bool indented = StartsWith(l, "    ") || StartsWith(l, "\t");
      if (indented && !Trim(l).empty()) {
        if (!in_block) {
          const std::string prev = n == 0 ? "" : Trim(lines[n - 1]);
          in_block = n == 0 || prev.empty() || prev.back() == ':';
        }
        if (in_block) code.push_back(l);
        continue;
      }
      if (!Trim(l).empty()) in_block = false;
    }
    const std::vector<std::string> cmds = CodeLines(code, false);
    if (cmds.size() == 1 && Check(cmds[0], o, &why)) return Found(cmds[0], "", "indented");
  }

  // 5. A `$ ` prompt line.
  {
    std::vector<std::string> prompted;
    for (const auto& l : lines) {
      const std::string t = Trim(l);
      if (StartsWith(t, "$ ")) prompted.push_back(Trim(t.substr(2)));
    }
    if (prompted.size() == 1 && Check(prompted[0], o, &why)) return Found(prompted[0], "", "prompt");
  }

  // 6. A labelled line.
  for (const auto& l : lines) {
    std::string t = Trim(l);
    const auto colon = t.find(':');
    if (colon == std::string::npos || colon > 24) continue;
    std::string label = Lower(Trim(t.substr(0, colon)));
    label.erase(std::remove(label.begin(), label.end(), '*'), label.end());
    if (label != "command" && label != "cmd" && label != "run" && label != "shell command" && label != "bash command" &&
        label != "the command" && label != "answer")
      continue;
    std::string value = Trim(t.substr(colon + 1));
    while (value.size() >= 2 && (value[0] == '`' || value[0] == '*') && value.back() == value[0])
      value = Trim(value.substr(1, value.size() - 2));
    if (Check(value, o, &why)) return Found(value, "", "labelled");
  }

  // 7. A bare line: the whole answer, or its first line before prose.
  {
    std::vector<std::string> text;
    for (const auto& l : lines)
      if (!Trim(l).empty()) text.push_back(Trim(l));
    if (!text.empty() && Check(text[0], o, &why)) {
      bool rest_prose = true;
      for (size_t k = 1; k < text.size(); ++k) rest_prose &= !PlausibleCommand(text[k], o);
      if (rest_prose) return Found(text[0], text.size() > 1 ? text[1] : "", "bare");
    }
  }

  if (LooksLikeRefusal(answer))
    return Status::Error(ErrorCode::kNoCommand, "the model declined to give a command", "rephrase the request");
  if (!why.unknown_name.empty())
    return Status::Error(ErrorCode::kNoCommand,
                         "the model's answer names `" + why.unknown_name + "`, which is not a command on this machine",
                         "rephrase the request, or install it");
  if (!o.resolves && blocks.empty())
    return Status::Error(ErrorCode::kNoCommand, "the model's answer holds no code block with a command", kHint);
  return Status::Error(ErrorCode::kNoCommand, "the model's answer holds no command", kHint);
}

}  // namespace cmdai
