// SPDX-License-Identifier: MIT
#include "models/model_locator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/subprocess.h"

namespace cmdai {

TEST(ModelLocator, ANamedModelIsUsedAsGiven) {
  Config c;
  c.model = "/x/y.gguf";
  EXPECT_EQ(LocateModel(c).value(), "/x/y.gguf");
}

TEST(ModelLocator, MissingDefaultModelNamesTheFileAndTheFlag) {
  Config c;
  c.data_dir = test::TempDir();
  auto r = LocateModel(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().ToString().find("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"), std::string::npos);
  EXPECT_NE(r.status().ToString().find("--model"), std::string::npos);
}

TEST(ModelLocator, FindsTheDefaultModelInTheDataDirectory) {
  Config c;
  c.data_dir = test::TempDir();
  std::filesystem::create_directories(c.data_dir + "/models");
  test::WriteFile(DefaultModelPath(c), "GGUF");
  EXPECT_EQ(LocateModel(c).value(), c.data_dir + "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
}

}  // namespace cmdai
