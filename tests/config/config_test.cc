// SPDX-License-Identifier: MIT
#include "config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/subprocess.h"

namespace cmdai {
namespace {

struct Env {
  std::map<std::string, std::string> vars;
  EnvLookup Lookup() const {
    return [v = vars](const std::string& k) -> std::optional<std::string> {
      auto it = v.find(k);
      if (it == v.end()) return std::nullopt;
      return it->second;
    };
  }
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = test::TempDir();
    env_.vars = {{"HOME", home_}, {"SHELL", "/usr/bin/zsh"}};
  }
  std::string WriteConfig(const std::string& text) {
    std::filesystem::create_directories(home_ + "/.config/cmdai");
    std::string path = home_ + "/.config/cmdai/config.toml";
    test::WriteFile(path, text);
    return path;
  }
  Result<Config> Load(std::map<std::string, std::string> flags = {}) {
    ConfigInputs in;
    in.env = env_.Lookup();
    in.flags = std::move(flags);
    return LoadConfig(in);
  }
  std::string home_;
  Env env_;
};

TEST_F(ConfigTest, DefaultsComeFromTheEnvironmentShellAndXdgDirs) {
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->shell, "zsh");
  EXPECT_EQ(c->device, Device::kAuto);
  EXPECT_EQ(c->temperature, 0.0f);
  EXPECT_EQ(c->config_file, home_ + "/.config/cmdai/config.toml");
  EXPECT_EQ(c->data_dir, home_ + "/.local/share/cmdai");
  EXPECT_EQ(c->origins.at("shell").source, "default");
}

TEST_F(ConfigTest, UnknownShellFallsBackToPosixSh) {
  env_.vars["SHELL"] = "/bin/tcsh";
  EXPECT_EQ(Load()->shell, "sh");
  env_.vars["SHELL"] = "/bin/dash";
  EXPECT_EQ(Load()->shell, "sh");
}

TEST_F(ConfigTest, FlagsBeatEnvironmentBeatsFileBeatsDefaults) {
  WriteConfig("max_tokens = 50\nthreads = 3\nshell = \"fish\"\n");
  env_.vars["CMDAI_MAX_TOKENS"] = "60";
  env_.vars["CMDAI_THREADS"] = "5";
  auto c = Load({{"max_tokens", "70"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->max_tokens, 70);
  EXPECT_EQ(c->origins.at("max_tokens").source, "flag --max-tokens");
  EXPECT_EQ(c->threads, 5);
  EXPECT_EQ(c->origins.at("threads").source, "env CMDAI_THREADS");
  EXPECT_EQ(c->shell, "fish");
  EXPECT_EQ(c->origins.at("shell").source, "file " + home_ + "/.config/cmdai/config.toml:3");
  EXPECT_EQ(c->origins.at("context_size").source, "default");
}

TEST_F(ConfigTest, InvalidTomlNamesFileLineAndColumnAndLeavesFileAlone) {
  const std::string text = "model = \"a.gguf\"\nthreads = = 4\n";
  auto path = WriteConfig(text);
  auto c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kConfig);
  EXPECT_NE(c.status().message().find(path + ":2:"), std::string::npos) << c.status().message();
  std::ifstream f(path);
  std::string after((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, text);
}

TEST_F(ConfigTest, UnknownKeyGetsSuggestion) {
  WriteConfig("\nmax_token = 5\n");
  auto c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unknown key 'max_token'"), std::string::npos);
  EXPECT_NE(c.status().message().find(":2:1"), std::string::npos);
  EXPECT_NE(c.status().message().find("did you mean 'max_tokens'"), std::string::npos);
}

TEST_F(ConfigTest, WrongTypeInFileIsRejected) {
  WriteConfig("threads = \"four\"\n");
  auto c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("must be an integer"), std::string::npos) << c.status().message();
}

TEST_F(ConfigTest, OutOfRangeValuesAreRejectedWithTheAllowedRange) {
  auto c = Load({{"temperature", "3"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kUsage);
  EXPECT_NE(c.status().message().find("--temperature '3' must be a number from 0 to 2"), std::string::npos);
  env_.vars["CMDAI_THREADS"] = "-1";
  c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kConfig);
  EXPECT_NE(c.status().message().find("CMDAI_THREADS='-1'"), std::string::npos);
}

TEST_F(ConfigTest, BadEnumValueSuggestsTheNearestChoice) {
  auto c = Load({{"shell", "bsh"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("did you mean 'bash'"), std::string::npos) << c.status().message();
}

TEST_F(ConfigTest, ServeAutostartIsAChoiceThatStillTakesASwitch) {
  EXPECT_EQ(Load()->serve_autostart, Autostart::kAuto);
  env_.vars["CMDAI_SERVE_AUTOSTART"] = "on";
  EXPECT_EQ(Load()->serve_autostart, Autostart::kOn);
  env_.vars["CMDAI_SERVE_AUTOSTART"] = "false";  // the switch it used to be
  EXPECT_EQ(Load()->serve_autostart, Autostart::kOff);
  env_.vars["CMDAI_SERVE_AUTOSTART"] = "true";
  EXPECT_EQ(Load()->serve_autostart, Autostart::kOn);
  env_.vars.erase("CMDAI_SERVE_AUTOSTART");
  WriteConfig("[serve]\nautostart = true\n");
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->serve_autostart, Autostart::kOn);
  WriteConfig("[serve]\nautostart = \"off\"\n");
  EXPECT_EQ(Load()->serve_autostart, Autostart::kOff);
  WriteConfig("[serve]\nautostart = \"aut\"\n");
  c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("must be one of auto, on, off"), std::string::npos) << c.status().message();
}

TEST_F(ConfigTest, ExplicitMissingConfigFileIsAnError) {
  ConfigInputs in;
  in.env = env_.Lookup();
  in.config_file = home_ + "/nope.toml";
  auto c = LoadConfig(in);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("does not exist"), std::string::npos);
}

TEST_F(ConfigTest, TildeAndHomeInPathValuesAreExpanded) {
  WriteConfig("model = \"~/tiny.gguf\"\n[serve]\nsocket = \"$HOME/run/s.sock\"\n");
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->model, home_ + "/tiny.gguf");  // not CWD/~/tiny.gguf
  EXPECT_EQ(c->serve_socket, home_ + "/run/s.sock");
  env_.vars["CMDAI_MODEL"] = "~/other.gguf";
  EXPECT_EQ(Load()->model, home_ + "/other.gguf");
  EXPECT_EQ(Load({{"model", "$HOME/flag.gguf"}})->model, home_ + "/flag.gguf");
}

TEST_F(ConfigTest, RelativePathsInTheFileAreTakenFromTheFilesDirectory) {
  const std::string path = WriteConfig("threads = 2\n\nmodel = \"models/tiny.gguf\"\n");
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->model, home_ + "/.config/cmdai/models/tiny.gguf");
  EXPECT_EQ(c->origins.at("model").source, "file " + path + ":3");  // what errors name
  // A catalog id or a Hugging Face reference is no path: left as written.
  WriteConfig("model = \"qwen2.5-coder-0.5b\"\n");
  EXPECT_EQ(Load()->model, "qwen2.5-coder-0.5b");
}

TEST_F(ConfigTest, ADirectoryAsTheConfigFileIsAnError) {
  ConfigInputs in;
  in.env = env_.Lookup();
  in.config_file = home_;
  auto c = LoadConfig(in);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kConfig);
  EXPECT_NE(c.status().ToString().find(home_), std::string::npos) << c.status().ToString();
}

TEST_F(ConfigTest, ConfigVariableSelectsTheFile) {
  std::string path = home_ + "/other.toml";
  test::WriteFile(path, "device = \"cpu\"\n");
  env_.vars["CMDAI_CONFIG"] = path;
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->device, Device::kCpu);
  EXPECT_EQ(c->config_file, path);
}

TEST_F(ConfigTest, EveryScalarKeyIsDocumentedWithAnEnvironmentVariable) {
  for (const auto& k : ConfigKeys()) {
    EXPECT_FALSE(k.doc.empty()) << k.name;
    if (!k.env.empty()) {
      EXPECT_EQ(k.env.rfind("CMDAI_", 0), 0u) << k.name;
    }
    // Top-level scalar keys all have a variable; tables and lists live in the file.
    if (k.name.find('.') == std::string::npos && k.name != "fallback") {
      EXPECT_FALSE(k.env.empty()) << k.name;
    }
  }
}

TEST_F(ConfigTest, SafetyTablesListsAndLevelComeFromTheFile) {
  WriteConfig(
      "[safety]\nlevel = \"strict\"\nallow = [\"ls *\", \"git\"]\ndeny = [\"terraform\"]\n"
      "[safety.table.strict]\nhigh = \"confirm\"\n");
  auto c = Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->safety_level, "strict");
  EXPECT_EQ(c->safety_allow, (std::vector<std::string>{"ls *", "git"}));
  EXPECT_EQ(c->safety_deny, std::vector<std::string>{"terraform"});
  EXPECT_EQ(c->safety_table.at("strict.high"), "confirm");
  EXPECT_EQ(c->origins.at("safety.allow").value, "[\"ls *\", \"git\"]");
}

TEST_F(ConfigTest, BadSafetyValuesNameTheKey) {
  WriteConfig("[safety.table.moderate]\ncritical = \"allow-ish\"\n");
  auto c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("safety.table.moderate.critical"), std::string::npos);
  WriteConfig("[safety]\nallow = [1, 2]\n");
  c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("must be an array of strings"), std::string::npos) << c.status().message();
  WriteConfig("[safety]\nlevl = \"strict\"\n");
  c = Load();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("did you mean 'safety.level'"), std::string::npos) << c.status().message();
}

TEST_F(ConfigTest, NoColorTurnsAutoColourOff) {
  EXPECT_EQ(Load()->color, ColorMode::kAuto);
  env_.vars["NO_COLOR"] = "1";
  EXPECT_EQ(Load()->color, ColorMode::kNever);
  EXPECT_EQ(Load({{"color", "always"}})->color, ColorMode::kAlways);
  env_.vars["NO_COLOR"] = "";
  env_.vars["TERM"] = "dumb";
  EXPECT_EQ(Load()->color, ColorMode::kNever);
}

}  // namespace
}  // namespace cmdai
