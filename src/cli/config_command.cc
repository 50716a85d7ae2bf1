// SPDX-License-Identifier: MIT
#include "cli/config_command.h"

#include <algorithm>
#include <cstdio>

#include "common/visible_text.h"

namespace cmdai {
namespace {

// A TOML basic string: quotes, backslashes and controls escaped.
std::string TomlString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string TomlValue(const KeyInfo& k, const std::string& text) {
  switch (k.type) {
    case KeyType::kInt:
    case KeyType::kFloat:
    case KeyType::kBool:
    case KeyType::kStringList: return text;  // lists are already shown as arrays
    default: return TomlString(text);
  }
}

}  // namespace

std::string ConfigShowText(const Config& c) {
  struct Line {
    std::string key, value, source;
  };
  std::vector<Line> lines;
  size_t key_width = 0, value_width = 0;
  for (const KeyInfo& k : ConfigKeys()) {
    auto it = c.origins.find(k.name);
    if (it == c.origins.end() || it->second.value == "(default)") continue;  // unset safety.table entries
    lines.push_back({k.name, TomlValue(k, it->second.value), it->second.source});
    key_width = std::max(key_width, k.name.size());
    value_width = std::max(value_width, std::min<size_t>(lines.back().value.size(), 40));
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.key < b.key; });
  std::string out;
  for (const auto& l : lines) {
    std::string line = l.key + std::string(key_width - l.key.size(), ' ') + " = " + l.value;
    if (l.value.size() < value_width) line += std::string(value_width - l.value.size(), ' ');
    out += VisibleText(line + "  # " + l.source) + "\n";
  }
  out += "# safety.table.LEVEL.RISK: defaults unless listed above (docs/safety.md)\n";
  out += "# config file: " + VisibleText(c.config_file) + "\n";
  return out;
}

}  // namespace cmdai
