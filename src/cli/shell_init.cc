// SPDX-License-Identifier: MIT
#include "cli/shell_init.h"

#include <vector>

#include "cli/options.h"

namespace cmdai {
namespace {

// The widget asks cmdai for the line with `--output widget` (no menu; see
// WidgetOutput in cli/session.cc): a kind ("command" or "comment"), a note
// for the person (one line, controls shown as escapes; empty when the command
// is safe) and the text for the prompt line. A blocked command comes as a
// comment that runs nothing. The request travels as one argument after `--`,
// the answer on stdout, so quotes, newlines and UTF-8 round-trip; stderr
// stays on the terminal for errors. The note is printed on a line of its own
// above the redrawn prompt, where each shell leaves it visible. Where `#`
// does not start a comment on the command line (bash without
// interactive_comments, zsh without interactivecomments), a comment is not
// inserted: it is printed with the note and the request stays. The person
// reads, edits and runs the command; it lands in their history as their own.
// Ctrl-G on an empty line wakes the resident model instead: `cmdai serve
// --wake` (which decides from serve.autostart whether to start a server,
// returns at once and loads nothing itself) runs in the background, its
// output discarded and out of the shell's job table (a subshell, or fish's
// disown), so nothing shows and the model loads while the request is typed.
// Ctrl-C while cmdai works (or any failure) puts the typed request back on
// the line: each shell is kept from cancelling the widget while cmdai runs
// (bash: an INT trap, restored after; zsh: a local trap; fish: a SIGINT
// handler), and cmdai, which gets the signal, exits 130.
const char* kBash = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command;
# on an empty line it wakes the model, so that it loads while you type.
# To use another key, change "\C-g" below (e.g. "\eg" for Alt-G).
_cmdai_widget() {
  local request="$READLINE_LINE" out kind note text
  if [[ -z "${request//[[:space:]]/}" ]]; then
    (cmdai serve --wake </dev/null >/dev/null 2>&1 &)
    return
  fi
  local trap_int; trap_int=$(trap -p INT)
  trap : INT
  out="$(cmdai --output widget --quiet --shell bash -- "$request" </dev/tty)"
  local status=$?
  eval "${trap_int:-trap - INT}"
  if ((status != 0)); then READLINE_LINE="$request"; READLINE_POINT=${#READLINE_LINE}; return; fi
  kind="${out%%$'\n'*}"; out="${out#*$'\n'}"
  note="${out%%$'\n'*}"; text="${out#*$'\n'}"
  [[ ( "$kind" == command || "$kind" == comment ) && -n "$text" ]] || return
  if [[ "$kind" == comment ]] && ! shopt -q interactive_comments; then
    note="${note:+$note$'\n'}$text"; text="$request"
  fi
  [[ -n "$note" ]] && printf '%s\n' "$note" >&2
  READLINE_LINE="$text"
  READLINE_POINT=${#READLINE_LINE}
}
bind -x '"\C-g": _cmdai_widget'
)SH";

// zsh: `zle -I` first, so that anything printed (cmdai's errors, the note)
// goes above the prompt, which zle redraws below it after the widget.
const char* kZsh = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command;
# on an empty line it wakes the model, so that it loads while you type.
# To use another key, change '^G' below (e.g. '^[g' for Alt-G).
_cmdai_widget() {
  local request=$BUFFER out kind note text
  if [[ -z ${request//[[:space:]]/} ]]; then
    (cmdai serve --wake </dev/null >/dev/null 2>&1 &)
    return
  fi
  zle -I
  setopt localoptions localtraps
  trap : INT
  out=$(cmdai --output widget --quiet --shell zsh -- "$request" </dev/tty) || {
    BUFFER=$request; CURSOR=${#BUFFER}; zle -I; zle reset-prompt; return
  }
  kind=${out%%$'\n'*}; out=${out#*$'\n'}
  note=${out%%$'\n'*}; text=${out#*$'\n'}
  [[ ( $kind == command || $kind == comment ) && -n $text ]] || return
  if [[ $kind == comment && ! -o interactivecomments ]]; then
    note=${note:+$note$'\n'}$text; text=$request
  fi
  [[ -n $note ]] && print -r -- "$note" >&2
  BUFFER=$text
  CURSOR=${#BUFFER}
}
zle -N _cmdai_widget
bindkey '^G' _cmdai_widget
)SH";

// fish: a newline first, so that anything printed goes on lines of its own;
// `commandline -f repaint` then draws the prompt below it.
const char* kFish = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command;
# on an empty line it wakes the model, so that it loads while you type.
# To use another key, change \cg below (e.g. \eg for Alt-G).
function _cmdai_widget
    set -l request (commandline | string collect)
    if test -z (string trim -- "$request")
        command cmdai serve --wake </dev/null >/dev/null 2>&1 &
        disown 2>/dev/null
        return
    end
    echo >&2
    function _cmdai_keep_line --on-signal SIGINT; end
    set -l out (cmdai --output widget --quiet --shell fish -- "$request" </dev/tty | string collect)
    set -l failed $status
    functions -e _cmdai_keep_line
    if test $failed -ne 0
        commandline -r -- $request
        commandline -f repaint
        return
    end
    set -l kind (string split -f1 \n -- $out)
    set -l note (string split -f2 \n -- $out)
    set -l text (string replace -r '^[^\n]*\n[^\n]*\n' '' -- $out | string collect)
    if not contains -- "$kind" command comment; or test -z "$text"
        commandline -f repaint
        return
    end
    test -n "$note"; and printf '%s\n' $note >&2
    commandline -r -- $text
    commandline -f repaint
end
bind \cg _cmdai_widget
)SH";

// The completion scripts are made from the option table (cli/options.h):
// every subcommand, its actions, every option and each option's values.
// Model ids come from `cmdai models ids` (the catalog and what is installed).

std::string Join(const std::vector<std::string>& v, const std::string& sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> Spellings(const OptionSpec& o) {
  std::vector<std::string> v;
  if (!o.short_name.empty()) v.push_back(o.short_name);
  v.push_back(o.name);
  return v;
}

// Single quotes for sh, zsh and fish: ' becomes '\''.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string BashCompletion() {
  std::vector<std::string> all, valued;
  std::string cases;
  for (const auto& o : Options()) {
    for (const auto& n : Spellings(o)) all.push_back(n);
    if (!o.TakesValue()) continue;
    for (const auto& n : Spellings(o)) valued.push_back(n);
    const std::string pattern = Join(Spellings(o), "|");
    switch (o.completion) {
      case Completion::kChoices:
        cases +=
            "    " + pattern + ") COMPREPLY=($(compgen -W " + Quote(Join(o.choices)) + " -- \"$cur\")); return ;;\n";
        break;
      case Completion::kFile: cases += "    " + pattern + ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"; break;
      case Completion::kModel:
        cases +=
            "    " + pattern +
            ") COMPREPLY=($(compgen -W \"$(cmdai models ids 2>/dev/null)\" -- \"$cur\") $(compgen -f -- \"$cur\")); "
            "return ;;\n";
        break;
      case Completion::kNone: cases += "    " + pattern + ") return ;;\n"; break;
    }
  }
  std::string actions;
  for (const auto& c : Commands()) {
    std::vector<std::string> words = c.actions;
    if (c.name == "help") words = HelpTopics();
    if (words.empty()) continue;
    if (c.name == "models")
      actions +=
          "    models) if [[ $nargs -eq 0 ]]; then COMPREPLY=($(compgen -W " + Quote(Join(words)) +
          " -- \"$cur\")); else COMPREPLY=($(compgen -W \"$(cmdai models ids 2>/dev/null)\" -- \"$cur\")); fi ;;\n";
    else
      actions += "    " + c.name + ") [[ $nargs -eq 0 ]] && COMPREPLY=($(compgen -W " + Quote(Join(words)) +
                 " -- \"$cur\")) ;;\n";
  }
  return "# bash completion for cmdai (made from cmdai's option table)\n"
         "_cmdai() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" i w cmd= nargs=0\n"
         "  case \"$prev\" in\n" +
         cases +
         "  esac\n"
         "  if [[ \"$cur\" == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W " +
         Quote(Join(all)) +
         " -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  # The subcommand: the first word that is neither an option nor an option's value.\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    case \"$w\" in\n"
         "      --) return ;;\n"
         "      " +
         Join(valued, "|") +
         ") ((i++)) ;;\n"
         "      -*) ;;\n"
         "      *) if [[ -z $cmd ]]; then cmd=$w; else ((nargs++)); fi ;;\n"
         "    esac\n"
         "  done\n"
         "  case \"$cmd\" in\n"
         "    '') COMPREPLY=($(compgen -W " +
         Quote(Join(CommandNames())) + " -- \"$cur\")) ;;\n" + actions +
         "  esac\n"
         "}\n"
         "complete -F _cmdai cmdai\n";
}

std::string ZshDescribe(const std::string& s) {  // ':' separates the value from its description
  std::string out;
  for (char c : s) out += c == ':' ? std::string("\\:") : std::string(1, c);
  return out;
}

std::string ZshCompletion() {
  std::string opts, cases, valued;
  for (const auto& o : Options()) {
    for (const auto& n : Spellings(o)) opts += "    " + Quote(n + ":" + ZshDescribe(o.help)) + "\n";
    if (!o.TakesValue()) continue;
    for (const auto& n : Spellings(o)) valued += (valued.empty() ? "" : "|") + n;
    const std::string pattern = Join(Spellings(o), "|");
    switch (o.completion) {
      case Completion::kChoices: cases += "    " + pattern + ") compadd -- " + Join(o.choices) + "; return ;;\n"; break;
      case Completion::kFile: cases += "    " + pattern + ") _files; return ;;\n"; break;
      case Completion::kModel:
        cases += "    " + pattern + ") compadd -- ${(f)\"$(cmdai models ids 2>/dev/null)\"}; _files; return ;;\n";
        break;
      case Completion::kNone: cases += "    " + pattern + ") return ;;\n"; break;
    }
  }
  std::string commands, actions;
  for (const auto& c : Commands()) {
    commands += "    " + Quote(c.name + ":" + ZshDescribe(c.summary)) + "\n";
    std::vector<std::string> words = c.actions;
    if (c.name == "help") words = HelpTopics();
    if (words.empty()) continue;
    if (c.name == "models")
      actions += "    models) if (( nargs == 0 )); then compadd -- " + Join(words) +
                 "; else compadd -- ${(f)\"$(cmdai models ids 2>/dev/null)\"}; fi ;;\n";
    else
      actions += "    " + c.name + ") (( nargs == 0 )) && compadd -- " + Join(words) + " ;;\n";
  }
  return "#compdef cmdai\n# zsh completion for cmdai (made from cmdai's option table)\n"
         "_cmdai() {\n"
         "  local cur=${words[CURRENT]} prev=${words[CURRENT-1]} i w cmd= nargs=0\n"
         "  local -a opts cmds\n"
         "  opts=(\n" +
         opts +
         "  )\n"
         "  cmds=(\n" +
         commands +
         "  )\n"
         "  case $prev in\n" +
         cases +
         "  esac\n"
         "  if [[ $cur == -* ]]; then _describe 'option' opts; return; fi\n"
         "  for (( i = 2; i < CURRENT; i++ )); do\n"
         "    w=${words[i]}\n"
         "    case $w in\n"
         "      --) return ;;\n"
         "      " +
         valued +
         ") (( i++ )) ;;\n"
         "      -*) ;;\n"
         "      *) if [[ -z $cmd ]]; then cmd=$w; else (( nargs++ )); fi ;;\n"
         "    esac\n"
         "  done\n"
         "  case $cmd in\n"
         "    '') _describe 'subcommand' cmds ;;\n" +
         actions +
         "  esac\n"
         "}\n"
         "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _cmdai \"$@\"; else compdef _cmdai cmdai; fi\n";
}

std::string FishCompletion() {
  std::string out = "# fish completion for cmdai (made from cmdai's option table)\ncomplete -c cmdai -f\n";
  const std::string names = Join(CommandNames());
  for (const auto& c : Commands())
    out += "complete -c cmdai -n " + Quote("not __fish_seen_subcommand_from " + names) + " -a " + Quote(c.name) +
           " -d " + Quote(c.summary) + "\n";
  for (const auto& c : Commands()) {
    std::vector<std::string> words = c.actions;
    if (c.name == "help") words = HelpTopics();
    if (words.empty()) continue;
    out += "complete -c cmdai -n " +
           Quote("__fish_seen_subcommand_from " + c.name + "; and not __fish_seen_subcommand_from " + Join(words)) +
           " -a " + Quote(Join(words)) + "\n";
  }
  out += "complete -c cmdai -n " + Quote("__fish_seen_subcommand_from pull rm path") +
         " -a '(cmdai models ids 2>/dev/null)'\n";
  for (const auto& o : Options()) {
    std::string line = "complete -c cmdai";
    if (!o.short_name.empty()) line += " -s " + o.short_name.substr(1);
    line += " -l " + o.name.substr(2);
    switch (o.completion) {
      case Completion::kChoices: line += " -x -a " + Quote(Join(o.choices)); break;
      case Completion::kFile: line += " -r -F"; break;
      case Completion::kModel: line += " -r -F -a '(cmdai models ids 2>/dev/null)'"; break;
      case Completion::kNone:
        if (o.TakesValue()) line += " -x";
        break;
    }
    out += line + " -d " + Quote(o.help) + "\n";
  }
  return out;
}

}  // namespace

std::string InitSnippet(const std::string& shell) {
  if (shell == "bash") return kBash;
  if (shell == "zsh") return kZsh;
  if (shell == "fish") return kFish;
  return "";
}

std::string CompletionScript(const std::string& shell) {
  if (shell == "bash") return BashCompletion();
  if (shell == "zsh") return ZshCompletion();
  if (shell == "fish") return FishCompletion();
  return "";
}

}  // namespace cmdai
