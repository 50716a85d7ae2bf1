// SPDX-License-Identifier: MIT
#include "extract/extractor.h"

#include <string_view>

namespace cmdai {
namespace {

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

const char* kHint = "rephrase the request, or raise max_tokens if the answer was cut off";

}  // namespace

Result<Extracted> ExtractCommand(const std::string& answer) {
  const auto open = answer.find("```");
  if (open == std::string::npos)
    return Status::Error(ErrorCode::kNoCommand, "the model's answer holds no code block with a command", kHint);
  // The language tag runs to the end of the opening line.
  const auto body = answer.find('\n', open + 3);
  if (body == std::string::npos)
    return Status::Error(ErrorCode::kNoCommand, "the model's answer ends inside its code block", kHint);
  if (answer.compare(body + 1, 3, "```") == 0)
    return Status::Error(ErrorCode::kNoCommand, "the model's code block is empty", kHint);
  const auto close = answer.find("\n```", body);
  if (close == std::string::npos)
    return Status::Error(ErrorCode::kNoCommand, "the model's answer ends inside its code block", kHint);
  std::string command = Trim(std::string_view(answer).substr(body + 1, close - body - 1));
  if (command.empty()) return Status::Error(ErrorCode::kNoCommand, "the model's code block is empty", kHint);
  if (command.find('\n') != std::string::npos)
    return Status::Error(ErrorCode::kNoCommand, "the model's code block holds more than one line", kHint);
  Extracted out;
  out.command = command;
  // Explanation: first non-empty line after the closing fence.
  auto rest = answer.find('\n', close + 4);
  while (rest != std::string::npos && rest < answer.size()) {
    auto eol = answer.find('\n', rest + 1);
    std::string line =
        Trim(std::string_view(answer).substr(rest + 1, eol == std::string::npos ? std::string::npos : eol - rest - 1));
    if (!line.empty()) {
      out.explanation = line;
      break;
    }
    rest = eol;
  }
  return out;
}

}  // namespace cmdai
