// SPDX-License-Identifier: MIT
// Backend modules on the real llama.cpp and the generated tiny model: a GPU
// module that is missing or broken is a one-line note and the CPU answers;
// --device cpu never looks for one.
#include "backends/backend_modules.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "backends/embedded_backend.h"
#include "prompt/prompt.h"

namespace cmdai {
namespace {

class BackendModulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cmdai-modules-test-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Opens the tiny model as a build with a CUDA module would, but with the
  // module looked for in dir_ (where a test put nothing, or garbage).
  Result<std::unique_ptr<EmbeddedBackend>> Open(Device device) {
    EmbeddedOptions o;
    o.model_path = CMDAI_TINY_MODEL;
    o.device = device;
    o.module_dir = dir_.string();
    o.gpu_modules = {"cuda"};
    o.note = [this](const std::string& n) { notes_.push_back(n); };
    return EmbeddedBackend::Open(o);
  }

  static void ExpectAnswers(EmbeddedBackend& backend) {
    Context ctx;
    ctx.os = "Linux";
    ctx.distro = "Debian";
    ctx.arch = "x86_64";
    ctx.shell = "bash";
    ctx.cwd = "/tmp";
    Prompt p = BuildPrompt(ctx, "list files", false);
    GenerationRequest r;
    r.messages = p.messages;
    r.answer_prefix = p.answer_prefix;
    r.grammar = p.grammar;
    r.stop = {"\n```"};
    r.max_tokens = 16;
    auto g = backend.Generate(r);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(g->text.rfind(p.answer_prefix, 0), 0u);
  }

  std::filesystem::path dir_;
  std::vector<std::string> notes_;
};

TEST_F(BackendModulesTest, MissingGpuModuleFallsBackToTheCpuWithOneNote) {
  auto b = Open(Device::kAuto);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("libggml-cuda.so is missing from " + dir_.string()), std::string::npos) << notes_[0];
  EXPECT_NE(notes_[0].find("running on the CPU"), std::string::npos) << notes_[0];
  EXPECT_EQ(b.value()->device_description().rfind("CPU", 0), 0u);
  ExpectAnswers(*b.value());
}

TEST_F(BackendModulesTest, BrokenGpuModuleFallsBackToTheCpuWithTheReason) {
  std::ofstream(dir_ / "libggml-cuda.so") << "not a shared library";
  auto b = Open(Device::kGpu);  // asked for the GPU: still answered, on the CPU
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("cannot load the GPU module " + (dir_ / "libggml-cuda.so").string() + " ("),
            std::string::npos)
      << notes_[0];
  EXPECT_NE(notes_[0].find("running on the CPU"), std::string::npos) << notes_[0];
  EXPECT_EQ(b.value()->device_description().rfind("CPU", 0), 0u);
  ExpectAnswers(*b.value());
}

TEST_F(BackendModulesTest, CpuDeviceNeverLooksForAGpuModule) {
  auto b = Open(Device::kCpu);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(notes_.empty()) << notes_[0];
}

TEST(BackendModules, CpuBuildNamesNoGpuModuleAndLinksItsCpuBackend) {
  if (BackendsAreModules()) GTEST_SKIP() << "a module build: its modules are checked on the GPU machine";
  EXPECT_TRUE(BuiltGpuModules().empty());
  auto r = LoadBackendModules({"/nonexistent", {}, true});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->notes.empty());
}

}  // namespace
}  // namespace cmdai
