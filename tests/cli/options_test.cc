// SPDX-License-Identifier: MIT
// The option table is the one source: docs/cli.md's table, --help and the
// completion scripts all carry every option and subcommand from it.
#include "cli/options.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/shell_init.h"
#include "config/config.h"

namespace cmdai {
namespace {

const char* kBegin = "<!-- options table: made from src/cli/options.cc; tests/cli/options_test.cc checks it -->\n";
const char* kEnd = "<!-- end of options table -->";

TEST(Options, DocsCliTableIsTheGeneratedOne) {
  std::ifstream f(std::string(CMDAI_DOCS_DIR) + "/cli.md");
  std::stringstream s;
  s << f.rdbuf();
  const std::string doc = s.str();
  const size_t begin = doc.find(kBegin);
  const size_t end = doc.find(kEnd);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::string table = doc.substr(begin + std::string(kBegin).size(), end - begin - std::string(kBegin).size());
  EXPECT_EQ(table, OptionsMarkdown()) << "paste this table into docs/cli.md:\n" << OptionsMarkdown();
}

TEST(Options, EverySettingWithAFlagIsAnOption) {
  for (const KeyInfo& k : ConfigKeys()) {
    if (k.flag.empty()) continue;
    const OptionSpec* o = FindOption(k.flag);
    ASSERT_NE(o, nullptr) << k.flag;
    EXPECT_EQ(o->key, k.name);
    EXPECT_EQ(o->env, k.env);
    if (!k.short_flag.empty()) {
      EXPECT_EQ(FindOption(k.short_flag), o);
    }
  }
  EXPECT_NE(FindOption("--backend"), nullptr);
  EXPECT_NE(FindOption("--offline"), nullptr);
}

TEST(Options, HelpAndEveryCompletionScriptCarryEveryOptionAndSubcommand) {
  const std::string help = MainHelp();
  for (const std::string shell : {"bash", "zsh", "fish"}) {
    const std::string script = CompletionScript(shell);
    for (const auto& o : Options()) {
      const std::string name = shell == "fish" ? "-l " + o.name.substr(2) : o.name;
      EXPECT_NE(script.find(name), std::string::npos) << shell << " lacks " << o.name;
      EXPECT_NE(help.find(o.name), std::string::npos) << o.name;
      for (const auto& c : o.choices) EXPECT_NE(script.find(c), std::string::npos) << shell << " " << c;
    }
    for (const auto& c : Commands()) {
      EXPECT_NE(script.find(c.name), std::string::npos) << shell << " lacks " << c.name;
      for (const auto& a : c.actions) EXPECT_NE(script.find(a), std::string::npos) << shell << " " << a;
    }
    EXPECT_NE(script.find("cmdai models ids"), std::string::npos) << shell;
  }
}

TEST(Options, EachSubcommandAndOptionsHaveHelp) {
  for (const auto& t : HelpTopics()) EXPECT_FALSE(TopicHelp(t).empty()) << t;
  EXPECT_EQ(TopicHelp("nonsense"), "");
  EXPECT_NE(TopicHelp("explain").find("usage: cmdai explain"), std::string::npos);
}

}  // namespace
}  // namespace cmdai
