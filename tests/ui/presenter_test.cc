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

TEST(Clipboard, Osc52CarriesBase64) { EXPECT_EQ(Osc52("ls -la"), "\033]52;c;bHMgLWxh\a"); }

}  // namespace
}  // namespace cmdai::ui
