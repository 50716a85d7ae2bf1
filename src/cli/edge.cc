// SPDX-License-Identifier: MIT
#include "cli/edge.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "cli/exit_code.h"
#include "common/interrupt.h"
#include "common/visible_text.h"

namespace cmdai {
namespace {

// Longer input is refused before any work; no context window a small model
// has could hold it, and the risk engine refuses more than this too.
constexpr size_t kMaxStdin = 1 << 20;

}  // namespace

int Fail(const Status& s) {
  // Messages name user input (a path, a model id, a command, a server's
  // answer): shown visibly, so an error is one line that cannot redraw others.
  const std::string text = VisibleText(s.ToString());
  WriteErr((s.code() == ErrorCode::kInterrupted ? "cmdai: " : "cmdai: error: ") + text + "\n");
  return ExitCodeFor(s);
}

Status NamingSource(const Status& s, const Config& config, const std::string& key) {
  if (s.code() != ErrorCode::kNotFound && s.code() != ErrorCode::kInvalidModel) return s;
  auto it = config.origins.find(key);
  if (it == config.origins.end()) return s;
  const std::string& source = it->second.source;
  std::string by;
  if (source.rfind("file ", 0) == 0) {
    by = key + " (from " + source.substr(5) + ")";
  } else if (source.rfind("env ", 0) == 0) {
    by = source.substr(4) + " (from the environment)";
  } else {
    return s;  // a default, or a flag the person has just typed
  }
  return Status::Error(s.code(), s.message() + ", set by " + by, s.hint());
}

int CheckStdout(int rc) {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return rc;
  const int err = errno;
  if (rc != 0) return rc;  // the first failure is the one to tell
  return Fail(Status::Error(
      ErrorCode::kIo,
      std::string("cannot write to standard output") + (err ? ": " + std::string(std::strerror(err)) : ""),
      "the output is lost; check where stdout goes"));
}

void WriteErr(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void Note(const std::string& note) { WriteErr("cmdai: " + VisibleText(note) + "\n"); }

Result<std::string> ReadInput(const std::vector<std::string>& words, bool stdin_tty, const std::string& what) {
  std::string out;
  if (!words.empty()) {
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
  }
  if (stdin_tty) return out;
  std::ostringstream s;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0 && !Interrupted()) {
    s.write(buf, static_cast<std::streamsize>(n));
    if (static_cast<size_t>(s.tellp()) > kMaxStdin)
      return Status::Error(ErrorCode::kUsage, "the " + what + " on stdin is longer than 1 MiB",
                           "give a shorter " + what);
  }
  // The handler is installed without SA_RESTART, so Ctrl-C ends the read.
  if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
  out = s.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace cmdai
