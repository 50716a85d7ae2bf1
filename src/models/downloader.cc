// SPDX-License-Identifier: MIT
#include "models/downloader.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "common/interrupt.h"
#include "common/unique_file.h"
#include "net/http_client.h"
#include "net/retry_policy.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct MdDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string Unquote(std::string s) {
  if (s.rfind("W/", 0) == 0) s = s.substr(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// "940.4 MiB", "1.1 GiB": sizes in notes (ui::Bytes is not reachable from here).
std::string MiB(uint64_t bytes) {
  char b[32];
  if (bytes >= (uint64_t{1} << 30))
    std::snprintf(b, sizeof(b), "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
  else
    std::snprintf(b, sizeof(b), "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return b;
}

net::RetryPolicy PolicyFor(const DownloadOptions& o) {
  net::RetryPolicy p;
  p.max_attempts = std::max(1, o.max_attempts);
  p.first_delay = std::chrono::milliseconds(o.backoff_ms);
  return p;
}

net::HttpRequest RequestFor(const std::string& url, const DownloadOptions& o) {
  net::HttpRequest r;
  r.url = url;
  r.connect_timeout_s = o.connect_timeout_s;
  r.stall_timeout_s = o.stall_timeout_s;
  return r;
}

Status HttpError(long status, const ModelRef& ref, const std::string& endpoint) {
  if (status == 401 || status == 403)
    return Status::Error(ErrorCode::kPermission,
                         "access to " + ref.repo + " was refused (HTTP " + std::to_string(status) + ")",
                         "for a gated or private model, accept its terms on the hub and set HF_TOKEN to an access "
                         "token (huggingface.co/settings/tokens)");
  if (status == 404)
    return Status::Error(ErrorCode::kNotFound, Describe(ref) + " was not found on " + endpoint,
                         "check the repository, file and revision (cmdai models list shows the catalog)");
  return Status::Error(ErrorCode::kNetwork, "the hub answered HTTP " + std::to_string(status) + " for " + Describe(ref),
                       "try again later, or pass --model PATH");
}

// The Status for an exchange that ended the download step. `kept` is what
// an interrupt leaves behind, said honestly.
Status ExchangeError(const net::Exchange& ex, const net::HttpRequest& req, const ModelRef& ref,
                     const std::string& endpoint, const std::string& kept) {
  switch (ex.failure) {
    case net::Failure::kNone: return HttpError(ex.status, ref, endpoint);
    case net::Failure::kInterrupted: return Status::Error(ErrorCode::kInterrupted, "interrupted; " + kept);
    case net::Failure::kStalled:
    case net::Failure::kTimeout:
      return Status::Error(ErrorCode::kNetwork,
                           "the download from " + endpoint + " stalled (" + net::Describe(ex, req) + ")",
                           "try again (it resumes where it stopped), or pass --model PATH");
    default:
      return Status::Error(ErrorCode::kNetwork, "cannot reach " + endpoint + ": " + ex.detail,
                           "check the network or HF_ENDPOINT, or use --model PATH or --offline with a cached model");
  }
}

class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {}
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the lock
  }
  bool TryLock() { return fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) == 0; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::string Hex(const unsigned char* d, unsigned n) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < n; ++i) s += {k[d[i] >> 4], k[d[i] & 15]};
  return s;
}

}  // namespace

Result<std::string> Download(const ModelRef& ref, const HubCache& cache, const DownloadOptions& o) {
  const std::string url = o.endpoint + "/" + ref.repo + "/resolve/" + ref.revision + "/" + ref.file;
  const std::string name = ref.id.empty() ? Describe(ref) : ref.id;
  const net::RetryPolicy policy = PolicyFor(o);
  auto note = [&o](const std::string& line) {
    if (o.note) o.note(line);
  };

  // 1. Metadata: the hub's answer before its redirect.
  net::HttpRequest head = RequestFor(url, o);
  head.method = "HEAD";
  if (!o.token.empty()) head.headers.push_back("Authorization: Bearer " + o.token);
  const net::Exchange meta = net::RunWithRetries(
      policy, [&](int) { return net::Perform(head); },
      [&](const net::RetryNotice& n) {
        note("no answer from " + o.endpoint + " (" + net::Describe(*n.failed, head) + "); retrying " +
             net::RetryTail(n));
      });
  if (!meta.ok() || meta.status >= 400) return ExchangeError(meta, head, ref, o.endpoint, "nothing was downloaded");
  const std::string sha =
      Unquote(!meta.Header("x-linked-etag").empty() ? meta.Header("x-linked-etag") : meta.Header("etag"));
  const std::string linked_size = meta.Header("x-linked-size");
  const uint64_t size =
      std::strtoull((linked_size.empty() ? meta.Header("content-length") : linked_size).c_str(), nullptr, 10);
  const std::string commit = meta.Header("x-repo-commit").empty() ? ref.revision : meta.Header("x-repo-commit");
  const std::string location = meta.Header("location");
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::Error(ErrorCode::kNetwork, "the hub gave no SHA-256 for " + Describe(ref) + " (X-Linked-Etag)",
                         "the file cannot be verified, so it is not downloaded; check HF_ENDPOINT");
  const bool same_host = location.empty() || location.rfind(o.endpoint, 0) == 0 || location[0] == '/';
  const std::string fetch_url = location.empty() ? url : location[0] == '/' ? o.endpoint + location : location;

  std::error_code ec;
  const std::string blob = cache.BlobPath(ref.repo, sha);
  const std::string part = cache.IncompletePath(ref.repo, sha);
  fs::create_directories(fs::path(blob).parent_path(), ec);
  if (ec)
    return Status::Error(ErrorCode::kIo,
                         "cannot create " + fs::path(blob).parent_path().string() + ": " + ec.message());

  // 2. One process downloads; the others wait and then use its file.
  FileLock lock(blob + ".lock");
  if (!lock.valid()) return Status::Error(ErrorCode::kIo, "cannot create the lock file " + blob + ".lock");
  bool told = false;
  while (!lock.TryLock()) {
    if (!told) note("another cmdai is downloading " + name + "; waiting");
    told = true;
    if (!SleepUnlessInterrupted(std::chrono::milliseconds(100)))
      return Status::Error(ErrorCode::kInterrupted, "interrupted; the other cmdai goes on downloading");
  }
  if (fs::exists(blob, ec) && fs::file_size(blob, ec) == size) {
    if (Status s = cache.Commit(ref, commit, sha); !s.ok()) return s;
    return *cache.Find(ref);
  }

  uint64_t have = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
  if (have > size) {  // not ours to continue
    fs::remove(part, ec);
    have = 0;
  }
  struct statvfs vfs = {};
  if (statvfs(fs::path(blob).parent_path().c_str(), &vfs) == 0) {
    const uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (free_bytes < size - have + (64u << 20))
      return Status::Error(ErrorCode::kDiskFull,
                           "not enough disk space for " + Describe(ref) + ": it needs " +
                               std::to_string((size - have) >> 20) + " MiB, " + std::to_string(free_bytes >> 20) +
                               " MiB are free in " + cache.hub_dir(),
                           "free some space or set HF_HOME to a larger disk");
  }
  // The one line that says what is about to move, before any of it does.
  note("downloading " + name + " (" + MiB(size) + (have > 0 ? ", resuming at " + MiB(have) : "") + ") from " +
       o.endpoint + " into " + cache.RepoDir(ref.repo));

  // Hash what is already there, then continue the same digest.
  std::unique_ptr<EVP_MD_CTX, MdDeleter> md(EVP_MD_CTX_new());
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  if (have > 0) {
    std::ifstream in(part, std::ios::binary);
    std::vector<char> buf(1 << 20);
    uint64_t left = have;
    while (left > 0 && in.read(buf.data(), static_cast<std::streamsize>(std::min<uint64_t>(left, buf.size())))) {
      EVP_DigestUpdate(md.get(), buf.data(), static_cast<size_t>(in.gcount()));
      left -= static_cast<uint64_t>(in.gcount());
    }
  }

  // Each attempt appends to the partial file from where it ends.
  net::HttpRequest get = RequestFor(fetch_url, o);
  get.follow_redirects = true;
  if (!o.token.empty() && same_host)  // the token goes to the hub, never to a storage host
    get.headers.push_back("Authorization: Bearer " + o.token);
  UniqueFile file;
  bool write_failed = false;
  Clock::time_point last_progress;
  net::BodySink sink;
  sink.start = [&](long status) {
    if (have > 0 && status == 200) {  // the server ignored Range and sends the whole file: start over
      file.reset(std::fopen(part.c_str(), "wb"));
      have = 0;
      EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
    }
    return file != nullptr;
  };
  sink.write = [&](std::string_view piece) {
    if (std::fwrite(piece.data(), 1, piece.size(), file.get()) != piece.size()) {
      write_failed = true;
      return false;
    }
    EVP_DigestUpdate(md.get(), piece.data(), piece.size());
    have += piece.size();
    if (o.progress && Clock::now() - last_progress > std::chrono::milliseconds(100)) {
      last_progress = Clock::now();
      o.progress(have, size);
    }
    return true;
  };
  bool open_failed = false;
  net::Exchange body;  // stays a success when the partial file is already whole
  if (have < size)
    body = net::RunWithRetries(
        policy,
        [&](int) {
          file.reset(std::fopen(part.c_str(), "ab"));
          if (!file) {
            open_failed = true;
            net::Exchange refused;
            refused.failure = net::Failure::kSink;
            return refused;
          }
          get.range_from = have;
          net::Exchange ex = net::Perform(get, &sink);
          std::fflush(file.get());
          file.reset();
          if (ex.ok() && ex.status < 300 && have < size) {  // closed early without saying so
            ex.failure = net::Failure::kTransport;
            ex.detail = "the connection closed early";
          }
          return ex;
        },
        [&](const net::RetryNotice& n) {
          note(std::string("download ") + (n.failed->failure == net::Failure::kStalled ? "stalled" : "interrupted") +
               " (" + net::Describe(*n.failed, get) + ") at " + MiB(have) + " of " + MiB(size) + "; resuming " +
               net::RetryTail(n));
        });
  if (open_failed) return Status::Error(ErrorCode::kIo, "cannot write " + part);
  if (write_failed)
    return Status::Error(ErrorCode::kDiskFull, "writing " + part + " failed (disk full?)",
                         "free some space; the download resumes where it stopped");
  if (!body.ok() || body.status >= 300 || have < size) {
    const std::string kept =
        have == 0 ? "nothing was downloaded"
                  : "the partial download (" + MiB(have) + " of " + MiB(size) + ") is kept and resumes next time";
    return ExchangeError(body, get, ref, o.endpoint, kept);
  }
  if (o.progress) o.progress(have, size);

  // 3. Verify, then move into place.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(md.get(), digest, &len);
  if (have != size || Hex(digest, len) != sha) {
    fs::remove(part, ec);
    return Status::Error(ErrorCode::kChecksum,
                         "the download of " + Describe(ref) + " failed verification (" +
                             (have != size ? "size " + std::to_string(have) + " instead of " + std::to_string(size)
                                           : "SHA-256 mismatch") +
                             "); the file was discarded",
                         "try again; if it keeps failing, the mirror (HF_ENDPOINT) serves a different file");
  }
  fs::rename(part, blob, ec);
  if (ec) return Status::Error(ErrorCode::kIo, "cannot move " + part + " into place: " + ec.message());
  if (Status s = cache.Commit(ref, commit, sha); !s.ok()) return s;
  auto path = cache.Find(ref);
  if (!path) return Status::Error(ErrorCode::kIo, "the downloaded model is not where it was placed: " + blob);
  return *path;
}

}  // namespace cmdai
