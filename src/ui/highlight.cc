// SPDX-License-Identifier: MIT
#include "ui/highlight.h"

#include "safety/shell_syntax.h"

namespace cmdai::ui {

std::string Highlight(const std::string& command, const Style& style) {
  if (!style.color) return style.Visible(command);
  // Each piece is made visible on its own: the tokens' offsets are the raw
  // command's, and the escapes' marks do not reset the piece's colour.
  const std::string_view raw = command;
  std::string out;
  uint32_t at = 0;
  for (const auto& t : safety::SyntaxTokens(command)) {
    if (t.start < at || t.end < t.start || t.end > raw.size()) continue;
    out += style.Visible(raw.substr(at, t.start - at));
    const std::string piece = style.Visible(raw.substr(t.start, t.end - t.start));
    switch (t.kind) {
      case safety::TokenKind::kCommand: out += style.Paint("1;32", piece); break;
      case safety::TokenKind::kOption: out += style.Paint("36", piece); break;
      case safety::TokenKind::kString: out += style.Paint("33", piece); break;
      case safety::TokenKind::kVariable: out += style.Paint("35", piece); break;
      case safety::TokenKind::kOperator: out += style.Paint("1;34", piece); break;
      case safety::TokenKind::kRedirect: out += style.Paint("1;34", piece); break;
      case safety::TokenKind::kComment: out += style.Paint("2", piece); break;
      case safety::TokenKind::kNumber: out += style.Paint("34", piece); break;
    }
    at = t.end;
  }
  out += style.Visible(raw.substr(at));
  return out;
}

}  // namespace cmdai::ui
