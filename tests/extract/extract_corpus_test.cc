// SPDX-License-Identifier: MIT
// The shapes models answer in, as a person would read them (src/extract):
// Qwen's and the embedded grammar's fenced block, Llama's and Mistral's chatty
// lead-ins, GPT's inline spans and numbered steps, console transcripts, JSON,
// indented blocks, bare lines, reasoning blocks, refusals and empty answers.
// A row with an empty expectation must not yield a command: prose never
// becomes one. The resolver is a fixed set of names, so the corpus means the
// same on every machine.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "extract/extractor.h"
#include "ground/resolver.h"

namespace cmdai {
namespace {

ExtractOptions Fixed(const std::string& shell = "bash") {
  static const std::set<std::string> names = {
      "ls",   "du",   "sort",   "df",   "git",  "uptime",     "find", "grep",  "xargs", "tar",   "ps",
      "awk",  "sed",  "head",   "tail", "wc",   "docker",     "free", "lsof",  "curl",  "chmod", "mkdir",
      "rm",   "cp",   "mv",     "cat",  "echo", "printf",     "cd",   "sudo",  "apt",   "ip",    "tree",
      "make", "date", "whoami", "tr",   "cut",  "journalctl", "for",  "while", "if",    "sort",  "kill"};
  ExtractOptions o;
  o.shell = shell;
  o.resolves = [](const std::string& n) { return names.count(n) > 0; };
  return o;
}

struct Shape {
  const char* name;
  const char* answer;
  const char* command;      // "" when no command may come out
  const char* explanation;  // checked when not null
  const char* shape;        // checked when not null
};

const Shape kCorpus[] = {
    // Fenced blocks: the embedded grammar's shape and what chat models add.
    {"qwen fenced", "```bash\ndu -sh * | sort -h\n```", "du -sh * | sort -h", "", "fenced"},
    {"qwen fenced + sentence", "```bash\ndu -sh * | sort -h\n```\n\nShows each entry's size, smallest first.",
     "du -sh * | sort -h", "Shows each entry's size, smallest first.", "fenced"},
    {"sh fence", "```sh\nls -la\n```", "ls -la", nullptr, "fenced"},
    {"no language", "```\nls -la\n```", "ls -la", nullptr, "fenced"},
    {"shell language", "```shell\ndf -h\n```", "df -h", nullptr, nullptr},
    {"console block with prompt", "```console\n$ git status\n```", "git status", nullptr, "fenced"},
    {"console block with output",
     "```console\n$ git status\nOn branch main\nnothing to commit, working tree clean\n```", "git status", nullptr,
     nullptr},
    {"shell-session block", "```shell-session\nuser@host:~$ uptime\n 10:01 up 3 days\n```", "uptime", nullptr, nullptr},
    {"two prompts in a session", "```console\n$ cd src\n$ make\n```", "", nullptr, nullptr},
    {"comment first line", "```bash\n# List all files, including hidden ones\nls -la\n```", "ls -la", nullptr, nullptr},
    {"shebang first line", "```bash\n#!/bin/bash\nuptime\n```", "uptime", nullptr, nullptr},
    {"bash block with $ prompt", "```bash\n$ df -h\n```", "df -h", nullptr, nullptr},
    {"zsh block with % prompt", "```zsh\n% ls -la\n```", "ls -la", nullptr, nullptr},
    {"root prompt in console", "```console\n# apt update\n```", "apt update", nullptr, nullptr},
    {"continued lines", "```bash\nfind . -name '*.log' \\\n  -mtime +7 -delete\n```",
     "find . -name '*.log' -mtime +7 -delete", nullptr, nullptr},
    {"tilde fence", "~~~bash\nls -la\n~~~", "ls -la", nullptr, nullptr},
    {"one-line fence", "```ls -la```", "ls -la", nullptr, nullptr},
    {"one-line fence with language", "```bash free -h```", "free -h", nullptr, nullptr},
    {"indented fence in a list", "1. Check the space:\n   ```bash\n   df -h\n   ```", "df -h", nullptr, nullptr},
    {"blank lines in the block", "The command is:\n\n```bash\n\n  df -h\n\n```", "df -h", nullptr, nullptr},
    {"python block, then bash", "```python\nimport os\nprint(os.listdir())\n```\nOr in the shell:\n```bash\nls\n```",
     "ls", nullptr, nullptr},
    {"two alternatives: the first", "```bash\nls\n```\nor\n```bash\nls -a\n```", "ls", nullptr, nullptr},
    {"trailing comment kept", "```bash\nls -la  # list all files\n```", "ls -la  # list all files", nullptr, nullptr},
    {"mistral chatty",
     "Sure! Here's the command you need:\n\n```bash\nfind . -type f -size +100M\n```\n\nThis will find "
     "all files larger than 100MB in the current directory.",
     "find . -type f -size +100M", "This will find all files larger than 100MB in the current directory.", nullptr},
    {"llama certainly", "Certainly! To display the current date and time, you can use:\n\n```\ndate\n```", "date",
     nullptr, nullptr},
    {"gpt explanation list after",
     "Here is a one-liner:\n```bash\ncat file.txt | tr '[:upper:]' '[:lower:]'\n```\n"
     "Explanation:\n- `cat file.txt` reads the file\n- `tr` converts it",
     "cat file.txt | tr '[:upper:]' '[:lower:]'", "Explanation:", nullptr},
    {"bold answer label", "**Answer:**\n```sh\nwc -l *.csv\n```", "wc -l *.csv", nullptr, nullptr},
    {"gpt port",
     "You can use the following command:\n\n```bash\nlsof -i :8080\n```\n\nThis lists processes listening on "
     "port 8080.",
     "lsof -i :8080", nullptr, nullptr},
    // Blocks that hold no one command.
    {"two lines", "```bash\ncd /tmp\nrm -rf build\n```", "", nullptr, nullptr},
    {"empty block", "```bash\n```", "", nullptr, nullptr},
    {"comment-only block", "```bash\n# nothing to do here\n```", "", nullptr, nullptr},
    {"cut off inside the block", "```bash\nrm -rf /tmp/bui", "", nullptr, nullptr},
    {"python only", "```python\nimport os\nprint(os.listdir())\n```", "", nullptr, nullptr},
    // JSON, the seed's answer format and structured-output engines.
    {"json cmd", "{\"cmd\": \"ls -la\"}", "ls -la", nullptr, "json"},
    {"json command + explanation", "{\"command\": \"df -h\", \"explanation\": \"Shows disk usage.\"}", "df -h",
     "Shows disk usage.", "json"},
    {"json in a json block", "```json\n{\"cmd\": \"uptime\"}\n```", "uptime", nullptr, "json"},
    {"json after a lead-in", "Here is the command:\n{\"command\": \"free -h\"}", "free -h", nullptr, "json"},
    {"json holding prose", "{\"cmd\": \"Open a terminal\"}", "", nullptr, nullptr},
    {"json without the key", "{\"answer\": \"ls\"}", "", nullptr, nullptr},
    // Inline code spans.
    {"lone span", "`du -sh * | sort -h`", "du -sh * | sort -h", nullptr, "inline"},
    {"Command: span", "Command: `uptime`", "uptime", nullptr, "inline"},
    {"span in a sentence", "You can use `df -h` to see disk usage.", "df -h", nullptr, "inline"},
    {"run span", "Run `git status` in your repository.", "git status", nullptr, nullptr},
    {"numbered step", "1. Open a terminal.\n2. Run `df -h` to see disk usage.", "df -h", nullptr, nullptr},
    {"list step after a tool span", "To check with `du`:\n1. Run `du -sh *`\n", "du -sh *", nullptr, "list"},
    {"tool name then command", "You can use the `find` command: `find . -name '*.txt'`", "find . -name '*.txt'",
     nullptr, nullptr},
    {"bullet step", "- Show disk usage: `df -h`", "df -h", nullptr, nullptr},
    {"flag span and command span", "The `-h` flag makes sizes readable: `df -h`", "df -h", nullptr, nullptr},
    {"double-backtick span", "``ls `pwd` ``", "ls `pwd`", nullptr, nullptr},
    {"bold label, span", "**Command:** `ls -la`", "ls -la", nullptr, nullptr},
    {"two alternatives inline", "Use `ls -la` or `ls -lah` for human-readable sizes.", "", nullptr, nullptr},
    {"two steps", "1. `cd project`\n2. `make`", "", nullptr, nullptr},
    {"install then run", "1. Install it: `sudo apt install tree`\n2. Run `tree -L 2`", "", nullptr, nullptr},
    {"span of prose", "`Open the file`", "", nullptr, nullptr},
    {"span of a missing tool", "Command: `fd -e txt`", "", nullptr, nullptr},
    {"substitution in a bare command", "rm -rf `echo build`", "rm -rf `echo build`", nullptr, "bare"},
    {"backquotes in another program's code", "ruby -e '`rm -rf ~`'", "", nullptr, nullptr},
    // Indented blocks.
    {"indented after a blank line", "Run this:\n\n    ps aux | grep nginx\n", "ps aux | grep nginx", nullptr,
     "indented"},
    {"indented after a colon", "To see your IP address:\n    ip addr show\n", "ip addr show", nullptr, "indented"},
    {"indented with a comment", "Here it is:\n\n    # list files\n    ls -la\n", "ls -la", nullptr, nullptr},
    {"indented tab", "Use:\n\tdf -h", "df -h", nullptr, nullptr},
    // Prompt lines.
    {"prompt line", "$ df -h", "df -h", nullptr, nullptr},
    {"prompt line in prose", "Try this:\n$ sort -u names.txt\nIt removes duplicate lines.", "sort -u names.txt",
     nullptr, "prompt"},
    // Labelled lines.
    {"Command: bare", "Command: uptime", "uptime", nullptr, "labelled"},
    {"Cmd: bare", "Cmd: whoami", "whoami", nullptr, "labelled"},
    // Bare lines.
    {"bare", "df -h", "df -h", nullptr, "bare"},
    {"bare with newline", "ls -la\n", "ls -la", nullptr, "bare"},
    {"bare padded", "  git log --oneline -n 5  ", "git log --oneline -n 5", nullptr, nullptr},
    {"bare then explanation", "ps aux | sort -rk 4 | head -5\nShows the top memory users.",
     "ps aux | sort -rk 4 | head -5", "Shows the top memory users.", "bare"},
    {"bare with sudo", "sudo apt update && sudo apt upgrade -y", "sudo apt update && sudo apt upgrade -y", nullptr,
     nullptr},
    {"bare loop", "for f in *.txt; do wc -l \"$f\"; done", "for f in *.txt; do wc -l \"$f\"; done", nullptr, nullptr},
    {"bare with assignment", "LC_ALL=C sort -u names.txt", "LC_ALL=C sort -u names.txt", nullptr, nullptr},
    {"bare echo", "echo Done.", "echo Done.", nullptr, nullptr},
    // Reasoning.
    {"think then block", "<think>\nThe user wants disk usage. du is good.\n</think>\n```bash\ndu -sh .\n```",
     "du -sh .", nullptr, "fenced"},
    {"think closed only", "The user wants free space.\n</think>\n\ndf -h", "df -h", nullptr, "bare"},
    {"think with a span inside", "<think>maybe `rm -rf /`? no.</think>\n`ls -la`", "ls -la", nullptr, nullptr},
    {"think never closed", "<think>\nhmm, the user wants", "", nullptr, nullptr},
    // Refusals, empty answers and prose.
    {"empty", "", "", nullptr, nullptr},
    {"blank", "   \n  ", "", nullptr, nullptr},
    {"refusal", "I'm sorry, but I can't help with that.", "", nullptr, nullptr},
    {"refusal 2", "I cannot provide a command that deletes system files.", "", nullptr, nullptr},
    {"sure", "Sure!", "", nullptr, nullptr},
    {"open a terminal", "Open a terminal.", "", nullptr, nullptr},
    {"prose naming rm", "rm -rf / would delete everything, so I will not do that.", "", nullptr, nullptr},
    {"prose starting with ls", "ls is a command that lists the files in a directory.", "", nullptr, nullptr},
    {"prose with ls inside", "To list files, use the ls command.", "", nullptr, nullptr},
    {"lead-in only", "Here's how you can do it:", "", nullptr, nullptr},
    {"missing tool bare", "fd -e txt", "", nullptr, nullptr},
    {"advice", "You should check the logs with journalctl.", "", nullptr, nullptr},
    {"lowercase advice", "check the logs with journalctl and look for errors", "", nullptr, nullptr},
};

TEST(ExtractCorpus, EveryShapeReadsAsAPersonWouldReadIt) {
  ASSERT_GE(sizeof(kCorpus) / sizeof(kCorpus[0]), 60u);
  for (const auto& s : kCorpus) {
    auto r = ExtractCommand(s.answer, Fixed());
    if (std::string(s.command).empty()) {
      EXPECT_FALSE(r.ok()) << s.name << ": took " << (r.ok() ? r->command : "");
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), ErrorCode::kNoCommand) << s.name;
      }
      continue;
    }
    ASSERT_TRUE(r.ok()) << s.name << ": " << r.status().ToString();
    EXPECT_EQ(r->command, s.command) << s.name;
    if (s.explanation) {
      EXPECT_EQ(r->explanation, s.explanation) << s.name;
    }
    if (s.shape) {
      EXPECT_EQ(r->shape, s.shape) << s.name;
    }
  }
}

TEST(ExtractCorpus, WithoutAResolverOnlyFencedBlocksCount) {
  EXPECT_TRUE(ExtractCommand("```bash\nls -la\n```").ok());
  EXPECT_FALSE(ExtractCommand("df -h").ok());
  EXPECT_FALSE(ExtractCommand("`df -h`").ok());
  EXPECT_FALSE(ExtractCommand("{\"cmd\": \"ls\"}").ok());
}

TEST(ExtractCorpus, ErrorsSayWhatWasWrong) {
  auto refusal = ExtractCommand("I'm sorry, but I can't help with that.", Fixed());
  ASSERT_FALSE(refusal.ok());
  EXPECT_NE(refusal.status().message().find("declined"), std::string::npos);
  auto missing = ExtractCommand("fd -e txt", Fixed());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("`fd`"), std::string::npos) << missing.status().message();
  auto empty = ExtractCommand("", Fixed());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  auto thinking = ExtractCommand("<think>\nhmm", Fixed());
  EXPECT_NE(thinking.status().message().find("reasoning"), std::string::npos);
  auto cut = ExtractCommand("```bash\nrm -rf /tmp/bui", Fixed());
  EXPECT_NE(cut.status().message().find("ends inside"), std::string::npos);
  auto comments = ExtractCommand("```bash\n# nothing\n```", Fixed());
  EXPECT_NE(comments.status().message().find("only comments"), std::string::npos);
}

TEST(ExtractCorpus, PowerShellNamesCountForPwsh) {
  auto r = ExtractCommand("Get-ChildItem -Recurse -Filter *.log", Fixed("pwsh"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command, "Get-ChildItem -Recurse -Filter *.log");
  EXPECT_FALSE(ExtractCommand("Get-ChildItem -Recurse", Fixed("bash")).ok());
}

// With this machine's real PATH: prose stays prose, and a bare command whose
// program exists here is taken.
TEST(ExtractCorpus, RealResolverOnThisMachine) {
  ground::Resolver resolver("bash", "/usr/local/bin:/usr/bin:/bin", "");
  ExtractOptions o;
  o.resolves = [&](const std::string& n) { return resolver.Resolves(n); };
  if (!resolver.Resolves("ls")) GTEST_SKIP() << "no ls in /usr/bin or /bin";
  auto r = ExtractCommand("ls -la", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->command, "ls -la");
  EXPECT_FALSE(ExtractCommand("rm -rf / would delete everything, so I will not do that.", o).ok());
  EXPECT_FALSE(ExtractCommand("Sure! Open a terminal.", o).ok());
  EXPECT_FALSE(ExtractCommand("cmdai-surely-not-installed --flag", o).ok());
}

}  // namespace
}  // namespace cmdai
