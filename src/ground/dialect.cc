// SPDX-License-Identifier: MIT
#include "ground/dialect.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace cmdai::ground {
namespace {

// Where a construct works: -1 never, 0 always, else the first version as
// major*100+minor.
struct Construct {
  const char* name;     // "process substitution"
  const char* shown;    // "<(…)": how the message names it
  int bash, zsh, fish;  // support, as above
  bool sh;              // POSIX sh (dash, ash) has it
  const char* hint_sh;
  const char* hint_zsh;
  const char* hint_fish;
  const char* hint_bash;  // for versions of bash before it came
};

enum C {
  kProcSubst,
  kDoubleBracket,
  kCaseMod,
  kIndirect,
  kPatternSubst,
  kSubstring,
  kArraySubscript,
  kArrayAssign,
  kTransform,
  kHereString,
  kHereDoc,
  kAmpRedirect,
  kAmpAppend,
  kPipeAmp,
  kAnsiC,
  kBraceList,
  kBraceRange,
  kArith,
  kArithCmd,
  kBacktick,
  kCmdSubst,
  kAndOr,
  kBashCompound,
  kFunctionKeyword,
  kFuncDef,
  kGroup,
  kAssign,
  kPrefixAssign,
  kStatusVar,
  kPidVar,
  kArgsVar,
  kSelect,
  kCoproc,
  kLet,
  kCaseFallthrough,
  kGlobstar,
  kBraceParam,
  kBashVar,
  kRandom,
  kMapfile,
  kShopt,
  kDeclare,
  kAssocArray,
  kSource,
  kLocal,
  kExportFunction,
  kReadArray,
  kReadPrompt,
  kReadOptions,
  kEchoEscapes,
  kTestDoubleEquals,
  kCount
};

const Construct kConstructs[kCount] = {
    {"process substitution", "<(…)", 0, 0, -1, false, "use a temporary file or a pipe", "", "fish writes (cmd | psub)",
     ""},
    {"[[ ]] test", "[[ … ]]", 0, 0, -1, false, "use [ … ]", "", "use test …", ""},
    {"case conversion", "${v,,}", 400, -1, -1, false, "use tr '[:upper:]' '[:lower:]'",
     "zsh writes ${(L)v} and ${(U)v}", "use string lower / string upper", "use tr '[:upper:]' '[:lower:]'"},
    {"indirect expansion", "${!v}", 0, -1, -1, false, "use eval", "zsh writes ${(P)v}", "fish writes $$v", ""},
    {"pattern substitution", "${v/a/b}", 0, 0, -1, false, "use sed", "", "use string replace", ""},
    {"substring expansion", "${v:1:2}", 0, 0, -1, false, "use cut or expr", "", "use string sub", ""},
    {"array subscript", "${a[…]}", 0, 0, -1, false, "sh has no arrays", "", "fish lists are $a[1], counted from 1", ""},
    {"array assignment", "a=(…)", 0, 0, -1, false, "sh has no arrays; use set -- …", "", "use set a …", ""},
    {"parameter transformation", "${v@…}", 404, -1, -1, false, "", "", "", ""},
    {"here-string", "<<<", 0, 0, -1, false, "use printf '%s\\n' … |", "", "use echo … |", ""},
    {"here-document", "<<", 0, 0, -1, true, "", "", "use printf … |", ""},
    {"&> redirection", "&>", 0, 0, 300, false,
     "write >FILE 2>&1 (sh reads `&>` as `&` then `>`: the command goes to the background)", "", "", ""},
    {"&>> redirection", "&>>", 400, 0, 300, false, "write >>FILE 2>&1", "", "", "write >>FILE 2>&1"},
    {"|& pipe", "|&", 400, 0, -1, false, "write 2>&1 |", "", "fish writes &|", "write 2>&1 |"},
    {"$'…' quoting", "$'…'", 0, 0, -1, false, "use printf", "", "fish reads \\t and \\n outside quotes", ""},
    {"brace expansion", "{a,b}", 0, 0, 0, false, "list the words", "", "", ""},
    {"brace range", "{1..5}", 0, 0, -1, false, "use seq", "", "use (seq 1 5)", ""},
    {"arithmetic expansion", "$((…))", 0, 0, -1, true, "", "", "use math", ""},
    {"(( )) arithmetic", "((…))", 0, 0, -1, false, "use [ \"$((…))\" -ne 0 ]", "", "use math and test", ""},
    {"backquote substitution", "`…`", 0, 0, -1, true, "", "", "fish writes (cmd)", ""},
    {"$(…) substitution", "$(…)", 0, 0, 304, true, "", "", "fish before 3.4 writes (cmd)", ""},
    {"&& and ||", "&&", 0, 0, 300, true, "", "", "fish before 3.0 writes ; and / ; or", ""},
    {"bash-style compound command", "do … done", 0, 0, -1, true, "", "",
     "fish writes for x in …; …; end and if …; …; end", ""},
    {"function keyword", "function f", 0, 0, 0, false, "write f() { …; }", "", "", ""},
    {"f() function definition", "f() { … }", 0, 0, -1, true, "", "", "fish writes function f; …; end", ""},
    {"{ …; } group", "{ …; }", 0, 0, -1, true, "", "", "fish writes begin; …; end", ""},
    {"NAME=value assignment", "x=1", 0, 0, -1, true, "", "", "use set x 1", ""},
    {"NAME=value prefix", "X=1 cmd", 0, 0, 301, true, "", "", "fish before 3.1 writes env X=1 cmd", ""},
    {"$? status", "$?", 0, 0, -1, true, "", "", "fish writes $status", ""},
    {"$$ process id", "$$", 0, 0, -1, true, "", "", "fish writes $fish_pid", ""},
    {"$@ and $#", "$@", 0, 0, -1, true, "", "", "fish writes $argv and (count $argv)", ""},
    {"select loop", "select", 0, 0, -1, false, "", "", "", ""},
    {"coproc", "coproc", 400, -1, -1, false, "", "", "", ""},
    {"let", "let", 0, 0, -1, false, "use $((…))", "", "use math", ""},
    {"case fall-through", ";&", 400, 0, -1, false, "", "", "", ""},
    {"** recursive glob", "**", -1, 0, 0, false, "use find", "", "", "run shopt -s globstar first, or use find"},
    {"${…} expansion", "${v}", 0, 0, -1, true, "", "", "fish writes $v or {$v}", ""},
    {"bash variable", "$BASH_…", 0, -1, -1, false, "", "", "", ""},
    {"$RANDOM", "$RANDOM", 0, 0, -1, false, "use awk 'BEGIN{srand(); print int(rand()*32768)}'", "", "use random", ""},
    {"mapfile", "mapfile", 400, -1, -1, false, "use while read", "use ${(f)\"$(<file)\"}", "use string split",
     "use while read"},
    {"shopt", "shopt", 0, -1, -1, false, "", "use setopt", "", ""},
    {"declare", "declare", 0, 0, -1, false, "assign without declare", "", "use set", ""},
    {"associative array", "declare -A", 400, 0, -1, false, "", "", "", "bash 3 has no associative arrays"},
    {"source", "source", 0, 0, 0, false, "use . FILE", "", "", ""},
    {"local", "local", 0, 0, -1, true, "", "", "use set -l", ""},
    {"export -f", "export -f", 0, -1, -1, false, "", "", "", ""},
    {"read -a", "read -a", 0, -1, 0, false, "", "zsh writes read -A", "", ""},
    {"read -p", "read -p", 0, -1, -1, true, "", "zsh writes read 'name?prompt'", "fish writes read -P prompt", ""},
    {"read options", "read -n", 0, 0, 0, false, "POSIX read has only -r", "", "", ""},
    {"echo -e", "echo -e", 0, 0, 0, false, "use printf", "", "", ""},
    {"== in [ ]", "[ a == b ]", 0, -1, -1, false, "use =", "use = (zsh reads == as a command path)", "use =", ""},
};

struct Checker {
  const std::string& s;
  std::string shell;
  ShellVersion version;
  std::vector<DialectIssue>* out;
  std::set<int> seen;

  // Whether `c` works in the target shell; fills `hint` when not.
  bool Unsupported(int c, std::string* hint) const {
    const Construct& k = kConstructs[c];
    int support = 0;
    if (shell == "bash") {
      support = k.bash;
      *hint = k.hint_bash;
    } else if (shell == "zsh") {
      support = k.zsh;
      *hint = k.hint_zsh;
    } else if (shell == "fish") {
      support = k.fish;
      *hint = k.hint_fish;
    } else if (shell == "sh") {
      support = k.sh ? 0 : -1;
      *hint = k.hint_sh;
    } else {
      return false;
    }
    if (support == 0) return false;
    if (support < 0) return true;
    return !version.AtLeast(support / 100, support % 100);
  }

  void Flag(int c, size_t start, size_t end) {
    if (seen.count(c)) return;
    std::string hint;
    if (!Unsupported(c, &hint)) return;
    seen.insert(c);
    const Construct& k = kConstructs[c];
    DialectIssue d;
    d.construct = k.name;
    end = std::min(end, s.size());
    start = std::min(start, end);
    d.text = s.substr(start, end - start);
    d.start = static_cast<uint32_t>(start);
    d.end = static_cast<uint32_t>(end);
    int support = shell == "bash" ? k.bash : shell == "zsh" ? k.zsh : shell == "fish" ? k.fish : -1;
    std::string who = shell;
    if (support > 0)
      who =
          shell + " " +
          (version.known() ? std::to_string(version.major) + "." + std::to_string(version.minor) : std::string("here"));
    if (c == kGlobstar)
      d.message = "`**` matches like `*` in " + who + " unless globstar is on";
    else if (std::string(k.shown) == k.name)
      d.message = "`" + std::string(k.shown) + "` is not " + who + " syntax";
    else
      d.message = "`" + std::string(k.shown) + "` (" + k.name + ") is not " + who + " syntax";
    if (support > 0)
      d.message +=
          " (it needs " + shell + " " + std::to_string(support / 100) + "." + std::to_string(support % 100) + ")";
    d.hint = hint;
    out->push_back(std::move(d));
  }
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsMeta(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' ||
         c == '>';
}

class Lexer {
 public:
  explicit Lexer(Checker& ck) : ck_(ck), s_(ck.s), n_(ck.s.size()) {}
  void Run() { List(0, '\0', 0); }

 private:
  static constexpr int kMaxDepth = 48;

  // Commands from `i` to the unquoted `close` (')' or '`'; '\0': the end).
  // Returns the index after `close`.
  size_t List(size_t i, char close, int depth) {
    if (depth > kMaxDepth) return n_;
    bool cmd_pos = true;
    bool test_cmd = false;  // inside `[ … ]` or `test …`, where == is not POSIX
    while (i < n_) {
      const char c = s_[i];
      if (close && c == close) return i + 1;
      if (c == ' ' || c == '\t') {
        ++i;
        continue;
      }
      if (c == '\\' && i + 1 < n_ && s_[i + 1] == '\n') {
        i += 2;
        continue;
      }
      if (c == '\n' || c == ';') {
        if (c == ';' && i + 1 < n_ && (s_[i + 1] == '&' || (s_[i + 1] == ';' && i + 2 < n_ && s_[i + 2] == '&'))) {
          ck_.Flag(kCaseFallthrough, i, i + (s_[i + 1] == '&' ? 2 : 3));
          i += s_[i + 1] == '&' ? 2 : 3;
        } else {
          i += (c == ';' && i + 1 < n_ && s_[i + 1] == ';') ? 2 : 1;
        }
        cmd_pos = true;
        test_cmd = false;
        continue;
      }
      if (c == '&') {
        if (i + 1 < n_ && s_[i + 1] == '&') {
          ck_.Flag(kAndOr, i, i + 2);
          i += 2;
          cmd_pos = true;
        } else if (i + 1 < n_ && s_[i + 1] == '>') {
          const bool append = i + 2 < n_ && s_[i + 2] == '>';
          ck_.Flag(append ? kAmpAppend : kAmpRedirect, i, i + (append ? 3 : 2));
          i = Word(SkipBlanks(i + (append ? 3 : 2)), false, depth, nullptr);
        } else {
          ++i;
          cmd_pos = true;
        }
        continue;
      }
      if (c == '|') {
        if (i + 1 < n_ && s_[i + 1] == '|') {
          ck_.Flag(kAndOr, i, i + 2);
          i += 2;
        } else if (i + 1 < n_ && s_[i + 1] == '&') {
          ck_.Flag(kPipeAmp, i, i + 2);
          i += 2;
        } else {
          ++i;
        }
        cmd_pos = true;
        continue;
      }
      if (c == '(') {
        if (cmd_pos && i + 1 < n_ && s_[i + 1] == '(') {
          const size_t end = SkipParens(i);
          ck_.Flag(kArithCmd, i, end);
          i = end;
        } else {
          i = List(i + 1, ')', depth + 1);
        }
        cmd_pos = false;
        continue;
      }
      if (c == ')') {  // stray, or the end of a case pattern
        ++i;
        continue;
      }
      if (c == '#') {  // between words: a comment
        while (i < n_ && s_[i] != '\n') ++i;
        continue;
      }
      if (c == '<' || c == '>' || (std::isdigit(static_cast<unsigned char>(c)) && RedirectAfterDigits(i))) {
        i = Redirect(i, depth);
        continue;
      }
      if (cmd_pos && c == '{' && (i + 1 == n_ || s_[i + 1] == ' ' || s_[i + 1] == '\t' || s_[i + 1] == '\n')) {
        ck_.Flag(kGroup, i, i + 1);
        ++i;
        continue;
      }
      if (cmd_pos && c == '}') {
        ++i;
        cmd_pos = false;
        continue;
      }
      if (cmd_pos && c == '[' && i + 2 < n_ && s_[i + 1] == '[' && (s_[i + 2] == ' ' || s_[i + 2] == '\t')) {
        ck_.Flag(kDoubleBracket, i, i + 2);
        i += 2;
        cmd_pos = false;
        continue;
      }
      std::string raw;
      const size_t start = i;
      bool array = false;
      i = Word(i, cmd_pos, depth, &raw, &array);
      if (i == start) {  // nothing consumed: step over it
        ++i;
        continue;
      }
      if (!cmd_pos) {
        if (test_cmd && raw == "==" && !QuotedAt(start)) ck_.Flag(kTestDoubleEquals, start, i);
        continue;
      }
      if (IsAssignment(raw)) {
        if (array) ck_.Flag(kArrayAssign, start, i);
        const size_t next = SkipBlanks(i);
        const bool alone =
            next >= n_ || s_[next] == ';' || s_[next] == '\n' || s_[next] == '&' || s_[next] == '|' || s_[next] == ')';
        ck_.Flag(alone ? kAssign : kPrefixAssign, start, i);
        continue;  // still at a command position
      }
      cmd_pos = Keyword(raw, start, i);
      test_cmd = raw == "[" || raw == "test";
      if (!cmd_pos) {
        const size_t p = SkipBlanks(i);
        if (p + 1 < n_ && s_[p] == '(' && s_[p + 1] == ')') {  // name() { …; }
          ck_.Flag(kFuncDef, start, p + 2);
          i = p + 2;
          cmd_pos = true;
        }
      }
    }
    return i;
  }

  // Handles a reserved word at a command position; returns whether the next
  // word is again at a command position.
  bool Keyword(const std::string& w, size_t start, size_t end) {
    if (w == "then" || w == "do" || w == "fi" || w == "done" || w == "esac" || w == "elif" || w == "until") {
      ck_.Flag(kBashCompound, start, end);
      return w == "then" || w == "do" || w == "elif" || w == "until";
    }
    if (w == "if" || w == "while" || w == "else" || w == "!" || w == "time" || w == "exec" || w == "command" ||
        w == "builtin" || w == "nohup")
      return true;
    if (w == "select") {
      ck_.Flag(kSelect, start, end);
      return false;
    }
    if (w == "coproc") {
      ck_.Flag(kCoproc, start, end);
      return true;
    }
    if (w == "let") {
      ck_.Flag(kLet, start, end);
      return false;
    }
    if (w == "function") {
      // fish has `function f`, but not bash's `function f {` / `function f()`.
      size_t p = SkipBlanks(end);
      while (p < n_ && !IsMeta(s_[p])) ++p;
      p = SkipBlanks(p);
      const bool bash_style = p < n_ && (s_[p] == '{' || s_[p] == '(');
      if (ck_.shell != "fish" || bash_style) ck_.Flag(kFunctionKeyword, start, end);
      if (ck_.shell == "fish" && bash_style) ck_.Flag(kFuncDef, start, p + 1);
      return false;
    }
    return false;
  }

  static bool IsAssignment(const std::string& w) {
    if (w.empty() || !IsNameStart(w[0])) return false;
    size_t i = 1;
    while (i < w.size() && IsNameChar(w[i])) ++i;
    if (i < w.size() && w[i] == '[') {
      const auto close = w.find(']', i);
      if (close == std::string::npos) return false;
      i = close + 1;
    }
    if (i < w.size() && w[i] == '+') ++i;
    return i < w.size() && w[i] == '=';
  }

  bool QuotedAt(size_t i) const { return i < n_ && (s_[i] == '\'' || s_[i] == '"'); }

  size_t SkipBlanks(size_t i) const {
    while (i < n_ && (s_[i] == ' ' || s_[i] == '\t')) ++i;
    return i;
  }

  bool RedirectAfterDigits(size_t i) const {
    if (i > 0 && !IsMeta(s_[i - 1])) return false;  // inside a word
    while (i < n_ && std::isdigit(static_cast<unsigned char>(s_[i]))) ++i;
    return i < n_ && (s_[i] == '<' || s_[i] == '>');
  }

  // From `(` of `((` or `$((`-less arithmetic to after its matching `))`.
  size_t SkipParens(size_t i) const {
    int depth = 0;
    for (; i < n_; ++i) {
      if (s_[i] == '(') ++depth;
      if (s_[i] == ')' && --depth == 0) return i + 1;
    }
    return n_;
  }

  size_t Redirect(size_t i, int depth) {
    while (i < n_ && std::isdigit(static_cast<unsigned char>(s_[i]))) ++i;
    const size_t op = i;
    if (s_[i] == '<') {
      if (i + 2 < n_ && s_[i + 1] == '<' && s_[i + 2] == '<') {
        ck_.Flag(kHereString, op, op + 3);
        i += 3;
      } else if (i + 1 < n_ && s_[i + 1] == '<') {
        ck_.Flag(kHereDoc, op, op + 2);
        i += 2;
        if (i < n_ && s_[i] == '-') ++i;
      } else if (i + 1 < n_ && s_[i + 1] == '(') {
        ck_.Flag(kProcSubst, op, op + 2);
        return List(i + 2, ')', depth + 1);
      } else {
        ++i;
        if (i < n_ && (s_[i] == '&' || s_[i] == '>')) ++i;
      }
    } else {  // '>'
      if (i + 1 < n_ && s_[i + 1] == '(') {
        ck_.Flag(kProcSubst, op, op + 2);
        return List(i + 2, ')', depth + 1);
      }
      ++i;
      if (i < n_ && (s_[i] == '>' || s_[i] == '|' || s_[i] == '&')) ++i;
    }
    return Word(SkipBlanks(i), false, depth, nullptr);
  }

  // One word from `i`; returns its end. `raw` gets its text with quotes
  // removed (expansions kept as written); `array` is set for NAME=( … ).
  size_t Word(size_t i, bool cmd_pos, int depth, std::string* raw, bool* array = nullptr) {
    (void)cmd_pos;
    std::string text;
    const size_t start = i;
    while (i < n_) {
      const char c = s_[i];
      if (c == '\\') {
        if (i + 1 < n_) text += s_[i + 1];
        i += 2;
        continue;
      }
      if (c == '\'') {
        const auto close = s_.find('\'', i + 1);
        const size_t e = close == std::string::npos ? n_ : close;
        text += s_.substr(i + 1, e - i - 1);
        i = e + 1;
        continue;
      }
      if (c == '"') {
        const size_t e = Double(i, depth);
        text += s_.substr(i, e - i);
        i = e;
        continue;
      }
      if (c == '$') {
        const size_t e = Dollar(i, depth, false);
        text += s_.substr(i, e - i);
        i = e;
        continue;
      }
      if (c == '`') {
        ck_.Flag(kBacktick, i, i + 1);
        const size_t e = List(i + 1, '`', depth + 1);
        text += s_.substr(i, e - i);
        i = e;
        continue;
      }
      if (c == '(' && array && !text.empty() && text.back() == '=' && IsAssignment(text)) {
        *array = true;
        const size_t e = SkipParens(i);
        text += s_.substr(i, e - i);
        i = e;
        continue;
      }
      if (IsMeta(c)) break;
      if (c == '{' && i + 1 < n_ && s_[i + 1] != '}') BraceExpansion(i);
      if (c == '*' && i + 1 < n_ && s_[i + 1] == '*') {
        ck_.Flag(kGlobstar, i, i + 2);
        text += "**";
        i += 2;
        continue;
      }
      text += c;
      ++i;
    }
    (void)start;
    if (raw) *raw = std::move(text);
    return i;
  }

  // "{a,b}" or "{1..5}" unquoted inside a word.
  void BraceExpansion(size_t open) {
    int depth = 0;
    bool comma = false, range = false;
    for (size_t j = open; j < n_; ++j) {
      const char c = s_[j];
      if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '\'' || c == '"' || c == '$')
        return;
      if (c == '{') ++depth;
      if (c == ',' && depth == 1) comma = true;
      if (c == '.' && depth == 1 && j + 1 < n_ && s_[j + 1] == '.') range = true;
      if (c == '}' && --depth == 0) {
        if (range) ck_.Flag(kBraceRange, open, j + 1);
        if (comma) ck_.Flag(kBraceList, open, j + 1);
        return;
      }
    }
  }

  // From the opening '"' to after the closing one.
  size_t Double(size_t i, int depth) {
    ++i;
    while (i < n_ && s_[i] != '"') {
      if (s_[i] == '\\') {
        i += 2;
        continue;
      }
      if (s_[i] == '$') {
        i = Dollar(i, depth, true);
        continue;
      }
      if (s_[i] == '`') {
        ck_.Flag(kBacktick, i, i + 1);
        i = List(i + 1, '`', depth + 1);
        continue;
      }
      ++i;
    }
    return std::min(i + 1, n_);
  }

  size_t Dollar(size_t i, int depth, bool in_double) {
    const size_t start = i;
    if (i + 1 >= n_) return n_;
    const char c = s_[i + 1];
    if (c == '\'' && !in_double) {
      size_t j = i + 2;
      while (j < n_ && s_[j] != '\'') j += s_[j] == '\\' ? 2 : 1;
      ck_.Flag(kAnsiC, start, std::min(j + 1, n_));
      return std::min(j + 1, n_);
    }
    if (c == '(') {
      if (i + 2 < n_ && s_[i + 2] == '(') {
        const size_t e = SkipParens(i + 1);
        ck_.Flag(kArith, start, e);
        return e;
      }
      ck_.Flag(kCmdSubst, start, start + 2);
      return List(i + 2, ')', depth + 1);
    }
    if (c == '{') return Param(i);
    if (c == '?') {
      ck_.Flag(kStatusVar, start, start + 2);
      return i + 2;
    }
    if (c == '$') {
      ck_.Flag(kPidVar, start, start + 2);
      return i + 2;
    }
    if (c == '@' || c == '#') {
      ck_.Flag(kArgsVar, start, start + 2);
      return i + 2;
    }
    if (IsNameStart(c)) {
      size_t j = i + 1;
      while (j < n_ && IsNameChar(s_[j])) ++j;
      const std::string name = s_.substr(i + 1, j - i - 1);
      if (name == "RANDOM") ck_.Flag(kRandom, start, j);
      if (name.rfind("BASH_", 0) == 0 || name == "BASHPID" || name == "PIPESTATUS" || name == "FUNCNAME")
        ck_.Flag(kBashVar, start, j);
      return j;
    }
    return i + 1;
  }

  // "${…}": which expansion it is, then past its closing brace.
  size_t Param(size_t i) {
    const size_t start = i;
    size_t j = i + 2;
    ck_.Flag(kBraceParam, start, start + 2);
    bool indirect = false, length = false;
    if (j < n_ && s_[j] == '!') {
      indirect = true;
      ++j;
    } else if (j < n_ && s_[j] == '#' && j + 1 < n_ && s_[j + 1] != '}') {
      length = true;
      ++j;
    }
    const size_t name_start = j;
    if (j < n_ && IsNameStart(s_[j])) {
      while (j < n_ && IsNameChar(s_[j])) ++j;
    } else if (j < n_ && (std::isdigit(static_cast<unsigned char>(s_[j])) || s_[j] == '@' || s_[j] == '*' ||
                          s_[j] == '#' || s_[j] == '?')) {
      ++j;
    }
    const bool named = j > name_start;
    // The end of the expansion, for the span.
    size_t end = j;
    int depth = 1;
    while (end < n_ && depth > 0) {
      if (s_[end] == '\\') {
        end += 2;
        continue;
      }
      if (s_[end] == '{') ++depth;
      if (s_[end] == '}') --depth;
      ++end;
    }
    end = std::min(end, n_);
    if (!named || j >= n_) return end;
    const char op = s_[j];
    if (op == '[') ck_.Flag(kArraySubscript, start, end);
    if (indirect && op != '[') ck_.Flag(kIndirect, start, end);
    if (!length && !indirect) {
      if (op == ',' || op == '^') ck_.Flag(kCaseMod, start, end);
      if (op == '/') ck_.Flag(kPatternSubst, start, end);
      if (op == '@') ck_.Flag(kTransform, start, end);
      if (op == ':' && j + 1 < n_ && std::string("-=?+").find(s_[j + 1]) == std::string::npos)
        ck_.Flag(kSubstring, start, end);
    }
    return end;
  }

  Checker& ck_;
  const std::string& s_;
  const size_t n_;
};

bool IsShellName(const std::string& w) {
  return w == "sh" || w == "bash" || w == "zsh" || w == "dash" || w == "ksh" || w == "fish" || w == "su" ||
         w == "busybox";
}

void CheckCommands(const safety::ParsedScript& parsed, Checker& ck) {
  for (const auto& c : parsed.commands) {
    if (!RunsInTargetShell(c) || c.name_word.dynamic) continue;
    const std::string& n = c.name;
    const size_t s = c.name_word.start, e = c.name_word.end;
    auto has_arg = [&](const std::string& a) {
      for (const auto& w : c.args)
        if (w.text == a) return true;
      return false;
    };
    auto has_flag = [&](char f) {
      for (const auto& w : c.args) {
        if (w.text.size() < 2 || w.text[0] != '-' || w.text[1] == '-') continue;
        if (w.text.find(f, 1) != std::string::npos) return true;
      }
      return false;
    };
    if (n == "mapfile" || n == "readarray") ck.Flag(kMapfile, s, e);
    if (n == "shopt") ck.Flag(kShopt, s, e);
    if (n == "declare" || (n == "typeset" && ck.shell != "zsh")) ck.Flag(kDeclare, s, e);
    if ((n == "declare" || n == "typeset" || n == "local") && has_flag('A')) ck.Flag(kAssocArray, s, e);
    if (n == "source") ck.Flag(kSource, s, e);
    if (n == "local") ck.Flag(kLocal, s, e);
    if (n == "export" && has_arg("-f")) ck.Flag(kExportFunction, s, e);
    if (n == "read") {
      if (has_flag('a')) ck.Flag(kReadArray, s, e);
      if (has_flag('p')) ck.Flag(kReadPrompt, s, e);
      for (char f : {'n', 's', 't', 'd', 'e', 'i', 'N', 'u'})
        if (has_flag(f)) ck.Flag(kReadOptions, s, e);
    }
    if (n == "echo" && !c.args.empty() && c.args[0].text.size() >= 2 && c.args[0].text[0] == '-' &&
        c.args[0].text.find('e') != std::string::npos &&
        c.args[0].text.find_first_not_of("neE", 1) == std::string::npos)
      ck.Flag(kEchoEscapes, s, e);
  }
}

}  // namespace

bool RunsHereNow(const safety::SimpleCommand& c) {
  static const std::set<std::string> kNow = {
      "sudo",     "doas",    "pkexec", "run0",       "su",       "runuser", "env",     "nohup",  "nice",
      "ionice",   "timeout", "time",   "xargs",      "parallel", "find",    "command", "exec",   "builtin",
      "eval",     "stdbuf",  "chrt",   "taskset",    "setsid",   "flock",   "watch",   "strace", "ltrace",
      "valgrind", "nsenter", "chroot", "unshare",    "busybox",  "sh",      "bash",    "zsh",    "dash",
      "ksh",      "fish",    "$(…)",   "caffeinate", "unbuffer", "script"};
  if (!c.remote_host.empty()) return false;
  for (const auto& w : c.wrappers)
    if (!kNow.count(w.substr(0, w.find(' '))) || w.find("(dynamic)") != std::string::npos) return false;
  return true;
}

bool RunsInTargetShell(const safety::SimpleCommand& c) {
  if (!RunsHereNow(c)) return false;
  for (const auto& w : c.wrappers)
    if (IsShellName(w.substr(0, w.find(' '))) || (w.rfind("eval", 0) != 0 && w.find(" -c") != std::string::npos))
      return false;
  return true;
}

ShellVersion ParseShellVersion(const std::string& version) {
  ShellVersion v;
  size_t i = 0;
  while (i < version.size() && !std::isdigit(static_cast<unsigned char>(version[i]))) ++i;
  if (i == version.size()) return v;
  v.major = std::atoi(version.c_str() + i);
  while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i]))) ++i;
  if (i + 1 < version.size() && version[i] == '.') v.minor = std::atoi(version.c_str() + i + 1);
  return v;
}

std::vector<DialectIssue> CheckDialect(const std::string& command, const safety::ParsedScript& parsed,
                                       const std::string& shell, const std::string& version) {
  std::vector<DialectIssue> out;
  if (shell != "bash" && shell != "zsh" && shell != "fish" && shell != "sh") return out;
  if (command.size() > 64 * 1024) return out;
  Checker ck{command, shell, ParseShellVersion(version), &out, {}};
  Lexer(ck).Run();
  CheckCommands(parsed, ck);
  return out;
}

}  // namespace cmdai::ground
