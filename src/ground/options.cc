// SPDX-License-Identifier: MIT
#include "ground/options.h"

#include <cctype>
#include <string_view>

#include "common/split.h"

namespace cmdai::ground {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsUpper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }

// What precedes an option that is written as one: the start of the line, a
// blank, or the punctuation of a synopsis or a list ("[-a", "(-a", "-r,-E", "a|-b").
bool Boundary(std::string_view line, size_t i) {
  if (i == 0) return true;
  const char p = line[i - 1];
  return IsSpace(p) || p == '[' || p == '(' || p == ',' || p == '|' || p == '{';
}

// Whether a value placeholder starts at `i` ("N", "FILE", "<file>", "[-/]MODE",
// "#"), as opposed to another option, a separator or the end.
bool ValueStart(std::string_view line, size_t i) {
  if (i >= line.size()) return false;
  const char c = line[i];
  if (IsSpace(c) || c == '-' || c == '|' || c == ']' || c == ',' || c == ')' || c == '.') return false;
  if (c == '[' && i + 2 < line.size() && line[i + 1] == '-' && std::isalpha(static_cast<unsigned char>(line[i + 2])))
    return false;  // "[-x]": another option
  return true;
}

// End of a value placeholder word: at a blank or a list separator.
size_t ValueEnd(std::string_view line, size_t i) {
  int depth = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '[' || c == '{' || c == '<') ++depth;
    if ((c == ']' || c == '}' || c == '>') && depth > 0) {
      --depth;
      ++i;
      continue;
    }
    if (depth == 0 && (IsSpace(c) || c == ',' || c == ']' || c == '|')) break;
    ++i;
  }
  return i;
}

bool AllCapsWord(std::string_view w) {
  bool letter = false;
  for (char c : w) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    letter |= IsUpper(c);
  }
  return letter;
}

struct Scan {
  OptionSet* set;
  bool help_listed = false;      // "--help" appears as a defined option
  bool bracket_cluster = false;  // a "[-abc]" group was seen
  int defined = 0;               // options seen at definition positions
};

template <typename Key>
void Record(std::map<Key, OptionInfo>& m, const Key& k, const OptionInfo& info, bool def) {
  auto it = m.find(k);
  if (it == m.end()) {
    m.emplace(k, def ? info : OptionInfo{});
    return;
  }
  if (def && it->second.arity == Arity::kNone && it->second.values == 0) it->second = info;
}

// Reads one line of help or manual text. Options at "definition positions" —
// the start of a line, after another definition on it ("-a, --all",
// "-amin N -anewer FILE"), or inside a synopsis's brackets — also tell
// whether they take a value; options mentioned in prose only count as existing.
void ScanLine(std::string_view line, Scan& scan) {
  OptionSet& set = *scan.set;
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  bool in_seq = i < line.size() && line[i] == '-';
  int bracket = 0;
  std::string seq_shorts;  // short options of the current definition run ("-d, --max-depth=N")
  while (i < line.size()) {
    const char c = line[i];
    if (c == '[') {
      ++bracket;
      ++i;
      continue;
    }
    if (c == ']') {
      if (bracket > 0) --bracket;
      ++i;
      continue;
    }
    if (c != '-' || !Boundary(line, i) || i + 1 >= line.size()) {
      if (!IsSpace(c) && c != ',' && c != '|') in_seq = false;
      ++i;
      continue;
    }
    const bool def = in_seq || bracket > 0;
    size_t j = i + 1;
    enum { kLong, kShort, kCluster, kWord, kNone } kind = kNone;
    std::string name;
    if (line[j] == '-') {
      ++j;
      const size_t b = j;
      if (j < line.size() && IsAlnum(line[j]))
        while (j < line.size() && (IsAlnum(line[j]) || line[j] == '-' || line[j] == '_')) ++j;
      if (j > b) {
        kind = kLong;
        name = std::string(line.substr(b, j - b));
      }
    } else if (bracket > 0) {
      const size_t b = j;
      while (j < line.size() && !IsSpace(line[j]) && line[j] != ']' && line[j] != '|' && line[j] != '[') ++j;
      name = std::string(line.substr(b, j - b));
      if (name.size() == 1)
        kind = kShort;
      else if (!name.empty())
        kind = kCluster;
    } else {
      const size_t b = j;
      while (j < line.size() && (IsAlnum(line[j]) || line[j] == '_' || line[j] == '?' || line[j] == '@')) ++j;
      name = std::string(line.substr(b, j - b));
      bool digits = !name.empty();
      for (char d : name) digits &= std::isdigit(static_cast<unsigned char>(d)) != 0;
      if (name.size() == 1)
        kind = kShort;
      else if (!name.empty() && !digits && std::isalpha(static_cast<unsigned char>(name[0])))
        kind = kWord;
    }
    if (kind == kNone) {
      in_seq = false;
      i = j > i + 1 ? j : i + 1;
      continue;
    }
    // The value, if any.
    OptionInfo info;
    if (j < line.size() && line[j] == '=') {
      info.arity = Arity::kRequired;
      j = ValueEnd(line, j + 1);
    } else if (j + 1 < line.size() && line[j] == '[' && line[j + 1] == '=') {
      info.arity = Arity::kOptionalAttached;
      j = ValueEnd(line, j);
    } else if (j < line.size() && line[j] == '[' && kind != kCluster) {
      info.arity = Arity::kOptionalAttached;
      j = ValueEnd(line, j);
    } else if (j + 1 < line.size() && line[j] == ' ' && ValueStart(line, j + 1) && kind != kCluster) {
      const size_t vb = j + 1;
      j = ValueEnd(line, vb);
      info.arity = Arity::kRequired;
      info.values = 1;
      // find's -fprintf FILE FORMAT: a second placeholder in capitals.
      if (kind == kWord && j + 1 < line.size() && line[j] == ' ' && ValueStart(line, j + 1)) {
        const size_t e2 = ValueEnd(line, j + 1);
        if (AllCapsWord(line.substr(j + 1, e2 - j - 1)) && AllCapsWord(line.substr(vb, j - vb))) {
          info.values = 2;
          j = e2;
        }
      }
    }
    if (def) ++scan.defined;
    switch (kind) {
      case kLong:
        if (name == "help" && def) scan.help_listed = true;
        Record(set.longs, name, info, def);
        // "-d, --max-depth=N": the short option takes the value too.
        if (def && info.arity != Arity::kNone)
          for (char sc : seq_shorts) {
            OptionInfo& si = set.shorts[sc];
            if (si.arity == Arity::kNone) si.arity = info.arity;
          }
        break;
      case kShort:
        Record(set.shorts, name[0], info, def);
        if (def && bracket == 0) seq_shorts += name[0];
        break;
      case kCluster:
        scan.bracket_cluster = true;
        for (char ch : name)
          if (ch != ',' || name.size() > 1) Record(set.shorts, ch, OptionInfo{}, true);
        break;
      case kWord: Record(set.words, name, info, def); break;
      case kNone: break;
    }
    // A definition run goes on while the next thing is another option.
    size_t k = j;
    while (k < line.size() && (IsSpace(line[k]) || line[k] == ',')) ++k;
    in_seq = def && bracket == 0 && k < line.size() && line[k] == '-' && (k - j) <= 2;
    if (bracket > 0) in_seq = false;
    if (!in_seq) seq_shorts.clear();
    i = j;
  }
}

bool IsUsageLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  if (line.size() - i < 6) return false;
  std::string head(line.substr(i, 6));
  for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return head == "usage:";
}

void ScanText(const std::string& text, Scan& scan, bool* usage) {
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (usage && IsUsageLine(line)) *usage = true;
    ScanLine(line, scan);
  }
}

}  // namespace

const char* FlavorName(Flavor f) {
  switch (f) {
    case Flavor::kGnu: return "GNU";
    case Flavor::kBsd: return "BSD";
    case Flavor::kBusyBox: return "BusyBox";
    case Flavor::kUnknown: break;
  }
  return "";
}

std::string StripOverstrike(const std::string& text) {
  if (text.find('\b') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\b') {
      if (!out.empty()) out.pop_back();  // "X\bX" (bold) and "_\bX" (underline) keep the last
      continue;
    }
    out += c;
  }
  return out;
}

OptionSet ParseHelp(const std::string& raw) {
  const std::string text = StripOverstrike(raw);
  OptionSet set;
  Scan scan{&set};
  bool usage = false;
  ScanText(text, scan, &usage);
  const bool busybox = text.find("BusyBox v") != std::string::npos;
  if (busybox) {
    set.flavor = Flavor::kBusyBox;
    set.shorts_complete = true;
    set.words_complete = true;
    set.longs_complete = !set.longs.empty();  // applets that take long options list some; others hide theirs
    return set;
  }
  if (scan.help_listed && scan.defined >= 3) {
    const bool gnu = text.find("GNU") != std::string::npos || text.find("gnu.org") != std::string::npos ||
                     text.find("coreutils") != std::string::npos || text.find("uutils") != std::string::npos;
    set.flavor = gnu ? Flavor::kGnu : Flavor::kUnknown;
    set.shorts_complete = set.longs_complete = set.words_complete = true;
    return set;
  }
  if (usage && (!set.shorts.empty() || !set.longs.empty())) {
    set.flavor = Flavor::kBsd;
    // A synopsis that groups its flags ("[-EXdsx]") lists every short
    // option; long options and words are the manual's to tell.
    set.shorts_complete = scan.bracket_cluster;
    set.wants_manual = true;
  }
  return set;
}

void MergeManual(OptionSet& set, const std::string& manual_text) {
  const std::string text = StripOverstrike(manual_text);
  OptionSet found;
  Scan scan{&found};
  ScanText(text, scan, nullptr);
  if (found.shorts.size() + found.longs.size() + found.words.size() < 3) return;  // no page, or not a tool's page
  for (const auto& [k, v] : found.shorts) Record(set.shorts, k, v, true);
  for (const auto& [k, v] : found.longs) Record(set.longs, k, v, true);
  for (const auto& [k, v] : found.words) Record(set.words, k, v, true);
  set.shorts_complete = set.longs_complete = set.words_complete = true;
  set.wants_manual = false;
  set.from_manual = true;
}

}  // namespace cmdai::ground
