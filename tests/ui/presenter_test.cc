// SPDX-License-Identifier: MIT
#include "ui/presenter.h"

#include <gtest/gtest.h>

#include "ui/clipboard.h"
#include "ui/highlight.h"

namespace cmdai::ui {
namespace {

TEST(Highlight, ColoursNamesOptionsStringsAndVariablesOnlyWhenAsked) {
  const std::string cmd = "grep -r \"$PAT\" src | wc -l";
  EXPECT_EQ(Highlight(cmd, Style{false}), cmd);
  const std::string c = Highlight(cmd, Style{true});
  EXPECT_NE(c.find("\033[1;32mgrep\033[0m"), std::string::npos) << c;
  EXPECT_NE(c.find("\033[36m-r\033[0m"), std::string::npos) << c;
  EXPECT_NE(c.find("\033[35m$PAT\033[0m"), std::string::npos) << c;
  EXPECT_NE(c.find("\033[1;34m|\033[0m"), std::string::npos) << c;
}

TEST(Presenter, EnterRunsOnlySafeAllowedCommands) {
  safety::Assessment a;
  EXPECT_TRUE(EnterRuns(a));
  a.risk = safety::Risk::kModerate;
  EXPECT_FALSE(EnterRuns(a));
  EXPECT_NE(MenuLine(a, Style{}).find("(Enter: no)"), std::string::npos);
  a.decision = safety::Decision::kBlock;
  EXPECT_EQ(MenuLine(a, Style{}).find("[y]"), std::string::npos);
  EXPECT_NE(Card("x", "", a, Style{}).find("--safety permissive"), std::string::npos);
}

TEST(Presenter, CardShowsControlsInTheCommandExplanationAndFindingsAsEscapes) {
  safety::Assessment a;
  a.risk = safety::Risk::kHigh;
  a.findings.push_back({"text.x\033[2K", safety::Risk::kHigh, "names \xe2\x80\xaemr\r", 0, 2, -1});
  const std::string plain = Card("ls\033[1A\nrisk: safe", "Lists\033[2J", a, Style{false});
  EXPECT_EQ(plain.find('\033'), std::string::npos) << plain;
  EXPECT_EQ(plain.find('\r'), std::string::npos) << plain;
  EXPECT_NE(plain.find("  ls\\e[1A\\nrisk: safe\n"), std::string::npos) << plain;  // one line
  EXPECT_NE(plain.find("# Lists\\e[2J"), std::string::npos) << plain;
  EXPECT_NE(plain.find("names \\u202emr\\r  (text.x\\e[2K)"), std::string::npos) << plain;
  // With colour, each escape is in reverse video inside the syntax colours.
  const std::string colour = Card("ls\033[1A", "", a, Style{true});
  EXPECT_NE(colour.find("\033[7m\\e\033[27m[1A"), std::string::npos) << colour;
}

TEST(Clipboard, Osc52CarriesBase64) { EXPECT_EQ(Osc52("ls -la"), "\033]52;c;bHMgLWxh\a"); }

}  // namespace
}  // namespace cmdai::ui
