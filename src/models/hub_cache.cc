// SPDX-License-Identifier: MIT
#include "models/hub_cache.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace cmdai {

namespace fs = std::filesystem;

namespace {

std::string ReadFirstLine(const fs::path& p) {
  std::ifstream f(p);
  std::string s;
  std::getline(f, s);
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool WriteAtomically(const fs::path& p, const std::string& content) {
  const fs::path tmp = p.string() + ".tmp." + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << content;
    if (!f.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  return !ec;
}

}  // namespace

HubCache::HubCache(std::string hub_dir, std::string llama_cache)
    : hub_dir_(std::move(hub_dir)), llama_cache_(std::move(llama_cache)) {}

std::string HubCache::RepoDir(const std::string& repo) const {
  std::string name = "models--" + repo;
  for (size_t p; (p = name.find('/')) != std::string::npos;) name.replace(p, 1, "--");
  return hub_dir_ + "/" + name;
}

std::string HubCache::BlobPath(const std::string& repo, const std::string& sha) const {
  return RepoDir(repo) + "/blobs/" + sha;
}

std::string HubCache::IncompletePath(const std::string& repo, const std::string& sha) const {
  return BlobPath(repo, sha) + ".incomplete";
}

std::optional<std::string> HubCache::Find(const ModelRef& ref) const {
  const std::vector<std::string> all = FindAll(ref);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<std::string> HubCache::FindAll(const ModelRef& ref) const {
  std::error_code ec;
  std::vector<std::string> out;
  if (ref.local) {
    if (fs::exists(ref.path, ec)) out.push_back(ref.path);
    return out;
  }
  const fs::path repo = RepoDir(ref.repo);
  // A revision is a name in refs/ or a commit hash itself.
  std::string commit = ReadFirstLine(repo / "refs" / ref.revision);
  if (commit.empty()) commit = ref.revision;
  const fs::path snap = repo / "snapshots" / commit / ref.file;
  if (fs::exists(snap, ec) && fs::is_regular_file(snap, ec)) out.push_back(snap.string());
  // llama.cpp's cache: OWNER_REPO_FILE.
  if (!llama_cache_.empty() && ref.revision == "main") {
    std::string flat = ref.repo + "_" + ref.file;
    for (auto& ch : flat)
      if (ch == '/') ch = '_';
    const fs::path p = fs::path(llama_cache_) / flat;
    if (fs::exists(p, ec) && fs::is_regular_file(p, ec)) out.push_back(p.string());
  }
  return out;
}

Status HubCache::Commit(const ModelRef& ref, const std::string& commit, const std::string& sha) const {
  std::error_code ec;
  const fs::path repo = RepoDir(ref.repo);
  const fs::path snap_dir = repo / "snapshots" / commit;
  const fs::path link = snap_dir / ref.file;
  fs::create_directories(link.parent_path(), ec);
  fs::create_directories(repo / "refs", ec);
  if (ec) return Status::Error(ErrorCode::kIo, "cannot create " + snap_dir.string() + ": " + ec.message());
  // Relative link, as huggingface_hub makes it: works if the cache moves.
  fs::path target = fs::relative(BlobPath(ref.repo, sha), link.parent_path(), ec);
  const fs::path tmp = link.string() + ".tmp." + std::to_string(getpid());
  fs::remove(tmp, ec);
  fs::create_symlink(target, tmp, ec);
  if (ec) return Status::Error(ErrorCode::kIo, "cannot link " + link.string() + ": " + ec.message());
  fs::rename(tmp, link, ec);
  if (ec) return Status::Error(ErrorCode::kIo, "cannot link " + link.string() + ": " + ec.message());
  if (ref.revision != commit && !WriteAtomically(repo / "refs" / ref.revision, commit))
    return Status::Error(ErrorCode::kIo, "cannot write " + (repo / "refs" / ref.revision).string());
  return Status::Ok();
}

Status HubCache::Remove(const ModelRef& ref) const {
  auto path = Find(ref);
  std::error_code ec;
  if (!path) return Status::Error(ErrorCode::kNotFound, Describe(ref) + " is not installed", "see cmdai models list");
  const fs::path p(*path);
  if (fs::is_symlink(p, ec)) {
    const fs::path blob = fs::canonical(p, ec);
    fs::remove(p, ec);
    // Drop the blob unless another snapshot still points at it.
    bool used = false;
    for (auto it = fs::recursive_directory_iterator(RepoDir(ref.repo) + "/snapshots", ec);
         it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_symlink(ec) && fs::canonical(it->path(), ec) == blob) used = true;
    if (!used) fs::remove(blob, ec);
  } else {
    fs::remove(p, ec);
  }
  if (ec) return Status::Error(ErrorCode::kIo, "cannot remove " + p.string() + ": " + ec.message());
  return Status::Ok();
}

std::vector<HubCache::Installed> HubCache::List() const {
  std::vector<Installed> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(hub_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string dir = it->path().filename().string();
    if (dir.rfind("models--", 0) != 0) continue;
    std::string repo = dir.substr(8);
    if (auto p = repo.find("--"); p != std::string::npos) repo.replace(p, 2, "/");
    for (auto s = fs::recursive_directory_iterator(it->path() / "snapshots", ec);
         !ec && s != fs::recursive_directory_iterator(); s.increment(ec)) {
      if (s->path().extension() != ".gguf") continue;
      std::error_code size_ec;
      const uint64_t bytes = fs::file_size(s->path(), size_ec);  // follows the link
      if (size_ec) continue;                                     // dangling: not complete
      // COMMIT/FILE, taken apart lexically: fs::relative would follow the link into blobs/.
      const fs::path rel = s->path().lexically_relative(it->path() / "snapshots");
      fs::path file;
      for (auto part = std::next(rel.begin()); part != rel.end(); ++part) file /= *part;
      out.push_back({repo, file.string(), s->path().string(), bytes});
    }
  }
  if (!llama_cache_.empty())
    for (auto it = fs::directory_iterator(llama_cache_, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
      if (it->path().extension() == ".gguf" && it->is_regular_file())
        out.push_back({"(llama.cpp cache)", it->path().filename().string(), it->path().string(),
                       static_cast<uint64_t>(it->file_size(ec))});
  return out;
}

}  // namespace cmdai
