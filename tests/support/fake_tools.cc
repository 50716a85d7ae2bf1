// SPDX-License-Identifier: MIT
#include "support/fake_tools.h"

#include <sys/stat.h>

#include "support/subprocess.h"

namespace cmdai::test {
namespace {

// A script that rejects --help the way BSD tools do: the complaint and the
// synopsis on stderr, exit 1 (64 for du, as FreeBSD's does).
std::string Usage(const std::string& name, const std::string& synopsis, int code = 1) {
  return "echo \"" + name + ": illegal option -- -\" >&2\nprintf '%s\\n' '" + synopsis + "' >&2\nexit " +
         std::to_string(code) + "\n";
}

}  // namespace

void WriteScript(const std::string& dir, const std::string& name, const std::string& body) {
  const std::string path = dir + "/" + name;
  WriteFile(path, "#!/bin/sh\n" + body);
  chmod(path.c_str(), 0755);
}

std::string MakeBsdTools() {
  const std::string dir = TempDir();
  WriteScript(dir, "find",
              Usage("find",
                    "usage: find [-H | -L | -P] [-EXdsx] [-f path] path ... [expression]\n"
                    "       find [-H | -L | -P] [-EXdsx] -f path [path ...] [expression]"));
  WriteScript(dir, "stat",
              Usage("stat", "usage: stat [-FLnq] [-f format | -l | -r | -s | -x] [-t timefmt] [file|handle ...]"));
  WriteScript(dir, "du",
              Usage("du",
                    "usage: du [-Aclnx] [-H | -L | -P] [-g | -h | -k | -m] [-a | -s | -d depth] [-B blocksize] "
                    "[-I mask] [-t threshold] [file ...]",
                    64));
  WriteScript(dir, "sed",
              Usage("sed",
                    "usage: sed script [-Ealnru] [-i extension] [file ...]\n"
                    "\tsed [-Ealnu] [-i extension] [-e script] ... [-f script_file] ... [file ...]"));
  WriteScript(dir, "ls",
              "echo \"ls: unrecognized option \\`--help'\" >&2\n"
              "echo 'usage: ls [-@ABCFGHILOPRSTUWXabcdefghiklmnopqrstuvwxy1%,] [--color=when] [-D format] [file ...]' "
              ">&2\nexit 1\n");
  WriteScript(dir, "xargs",
              Usage("xargs",
                    "usage: xargs [-0opt] [-E eofstr] [-I replstr [-R replacements] [-S replsize]]\n"
                    "             [-J replstr] [-L number] [-n number [-x]] [-P maxprocs]\n"
                    "             [-s size] [utility [argument ...]]"));
  WriteScript(dir, "sort", "echo 'sort: this fake sort only sorts'\n");
  WriteScript(
      dir, "man",
      "case \"$1\" in\n"
      "find) /bin/cat <<'PAGE'\n"
      "FIND(1)                     General Commands Manual                    FIND(1)\n\n"
      "NAME\n     find - walk a file hierarchy\n\n"
      "SYNOPSIS\n     find [-H | -L | -P] [-EXdsx] [-f path] path ... [expression]\n\n"
      "DESCRIPTION\n     The options are as follows:\n\n"
      "     -E      Interpret regular expressions followed by -regex and -iregex\n"
      "             primaries as extended (modern) regular expressions.\n\n"
      "     -x      Prevent find from descending into directories that have a device\n"
      "             number different than that of the file from which the descent began.\n\n"
      "PRIMARIES\n"
      "     -Bmin n\n             True if the file was created n minutes ago.\n"
      "     -delete\n             Delete found files and/or directories.\n"
      "     -depth n\n             True if the depth of the file is n.\n"
      "     -empty  True if the current file or directory is empty.\n"
      "     -exec utility [argument ...] ;\n"
      "     -exec utility [argument ...] {} +\n"
      "     -iname pattern\n     -maxdepth n\n     -mtime n[smhdw]\n     -name pattern\n"
      "     -newerXY file\n     -perm [-|+]mode\n     -print\n     -print0\n     -prune\n"
      "     -size n[ckMGTP]\n     -type t\n"
      "PAGE\n;;\n"
      "du) /bin/cat <<'PAGE'\n"
      "DU(1)\n\nSYNOPSIS\n     du [-Aclnx] [-H | -L | -P] [-g | -h | -k | -m] [-a | -s | -d depth] [file ...]\n\n"
      "DESCRIPTION\n     -A      Display the apparent size instead of the disk usage.\n"
      "     -d depth\n             Display an entry for all files and directories depth deep.\n"
      "     -h      \"Human-readable\" output.\n     -s      Display an entry for each specified file.\n"
      "PAGE\n;;\n"
      "*) echo \"No manual entry for $1\" >&2; exit 1;;\nesac\n");
  return dir;
}

std::string MakeGnuTools() {
  const std::string dir = TempDir();
  WriteScript(dir, "grep",
              "/bin/cat <<'HELP'\n"
              "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
              "Search for PATTERNS in each FILE.\n\n"
              "Pattern selection and interpretation:\n"
              "  -E, --extended-regexp     PATTERNS are extended regular expressions\n"
              "  -F, --fixed-strings       PATTERNS are strings\n"
              "  -P, --perl-regexp         PATTERNS are Perl regular expressions\n"
              "  -e, --regexp=PATTERNS     use PATTERNS for matching\n"
              "  -i, --ignore-case         ignore case distinctions in patterns and data\n"
              "  -v, --invert-match        select non-matching lines\n"
              "  -n, --line-number         print line number with output lines\n"
              "  -r, --recursive           like --directories=recurse\n"
              "  -l, --files-with-matches  print only names of FILEs with selected lines\n"
              "  -A, --after-context=NUM   print NUM lines of trailing context\n"
              "      --include=GLOB        search only files that match GLOB\n"
              "      --help                display this help text and exit\n\n"
              "Report bugs to: bug-grep@gnu.org\nGNU grep home page: <https://www.gnu.org/software/grep/>\n"
              "HELP\n");
  WriteScript(
      dir, "sed",
      "/bin/cat <<'HELP'\n"
      "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n"
      "  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n"
      "  -e script, --expression=script\n                 add the script to the commands to be executed\n"
      "  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n"
      "  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n"
      "      --help     display this help and exit\n\n"
      "GNU sed home page: <https://www.gnu.org/software/sed/>.\n"
      "HELP\n");
  WriteScript(dir, "ls",
              "/bin/cat <<'HELP'\n"
              "Usage: ls [OPTION]... [FILE]...\n"
              "  -a, --all                  do not ignore entries starting with .\n"
              "  -h, --human-readable       with -l and -s, print sizes like 1K 234M 2G etc.\n"
              "  -l                         use a long listing format\n"
              "  -S                         sort by file size, largest first\n"
              "      --sort=WORD            sort by WORD instead of name\n"
              "      --help        display this help and exit\n"
              "GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n"
              "HELP\n");
  return dir;
}

}  // namespace cmdai::test
