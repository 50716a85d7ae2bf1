// SPDX-License-Identifier: MIT
// parse-dump: prints what ShellSyntax extracts from a command (a debugging aid).
#include <cstdio>
#include <iostream>
#include <sstream>

#include "safety/shell_syntax.h"

int main(int argc, char** argv) {
  std::string text;
  if (argc > 1) {
    text = argv[1];
  } else {
    std::stringstream s;
    s << std::cin.rdbuf();
    text = s.str();
  }
  auto p = cmdai::safety::ParseShell(text);
  for (const auto& c : p.commands) {
    std::printf("[%u,%u) name=%s%s cwd='%s' pipe=%d/%d group=%d depth=%d%s%s", c.start, c.end, c.name.c_str(),
                c.name_word.dynamic ? "(dyn)" : "", c.cwd.c_str(), c.pipeline, c.pipeline_pos, c.group, c.depth,
                c.privileged ? " priv" : "", c.args_from_stdin ? " xargs" : "");
    for (const auto& w : c.wrappers) std::printf(" <%s>", w.c_str());
    std::printf("\n");
    for (const auto& a : c.args)
      std::printf("    arg '%s' [%u,%u)%s%s%s off=%lld subs=%zu\n", a.text.c_str(), a.start, a.end,
                  a.dynamic ? " dyn" : "", a.glob ? " glob" : "", a.quoted ? " q" : "",
                  static_cast<long long>(a.content_offset), a.substitutions.size());
    for (const auto& r : c.redirects)
      std::printf("    redirect fd=%d op='%s' target='%s'\n", r.fd, r.op.c_str(), r.target.text.c_str());
    for (const auto& s : c.assignments) std::printf("    assign %s\n", s.c_str());
    if (!c.stdin_text.empty()) std::printf("    stdin '%s'\n", c.stdin_text.c_str());
  }
  for (const auto& f : p.functions)
    std::printf("function %s self_calls=%d bg=%d\n", f.name.c_str(), f.self_calls, f.backgrounds);
  for (const auto& [r, cwd] : p.loose_redirects)
    std::printf("loose redirect %s '%s'\n", r.op.c_str(), r.target.text.c_str());
  for (const auto& f : p.findings) std::printf("finding %s: %s\n", f.rule.c_str(), f.message.c_str());
}
