// SPDX-License-Identifier: MIT
// HubCache on real directories: the Hugging Face layout, atomic commits with
// relative links, revisions through refs/, llama.cpp's flat cache, removal
// that spares a shared blob, and never a partial file.
#include "models/hub_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/subprocess.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;

const std::string kSha = std::string(64, 'a');

ModelRef Ref(const std::string& revision = "main") {
  ModelRef r;
  r.repo = "Owner/Repo-GGUF";
  r.file = "model-q4.gguf";
  r.revision = revision;
  return r;
}

// A blob with `bytes` in the cache, as the downloader leaves it before Commit.
void PutBlob(const HubCache& cache, const std::string& sha, const std::string& bytes) {
  fs::create_directories(fs::path(cache.BlobPath("Owner/Repo-GGUF", sha)).parent_path());
  test::WriteFile(cache.BlobPath("Owner/Repo-GGUF", sha), bytes);
}

TEST(HubCache, PathsFollowTheHubLayout) {
  const HubCache cache("/hf/hub", "");
  EXPECT_EQ(cache.RepoDir("Owner/Repo-GGUF"), "/hf/hub/models--Owner--Repo-GGUF");
  EXPECT_EQ(cache.BlobPath("Owner/Repo-GGUF", kSha), "/hf/hub/models--Owner--Repo-GGUF/blobs/" + kSha);
  EXPECT_EQ(cache.IncompletePath("Owner/Repo-GGUF", kSha),
            "/hf/hub/models--Owner--Repo-GGUF/blobs/" + kSha + ".incomplete");
}

TEST(HubCache, CommitLinksTheSnapshotRelativelyAndRecordsTheRevision) {
  const HubCache cache(test::TempDir(), "");
  PutBlob(cache, kSha, "GGUF");
  ASSERT_TRUE(cache.Commit(Ref(), "c0ffee", kSha).ok());
  const fs::path snap = cache.RepoDir("Owner/Repo-GGUF") + "/snapshots/c0ffee/model-q4.gguf";
  ASSERT_TRUE(fs::is_symlink(snap));
  EXPECT_EQ(fs::read_symlink(snap), fs::path("../../blobs/" + kSha));  // survives moving the cache
  EXPECT_EQ(test::ReadFile(cache.RepoDir("Owner/Repo-GGUF") + "/refs/main"), "c0ffee");
  EXPECT_EQ(cache.Find(Ref()), snap.string());
  EXPECT_EQ(cache.Find(Ref("c0ffee")), snap.string());  // a commit names itself
  EXPECT_EQ(cache.Find(Ref("v2")), std::nullopt);       // an unknown revision
  for (const auto& e : fs::recursive_directory_iterator(cache.RepoDir("Owner/Repo-GGUF")))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();  // no temporary left behind
}

TEST(HubCache, APartialDownloadOrADanglingLinkIsNeverFound) {
  const HubCache cache(test::TempDir(), "");
  fs::create_directories(fs::path(cache.IncompletePath("Owner/Repo-GGUF", kSha)).parent_path());
  test::WriteFile(cache.IncompletePath("Owner/Repo-GGUF", kSha), "GG");
  EXPECT_EQ(cache.Find(Ref()), std::nullopt);
  ASSERT_TRUE(cache.Commit(Ref(), "c0ffee", kSha).ok());  // linked, but the blob is not there
  EXPECT_EQ(cache.Find(Ref()), std::nullopt);
  EXPECT_TRUE(cache.List().empty());
}

TEST(HubCache, LlamaCppsCacheIsFoundAfterTheHubCache) {
  const std::string llama = test::TempDir();
  const HubCache cache(test::TempDir(), llama);
  const std::string flat = llama + "/Owner_Repo-GGUF_model-q4.gguf";
  test::WriteFile(flat, "GGUF");
  EXPECT_EQ(cache.Find(Ref()), flat);
  EXPECT_EQ(cache.Find(Ref("v2")), std::nullopt);  // llama.cpp's cache knows only main
  PutBlob(cache, kSha, "GGUF");
  ASSERT_TRUE(cache.Commit(Ref(), "c0ffee", kSha).ok());
  const std::vector<std::string> all = cache.FindAll(Ref());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], cache.RepoDir("Owner/Repo-GGUF") + "/snapshots/c0ffee/model-q4.gguf");
  EXPECT_EQ(all[1], flat);
  EXPECT_EQ(cache.Find(Ref()), all[0]);
  EXPECT_EQ(cache.List().size(), 2u);
}

TEST(HubCache, RemoveSparesABlobAnotherSnapshotUses) {
  const HubCache cache(test::TempDir(), "");
  PutBlob(cache, kSha, "GGUF");
  ASSERT_TRUE(cache.Commit(Ref(), "c0ffee", kSha).ok());
  ASSERT_TRUE(cache.Commit(Ref("v1"), "beef", kSha).ok());
  ASSERT_TRUE(cache.Remove(Ref()).ok());
  EXPECT_EQ(cache.Find(Ref()), std::nullopt);
  EXPECT_TRUE(fs::exists(cache.BlobPath("Owner/Repo-GGUF", kSha)));  // v1 still uses it
  ASSERT_TRUE(cache.Remove(Ref("v1")).ok());
  EXPECT_FALSE(fs::exists(cache.BlobPath("Owner/Repo-GGUF", kSha)));
  EXPECT_EQ(cache.Remove(Ref()).code(), ErrorCode::kNotFound);
}

TEST(HubCache, ListShowsEachCompleteModelWithItsSize) {
  const HubCache cache(test::TempDir(), "");
  PutBlob(cache, kSha, "GGUF-bytes");
  ASSERT_TRUE(cache.Commit(Ref(), "c0ffee", kSha).ok());
  const auto list = cache.List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].repo, "Owner/Repo-GGUF");
  EXPECT_EQ(list[0].file, "model-q4.gguf");
  EXPECT_EQ(list[0].bytes, 10u);
}

}  // namespace
}  // namespace cmdai
