// SPDX-License-Identifier: MIT
#include "models/model_locator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/catalog.h"
#include "models/hub_cache.h"
#include "support/subprocess.h"

namespace cmdai {

TEST(ModelLocator, ANamedPathIsUsedAsGiven) {
  Config c;
  c.model = "/x/y.gguf";
  EXPECT_EQ(LocateModel(c).value(), "/x/y.gguf");
}

TEST(ModelLocator, MissingModelOfflineNamesItPullAndModelFlag) {
  Config c;
  c.hub_dir = test::TempDir();
  c.data_dir = test::TempDir();
  c.offline = true;
  auto r = LocateModel(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().ToString().find("qwen2.5-coder-1.5b"), std::string::npos);
  EXPECT_NE(r.status().ToString().find("cmdai models pull"), std::string::npos);
  EXPECT_NE(r.status().ToString().find("--model"), std::string::npos);
  c.offline = false;
  c.model_download = ModelDownload::kNever;
  EXPECT_EQ(LocateModel(c).status().code(), ErrorCode::kNotFound);
}

TEST(ModelLocator, DecliningTheDownloadDownloadsNothing) {
  Config c;
  c.hub_dir = test::TempDir();
  c.hf_endpoint = "http://127.0.0.1:9";
  LocateHooks hooks;
  bool asked = false;
  hooks.ask = [&](const ModelRef& ref, uint64_t bytes) {
    asked = true;
    EXPECT_EQ(ref.id, "qwen2.5-coder-1.5b");
    EXPECT_GT(bytes, 1000000000u);
    return false;
  };
  auto r = LocateModel(c, hooks);
  EXPECT_TRUE(asked);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST(ModelLocator, FindsTheDefaultModelWhereOlderVersionsKeptIt) {
  Config c;
  c.hub_dir = test::TempDir();
  c.data_dir = test::TempDir();
  std::filesystem::create_directories(c.data_dir + "/models");
  test::WriteFile(DefaultModelPath(c), "GGUF");
  EXPECT_EQ(LocateModel(c).value(), c.data_dir + "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
}

TEST(Catalog, ParsesIdsHubReferencesAndPaths) {
  auto id = ParseModelRef("qwen2.5-coder-7b");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->repo, "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF");
  EXPECT_EQ(id->file, "qwen2.5-coder-7b-instruct-q4_k_m.gguf");
  auto hub = ParseModelRef("bartowski/Some-GGUF:some-Q4_K_M.gguf@v2");
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ(hub->repo, "bartowski/Some-GGUF");
  EXPECT_EQ(hub->file, "some-Q4_K_M.gguf");
  EXPECT_EQ(hub->revision, "v2");
  EXPECT_TRUE(ParseModelRef("./models/x.gguf")->local);
  EXPECT_TRUE(ParseModelRef("x.gguf")->local);
  EXPECT_EQ(ParseModelRef("")->id, "qwen2.5-coder-1.5b");
  EXPECT_FALSE(ParseModelRef("owner/repo:../../etc/passwd").ok());
  auto bad = ParseModelRef("qwen-coder");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kUsage);
}

TEST(HubCache, NeverReturnsAPartialDownload) {
  HubCache cache(test::TempDir(), "");
  ModelRef ref = ParseModelRef("qwen2.5-coder-0.5b").value();
  std::filesystem::create_directories(std::filesystem::path(cache.IncompletePath(ref.repo, "ab")).parent_path());
  test::WriteFile(cache.IncompletePath(ref.repo, "ab"), "partial");
  EXPECT_FALSE(cache.Find(ref));
  EXPECT_TRUE(cache.List().empty());
  test::WriteFile(cache.BlobPath(ref.repo, "ab"), "GGUF-complete");
  ASSERT_TRUE(cache.Commit(ref, "c1", "ab").ok());
  ASSERT_TRUE(cache.Find(ref));
  EXPECT_EQ(cache.List().size(), 1u);
}

}  // namespace cmdai
