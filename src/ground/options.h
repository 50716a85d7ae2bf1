// SPDX-License-Identifier: MIT
// Options: what a utility's own `--help` (or its manual page) says it
// accepts — short options, long options, and single-dash words such as
// find's primaries — and how far that knowledge can be trusted.
//
// Help texts come in three shapes, told apart by their content:
//  - GNU-style (GNU coreutils, findutils, grep, sed, tar, procps, uutils, and
//    any tool that lists `--help` among its options): a complete listing;
//  - BusyBox (`BusyBox v…` banner): complete for short options and find's
//    primaries; long options only where the applet lists any;
//  - BSD usage (the `usage:` synopsis a BSD tool prints when it rejects
//    `--help`): short options complete in the synopsis, but long options and
//    find's primaries are not listed, so the manual page supplements it.
// Anything else is "unknown" and no option of it is ever flagged.
//
// Thread-safety: pure functions. Cost: linear in the text.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cmdai::ground {

enum class Flavor { kUnknown, kGnu, kBsd, kBusyBox };

/// "GNU", "BSD", "BusyBox"; "" for unknown.
const char* FlavorName(Flavor f);

/// How an option takes its value.
enum class Arity : uint8_t {
  kNone = 0,              // a flag
  kRequired = 1,          // `-n 5`, `-n5`, `--lines=5`, `--lines 5`
  kOptionalAttached = 2,  // `-i[SUFFIX]`, `--color[=WHEN]`: only attached
};

struct OptionInfo {
  Arity arity = Arity::kNone;
  int values = 0;  // for words (find's primaries): how many values follow (-fprintf FILE FORMAT: 2)
};

struct OptionSet {
  Flavor flavor = Flavor::kUnknown;
  std::map<char, OptionInfo> shorts;        // 'l' for -l
  std::map<std::string, OptionInfo> longs;  // "max-depth" for --max-depth
  std::map<std::string, OptionInfo> words;  // "printf" for find's -printf
  bool shorts_complete = false;             // an unknown short option is really unsupported
  bool longs_complete = false;
  bool words_complete = false;
  /// Only a BSD usage synopsis was seen: confirm with the manual page before
  /// saying an option is unsupported, and read it for long options and words.
  bool wants_manual = false;
  bool from_manual = false;  // the manual page was merged in
};

/// Parses a `--help` (or `-W usage`) output.
OptionSet ParseHelp(const std::string& text);

/// Merges what a manual page lists. When it lists any options, every kind
/// becomes complete (the page is the full reference) and wants_manual clears.
void MergeManual(OptionSet& set, const std::string& manual_text);

/// Removes the backspace overstrikes (bold, underline) some `man`s print.
std::string StripOverstrike(const std::string& text);

}  // namespace cmdai::ground
