// SPDX-License-Identifier: MIT
#include "safety/risk_classifier.h"

#include <fnmatch.h>

#include <algorithm>

#include "safety/rules.h"
#include "safety/shell_syntax.h"

namespace cmdai::safety {
namespace {

constexpr int kMaxCodeDepth = 4;  // echo '…' | sh inside echo '…' | sh …

// Replaces each unquoted `{a,b,c}` word at the start of a command by `a b c`.
std::string ExpandLeadingBraces(const std::string& text) {
  std::string out;
  size_t i = 0;
  bool at_start = true;
  while (i < text.size()) {
    const char ch = text[i];
    if (at_start && ch == '{') {
      const size_t close = text.find('}', i);
      const std::string inner = close == std::string::npos ? "" : text.substr(i + 1, close - i - 1);
      if (!inner.empty() && inner.find(',') != std::string::npos &&
          inner.find_first_of(" \t\n;|&'\"{") == std::string::npos) {
        for (char k : inner) out += k == ',' ? ' ' : k;
        i = close + 1;
        at_start = false;
        continue;
      }
    }
    out += ch;
    if (ch == ';' || ch == '&' || ch == '|' || ch == '\n' || ch == '(')
      at_start = true;
    else if (ch != ' ' && ch != '\t')
      at_start = false;
    ++i;
  }
  return out;
}

std::string Normalised(const SimpleCommand& c) {
  std::string s = c.name;
  for (const auto& a : c.args) s += " " + a.text;
  return s;
}

bool Matches(const std::string& pattern, const SimpleCommand& c) {
  if (pattern.find_first_of(" *?[") == std::string::npos) return c.name == pattern;
  return fnmatch(pattern.c_str(), Normalised(c).c_str(), 0) == 0;
}

}  // namespace

RiskClassifier::RiskClassifier(SafetyPolicy policy)
    : policy_(std::move(policy)), disks_(policy_.disks ? policy_.disks : posix::ReadBlockDevices()) {}

void RiskClassifier::RateInto(const std::string& text, uint32_t base, bool exact, uint32_t span_start,
                              uint32_t span_end, int depth, const ParseLimits& limits,
                              std::vector<Finding>& out) const {
  ParsedScript script = ParseShell(text, limits);
  std::vector<Finding> found = script.findings;
  // `{rm,-rf,/}` is brace expansion to bash but a syntax error to the
  // parser: rate the expanded words too.
  bool parse_error = false;
  for (const auto& f : script.findings) parse_error |= f.rule == "parse.error";
  if (parse_error && depth < kMaxCodeDepth && text.size() < 4096) {
    std::string expanded = ExpandLeadingBraces(text);
    if (expanded != text) {
      bool clean = true;
      for (const auto& f : ParseShell(expanded, limits).findings) clean &= f.rule != "parse.error";
      RateInto(expanded, 0, false, span_start, span_end, depth + 1, limits, out);
      if (clean) return;  // the expansion is what bash runs; it parses, so the error was only the braces
    }
  }
  std::vector<EmbeddedCode> code;
  ApplyRules(script, found, code, disks_ ? &*disks_ : nullptr);

  // Allow and deny rules, per simple command.
  for (size_t i = 0; i < script.commands.size(); ++i) {
    const SimpleCommand& c = script.commands[i];
    if (c.name.empty()) continue;
    for (const auto& p : policy_.deny)
      if (Matches(p, c)) {
        found.push_back({"config.deny", Risk::kCritical, "denied by your configuration rule '" + p + "'", c.start,
                         c.end, static_cast<int>(i)});
        break;
      }
    for (const auto& p : policy_.allow)
      if (Matches(p, c)) {
        bool denied = false;
        for (const auto& f : found) denied |= f.command == static_cast<int>(i) && f.rule == "config.deny";
        if (denied) break;
        std::erase_if(found, [&](const Finding& f) { return f.command == static_cast<int>(i); });
        found.push_back({"config.allow", Risk::kSafe, "allowed by your configuration rule '" + p + "'", c.start, c.end,
                         static_cast<int>(i)});
        break;
      }
  }

  for (auto& f : found) {
    if (!exact) {
      f.start = span_start;
      f.end = span_end;
    } else {
      f.start += base;
      f.end += base;
    }
    out.push_back(f);
  }
  for (const auto& c : code) {
    const uint32_t s = exact ? c.start + base : span_start, e = exact ? c.end + base : span_end;
    if (depth >= kMaxCodeDepth) {
      Finding f{"parse.too-deep", Risk::kHigh, "shell code nested too deeply to analyse", s, e, -1};
      f.limit = true;
      out.push_back(f);
      continue;
    }
    // Code fed to a shell maps to the span of the command that runs it.
    RateInto(c.text, 0, false, s, e, depth + 1, limits, out);
  }
}

Assessment RiskClassifier::Rate(const std::string& command) const {
  Assessment a;
  a.command = command;
  a.level = policy_.level;
  ParseLimits limits;
  limits.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kRatingBudgetMs);
  RateInto(command, 0, true, 0, static_cast<uint32_t>(command.size()), 0, limits, a.findings);
  // Control characters (a NUL, an escape sequence, a carriage return) can make
  // a terminal show something other than what would run.
  for (size_t i = 0; i < command.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(command[i]);
    if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) {
      a.findings.push_back({"text.control-characters", Risk::kHigh,
                            "contains control characters that can hide what it does on a terminal",
                            static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1), -1});
      break;
    }
  }
  // Invisible or reordering characters: bidirectional controls (U+202A-202E,
  // U+2066-2069, U+200E/F), zero-width ones (U+200B-200D, U+2060, U+FEFF),
  // line and paragraph separators (U+2028/2029) and C1 controls (U+0080-009F,
  // NEL among them). A terminal shows the words in another order or not at
  // all, so what is read is not what runs (Trojan Source, CVE-2021-42574).
  for (size_t i = 0; i + 1 < command.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(command[i]);
    const auto b1 = static_cast<unsigned char>(command[i + 1]);
    const auto b2 = i + 2 < command.size() ? static_cast<unsigned char>(command[i + 2]) : 0;
    size_t len = 0;
    if (b0 == 0xC2 && b1 >= 0x80 && b1 <= 0x9F) len = 2;
    if (b0 == 0xE2 && b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xA8 && b2 <= 0xAE))) len = 3;
    if (b0 == 0xE2 && b1 == 0x81 && (b2 == 0xA0 || (b2 >= 0xA6 && b2 <= 0xA9))) len = 3;
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) len = 3;
    if (len == 0) continue;
    a.findings.push_back({"text.invisible-characters", Risk::kHigh,
                          "contains invisible or reordering Unicode characters: what a terminal shows is not what runs",
                          static_cast<uint32_t>(i), static_cast<uint32_t>(i + len), -1});
    break;
  }
  // Drop exact duplicates (the same rule on the same span twice).
  std::stable_sort(a.findings.begin(), a.findings.end(), [](const Finding& x, const Finding& y) {
    return x.start != y.start ? x.start < y.start : x.end < y.end;
  });
  a.findings.erase(std::unique(a.findings.begin(), a.findings.end(),
                               [](const Finding& x, const Finding& y) {
                                 return x.rule == y.rule && x.start == y.start && x.end == y.end &&
                                        x.message == y.message;
                               }),
                   a.findings.end());
  bool denied = false, limited = false;
  for (const auto& f : a.findings) {
    a.risk = std::max(a.risk, f.risk);
    denied |= f.rule == "config.deny";
    limited |= f.limit;
  }
  a.decision = denied ? Decision::kBlock : policy_.Decide(a.risk);
  // Too complex to rate: what was not seen may be worse than what was.
  if (limited)
    a.decision =
        policy_.level == SafetyLevel::kPermissive ? std::max(a.decision, Decision::kConfirm) : Decision::kBlock;
  return a;
}

}  // namespace cmdai::safety
