// SPDX-License-Identifier: MIT
#include "safety/shell_syntax.h"

#include "safety/path_class.h"
#include "safety/runners.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

extern "C" const TSLanguage* tree_sitter_bash(void);

namespace cmdai::safety {

namespace {

void AppendUtf8(std::string& out, uint32_t v) {
  if (v < 0x80) {
    out += static_cast<char>(v);
  } else if (v < 0x800) {
    out += static_cast<char>(0xC0 | (v >> 6));
    out += static_cast<char>(0x80 | (v & 0x3F));
  } else if (v < 0x10000) {
    out += static_cast<char>(0xE0 | (v >> 12));
    out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (v & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | ((v >> 18) & 0x07));
    out += static_cast<char>(0x80 | ((v >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (v & 0x3F));
  }
}

}  // namespace

std::string DecodeBackslashEscapes(const std::string& in, bool echo_octal) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\' || i + 1 >= in.size()) {
      out += in[i];
      continue;
    }
    char e = in[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'e':
      case 'E': out += '\x1b'; break;
      case 'x': {
        int v = 0, k = 0;
        while (k < 2 && i + 1 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1]))) {
          char h = in[++i];
          v = v * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++k;
        }
        out += static_cast<char>(v);
        break;
      }
      case 'u':
      case 'U': {  // \u0072 is "r": a Unicode code point, written as UTF-8
        uint32_t v = 0;
        int k = 0;
        const int most = e == 'u' ? 4 : 8;
        while (k < most && i + 1 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1]))) {
          char h = in[++i];
          v = v * 16 + static_cast<uint32_t>(
                           std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++k;
        }
        if (k == 0) {
          out += '\\';
          out += e;
        } else {
          AppendUtf8(out, v);
        }
        break;
      }
      case 'c':  // \cX: the control character X & 0x1f
        if (i + 1 < in.size()) out += static_cast<char>(in[++i] & 0x1f);
        break;
      default:
        if (e >= '0' && e <= '7') {
          if (echo_octal && e == '0' && i + 1 < in.size() && in[i + 1] >= '0' && in[i + 1] <= '7')
            e = in[++i];  // \0NNN: the zero only says octal follows
          int v = e - '0', k = 1;
          while (k < 3 && i + 1 < in.size() && in[i + 1] >= '0' && in[i + 1] <= '7') {
            v = v * 8 + (in[++i] - '0');
            ++k;
          }
          out += static_cast<char>(v);
        } else {
          out += e;  // \\ \' \" and unknown escapes
        }
    }
  }
  return out;
}
namespace {

using Clock = std::chrono::steady_clock;

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

// Where the bytes of a (re-)parsed text sit in the rated text. A string given
// to `sh -c` maps byte for byte when it was written without escapes;
// otherwise every inner span maps to the whole string.
struct OffsetMap {
  int64_t base = 0;
  bool exact = true;
  uint32_t span_start = 0, span_end = 0;
  uint32_t Start(uint32_t inner) const { return exact ? static_cast<uint32_t>(base + inner) : span_start; }
  uint32_t End(uint32_t inner) const { return exact ? static_cast<uint32_t>(base + inner) : span_end; }
};

struct Ctx {
  const std::string* text;
  OffsetMap map;
};

// What surrounding syntax passes down to the commands inside it.
struct State {
  std::string cwd;
  int group = 0;
  int depth = 0;
  std::vector<std::string> wrappers;
  std::vector<std::string> assignments;
  bool privileged = false;
  bool args_from_stdin = false;
  std::string host;
  int pipeline = -1;
  int pipeline_pos = 0;
  int join_pipeline = -1;  // `(a | b) 2>&1 | c` is one pipeline of three stages
  std::vector<Redirect> redirects;
  std::string stdin_text;
};

std::string_view Type(TSNode n) { return ts_node_type(n); }

std::string Slice(const Ctx& c, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > c.text->size()) e = static_cast<uint32_t>(c.text->size());
  if (s > e) s = e;
  return c.text->substr(s, e - s);
}

std::string FieldName(TSNode parent, uint32_t i) {
  const char* f = ts_node_field_name_for_child(parent, i);
  return f ? f : "";
}

bool IsShell(std::string_view n) {
  for (const char* s : {"sh",   "bash",  "zsh", "dash",   "ksh",   "mksh", "ash",  "fish", "csh",   "tcsh",
                        "yash", "rbash", "nu",  "elvish", "xonsh", "ion",  "posh", "oksh", "loksh", "busybox sh"})
    if (n == s) return true;
  return false;
}

std::string Basename(const std::string& s) {
  auto slash = s.find_last_of('/');
  return slash == std::string::npos || slash + 1 == s.size() ? s : s.substr(slash + 1);
}

// Joins a directory and a path the way `cd` would, without touching the disk.
std::string JoinPath(const std::string& cwd, const std::string& path) {
  if (path.empty()) return cwd;
  if (path[0] == '/' || path[0] == '~' || path[0] == '$') return path;
  if (cwd == "?") return "?";
  if (cwd.empty()) return path;
  return cwd == "/" ? "/" + path : cwd + "/" + path;
}

class Extractor {
 public:
  Extractor(const ParseLimits& limits, ParsedScript& out)
      : limits_(limits),
        out_(out),
        deadline_(limits.deadline != Clock::time_point{}
                      ? limits.deadline
                      : Clock::now() + std::chrono::milliseconds(limits.max_parse_ms)) {
    parser_.reset(ts_parser_new());
    ts_parser_set_language(parser_.get(), tree_sitter_bash());
  }

  void Parse(const std::string& text, const OffsetMap& map, State& state) {
    if (state.depth > limits_.max_reparse_depth) {
      AddFinding("parse.too-deep", "commands nested inside `sh -c`/`eval` strings too deeply to analyse", map.Start(0),
                 map.End(static_cast<uint32_t>(text.size())));
      return;
    }
    TSInputEncoding enc = TSInputEncodingUTF8;
    struct Payload {
      Clock::time_point deadline;
    } payload{deadline_};
    TSParseOptions opts = {&payload, [](TSParseState* s) {
                             return Clock::now() > static_cast<Payload*>(s->payload)->deadline;  // true: stop
                           }};
    struct Reader {
      const std::string* text;
    } reader{&text};
    TSInput input = {&reader,
                     [](void* p, uint32_t byte, TSPoint, uint32_t* read) -> const char* {
                       const std::string& t = *static_cast<Reader*>(p)->text;
                       if (byte >= t.size()) {
                         *read = 0;
                         return "";
                       }
                       *read = static_cast<uint32_t>(t.size() - byte);
                       return t.data() + byte;
                     },
                     enc, nullptr};
    std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse_with_options(parser_.get(), nullptr, input, opts));
    if (!tree) {
      ts_parser_reset(parser_.get());
      AddFinding("parse.timeout", "the command is too complex to analyse in time", map.Start(0),
                 map.End(static_cast<uint32_t>(text.size())));
      return;
    }
    Ctx ctx{&text, map};
    TSNode root = ts_tree_root_node(tree.get());
    Walk(root, ctx, state, 0);
  }

 private:
  void AddFinding(const std::string& rule, const std::string& message, uint32_t start, uint32_t end) {
    for (const auto& f : out_.findings)
      if (f.rule == rule) return;  // one of each kind is enough
    Finding f{rule, Risk::kHigh, message, start, end};
    f.limit = rule != "parse.error";  // a limit: what was not seen may be worse
    out_.findings.push_back(f);
  }

  // Work budget: the walk stops (with a finding) past the deadline or the
  // command cap, keeping everything found so far.
  bool OverBudget(TSNode n, const Ctx& c) {
    if (stopped_) return true;
    if (out_.commands.size() >= limits_.max_commands) {
      AddFinding("parse.too-many",
                 "the command holds more than " + std::to_string(limits_.max_commands) +
                     " simple commands, too many to analyse",
                 c.map.Start(ts_node_start_byte(n)), c.map.End(static_cast<uint32_t>(c.text->size())));
      stopped_ = true;
    } else if ((++steps_ & 1023) == 0 && Clock::now() > deadline_) {
      AddFinding("parse.timeout", "the command is too complex to analyse in time", c.map.Start(ts_node_start_byte(n)),
                 c.map.End(static_cast<uint32_t>(c.text->size())));
      stopped_ = true;
    }
    return stopped_;
  }

  bool TooDeep(int nest, TSNode n, const Ctx& c) {
    if (OverBudget(n, c)) return true;
    if (nest <= limits_.max_nesting) return false;
    AddFinding("parse.too-deep", "the command is nested too deeply to analyse", c.map.Start(ts_node_start_byte(n)),
               c.map.End(ts_node_end_byte(n)));
    return true;
  }

  void Walk(TSNode n, const Ctx& c, State& st, int nest) {
    if (TooDeep(nest, n, c)) return;
    const std::string_view t = Type(n);
    if (ts_node_is_missing(n) || t == "ERROR") {
      AddFinding("parse.error",
                 "cmdai cannot parse this as shell syntax near byte " +
                     std::to_string(c.map.Start(ts_node_start_byte(n))) + ", so it cannot tell what it does",
                 c.map.Start(ts_node_start_byte(n)), c.map.End(ts_node_end_byte(n)));
    }
    if (t == "command") return Command(n, c, st, nest);
    if (t == "declaration_command" || t == "unset_command") return Declaration(n, c, st, nest);
    if (t == "variable_assignment") return Assignment(n, c, st, nest);
    if (t == "pipeline") return Pipeline(n, c, st, nest);
    if (t == "redirected_statement") return Redirected(n, c, st, nest);
    if (t == "function_definition") return Function(n, c, st, nest);
    if (t == "for_statement" || t == "c_style_for_statement" || t == "select_statement") {
      TSNode var = ts_node_child_by_field_name(n, "variable", 8);
      if (!ts_node_is_null(var)) LoopVariable(n, Slice(c, var), c, st, nest);
    }
    if (t == "arithmetic_command" || t == "compound_statement_arithmetic" || t == "c_style_for_statement" ||
        (t == "compound_statement" && Slice(c, n).rfind("((", 0) == 0)) {  // ((N=0)) parses as a compound statement
      std::string raw = Slice(c, n);
      if (t == "c_style_for_statement") raw = raw.substr(0, raw.find("))"));
      ArithmeticAssignments(raw, Base(n, c, st), c, st);
    }
    if (t == "while_statement" || t == "c_style_for_statement") EndlessLoop(n, c);
    if (t == "test_command" || t == "arithmetic_expansion" || t == "compound_statement_arithmetic" ||
        t == "arithmetic_command") {
      const std::string raw = Slice(c, n);
      if (raw.find("$(") != std::string::npos || raw.find('`') != std::string::npos) HiddenSubstitutions(raw, n, c, st);
    }
    if (t == "subshell") {
      State inner = st;  // a subshell's cd does not leak out
      return Children(n, c, inner, nest);
    }
    if (t == "comment" || t == "heredoc_body" || t == "heredoc_start" || t == "heredoc_end") return;
    if (t == "word" || t == "string" || t == "raw_string" || t == "concatenation" || t == "simple_expansion" ||
        t == "expansion" || t == "command_substitution" || t == "process_substitution" || t == "arithmetic_expansion" ||
        t == "number" || t == "ansi_c_string" || t == "translated_string") {
      WordOf(n, c, st, nest);  // e.g. `for x in $(cmd)`: only its substitutions matter
      return;
    }
    Children(n, c, st, nest);
  }

  void Children(TSNode n, const Ctx& c, State& st, int nest) {
    const uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) Walk(ts_node_named_child(n, i), c, st, nest + 1);
  }

  void Pipeline(TSNode n, const Ctx& c, State& st, int nest) {
    const int id = st.join_pipeline >= 0 ? st.join_pipeline : next_pipeline_++;
    const uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(n, i);
      if (Type(child) == "comment") continue;
      State stage = st;  // each stage runs in its own subshell
      stage.pipeline = id;
      stage.pipeline_pos = next_pipeline_pos_[id]++;
      stage.join_pipeline = id;
      Walk(child, c, stage, nest + 1);
    }
  }

  void Redirected(TSNode n, const Ctx& c, State& st, int nest) {
    State inner = st;
    std::vector<TSNode> bodies;
    const uint32_t count = ts_node_child_count(n);
    std::vector<Redirect> mine;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(n, i);
      const std::string field = FieldName(n, i);
      if (field == "body") {
        bodies.push_back(child);
      } else if (field == "redirect" || Type(child) == "herestring_redirect" || Type(child) == "heredoc_redirect" ||
                 Type(child) == "file_redirect") {
        RedirectOf(child, c, inner, nest, mine, bodies);
      }
    }
    for (auto& r : mine) inner.redirects.push_back(r);
    const size_t before = out_.commands.size();
    for (TSNode b : bodies) Walk(b, c, inner, nest + 1);
    if (out_.commands.size() == before || (bodies.size() == 1 && Type(bodies[0]) != "command"))
      for (auto& r : mine) out_.loose_redirects.push_back({r, st.cwd});
    st.cwd = inner.cwd;  // `cd dir > /dev/null` still changes directory
  }

  // Parses one redirect node. Heredoc redirects can carry the rest of a
  // pipeline or list (`cat <<EOF | sh`): those statements go to `statements`.
  void RedirectOf(TSNode n, const Ctx& c, State& st, int nest, std::vector<Redirect>& out,
                  std::vector<TSNode>& statements) {
    Redirect r;
    r.start = c.map.Start(ts_node_start_byte(n));
    r.end = c.map.End(ts_node_end_byte(n));
    const std::string_view t = Type(n);
    const uint32_t count = ts_node_child_count(n);
    bool quoted_heredoc = false;  // <<'EOF': the body is literal
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(n, i);
      if (Type(child) == "heredoc_start") quoted_heredoc = Slice(c, child).find_first_of("'\"\\") != std::string::npos;
    }
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(n, i);
      const std::string field = FieldName(n, i);
      const std::string_view ct = Type(child);
      if (!ts_node_is_named(child)) {
        if (r.op.empty()) r.op = std::string(ct);
        continue;
      }
      if (field == "descriptor" || ct == "file_descriptor") {
        r.fd = std::atoi(Slice(c, child).c_str());
      } else if (ct == "heredoc_body") {
        st.stdin_text = Slice(c, child);
        ScanSubstitutions(child, c, st, nest);
        if (!quoted_heredoc) HiddenSubstitutions(st.stdin_text, child, c, st);
      } else if (ct == "heredoc_start" || ct == "heredoc_end") {
        continue;
      } else if (ct == "file_redirect" || ct == "herestring_redirect") {
        RedirectOf(child, c, st, nest + 1, out, statements);  // `cat <<EOF > file`
      } else if (field == "destination" || (t == "herestring_redirect" && field.empty()) || field == "argument") {
        Word w = WordOf(child, c, st, nest);
        if (r.target.text.empty())
          r.target = w;
        else
          r.target.text += " " + w.text;
        if (t == "herestring_redirect") st.stdin_text = w.text;
      } else {
        statements.push_back(child);  // pipeline / list continuation inside a heredoc redirect
      }
    }
    if (t == "heredoc_redirect" && r.op.empty()) r.op = "<<";
    if (t == "herestring_redirect") r.op = "<<<";
    out.push_back(r);
  }

  void ScanSubstitutions(TSNode n, const Ctx& c, State& st, int nest) {
    if (TooDeep(nest, n, c)) return;
    const uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(n, i);
      const std::string_view t = Type(child);
      if (t == "command_substitution" || t == "process_substitution")
        WordOf(child, c, st, nest + 1);
      else
        ScanSubstitutions(child, c, st, nest + 1);
    }
  }

  Word WordOf(TSNode n, const Ctx& c, State& st, int nest) {
    Word w;
    const uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    w.start = c.map.Start(s);
    w.end = c.map.End(e);
    if (TooDeep(nest, n, c)) {
      w.dynamic = true;
      return w;
    }
    const std::string raw = Slice(c, n);
    const std::string_view t = Type(n);
    auto verbatim = [&](uint32_t offset) {
      if (c.map.exact) w.content_offset = static_cast<int64_t>(c.map.Start(offset));
    };
    if (t == "word" || t == "number" || t == "extglob_pattern" || t == "regex") {
      bool escaped = false;
      for (size_t i = 0; i < raw.size(); ++i) {
        char ch = raw[i];
        if (ch == '\\' && i + 1 < raw.size()) {
          escaped = true;
          if (raw[i + 1] != '\n') w.text += raw[i + 1];
          ++i;
          continue;
        }
        if (ch == '*' || ch == '?' || ch == '[') w.glob = true;
        w.text += ch;
      }
      if (!escaped) verbatim(s);
      if (t == "number") ScanSubstitutions(n, c, st, nest);
      return w;
    }
    if (t == "raw_string") {
      w.text = raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : "";
      w.quoted = true;
      verbatim(s + 1);
      if (!w.text.empty() && w.text[0] == '~') {
        w.text = "./" + w.text;  // '~' is a file named ~
        w.content_offset = -1;
      }
      return w;
    }
    if (t == "ansi_c_string") {
      w.text = DecodeBackslashEscapes(raw.size() >= 3 ? raw.substr(2, raw.size() - 3) : "", false);
      w.quoted = true;
      return w;
    }
    if (t == "string" || t == "translated_string") {
      const size_t open = raw.find('"');
      std::string inner = open == std::string::npos ? raw : raw.substr(open + 1);
      if (!inner.empty() && inner.back() == '"') inner.pop_back();
      bool escaped = false;
      for (size_t i = 0; i < inner.size(); ++i) {
        char ch = inner[i];
        if (ch == '\\' && i + 1 < inner.size() && std::strchr("\"\\$`\n", inner[i + 1])) {
          escaped = true;
          if (inner[i + 1] != '\n') w.text += inner[i + 1];
          ++i;
          continue;
        }
        w.text += ch;
      }
      w.quoted = true;
      struct Piece {
        uint32_t start, end;
        std::string text;
      };
      std::vector<Piece> resolved;
      const uint32_t count = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(n, i);
        const std::string_view ct = Type(child);
        if (ct == "string_content") continue;
        Word part = WordOf(child, c, st, nest + 1);
        w.dynamic |= part.dynamic;
        w.substitutions.insert(w.substitutions.end(), part.substitutions.begin(), part.substitutions.end());
        const bool expansion = ct == "simple_expansion" || ct == "expansion" || ct == "command_substitution";
        if (expansion && !part.dynamic) {
          resolved.push_back({ts_node_start_byte(child), ts_node_end_byte(child), part.text});
          const std::string praw = Slice(c, child);
          // "${arr[@]}" and "$@" stay separate words even inside quotes.
          if (count == 1 && (praw.find("[@]") != std::string::npos || praw == "$@")) w.fields = part.fields;
        }
      }
      if (!resolved.empty()) {  // rebuild the text with the known values
        std::string text;
        uint32_t cursor = s + static_cast<uint32_t>(open == std::string::npos ? 0 : open + 1);
        const uint32_t stop = e > 0 && raw.back() == '"' ? e - 1 : e;
        auto literal = [&](uint32_t a, uint32_t b) {
          const std::string seg = c.text->substr(a, b > a ? b - a : 0);
          for (size_t k = 0; k < seg.size(); ++k) {
            if (seg[k] == '\\' && k + 1 < seg.size() && std::strchr("\"\\$`\n", seg[k + 1])) {
              if (seg[k + 1] != '\n') text += seg[k + 1];
              ++k;
            } else {
              text += seg[k];
            }
          }
        };
        for (const Piece& p : resolved) {
          literal(cursor, p.start);
          text += p.text;
          cursor = p.end;
        }
        literal(cursor, stop);
        w.text = text;
        escaped = true;
      }
      if (!escaped && open != std::string::npos) verbatim(s + static_cast<uint32_t>(open) + 1);
      if (!w.text.empty() && w.text[0] == '~' && open != std::string::npos && raw.size() > open + 1 &&
          raw[open + 1] == '~') {
        w.text = "./" + w.text;  // "~" in quotes is a file named ~, not the home directory
        w.content_offset = -1;
      }
      return w;
    }
    if (t == "concatenation") {
      bool all_quoted = true;
      bool split_ifs = false;
      const uint32_t count = ts_node_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_child(n, i);
        Word part;
        if (ts_node_is_named(child))
          part = WordOf(child, c, st, nest + 1);
        else
          part.text = Slice(c, child);
        if (!ts_node_is_named(child) && (part.text == "*" || part.text == "?")) part.glob = true;
        // rm${IFS}-rf${IFS}/: an unset IFS splits on blanks.
        if (ts_node_is_named(child)) {
          const std::string praw = Slice(c, child);
          if ((praw == "$IFS" || praw == "${IFS}") && !vars_.count("IFS") && !unknown_vars_.count("IFS")) {
            part.text = " ";
            part.dynamic = false;
            split_ifs = true;
          }
        }
        w.text += part.text;
        w.dynamic |= part.dynamic;
        w.glob |= part.glob;
        all_quoted &= part.quoted;
        w.substitutions.insert(w.substitutions.end(), part.substitutions.begin(), part.substitutions.end());
      }
      w.quoted = all_quoted;
      if (split_ifs && !w.dynamic) {
        w.fields = SplitFields(w.text);
        if (w.fields.size() <= 1) w.fields.clear();
      }
      return w;
    }
    if (t == "command_substitution" || t == "process_substitution") {
      w.text = raw;
      w.dynamic = true;
      const int id = next_group_++;
      w.substitutions.push_back(id);
      State inner = st;
      inner.group = id;
      inner.pipeline = -1;
      inner.pipeline_pos = 0;
      inner.join_pipeline = -1;
      inner.redirects.clear();
      inner.stdin_text.clear();
      inner.args_from_stdin = false;
      const size_t before = out_.commands.size();
      const uint32_t count = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(n, i);
        if (FieldName(n, i) == "redirect") continue;
        Walk(child, c, inner, nest + 1);
      }
      // $(echo rm), `printf '\x72m'`, $(dirname /etc/x): output known here.
      if (t == "command_substitution" && out_.commands.size() == before + 1) {
        const SimpleCommand& only = out_.commands.back();
        std::string value;
        if (only.group == id && only.redirects.empty() && LiteralOutput(only, &value)) {
          w.text = value;
          w.dynamic = false;
          w.fields = SplitFields(value);
          if (w.fields.size() <= 1) w.fields.clear();
        }
      }
      return w;
    }
    // $X, ${X}, ${arr[@]}, "$@" with a value assigned earlier in the text.
    if (t == "simple_expansion" || t == "expansion") {
      std::string name = raw.substr(1);
      bool all = false;
      if (t == "expansion" && name.size() >= 2 && name.front() == '{' && name.back() == '}') {
        name = name.substr(1, name.size() - 2);
        for (const char* sub : {"[@]", "[*]"})
          if (name.size() > 3 && name.compare(name.size() - 3, 3, sub) == 0) {
            name.resize(name.size() - 3);
            all = true;
          }
      }
      all |= name == "@" || name == "*";
      auto it = vars_.find(name);
      if (it != vars_.end() && !unknown_vars_.count(name) && std::all_of(name.begin(), name.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '@' || ch == '*';
          })) {
        const auto& values = it->second;
        for (size_t k = 0; k < values.size(); ++k) w.text += (k ? " " : "") + values[k];
        if (all || values.size() > 1) {
          w.fields = values;
        } else if (!values.empty()) {  // unquoted: split on IFS, then globs apply
          w.fields = SplitFields(values[0]);
          if (w.fields.size() <= 1) w.fields.clear();
          w.glob = values[0].find_first_of("*?[") != std::string::npos;
        }
        return w;
      }
    }
    // Expansions ($X, ${X:-…}, $((…)), {a,b}, arrays): unknown values.
    if (raw.find('`') != std::string::npos || (t == "arithmetic_expansion" && raw.find("$(", 1) != std::string::npos))
      HiddenSubstitutions(raw, n, c, st);
    if (t == "arithmetic_expansion")
      ArithmeticAssignments(raw.substr(std::min<size_t>(3, raw.size())), Base(n, c, st), c, st);
    if (t == "expansion") DefaultAssignment(raw, n, c, st);
    w.text = raw;
    w.dynamic = t != "brace_expression";
    w.glob = t == "brace_expression";
    ScanSubstitutionsInto(n, c, st, nest, w);
    if (t == "expansion" && w.substitutions.empty() && raw.find("$(") != std::string::npos)
      HiddenSubstitutions(raw.substr(2), n, c, st);  // ${x#$(cmd)}: the pattern is expanded
    return w;
  }

  void ScanSubstitutionsInto(TSNode n, const Ctx& c, State& st, int nest, Word& w) {
    if (TooDeep(nest, n, c)) return;
    const uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(n, i);
      const std::string_view t = Type(child);
      if (t == "command_substitution" || t == "process_substitution") {
        Word part = WordOf(child, c, st, nest + 1);
        w.substitutions.insert(w.substitutions.end(), part.substitutions.begin(), part.substitutions.end());
      } else {
        ScanSubstitutionsInto(child, c, st, nest + 1, w);
      }
    }
  }

  std::vector<std::string> SplitFields(const std::string& v) const {
    std::string ifs = " \t\n";
    if (auto it = vars_.find("IFS"); it != vars_.end() && !it->second.empty() && !it->second[0].empty())
      ifs = it->second[0];
    std::vector<std::string> out;
    std::string cur;
    for (char ch : v) {
      if (ifs.find(ch) != std::string::npos) {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }

  // What a command prints when that is known from its words alone.
  static bool LiteralOutput(const SimpleCommand& cmd, std::string* value) {
    for (const auto& a : cmd.args)
      if (a.dynamic) return false;
    const auto& a = cmd.args;
    if (cmd.name == "echo") {
      size_t i = 0;
      while (i < a.size() && (a[i].text == "-n" || a[i].text == "-e" || a[i].text == "-E")) ++i;
      for (size_t k = i; k < a.size(); ++k) *value += (k > i ? " " : "") + a[k].text;
      return true;
    }
    if (cmd.name == "printf" && !a.empty() && a[0].text.find('%') == std::string::npos) {
      *value = DecodeBackslashEscapes(a[0].text, false);
      while (!value->empty() && value->back() == '\n') value->pop_back();
      return true;
    }
    if ((cmd.name == "realpath" || (cmd.name == "readlink" && a.size() == 2 && a[0].text == "-f")) && !a.empty()) {
      *value = a.back().text;  // `realpath ~` is the home directory, whatever its spelling
      return true;
    }
    if (cmd.name == "mktemp") {  // a new file or directory under the temporary directory
      *value = "/tmp/tmp.XXXXXXXXXX";
      return true;
    }
    if ((cmd.name == "dirname" || cmd.name == "basename") && a.size() == 1) {
      std::string p = a[0].text;
      while (p.size() > 1 && p.back() == '/') p.pop_back();
      const size_t slash = p.rfind('/');
      if (cmd.name == "basename")
        *value = slash == std::string::npos ? p : p.substr(slash + 1);
      else
        *value = slash == std::string::npos ? "." : (slash == 0 ? "/" : p.substr(0, slash));
      return true;
    }
    return false;
  }

  void Assignment(TSNode n, const Ctx& c, State& st, int nest) {
    SimpleCommand cmd = Base(n, c, st);
    cmd.assignments.push_back(AssignmentText(n, c, st, nest));
    Record(n, c, st, nest, cmd);
    out_.commands.push_back(std::move(cmd));
  }

  // A variable assigned in the text: remember its literal value, so that
  // `X=rm; $X -rf /` is read as `rm -rf /`. A variable given two values, or
  // one only known at run time, is unknown from then on.
  void Record(TSNode n, const Ctx& c, State& st, int nest, const SimpleCommand& cmd) {
    TSNode name_node = ts_node_child_by_field_name(n, "name", 4);
    TSNode value = ts_node_child_by_field_name(n, "value", 5);
    if (ts_node_is_null(name_node)) return;
    const std::string name = Slice(c, name_node);
    if (name.find('[') != std::string::npos) HiddenSubstitutions(Slice(c, n), n, c, st);  // a[$(cmd)]=1
    std::vector<std::string> fields;
    bool known = true;
    Word whole;
    if (ts_node_is_null(value)) {
      fields.push_back("");
    } else if (Type(value) == "array") {
      const uint32_t count = ts_node_named_child_count(value);
      for (uint32_t i = 0; i < count; ++i) {
        Word w = WordOf(ts_node_named_child(value, i), c, st, nest + 1);
        known &= !w.dynamic;
        if (!w.fields.empty())
          fields.insert(fields.end(), w.fields.begin(), w.fields.end());
        else
          fields.push_back(w.text);
      }
    } else {
      whole = WordOf(value, c, st, nest + 1);
      known = !whole.dynamic;
      // H=$HOME, H=~: the home directory, whatever its path.
      if (whole.text == "$HOME" || whole.text == "${HOME}" || whole.text == "$PWD" || whole.text == "${PWD}") {
        known = true;
        whole.text = whole.text.find("HOME") != std::string::npos ? "~" : whole.text;
      }
      fields.push_back(whole.text);
    }
    // A literal value holding $(…) or `…` runs it wherever bash evaluates the
    // variable: arithmetic (`a[$(cmd)]`), ${x@P}, eval. Rated as if it runs.
    if (!ts_node_is_null(value) && whole.substitutions.empty() && VariableRuns(name, whole.text).rule.empty() &&
        (whole.text.find("$(") != std::string::npos || whole.text.find('`') != std::string::npos))
      HiddenSubstitutions(whole.text, n, c, st);
    if (namerefs_.count(name.substr(0, name.find('[')))) {  // declare -n r=PROMPT_COMMAND; r=…
      IndirectAssignment(name, whole, known, cmd, c, st);
      return;
    }
    if (name.find('[') != std::string::npos) {
      ZshSpecialArray(name, whole.text, cmd, c, st);
      if (!name.empty() && name.back() == ']' && name.compare(0, 15, "PROMPT_COMMAND[") == 0) {
        IndirectAssignment("PROMPT_COMMAND", whole, known, cmd, c, st);
        return;
      }
    }
    SetVariable(name, known, fields);
    VariableEffect e = VariableRuns(name, fields.empty() ? "" : fields[0]);
    if (!e.rule.empty()) {
      Finding f{e.rule, e.risk, e.message, cmd.start, cmd.end};
      out_.findings.push_back(f);
      if (e.value_is_code && !ts_node_is_null(value) && Type(value) != "array") {
        Word code = whole;
        if (name.rfind("BASH_FUNC_", 0) == 0) {  // '() { body; }': the body is the code
          const size_t open = code.text.find('{'), close = code.text.rfind('}');
          if (open != std::string::npos && close != std::string::npos && close > open)
            code = SubWord(code, open + 1, code.text.substr(open + 1, close - open - 1));
        }
        if (name == "LESSOPEN" || name == "LESSCLOSE") {  // "|cmd %s"
          const size_t k = code.text.find_first_not_of("|");
          code = SubWord(code, k == std::string::npos ? code.text.size() : k,
                         k == std::string::npos ? "" : code.text.substr(k));
        }
        ReparseOrKeep(const_cast<SimpleCommand&>(cmd), code, "$" + name, st, /*push_dynamic=*/false);
      }
    }
  }

  // `NAME=value cmd`: the variable lives for that command only, but a value
  // the program runs (PAGER, GIT_SSH_COMMAND, LD_PRELOAD) is rated.
  void PrefixEffect(TSNode n, const Ctx& c, State& st, int nest, const SimpleCommand& cmd) {
    TSNode name_node = ts_node_child_by_field_name(n, "name", 4);
    TSNode value = ts_node_child_by_field_name(n, "value", 5);
    if (ts_node_is_null(name_node) || ts_node_is_null(value)) return;
    AssignmentEffect(Slice(c, name_node), WordOf(value, c, st, nest + 1), cmd, st);
  }

  void AssignmentEffect(const std::string& name, Word w, const SimpleCommand& cmd, State& st) {
    VariableEffect e = VariableRuns(name, w.text);
    if (e.rule.empty()) return;
    out_.findings.push_back({e.rule, e.risk, e.message, cmd.start, cmd.end});
    if (!e.value_is_code) return;
    if (name.rfind("BASH_FUNC_", 0) == 0) {  // '() { body; }': the body is the code
      const size_t open = w.text.find('{'), close = w.text.rfind('}');
      if (open != std::string::npos && close != std::string::npos && close > open)
        w = SubWord(w, open + 1, w.text.substr(open + 1, close - open - 1));
    }
    if (name == "LESSOPEN" || name == "LESSCLOSE") {
      const size_t k = w.text.find_first_not_of("|");
      w = SubWord(w, k == std::string::npos ? w.text.size() : k, k == std::string::npos ? "" : w.text.substr(k));
    }
    SimpleCommand outer = cmd;
    ReparseOrKeep(outer, w, "$" + name, st, /*push_dynamic=*/false);
  }

  static bool IsIdentifier(const std::string& s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
  }

  // `declare -n r=PROMPT_COMMAND`: assignments to r set PROMPT_COMMAND.
  std::string ResolveNameref(std::string name) const {
    for (int i = 0; i < 8; ++i) {
      const std::string base = name.substr(0, name.find('['));
      auto it = namerefs_.find(base);
      if (it == namerefs_.end()) break;
      name = it->second + (base.size() < name.size() ? name.substr(base.size()) : "");
    }
    return name;
  }

  // The value an assignment is taken to hold when it is only known at run
  // time: the one that does the most harm (history off, PATH at ., code).
  static std::string WorstValue(const std::string& name) {
    if (name == "HISTFILE" || name == "fish_history") return "";
    if (name == "HISTSIZE" || name == "HISTFILESIZE" || name == "SAVEHIST") return "0";
    if (name == "PATH" || name == "fish_user_paths") return ".";
    return "$(?)";
  }

  // A variable set other than by NAME=value — printf -v, read, mapfile,
  // ${NAME:=v}, let/((NAME=v)), a nameref, fish `set` — is rated as the
  // assignment NAME=value would be; a value only known at run time is taken
  // at its worst. Ordinary names only become unknown.
  void IndirectAssignment(std::string name, Word value, bool known, const SimpleCommand& at, const Ctx& c, State& st) {
    name = ResolveNameref(name);
    const size_t bracket = name.find('[');
    const std::string base = name.substr(0, bracket);
    if (!IsIdentifier(base)) return;
    if (bracket != std::string::npos) {
      ZshSpecialArray(name, value.text, at, c, st);
    } else {
      SetVariable(base, known, {value.text});
    }
    if (!known) {
      value.text = WorstValue(base);
      value.dynamic = value.text.find('$') != std::string::npos;
      value.content_offset = -1;
    }
    const bool history = base.rfind("HIST", 0) == 0 || base == "SAVEHIST";
    if (VariableRuns(base, value.text).rule.empty() && !history) return;
    SimpleCommand a = at;
    a.name.clear();
    a.name_word = Word{};
    a.args.clear();
    a.redirects.clear();
    a.stdin_text.clear();
    a.assignments = {base + "=" + value.text};
    AssignmentEffect(base, value, a, st);
    out_.commands.push_back(std::move(a));
  }

  // zsh's special hashes: aliases[ls]='…' defines an alias, functions[f]=
  // a function, commands[ls]=/path where `ls` runs from; mapfile[FILE]=
  // writes the file and `unset 'mapfile[FILE]'` deletes it. Read that way
  // whatever the shell, as it is not known here.
  void ZshSpecialArray(const std::string& name, const std::string& value, const SimpleCommand& at, const Ctx& c,
                       State& st, bool unset = false) {
    const size_t open = name.find('[');
    const size_t close = name.rfind(']');
    if (open == std::string::npos || close == std::string::npos || close <= open) return;
    const std::string base = name.substr(0, open);
    std::string key = name.substr(open + 1, close - open - 1);
    if (key.size() >= 2 && (key[0] == '\'' || key[0] == '"') && key.back() == key[0])
      key = key.substr(1, key.size() - 2);
    auto synth = [&](const std::string& cmd_name, std::vector<std::string> words) {
      SimpleCommand s = at;
      s.name = cmd_name;
      s.name_word = Word{};
      s.name_word.text = cmd_name;
      s.name_word.start = at.start;
      s.name_word.end = at.end;
      s.args.clear();
      s.redirects.clear();
      s.assignments.clear();
      for (auto& w : words) {
        Word x;
        x.text = std::move(w);
        x.start = at.start;
        x.end = at.end;
        s.args.push_back(std::move(x));
      }
      Dispatch(std::move(s), c, st, 1);
    };
    if (base == "mapfile") {
      if (unset)
        synth("rm", {"-f", "--", key});
      else
        synth("tee", {"--", key});
      return;
    }
    if (unset) return;
    if (base == "aliases" || base == "galiases" || base == "saliases" || base == "dis_aliases" ||
        base == "dis_galiases" || base == "dis_saliases" || base == "functions" || base == "dis_functions" ||
        base == "commands")
      synth("alias", {key + "=" + value});
  }

  // Names bash assigns through arithmetic: `let N=0`, `((N=0))`, `N++`.
  void ArithmeticAssignments(const std::string& text, const SimpleCommand& at, const Ctx& c, State& st) {
    for (size_t i = 0; i < text.size();) {
      if (!(std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_') ||
          (i > 0 &&
           (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_' || text[i - 1] == '$'))) {
        ++i;
        continue;
      }
      size_t e = i;
      while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_')) ++e;
      const std::string name = text.substr(i, e - i);
      size_t k = e;
      while (k < text.size() && text[k] == ' ') ++k;
      bool assigns = false, literal = false;
      std::string value;
      if (k + 1 < text.size() && ((text[k] == '+' && text[k + 1] == '+') || (text[k] == '-' && text[k + 1] == '-'))) {
        assigns = true;
      } else if (k < text.size() && text[k] == '=' && (k + 1 >= text.size() || text[k + 1] != '=')) {
        assigns = true;
        size_t v = k + 1;
        while (v < text.size() && text[v] == ' ') ++v;
        size_t ve = v;
        while (ve < text.size() && std::isdigit(static_cast<unsigned char>(text[ve]))) ++ve;
        size_t after = ve;
        while (after < text.size() && text[after] == ' ') ++after;
        if (ve > v && (after >= text.size() || std::strchr(";,)'\"", text[after]))) {
          literal = true;
          value = text.substr(v, ve - v);
        }
      } else if (k + 1 < text.size() && std::strchr("+-*/%&|^", text[k]) && text[k + 1] == '=') {
        assigns = true;
      } else if (k + 2 < text.size() && (text.compare(k, 3, "<<=") == 0 || text.compare(k, 3, ">>=") == 0)) {
        assigns = true;
      }
      if (assigns) {
        Word w;
        w.text = value;
        w.start = at.start;
        w.end = at.end;
        IndirectAssignment(name, w, literal, at, c, st);
      }
      i = e;
    }
  }

  // Words that name a variable for a builtin (declare, unset, read, printf
  // -v, …): a subscript in one is arithmetic, and a $(…) in it runs.
  void SubscriptSubstitutions(const SimpleCommand& cmd, State& st) {
    for (const auto& w : cmd.args) {
      const size_t open = w.text.find('[');
      if (open == std::string::npos || open == 0 || !IsIdentifier(w.text.substr(0, open))) continue;
      if (w.text.find("$(") == std::string::npos && w.text.find('`') == std::string::npos) continue;
      for (const std::string& text : SubstitutionTexts(w.text)) {
        Word code = w;
        code.text = text;
        code.content_offset = -1;
        Reparse(cmd, code, "$(…)", st);
      }
    }
  }

  // ${NAME:=value} and ${NAME=value} assign NAME when it is unset or empty.
  void DefaultAssignment(const std::string& raw, TSNode n, const Ctx& c, State& st) {
    if (raw.size() < 5 || raw.compare(0, 2, "${") != 0 || raw.back() != '}') return;
    size_t e = 2;
    while (e < raw.size() && (std::isalnum(static_cast<unsigned char>(raw[e])) || raw[e] == '_')) ++e;
    size_t v;
    if (raw.compare(e, 2, ":=") == 0)
      v = e + 2;
    else if (raw[e] == '=')
      v = e + 1;
    else
      return;
    std::string value = raw.substr(v, raw.size() - 1 - v);
    if (value.size() >= 2 && (value[0] == '\'' || value[0] == '"') && value.back() == value[0])
      value = value.substr(1, value.size() - 2);
    const bool known = value.find_first_of("$`\"'\\") == std::string::npos;
    Word w;
    w.text = value;
    const SimpleCommand at = Base(n, c, st);
    w.start = at.start;
    w.end = at.end;
    IndirectAssignment(raw.substr(2, e - 2), w, known || raw[v] == '\'', at, c, st);
  }

  // `while :; do …; done`, `until false`, `for ((;;))` with nothing in the
  // body that leaves the loop: it runs until interrupted. One that starts
  // background work on each turn (`while :; do (x &); done`) is a fork bomb.
  void EndlessLoop(TSNode n, const Ctx& c) {
    const std::string raw = Slice(c, n);
    TSNode body = ts_node_child_by_field_name(n, "body", 4);
    if (ts_node_is_null(body)) return;
    const uint32_t body_start = ts_node_start_byte(body), start = ts_node_start_byte(n);
    if (body_start < start) return;
    std::string head = raw.substr(0, body_start - start);
    auto trim = [](std::string x) {
      while (!x.empty() && std::strchr(" \t\n;", x.back())) x.pop_back();
      while (!x.empty() && std::strchr(" \t\n", x.front())) x.erase(0, 1);
      return x;
    };
    bool endless = false;
    if (head.rfind("while", 0) == 0 || head.rfind("until", 0) == 0) {
      const bool until = head[0] == 'u';
      std::string cond = trim(head.substr(5));
      if (cond.size() >= 2 && cond.compare(cond.size() - 2, 2, "do") == 0) cond = trim(cond.substr(0, cond.size() - 2));
      static const std::vector<std::string> kTrue = {":",     "true",  "/bin/true", "/usr/bin/true",
                                                     "[ 1 ]", "((1))", "(( 1 ))",   "! false"};
      static const std::vector<std::string> kFalse = {
          "false", "/bin/false", "/usr/bin/false", "! :", "! true", "((0))", "(( 0 ))"};
      for (const auto& k : until ? kFalse : kTrue) endless |= cond == k;
    } else if (head.rfind("for", 0) == 0) {
      const size_t open = head.find("((");
      const size_t s1 = head.find(';', open), s2 = s1 == std::string::npos ? s1 : head.find(';', s1 + 1);
      if (open != std::string::npos && s2 != std::string::npos) {
        const std::string cond = trim(head.substr(s1 + 1, s2 - s1 - 1));
        endless = cond.empty() || cond == "1";
      }
    }
    if (!endless) return;
    const std::string text = Slice(c, body);
    for (const char* leave : {"break", "exit", "return", "exec", "kill", "logout"}) {
      for (size_t p = text.find(leave); p != std::string::npos; p = text.find(leave, p + 1)) {
        const size_t e = p + std::strlen(leave);
        const bool left = p == 0 || !(std::isalnum(static_cast<unsigned char>(text[p - 1])) || text[p - 1] == '_');
        const bool right = e >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_');
        if (left && right) return;
      }
    }
    bool backgrounds = false;
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '&' && (i == 0 || (text[i - 1] != '&' && text[i - 1] != '>' && text[i - 1] != '<')) &&
          (i + 1 >= text.size() || (text[i + 1] != '&' && text[i + 1] != '>')))
        backgrounds = true;
    const uint32_t s = c.map.Start(start), e = c.map.End(ts_node_end_byte(n));
    if (backgrounds)
      out_.findings.push_back({"process.fork-bomb", Risk::kCritical,
                               "this loop never ends and starts background work on every turn, exhausting the machine",
                               s, e});
    else
      out_.findings.push_back({"process.endless-loop", Risk::kModerate,
                               "this loop never ends by itself: it runs until it is interrupted", s, e});
  }

  // Builtins that set variables or change how the shell behaves.
  void ShellState(const SimpleCommand& cmd, const Ctx& c, State& st) {
    const std::string& n = cmd.name;
    const auto& a = cmd.args;
    auto finding = [&](const std::string& rule, Risk risk, const std::string& message) {
      out_.findings.push_back({rule, risk, message, cmd.start, cmd.end});
    };
    auto stdin_value = [&](bool first_line) {
      std::string v = cmd.stdin_text;
      if (first_line) v = v.substr(0, v.find('\n'));
      while (!v.empty() && v.back() == '\n') v.pop_back();
      return v;
    };
    if (n == "printf") {  // printf -v NAME FORMAT ARGS…
      for (size_t i = 0; i < a.size(); ++i) {
        std::string name;
        size_t next = i + 1;
        if (a[i].text == "-v" && i + 1 < a.size()) {
          name = a[i + 1].text;
          next = i + 2;
        } else if (a[i].text.rfind("-v", 0) == 0 && a[i].text.size() > 2) {
          name = a[i].text.substr(2);
        } else if (a[i].text == "--" || a[i].text.empty() || a[i].text[0] != '-') {
          break;
        } else {
          continue;
        }
        if (next < a.size() && a[next].text == "--") ++next;
        Word value;
        value.start = cmd.start;
        value.end = cmd.end;
        bool known = false;
        if (next < a.size() && !a[next].dynamic) {
          const std::string& fmt = a[next].text;
          if (fmt.find('%') == std::string::npos && next + 1 == a.size()) {
            value = a[next];
            value.text = DecodeBackslashEscapes(fmt, false);
            known = value.text == fmt;
          } else if ((fmt == "%s" || fmt == "%b") && next + 2 == a.size() && !a[next + 1].dynamic) {
            value = a[next + 1];
            known = true;
          }
        }
        IndirectAssignment(name, value, known, cmd, c, st);
        return;
      }
      return;
    }
    if (n == "read" || n == "mapfile" || n == "readarray") {
      static const std::vector<std::string> kWithValue = {"-p", "-d", "-n", "-N", "-t", "-u",
                                                          "-i", "-O", "-s", "-C", "-c"};
      std::vector<std::string> names;
      for (size_t i = 0; i < a.size(); ++i) {
        const std::string& t = a[i].text;
        if (t == "--") {
          for (size_t k = i + 1; k < a.size(); ++k) names.push_back(a[k].text);
          break;
        }
        if (t.size() > 1 && t[0] == '-') {
          if (n == "read" && t.back() == 'a' && i + 1 < a.size()) {  // read -a NAME
            names.push_back(a[++i].text);
            continue;
          }
          if (n == "mapfile" || n == "readarray" ? t == "-t" : false) continue;
          for (const auto& o : kWithValue)
            if (t == o || (t.size() > 2 && t.back() == o[1] && n == "read")) {
              ++i;
              break;
            }
          continue;
        }
        names.push_back(t);
      }
      if (names.empty()) return;
      const bool known = !cmd.stdin_text.empty() && names.size() == 1;
      for (const auto& name : names) {
        Word value;
        value.text = known ? stdin_value(n == "read") : "";
        value.start = cmd.start;
        value.end = cmd.end;
        IndirectAssignment(name, value, known, cmd, c, st);
      }
      return;
    }
    if (n == "let") {
      for (const auto& w : a) ArithmeticAssignments(w.text, cmd, c, st);
      return;
    }
    if (n == "unset") {
      for (const auto& w : a)
        if (w.text.find('[') != std::string::npos) ZshSpecialArray(w.text, "", cmd, c, st, /*unset=*/true);
      return;
    }
    // fish: set [-U|-g|-l|-x|…] NAME VALUES…; a name starting fish_ is fish's too.
    if (n == "set" && !a.empty()) {
      size_t i = 0;
      bool fish = false;
      for (; i < a.size(); ++i) {
        const std::string& t = a[i].text;
        if (t == "--universal" || t == "--global" || t == "--export" || t == "--local" || t == "--function" ||
            t == "--append" || t == "--prepend" || t == "--path") {
          fish = true;
          continue;
        }
        if (t.size() > 1 && t[0] == '-' && t[1] != '-' && t[1] != 'o' &&
            t.find_first_not_of("UglxuapSLf", 1) == std::string::npos) {
          fish |= t.find_first_of("Ugl") != std::string::npos || t == "-x" || t.find('x') != std::string::npos;
          continue;
        }
        break;
      }
      if (i < a.size() && (fish || a[i].text.rfind("fish_", 0) == 0) && IsIdentifier(a[i].text)) {
        Word value;
        value.start = cmd.start;
        value.end = cmd.end;
        bool known = true;
        for (size_t k = i + 1; k < a.size(); ++k) {
          if (k == i + 1) {
            value = a[k];
          } else {
            value.text += " " + a[k].text;
            value.content_offset = -1;
          }
          known &= !a[k].dynamic || a[k].text.rfind("$PATH", 0) == 0 || a[k].text.rfind("$fish_", 0) == 0;
        }
        if (a[i].text == "PATH" || a[i].text == "fish_user_paths") {  // list: the first entry is searched first
          value.text = i + 1 < a.size() ? a[i + 1].text : "";
          known = i + 1 < a.size() && !a[i + 1].dynamic;
        }
        if (a[i].text == "fish_private_mode" && !value.text.empty())
          finding("tamper.history", Risk::kHigh, "fish private mode: commands are not saved to the history");
        if (a[i].text == "fish_history")
          finding("tamper.history", Risk::kHigh, "changes which fish history is kept (fish_history)");
        if (a[i].text == "fish_function_path" || a[i].text == "fish_complete_path")
          finding("exec.variable", Risk::kHigh, a[i].text + " makes fish load functions from other places");
        value.dynamic = !known;
        IndirectAssignment(a[i].text == "fish_user_paths" ? "PATH" : a[i].text, value, known, cmd, c, st);
      }
      if (HasWord(cmd, "-o") || HasWord(cmd, "+o"))
        for (const auto& w : a)
          if (w.text == "vi" || w.text == "emacs" || w.text == "ignoreeof" || w.text == "functrace" ||
              w.text == "monitor" || w.text == "keyword" || w.text == "onecmd" || w.text == "posix")
            finding("shell.option", Risk::kModerate,
                    "changes how the interactive shell behaves (set -o " + w.text + ")");
      return;
    }
    if (n == "history" && !a.empty() &&
        (a[0].text == "clear" || a[0].text == "delete" || a[0].text == "clear-session" || a[0].text == "merge"))
      return finding("tamper.history", Risk::kHigh,
                     "clears or rewrites the shell history (fish: history " + a[0].text + ")");
    if (n == "enable") {
      for (const auto& w : a) {
        if (w.text.rfind("-f", 0) == 0 && w.text.size() <= 2)
          return finding("exec.library-injection", Risk::kHigh, "enable -f loads a shared library into the shell");
        if (w.text.size() > 1 && w.text[0] == '-' && w.text.find('n') != std::string::npos && a.size() > 1)
          return finding("shell.option", Risk::kModerate, "turns off a shell builtin (enable -n)");
      }
      return;
    }
    if (n == "shopt") {
      static const char* kStateful[] = {"extdebug",   "histappend",       "histreedit",          "histverify",
                                        "lithist",    "cmdhist",          "expand_aliases",      "promptvars",
                                        "sourcepath", "execfail",         "huponexit",           "checkhash",
                                        "progcomp",   "restricted_shell", "interactive_comments"};
      if (!HasWord(cmd, "-s") && !HasWord(cmd, "-u")) return;
      for (const auto& w : a)
        for (const char* s : kStateful)
          if (w.text == s)
            return finding("shell.option", Risk::kModerate, "changes how the shell behaves (shopt " + w.text + ")");
      return;
    }
    if (n == "complete") {
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i].text == "-F" || a[i].text == "-C")
          return finding("persist.completion", Risk::kModerate,
                         "sets what runs when completion is asked for (complete " + a[i].text + ")");
      return;
    }
  }

  // Command substitutions the parser keeps as text: backticks in here-document
  // bodies and inside ${…}, and `$(…)` in strings that bash evaluates as
  // arithmetic (`let 'a[$(cmd)]'`, `a[$(cmd)]=1`, `[[ -v 'a[$(cmd)]' ]]`).
  // Each is parsed and rated as the commands it runs.
  void HiddenSubstitutions(const std::string& text, TSNode at, const Ctx& c, State& st) {
    const SimpleCommand outer = Base(at, c, st);
    for (const std::string& code : SubstitutionTexts(text)) {
      Word w;
      w.text = code;
      w.start = outer.start;
      w.end = outer.end;
      Reparse(outer, w, "$(…)", st);
    }
  }
  void HiddenSubstitutions(const SimpleCommand& outer, State& st) {
    for (const auto& w : outer.args)
      for (const std::string& text : SubstitutionTexts(w.text)) {
        Word code = w;
        code.text = text;
        code.content_offset = -1;
        Reparse(outer, code, "$(…)", st);
      }
  }

  // The code inside each `…` and $(…) of `text` (at most 16), skipping $((…)).
  static std::vector<std::string> SubstitutionTexts(const std::string& text) {
    std::vector<std::string> found;
    for (size_t p = text.find('`'); p != std::string::npos && found.size() < 16;) {
      const size_t e = text.find('`', p + 1);
      if (e == std::string::npos) break;
      found.push_back(text.substr(p + 1, e - p - 1));
      p = text.find('`', e + 1);
    }
    for (size_t p = text.find("$("); p != std::string::npos && found.size() < 16; p = text.find("$(", p + 2)) {
      if (p + 2 < text.size() && text[p + 2] == '(') continue;  // $(( arithmetic ))
      int depth = 0;
      size_t e = p + 1;
      for (; e < text.size(); ++e) {
        if (text[e] == '(') ++depth;
        if (text[e] == ')' && --depth == 0) break;
      }
      if (e >= text.size()) break;
      found.push_back(text.substr(p + 2, e - p - 2));
    }
    return found;
  }

  // `for d in / ~; do rm -rf $d; done`: the variable takes each literal value;
  // it is read as the one that names the most critical path (the rules see
  // the worst case). Computed lists make it unknown.
  void LoopVariable(TSNode n, const std::string& name, const Ctx& c, State& st, int nest) {
    std::vector<std::string> values;
    bool literal = true;
    const uint32_t count = ts_node_child_count(n);
    // `for PROMPT_COMMAND in 'rm -rf ~'`: each value is assigned to the
    // variable as `PROMPT_COMMAND=…` would be, and rated so.
    const SimpleCommand loop = Base(n, c, st);
    for (uint32_t i = 0; i < count; ++i)
      if (FieldName(n, i) == "value") {
        Word w = WordOf(ts_node_child(n, i), c, st, nest + 1);
        literal &= !w.dynamic && w.fields.empty();
        values.push_back(w.text);
        if (values.size() <= 64) AssignmentEffect(name, w, loop, st);
      }
    if (!literal || values.empty() || values.size() > 64) {
      unknown_vars_.insert(name);
      return;
    }
    std::string worst = values[0];
    for (const auto& v : values)
      if (IsCriticalTree(ClassifyPath(v, false, st.cwd).kind)) worst = v;
    if (!unknown_vars_.count(name)) vars_[name] = {worst};
  }

  void SetVariable(const std::string& name, bool known, const std::vector<std::string>& fields) {
    if (unknown_vars_.count(name)) return;
    auto it = vars_.find(name);
    if (!known || (it != vars_.end() && it->second != fields)) {
      vars_.erase(name);
      unknown_vars_.insert(name);
      return;
    }
    vars_[name] = fields;
  }

  std::string AssignmentText(TSNode n, const Ctx& c, State& st, int nest) {
    TSNode name = ts_node_child_by_field_name(n, "name", 4);
    TSNode value = ts_node_child_by_field_name(n, "value", 5);
    std::string text = ts_node_is_null(name) ? "" : Slice(c, name);
    text += "=";
    if (!ts_node_is_null(value)) text += WordOf(value, c, st, nest + 1).text;
    return text;
  }

  SimpleCommand Base(TSNode n, const Ctx& c, const State& st) {
    SimpleCommand cmd;
    cmd.start = c.map.Start(ts_node_start_byte(n));
    cmd.end = c.map.End(ts_node_end_byte(n));
    cmd.cwd = st.cwd;
    cmd.group = st.group;
    cmd.depth = st.depth;
    cmd.wrappers = st.wrappers;
    cmd.assignments = st.assignments;
    cmd.privileged = st.privileged;
    cmd.args_from_stdin = st.args_from_stdin;
    cmd.remote_host = st.host;
    cmd.pipeline = st.pipeline;
    cmd.pipeline_pos = st.pipeline_pos;
    cmd.redirects = st.redirects;
    cmd.stdin_text = st.stdin_text;
    return cmd;
  }

  void Declaration(TSNode n, const Ctx& c, State& st, int nest) {
    SimpleCommand cmd = Base(n, c, st);
    const uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(n, i);
      if (!ts_node_is_named(child)) {
        if (cmd.name.empty()) cmd.name = Slice(c, child);
        continue;
      }
      if (Type(child) == "variable_assignment") {
        std::string a = AssignmentText(child, c, st, nest);
        bool nameref = false;
        for (const auto& w : cmd.args)
          nameref |= w.text.size() > 1 && w.text[0] == '-' && w.text.find('n') != std::string::npos;
        if (nameref) {  // declare -n r=NAME: r stands for NAME from now on
          const size_t eq = a.find('=');
          namerefs_[a.substr(0, eq)] = eq == std::string::npos ? "" : a.substr(eq + 1);
        } else if (cmd.name != "local") {
          Record(child, c, st, nest, cmd);
        } else {  // local PATH=…, local PAGER=…: still in force for what the function runs
          TSNode nm = ts_node_child_by_field_name(child, "name", 4);
          TSNode val = ts_node_child_by_field_name(child, "value", 5);
          if (!ts_node_is_null(nm) && !ts_node_is_null(val))
            AssignmentEffect(Slice(c, nm), WordOf(val, c, st, nest + 1), cmd, st);
        }
        cmd.assignments.push_back(a);
        Word w;
        w.text = a;
        w.start = c.map.Start(ts_node_start_byte(child));
        w.end = c.map.End(ts_node_end_byte(child));
        cmd.args.push_back(w);
      } else {
        cmd.args.push_back(WordOf(child, c, st, nest + 1));
      }
    }
    cmd.name_word.text = cmd.name;
    if ((cmd.name == "declare" || cmd.name == "typeset" || cmd.name == "local") && HasWord(cmd, "-i"))
      HiddenSubstitutions(cmd, st);   // declare -i n='a[$(cmd)]' evaluates it
    SubscriptSubstitutions(cmd, st);  // declare 'a[$(cmd)]=1'
    for (const auto& w : cmd.args) {  // declare "NAME=value" given as one quoted word
      const size_t eq = w.text.find('=');
      if (eq == std::string::npos || w.text[0] == '-' || !w.quoted) continue;
      if (cmd.name == "unset") continue;
      Word value = SubWord(w, eq + 1, w.text.substr(eq + 1));
      IndirectAssignment(w.text.substr(0, eq), value, !w.dynamic, cmd, c, st);
    }
    if (cmd.name == "unset")
      for (const auto& w : cmd.args)
        if (w.text.find('[') != std::string::npos) ZshSpecialArray(w.text, "", cmd, c, st, /*unset=*/true);
    out_.commands.push_back(std::move(cmd));
  }

  void Function(TSNode n, const Ctx& c, State& st, int nest) {
    FunctionDef f;
    TSNode name = ts_node_child_by_field_name(n, "name", 4);
    TSNode body = ts_node_child_by_field_name(n, "body", 4);
    f.name = ts_node_is_null(name) ? "" : Slice(c, name);
    f.start = c.map.Start(ts_node_start_byte(n));
    f.end = c.map.End(ts_node_end_byte(n));
    const size_t before = out_.commands.size();
    if (!ts_node_is_null(body)) {
      State inner = st;
      Walk(body, c, inner, nest + 1);
      const std::string text = Slice(c, body);
      for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '&' && (i == 0 || (text[i - 1] != '&' && text[i - 1] != '>' && text[i - 1] != '<')) &&
            (i + 1 >= text.size() || (text[i + 1] != '&' && text[i + 1] != '>')))
          f.backgrounds = true;
    }
    for (size_t i = before; i < out_.commands.size(); ++i)
      if (out_.commands[i].name == f.name) ++f.self_calls;
    out_.functions.push_back(f);
  }

  void Command(TSNode n, const Ctx& c, State& st, int nest) {
    SimpleCommand cmd = Base(n, c, st);
    std::string stdin_before = st.stdin_text;
    std::vector<TSNode> prefix_assignments;  // PAGER='…' git log: values the program may run
    bool has_name = false;
    const uint32_t count = ts_node_child_count(n);
    std::vector<TSNode> extra;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(n, i);
      if (!ts_node_is_named(child)) continue;
      const std::string field = FieldName(n, i);
      const std::string_view t = Type(child);
      if (field == "name") {
        TSNode inner = ts_node_named_child_count(child) > 0 ? ts_node_named_child(child, 0) : child;
        cmd.name_word = WordOf(inner, c, st, nest + 1);
        cmd.name_word.start = c.map.Start(ts_node_start_byte(child));
        cmd.name_word.end = c.map.End(ts_node_end_byte(child));
        has_name = true;
      } else if (field == "redirect") {
        std::vector<Redirect> rs;
        RedirectOf(child, c, st, nest + 1, rs, extra);
        cmd.redirects.insert(cmd.redirects.end(), rs.begin(), rs.end());
        cmd.stdin_text = st.stdin_text;
      } else if (t == "variable_assignment") {
        cmd.assignments.push_back(AssignmentText(child, c, st, nest));
        prefix_assignments.push_back(child);
      } else if (field == "argument") {
        cmd.args.push_back(WordOf(child, c, st, nest + 1));
      } else if (t == "subshell" || t == "comment") {
        State inner = st;
        Walk(child, c, inner, nest + 1);
      } else {
        cmd.args.push_back(WordOf(child, c, st, nest + 1));
      }
    }
    for (TSNode e : extra) Walk(e, c, st, nest + 1);
    st.stdin_text = std::move(stdin_before);
    if (has_name) ExpandWords(cmd);
    for (TSNode a : prefix_assignments)
      PrefixEffect(a, c, st, nest, cmd);  // a here-document feeds this command, not the ones after it
    if (!has_name) {
      out_.commands.push_back(std::move(cmd));  // assignments only
      return;
    }
    cmd.name = cmd.name_word.dynamic ? cmd.name_word.text : Basename(cmd.name_word.text);
    if (cmd.name.size() > 1 && cmd.name[0] == '=') cmd.name = Basename(cmd.name.substr(1));  // zsh: =rm is rm's path
    Dispatch(std::move(cmd), c, st, 0);
  }

  // Word splitting and brace expansion, as bash does before running a
  // command: `$cmd` holding "rm -rf /" is three words, `{rm,-rf,/}` too,
  // and `rm -rf {/,~}` deletes two paths. Bounded: at most 256 words result.
  static void ExpandWords(SimpleCommand& cmd) {
    std::vector<Word> words;
    words.push_back(cmd.name_word);
    words.insert(words.end(), cmd.args.begin(), cmd.args.end());
    std::vector<Word> out;
    for (const Word& w : words) {
      std::vector<std::string> texts;
      if (!w.fields.empty())
        texts = w.fields;
      else if (!w.quoted && w.text.find('{') != std::string::npos && w.text.find(',') != std::string::npos &&
               w.text.find('}') != std::string::npos)
        texts = ExpandBraces(w.text, 64);
      if (texts.empty() || out.size() + texts.size() > 256) {
        out.push_back(w);
        continue;
      }
      for (const std::string& t : texts) {
        Word part = w;
        part.text = t;
        part.fields.clear();
        part.content_offset = texts.size() == 1 ? w.content_offset : -1;
        part.glob = w.glob || (!w.quoted && t.find_first_of("*?[") != std::string::npos);
        out.push_back(part);
      }
    }
    if (out.empty()) return;
    const bool name_changed = out[0].text != cmd.name_word.text || out.size() != words.size();
    if (!name_changed) return;
    cmd.name_word = out[0];
    cmd.args.assign(out.begin() + 1, out.end());
  }

  // {a,b}c → ac bc, nested and repeated; text without a comma group stays.
  static std::vector<std::string> ExpandBraces(const std::string& text, size_t cap) {
    size_t open = std::string::npos, close = std::string::npos;
    int depth = 0;
    bool comma = false;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
        continue;
      }
      if (text[i] == '{') {
        if (depth++ == 0) {
          open = i;
          comma = false;
        }
      } else if (text[i] == '}' && depth > 0) {
        if (--depth == 0 && comma) {
          close = i;
          break;
        }
      } else if (text[i] == ',' && depth == 1) {
        comma = true;
      }
    }
    if (close == std::string::npos) return {text};
    std::vector<std::string> alternatives;
    depth = 0;
    size_t from = open + 1;
    for (size_t i = open + 1; i <= close; ++i) {
      if (text[i] == '{') ++depth;
      if (text[i] == '}' && depth > 0 && i != close) --depth;
      if ((text[i] == ',' && depth == 0) || i == close) {
        alternatives.push_back(text.substr(from, i - from));
        from = i + 1;
      }
    }
    std::vector<std::string> out;
    const std::string head = text.substr(0, open), tail = text.substr(close + 1);
    for (const auto& alt : alternatives) {
      // Full already: the next alternative's expansion is not even computed
      // (else `{a,b}` written 40 times costs 2^40 calls, whatever the cap).
      if (out.size() >= cap) return out;
      for (const auto& rest : ExpandBraces(alt + tail, cap)) {
        if (out.size() >= cap) return out;
        out.push_back(head + rest);
      }
    }
    return out;
  }

  static bool HasWord(const SimpleCommand& c, const std::string& w) {
    for (const auto& a : c.args)
      if (a.text == w || (w.size() == 2 && a.text.size() > 2 && a.text[0] == '-' && a.text[1] != '-' &&
                          a.text.find(w[1]) != std::string::npos))
        return true;
    return false;
  }

  // Skips a wrapper's options. `with_arg` lists options that take a value.
  static size_t SkipOptions(const std::vector<Word>& args, size_t i, const std::vector<std::string>& with_arg,
                            bool assignments = false) {
    while (i < args.size()) {
      const std::string& a = args[i].text;
      if (a == "--") return i + 1;
      if (assignments && a.find('=') != std::string::npos && a[0] != '-' && a[0] != '=') {
        ++i;
        continue;
      }
      if (a.size() < 2 || a[0] != '-') return i;
      bool takes = false;
      for (const auto& o : with_arg)
        if (a == o) takes = true;
      i += takes ? 2 : 1;
    }
    return i;
  }

  // Replaces a wrapper by the command it runs.
  static SimpleCommand Rewrap(const SimpleCommand& outer, size_t first, const std::string& wrapper) {
    SimpleCommand inner = outer;
    inner.wrappers.push_back(wrapper);
    inner.args.clear();
    if (first >= outer.args.size()) {
      inner.name.clear();
      return inner;
    }
    inner.name_word = outer.args[first];
    inner.name = inner.name_word.dynamic ? inner.name_word.text : Basename(inner.name_word.text);
    inner.args.assign(outer.args.begin() + static_cast<long>(first) + 1, outer.args.end());
    return inner;
  }

  void Reparse(const SimpleCommand& outer, const Word& code, const std::string& wrapper, State st) {
    OffsetMap map;
    map.exact = code.content_offset >= 0;
    map.base = code.content_offset;
    map.span_start = code.start;
    map.span_end = code.end;
    st.depth = outer.depth + 1;
    st.wrappers = outer.wrappers;
    st.wrappers.push_back(wrapper);
    st.privileged = outer.privileged;
    st.host = outer.remote_host;
    st.pipeline = outer.pipeline;
    st.pipeline_pos = outer.pipeline_pos;
    st.group = outer.group;
    st.redirects = outer.redirects;
    st.stdin_text = outer.stdin_text;
    st.args_from_stdin = outer.args_from_stdin;
    st.cwd = outer.cwd;
    Parse(code.text, map, st);
  }

  void Dispatch(SimpleCommand cmd, const Ctx& c, State& st, int unwraps) {
    // `time { rm -rf ~; }`, `! { … }`, `coproc NAME { … }`: tree-sitter reads
    // the group's `{` (or a stray `!`) as a word after the keyword, so it
    // arrives here as a command named `{`: the words after it are the
    // command, and the closing `}` alone is nothing.
    if (unwraps <= 16 && !cmd.name_word.dynamic && (cmd.name == "{" || cmd.name == "!" || cmd.name == "(")) {
      SimpleCommand inner = Rewrap(cmd, 0, cmd.name);
      if (!inner.name.empty()) return Dispatch(std::move(inner), c, st, unwraps + 1);
    }
    if (!cmd.name_word.dynamic && (cmd.name == "}" || cmd.name == ")") && cmd.args.empty() && cmd.redirects.empty())
      return;
    const std::string& n = cmd.name;
    if (unwraps <= 16 && (!n.empty() || cmd.name_word.dynamic) && Runners(cmd, c, st, unwraps)) return;
    // `builtin export NAME=v`, `command declare -x NAME=v`: a declaration
    // reached through a wrapper arrives as plain words; each NAME=v is the
    // assignment it makes.
    if (unwraps > 0 && (n == "export" || n == "declare" || n == "typeset" || n == "readonly" || n == "local"))
      for (const auto& w : cmd.args) {
        const size_t eq = w.text.find('=');
        if (eq == std::string::npos || eq == 0 || w.text[0] == '-') continue;
        IndirectAssignment(w.text.substr(0, eq), SubWord(w, eq + 1, w.text.substr(eq + 1)), !w.dynamic, cmd, c, st);
      }
    if (n == "set" && !cmd.args.empty() && cmd.args[0].text == "--") {  // set -- a b: "$@" is a b
      std::vector<std::string> fields;
      bool known = true;
      for (size_t k = 1; k < cmd.args.size(); ++k) {
        fields.push_back(cmd.args[k].text);
        known &= !cmd.args[k].dynamic;
      }
      SetVariable("@", known, fields);
    }
    // let 'a[$(cmd)]=1', declare -i n='a[$(cmd)]', test -v 'a[$(cmd)]': bash
    // evaluates these strings as arithmetic, running the substitutions.
    if (n == "let" || ((n == "test" || n == "[") && HasWord(cmd, "-v")) ||
        ((n == "declare" || n == "typeset" || n == "local") && HasWord(cmd, "-i")))
      HiddenSubstitutions(cmd, st);
    if (n == "read" || n == "mapfile" || n == "readarray" || n == "getopts" || n == "unset" || n == "printf" ||
        n == "export" || n == "declare" || n == "typeset" || n == "local" || n == "readonly" || n == "wait" ||
        n == "let" || n == "test" || n == "[" || n == "compgen")
      SubscriptSubstitutions(cmd, st);
    if (n == "compgen" || n == "complete") HiddenSubstitutions(cmd, st);  // -W '$(cmd)' is expanded
    if (!cmd.name_word.dynamic) ShellState(cmd, c, st);
    if (n == "read" || n == "mapfile" || n == "readarray" || n == "getopts" || n == "unset" || n == "printf")
      for (const auto& w : cmd.args)
        if (!w.text.empty() && w.text[0] != '-') unknown_vars_.insert(w.text);
    if (unwraps > 16 || cmd.name_word.dynamic || n.empty()) {
      out_.commands.push_back(std::move(cmd));
      return;
    }
    const auto& a = cmd.args;
    if (n == "sudo" || n == "doas" || n == "pkexec" || n == "run0") {
      size_t i = SkipOptions(
          a, 0, {"-u",           "-g",     "-C",       "-D",     "-h",     "-p",           "-r",
                 "-t",           "-U",     "-T",       "-R",     "--user", "--group",      "--chdir",
                 "--close-from", "--host", "--prompt", "--role", "--type", "--other-user", "--command-timeout"},
          /*assignments=*/true);
      for (size_t k = 0; k < i && k < a.size(); ++k)
        if (a[k].text.find('=') != std::string::npos && a[k].text[0] != '-') {
          cmd.assignments.push_back(a[k].text);
          // env PAGER='…' git log: the same as a prefix assignment.
          const size_t eq = a[k].text.find('=');
          Word value = SubWord(a[k], eq + 1, a[k].text.substr(eq + 1));
          AssignmentEffect(a[k].text.substr(0, eq), value, cmd, st);
        }
      // sudo -s/-i CMD…: the words are joined and run by the (root) shell.
      bool shell_mode = false;
      for (size_t k = 0; k < i && k < a.size(); ++k) {
        const std::string& t = a[k].text;
        shell_mode |= t == "--shell" || t == "--login" ||
                      (t.size() >= 2 && t[0] == '-' && t[1] != '-' && t.find_first_of("si") != std::string::npos);
      }
      if ((n == "sudo" || n == "doas") && shell_mode && i < a.size()) {
        Word joined = a[i];
        for (size_t k = i + 1; k < a.size(); ++k) joined.text += " " + a[k].text;
        joined.content_offset = i + 1 == a.size() ? a[i].content_offset : -1;
        SimpleCommand outer = cmd;
        outer.privileged = true;
        return ReparseOrKeep(outer, joined, n + " -s", st);
      }
      SimpleCommand inner = Rewrap(cmd, i, n);
      inner.privileged = true;
      if (inner.name.empty()) {  // `sudo -i`, `sudo -s`: a root shell
        cmd.privileged = true;
        out_.commands.push_back(std::move(cmd));
        return;
      }
      return Dispatch(std::move(inner), c, st, unwraps + 1);
    }
    if (n == "su") {
      for (size_t i = 0; i < a.size(); ++i)
        if ((a[i].text == "-c" || a[i].text == "--command") && i + 1 < a.size()) {
          SimpleCommand outer = cmd;
          outer.privileged = true;
          if (a[i + 1].dynamic) break;
          return Reparse(outer, a[i + 1], "su -c", st);
        }
      cmd.privileged = true;
      out_.commands.push_back(std::move(cmd));
      return;
    }
    if (n == "env") {
      size_t i = SkipOptions(a, 0, {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}, true);
      // `env - CMD`: a lone `-` is -i (an empty environment), not the command.
      while (i < a.size() && a[i].text == "-") i = SkipOptions(a, i + 1, {"-u", "--unset", "-C", "--chdir"}, true);
      for (size_t k = 0; k < i && k < a.size(); ++k)
        if (a[k].text.find('=') != std::string::npos && a[k].text[0] != '-') {
          cmd.assignments.push_back(a[k].text);
          const size_t eq = a[k].text.find('=');  // env PAGER='…' git log: as a prefix assignment
          AssignmentEffect(a[k].text.substr(0, eq), SubWord(a[k], eq + 1, a[k].text.substr(eq + 1)), cmd, st);
        }
      SimpleCommand inner = Rewrap(cmd, i, n);
      if (inner.name.empty()) {
        out_.commands.push_back(std::move(cmd));
        return;
      }
      return Dispatch(std::move(inner), c, st, unwraps + 1);
    }
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kSimpleWrappers = {
        {"nohup", {}},
        {"time", {"-f", "-o", "--format", "--output"}},
        {"nice", {"-n", "--adjustment"}},
        {"ionice", {"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"}},
        {"stdbuf", {"-i", "-o", "-e"}},
        {"setsid", {}},
        {"unbuffer", {}},
        {"caffeinate", {"-t", "-w"}},
        {"builtin", {}},
        {"nocorrect", {}},
        {"noglob", {}},
        {"torsocks", {}},
        {"proxychains", {"-f"}},
        {"proxychains4", {"-f"}},
        {"chronic", {}},
        {"exec", {"-a"}},
        {"strace", {"-o", "-e", "-p", "-s", "-u"}},
        {"ltrace", {"-o", "-e", "-p", "-s", "-u"}},
        {"catchsegv", {}},
        {"firejail", {}},
        {"watch", {"-n", "--interval", "-d"}},
        {"systemd-run", {"-u", "--unit", "-p", "--property", "-M", "--machine", "--uid", "--gid"}},
    };
    for (const auto& [wname, opts] : kSimpleWrappers) {
      if (n != wname) continue;
      size_t i = SkipOptions(a, 0, opts);
      SimpleCommand inner = Rewrap(cmd, i, n);
      if (inner.name.empty()) {
        out_.commands.push_back(std::move(cmd));
        return;
      }
      return Dispatch(std::move(inner), c, st, unwraps + 1);
    }
    if (n == "timeout") {  // timeout [opts] DURATION CMD
      size_t i = SkipOptions(a, 0, {"-k", "-s", "--kill-after", "--signal"});
      return DispatchOrKeep(cmd, i + 1, n, c, st, unwraps);
    }
    if (n == "taskset") {  // taskset [opts] MASK CMD  (or -c LIST CMD)
      size_t i = SkipOptions(a, 0, {});
      bool list = false;
      for (const auto& w : a)
        if (w.text == "-c" || w.text == "--cpu-list") list = true;
      if (!list)
        ++i;
      else
        i = SkipOptions(a, 0, {"-c", "--cpu-list"});
      return DispatchOrKeep(cmd, i, n, c, st, unwraps);
    }
    if (n == "chrt") {  // chrt [opts] PRIO CMD
      size_t i = SkipOptions(a, 0, {});
      return DispatchOrKeep(cmd, i + 1, n, c, st, unwraps);
    }
    if (n == "command") {
      for (const auto& w : a)
        if (w.text == "-v" || w.text == "-V") {  // a lookup, not a run
          out_.commands.push_back(std::move(cmd));
          return;
        }
      return DispatchOrKeep(cmd, SkipOptions(a, 0, {}), n, c, st, unwraps);
    }
    // coproc NAME { …; }: the name is not a command.
    if (n == "coproc" && a.size() >= 2 && (a[1].text == "{" || a[1].text == "("))
      return DispatchOrKeep(cmd, 1, n, c, st, unwraps);
    if ((n == "busybox" || n == "toybox" || n == "coproc") && !a.empty())
      return DispatchOrKeep(cmd, 0, n, c, st, unwraps);
    if (n == "flock") {  // flock [opts] FILE CMD…  or  flock FILE -c STRING
      for (size_t i = 0; i + 1 < a.size(); ++i)
        if (a[i].text == "-c" || a[i].text == "--command") return ReparseOrKeep(cmd, a[i + 1], "flock -c", st);
      size_t i = SkipOptions(a, 0, {"-w", "--timeout", "-E", "--conflict-exit-code"});
      return DispatchOrKeep(cmd, i + 1, n, c, st, unwraps);
    }
    if (n == "xargs") {
      // -P 0: as many processes at once as there are input lines.
      for (size_t k = 0; k < a.size(); ++k) {
        const std::string& t = a[k].text;
        if (t.empty() || t[0] != '-') break;
        const bool unbounded = t == "-P0" || t == "--max-procs=0" || t == "--max-p=0" ||
                               ((t == "-P" || t == "--max-procs") && k + 1 < a.size() && a[k + 1].text == "0");
        if (unbounded)
          out_.findings.push_back({"resource.processes", Risk::kHigh,
                                   "xargs -P 0 starts as many processes at once as it reads input lines", cmd.start,
                                   cmd.end});
      }
      size_t i = SkipOptions(a, 0,
                             {"-I", "-L", "-n", "-P", "-d", "-E", "-s", "-a", "--max-args", "--max-procs",
                              "--delimiter", "--arg-file", "--max-lines", "--eof", "--max-chars", "-J", "-R"});
      SimpleCommand inner = Rewrap(cmd, i, n);
      inner.args_from_stdin = true;
      if (inner.name.empty()) {  // xargs alone runs echo
        out_.commands.push_back(std::move(cmd));
        return;
      }
      return Dispatch(std::move(inner), c, st, unwraps + 1);
    }
    if (IsShell(n)) {
      for (size_t i = 0; i < a.size(); ++i) {
        const std::string& o = a[i].text;
        if (o == "--") break;
        // xargs sh -c '{}': the code is whatever xargs reads; the shell stays a
        // command for the rules (they see its input).
        if (o.size() >= 2 && o[0] == '-' && o[1] != '-' && o.find('c') != std::string::npos && i + 1 < a.size() &&
            cmd.args_from_stdin &&
            (a[i + 1].text.find("{}") != std::string::npos || a[i + 1].text.find(' ') == std::string::npos)) {
          out_.commands.push_back(std::move(cmd));
          return;
        }
        if (o.size() >= 2 && o[0] == '-' && o[1] != '-' && o.find('c') != std::string::npos && i + 1 < a.size()) {
          // sh -c -- CODE: `--` ends the options, the code follows it.
          const size_t at = a[i + 1].text == "--" && i + 2 < a.size() ? i + 2 : i + 1;
          // sh -c 'rm -rf "$1"' _ ARG: $0, $1, … are the words after the code.
          for (size_t k = at + 1; k < a.size() && k < at + 11; ++k)
            SetVariable(std::to_string(k - at - 1), !a[k].dynamic, {a[k].text});
          return ReparseOrKeep(cmd, a[at], n + " -c", st);
        }
        // -O/+O/-o/+o take the option's name as the next word (bash -O extglob -c …).
        if ((o == "-O" || o == "+O" || o == "-o" || o == "+o") && i + 1 < a.size()) {
          ++i;
          continue;
        }
        if (o.empty() || (o[0] != '-' && o[0] != '+')) break;  // a script path: not inline code
      }
      out_.commands.push_back(std::move(cmd));
      return;
    }
    if (n == "eval") {
      if (a.empty()) return;
      Word joined = a[0];
      for (size_t i = 1; i < a.size(); ++i) {
        joined.text += " " + a[i].text;
        joined.dynamic |= a[i].dynamic;
        joined.end = a[i].end;
        joined.content_offset = -1;
        joined.substitutions.insert(joined.substitutions.end(), a[i].substitutions.begin(), a[i].substitutions.end());
      }
      return ReparseOrKeep(cmd, joined, "eval", st);
    }
    if (n == "ssh") {
      size_t i = SkipOptions(a, 0, {"-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c",
                                    "-E", "-e", "-I", "-m", "-O", "-Q", "-S", "-W", "-w", "-B"});
      if (i + 1 >= a.size()) {  // interactive login
        out_.commands.push_back(std::move(cmd));
        return;
      }
      size_t first = i + 1;
      if (a[first].text == "--" && first + 1 < a.size()) ++first;  // ssh host -- cmd
      Word remote = a[first];
      for (size_t k = first + 1; k < a.size(); ++k) {
        remote.text += " " + a[k].text;
        remote.dynamic |= a[k].dynamic;
        remote.end = a[k].end;
        remote.content_offset = -1;
      }
      SimpleCommand outer = cmd;
      outer.remote_host = a[i].text;
      return ReparseOrKeep(outer, remote, "ssh", st);
    }
    if (n == "find") return Find(std::move(cmd), c, st, unwraps);
    if (n == "cd" || n == "pushd") {
      std::string target = a.empty() ? "~" : a.back().text;
      if (!a.empty() && (a.back().dynamic || target == "-"))
        st.cwd = "?";
      else
        st.cwd = Normalize(JoinPath(st.cwd, target));
      if (st.cwd.size() > limits_.max_cwd_bytes) st.cwd = "?";  // 15,000 `cd a`: unknown, not 30 KB per command
      cmd.cwd = st.cwd;
    }
    out_.commands.push_back(std::move(cmd));
  }

  // What the command runs besides itself (runners.h): re-parsed and rated.
  // True when the command was replaced by what it runs.
  bool Runners(SimpleCommand& cmd, const Ctx& c, State& st, int unwraps) {
    std::vector<CodeRef> refs = FindRunners(cmd);
    if (refs.empty()) return false;
    bool replaced = false;
    for (CodeRef& r : refs) {
      if (!r.rule.empty()) out_.findings.push_back({r.rule, r.risk, r.message, cmd.start, cmd.end});
      SimpleCommand outer = cmd;
      outer.privileged |= r.privileged;
      switch (r.kind) {
        case CodeRef::Kind::kShellCode: ReparseOrKeep(outer, r.code, r.label, st, /*push_dynamic=*/r.replaces); break;
        case CodeRef::Kind::kRemoteCode:
          outer.remote_host = outer.remote_host.empty() ? "the remote host" : outer.remote_host;
          ReparseOrKeep(outer, r.code, r.label, st, r.replaces);
          break;
        case CodeRef::Kind::kCommandWords: {
          SimpleCommand inner = Rewrap(outer, r.first, r.label);
          if (r.label == "parallel") inner.args_from_stdin = true;
          if (inner.name.empty() && !inner.name_word.dynamic) {
            if (r.replaces) out_.commands.push_back(outer);
          } else {
            Dispatch(std::move(inner), c, st, unwraps + 1);
          }
          break;
        }
      }
      replaced |= r.replaces;
    }
    return replaced;
  }

  void DispatchOrKeep(SimpleCommand& cmd, size_t first, const std::string& wrapper, const Ctx& c, State& st,
                      int unwraps) {
    SimpleCommand inner = Rewrap(cmd, first, wrapper);
    if (inner.name.empty()) {
      out_.commands.push_back(std::move(cmd));
      return;
    }
    Dispatch(std::move(inner), c, st, unwraps + 1);
  }

  // Inline code whose text is known is analysed like the rest; code built at
  // run time (`sh -c "$CMD"`) stays a command the rules treat as opaque.
  void ReparseOrKeep(SimpleCommand& cmd, const Word& code, const std::string& wrapper, State& st,
                     bool push_dynamic = true) {
    if (code.dynamic) {
      if (!push_dynamic) {  // the command is rated on its own; say what cannot be read
        out_.findings.push_back({"exec.dynamic-code", Risk::kHigh,
                                 wrapper + " runs shell code that is only known at run time", code.start, code.end});
        return;
      }
      SimpleCommand copy = cmd;
      copy.wrappers.push_back(wrapper + " (dynamic)");
      out_.commands.push_back(std::move(copy));
      return;
    }
    Reparse(cmd, code, wrapper, st);
  }

  // find ROOTS… EXPR: -exec/-execdir/-ok/-okdir run a command per file, with
  // {} standing for a path under the roots.
  void Find(SimpleCommand cmd, const Ctx& c, State& st, int unwraps) {
    const auto& a = cmd.args;
    std::string root;
    for (const auto& w : a) {
      if (!w.text.empty() && (w.text[0] == '-' || w.text == "(" || w.text == "!")) break;
      // $HOME is the home directory even where other expansions are unknown.
      if (root.empty()) root = NamesHome(w.text) ? w.text : w.dynamic ? "$?" : JoinPath(cmd.cwd, w.text);
    }
    if (root.empty()) root = cmd.cwd.empty() ? "." : cmd.cwd;
    // With a name, path, age or size test, {} is one matching file; without,
    // it is every file under the root.
    bool filtered = false;  // `-name '*'` matches everything: no filter
    for (size_t k = 0; k < a.size(); ++k)
      filtered |= IsFindFilter(a[k].text) && !(k + 1 < a.size() && (a[k + 1].text == "*" || a[k + 1].text == "*.*"));
    const std::string placeholder = filtered ? "{found}" : "{}";
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string& t = a[i].text;
      if (t != "-exec" && t != "-execdir" && t != "-ok" && t != "-okdir") continue;
      size_t j = i + 1;
      while (j < a.size() && a[j].text != ";" && a[j].text != "+") ++j;
      if (j > i + 1) {
        SimpleCommand sub = cmd;
        sub.wrappers.push_back("find " + t);
        sub.name_word = a[i + 1];
        sub.name = sub.name_word.dynamic ? sub.name_word.text : Basename(sub.name_word.text);
        sub.args.assign(a.begin() + static_cast<long>(i) + 2, a.begin() + static_cast<long>(j));
        for (auto& w : sub.args)
          if (w.text.find("{}") != std::string::npos) {
            // A found path: somewhere under the root, named at run time.
            w.text.replace(w.text.find("{}"), 2, (root == "/" ? "" : root) + "/" + placeholder);
          }
        sub.start = a[i].start;
        sub.end = j < a.size() ? a[j].end : a.back().end;
        Dispatch(std::move(sub), c, st, unwraps + 1);
      }
      i = j;
    }
    out_.commands.push_back(std::move(cmd));
  }

 public:
  // Collapses "." and ".." and duplicate slashes in a path we computed.
  static std::string Normalize(const std::string& p) {
    if (p.empty() || p == "?") return p;
    const bool abs = p[0] == '/';
    const std::vector<std::string> parts = SplitPath(p, !abs);
    std::string out = abs ? "/" : "";
    for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
    return out.empty() ? "." : out;
  }

 private:
  const ParseLimits& limits_;
  ParsedScript& out_;
  Clock::time_point deadline_;
  std::unique_ptr<TSParser, ParserDeleter> parser_;
  std::unordered_map<std::string, std::vector<std::string>> vars_;  // literal values assigned in the text
  std::unordered_set<std::string> unknown_vars_;                    // assigned more than one value, or read
  std::unordered_map<std::string, std::string> namerefs_;           // declare -n r=NAME
  bool stopped_ = false;
  uint64_t steps_ = 0;
  int next_group_ = 1;
  int next_pipeline_ = 0;
  std::map<int, int> next_pipeline_pos_;
};

}  // namespace

bool IsFindFilter(const std::string& arg) {
  for (const char* t : {"-name", "-iname", "-path", "-ipath", "-wholename", "-regex",   "-iregex", "-mtime",
                        "-mmin", "-atime", "-amin", "-ctime", "-cmin",      "-newer",   "-size",   "-empty",
                        "-user", "-group", "-perm", "-links", "-inum",      "-samefile"})
    if (arg == t) return true;
  return false;
}

ParsedScript ParseShell(const std::string& text, const ParseLimits& limits) {
  ParsedScript out;
  if (text.size() > limits.max_bytes) {
    Finding f{"parse.too-long", Risk::kHigh,
              "the command is " + std::to_string(text.size()) + " bytes, too long to analyse", 0,
              static_cast<uint32_t>(text.size())};
    f.limit = true;
    out.findings.push_back(f);
    return out;
  }
  Extractor ex(limits, out);
  State st;
  OffsetMap map;
  ex.Parse(text, map, st);
  return out;
}

}  // namespace cmdai::safety

namespace cmdai::safety {
namespace {

void CollectTokens(TSNode n, const std::string& text, std::vector<Token>& out, int depth) {
  if (depth > 200) return;
  const std::string_view t = ts_node_type(n);
  const uint32_t s = ts_node_start_byte(n), e = std::min<uint32_t>(ts_node_end_byte(n), text.size());
  auto add = [&](TokenKind k) {
    if (e > s) out.push_back({k, s, e});
  };
  if (t == "command_name") return add(TokenKind::kCommand);
  if (t == "string" || t == "raw_string" || t == "ansi_c_string" || t == "heredoc_body") {
    // Strings keep their expansions visible: colour the pieces in between.
    const uint32_t count = ts_node_named_child_count(n);
    uint32_t cursor = s;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(n, i);
      const std::string_view ct = ts_node_type(child);
      if (ct == "string_content") continue;
      const uint32_t cs = ts_node_start_byte(child);
      if (cs > cursor) out.push_back({TokenKind::kString, cursor, cs});
      CollectTokens(child, text, out, depth + 1);
      cursor = std::max(cursor, ts_node_end_byte(child));
    }
    if (e > cursor) out.push_back({TokenKind::kString, cursor, e});
    return;
  }
  if (t == "simple_expansion" || t == "expansion" || t == "variable_name" || t == "special_variable_name")
    return add(TokenKind::kVariable);
  if (t == "comment") return add(TokenKind::kComment);
  if (t == "number" || t == "file_descriptor") return add(TokenKind::kNumber);
  if (t == "word" && e > s && text[s] == '-') return add(TokenKind::kOption);
  if (!ts_node_is_named(n)) {
    if (t == "|" || t == "&&" || t == "||" || t == ";" || t == "&" || t == "|&" || t == "$(" || t == ")" || t == "`" ||
        t == "<(" || t == ">(")
      return add(TokenKind::kOperator);
    if (t == ">" || t == ">>" || t == "<" || t == "&>" || t == ">&" || t == "&>>" || t == "<<" || t == "<<<" ||
        t == ">|" || t == "<&")
      return add(TokenKind::kRedirect);
    return;
  }
  const uint32_t count = ts_node_child_count(n);
  for (uint32_t i = 0; i < count; ++i) CollectTokens(ts_node_child(n, i), text, out, depth + 1);
}

}  // namespace

std::vector<Token> SyntaxTokens(const std::string& text) {
  std::vector<Token> out;
  if (text.size() > (64u << 10)) return out;  // long scripts stay plain
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_bash());
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  if (!tree) return out;
  CollectTokens(ts_tree_root_node(tree.get()), text, out, 0);
  std::sort(out.begin(), out.end(), [](const Token& a, const Token& b) { return a.start < b.start; });
  std::vector<Token> clean;  // drop overlaps, keeping the earlier token
  for (const auto& t : out)
    if (clean.empty() || t.start >= clean.back().end) clean.push_back(t);
  return clean;
}

}  // namespace cmdai::safety
