// SPDX-License-Identifier: MIT
#include "cli/shell_init.h"

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
const char* kBash = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command.
# To use another key, change "\C-g" below (e.g. "\eg" for Alt-G).
_cmdai_widget() {
  local request="$READLINE_LINE" out kind note text
  [[ -z "${request//[[:space:]]/}" ]] && return
  out="$(cmdai --output widget --quiet --shell bash -- "$request" </dev/tty)" || return
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
const char* kZsh = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command.
# To use another key, change '^G' below (e.g. '^[g' for Alt-G).
_cmdai_widget() {
  local request=$BUFFER out kind note text
  [[ -z ${request//[[:space:]]/} ]] && return
  zle -I
  out=$(cmdai --output widget --quiet --shell zsh -- "$request" </dev/tty) || return
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
const char* kFish = R"SH(# cmdai: Ctrl-G turns the text on the command line into a shell command.
# To use another key, change \cg below (e.g. \eg for Alt-G).
function _cmdai_widget
    set -l request (commandline | string collect)
    test -z (string trim -- "$request"); and return
    echo >&2
    set -l out (cmdai --output widget --quiet --shell fish -- "$request" </dev/tty | string collect)
    or begin; commandline -f repaint; return; end
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

const char* kBashCompletion = R"SH(# bash completion for cmdai
_cmdai() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -s|--shell) COMPREPLY=($(compgen -W "bash zsh fish sh pwsh" -- "$cur")); return ;;
    --device) COMPREPLY=($(compgen -W "auto cpu gpu" -- "$cur")); return ;;
    --safety) COMPREPLY=($(compgen -W "strict moderate permissive" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text json yaml" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    -m|--model|-c|--config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    init|completions) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    config) COMPREPLY=($(compgen -W "show path" -- "$cur")); return ;;
  esac
  if [[ $COMP_CWORD -eq 1 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "config rate explain init completions" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "-m --model -s --shell --device -t --threads --context-size --max-tokens --temperature --seed --safety --color -c --config -x --execute -y --yes -n --dry-run --print -o --output --no-input -v --verbose -q --quiet -V --version -h --help" -- "$cur"))
}
complete -F _cmdai cmdai
)SH";

const char* kZshCompletion = R"SH(#compdef cmdai
# zsh completion for cmdai
_cmdai() {
  local -a subcommands
  subcommands=('config:show or locate the configuration' 'rate:rate a command'"'"'s risk' 'explain:explain a command' 'init:print the shell key binding' 'completions:print tab completions')
  _arguments -s \
    '(-m --model)'{-m,--model}'[GGUF model file]:model:_files' \
    '(-s --shell)'{-s,--shell}'[shell to write for]:shell:(bash zsh fish sh pwsh)' \
    '--device[compute device]:device:(auto cpu gpu)' \
    '(-t --threads)'{-t,--threads}'[CPU threads]:threads:' \
    '--context-size[context window in tokens]:tokens:' \
    '--max-tokens[longest answer]:tokens:' \
    '--temperature[sampling temperature]:temperature:' \
    '--seed[sampling seed]:seed:' \
    '--safety[safety level]:level:(strict moderate permissive)' \
    '--color[colour]:when:(auto always never)' \
    '(-c --config)'{-c,--config}'[configuration file]:file:_files' \
    '(-x --execute)'{-x,--execute}'[run without the menu when allowed]' \
    '(-y --yes)'{-y,--yes}'[also run commands that need confirmation]' \
    '(-n --dry-run)'{-n,--dry-run}'[run nothing]' \
    '--print[print only the command]' \
    '(-o --output)'{-o,--output}'[output format]:format:(text json yaml)' \
    '--no-input[never prompt]' \
    '(-v --verbose)'{-v,--verbose}'[device, model and timings]' \
    '(-q --quiet)'{-q,--quiet}'[only errors on stderr]' \
    '(-V --version)'{-V,--version}'[print the version]' \
    '(-h --help)'{-h,--help}'[help]' \
    '1: :->first' \
    '*:request:' && return
  case $state in
    first) _describe 'subcommand' subcommands ;;
  esac
}
_cmdai "$@"
)SH";

const char* kFishCompletion = R"SH(# fish completion for cmdai
complete -c cmdai -f
complete -c cmdai -n '__fish_use_subcommand' -a 'config rate explain init completions'
complete -c cmdai -n '__fish_seen_subcommand_from config' -a 'show path'
complete -c cmdai -n '__fish_seen_subcommand_from init completions' -a 'bash zsh fish'
complete -c cmdai -s m -l model -r -F -d 'GGUF model file'
complete -c cmdai -s s -l shell -x -a 'bash zsh fish sh pwsh' -d 'shell to write for'
complete -c cmdai -l device -x -a 'auto cpu gpu' -d 'compute device'
complete -c cmdai -s t -l threads -x -d 'CPU threads'
complete -c cmdai -l context-size -x -d 'context window in tokens'
complete -c cmdai -l max-tokens -x -d 'longest answer in tokens'
complete -c cmdai -l temperature -x -d 'sampling temperature'
complete -c cmdai -l seed -x -d 'sampling seed'
complete -c cmdai -l safety -x -a 'strict moderate permissive' -d 'safety level'
complete -c cmdai -l color -x -a 'auto always never' -d 'colour'
complete -c cmdai -s c -l config -r -F -d 'configuration file'
complete -c cmdai -s x -l execute -d 'run without the menu when allowed'
complete -c cmdai -s y -l yes -d 'also run commands that need confirmation'
complete -c cmdai -s n -l dry-run -d 'run nothing'
complete -c cmdai -l print -d 'print only the command'
complete -c cmdai -s o -l output -x -a 'text json yaml' -d 'output format'
complete -c cmdai -l no-input -d 'never prompt'
complete -c cmdai -s v -l verbose -d 'device, model and timings'
complete -c cmdai -s q -l quiet -d 'only errors on stderr'
complete -c cmdai -s V -l version -d 'print the version'
complete -c cmdai -s h -l help -d 'help'
)SH";

}  // namespace

std::string InitSnippet(const std::string& shell) {
  if (shell == "bash") return kBash;
  if (shell == "zsh") return kZsh;
  if (shell == "fish") return kFish;
  return "";
}

std::string CompletionScript(const std::string& shell) {
  if (shell == "bash") return kBashCompletion;
  if (shell == "zsh") return kZshCompletion;
  if (shell == "fish") return kFishCompletion;
  return "";
}

}  // namespace cmdai
