// SPDX-License-Identifier: MIT
#include "models/downloader.h"

#include <curl/curl.h>
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
#include <mutex>
#include <thread>

#include "common/interrupt.h"
#include "common/unique_file.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct MdDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && s[b] == ' ') ++b;
  return s.substr(b);
}

std::string Unquote(std::string s) {
  if (s.rfind("W/", 0) == 0) s = s.substr(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

struct Headers {
  long status = 0;
  std::string commit, etag, linked_etag, location, retry_after;
  uint64_t linked_size = 0, content_length = 0;
  bool has_linked_size = false;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* h = static_cast<Headers*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) *h = Headers{};  // a new response (after a redirect)
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string key = line.substr(0, colon);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string value = Trim(line.substr(colon + 1));
  if (key == "x-repo-commit")
    h->commit = value;
  else if (key == "x-linked-etag")
    h->linked_etag = Unquote(value);
  else if (key == "etag")
    h->etag = Unquote(value);
  else if (key == "location")
    h->location = value;
  else if (key == "retry-after")
    h->retry_after = value;
  else if (key == "x-linked-size")
    h->linked_size = std::strtoull(value.c_str(), nullptr, 10), h->has_linked_size = true;
  else if (key == "content-length")
    h->content_length = std::strtoull(value.c_str(), nullptr, 10);
  return size * n;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

struct Transfer {
  FILE* file = nullptr;
  EVP_MD_CTX* sha = nullptr;
  uint64_t offset = 0;  // bytes already in the file before this request
  uint64_t written = 0;
  uint64_t total = 0;
  const DownloadOptions* options = nullptr;
  Clock::time_point last_progress;
  bool write_failed = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (std::fwrite(data, 1, bytes, t->file) != bytes) {
    t->write_failed = true;
    return 0;  // makes curl fail the transfer
  }
  EVP_DigestUpdate(t->sha, data, bytes);
  t->written += bytes;
  return bytes;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (Interrupted()) return 1;  // abort; the partial file stays for resume
  if (t && t->options->progress && Clock::now() - t->last_progress > std::chrono::milliseconds(100)) {
    t->last_progress = Clock::now();
    t->options->progress(t->offset + t->written, t->total);
  }
  return 0;
}

void CommonOptions(CURL* c, const DownloadOptions& o) {
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.connect_timeout_s));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);                                   // a stall: under 1 byte/s …
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.stall_timeout_s));  // … for this long
  curl_easy_setopt(c, CURLOPT_USERAGENT, "cmdai/0.1");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

bool Transient(CURLcode rc, long status) {
  if (rc == CURLE_OK) return status == 429 || status >= 500;
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
         rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE || rc == CURLE_GOT_NOTHING ||
         rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_HTTP2 ||
         rc == CURLE_HTTP2_STREAM;
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

Status CurlError(CURLcode rc, const std::string& endpoint) {
  if (rc == CURLE_ABORTED_BY_CALLBACK) return Status::Error(ErrorCode::kInterrupted, "interrupted");
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Status::Error(ErrorCode::kNetwork, "the download from " + endpoint + " stalled",
                         "try again (it resumes where it stopped), or pass --model PATH");
  return Status::Error(ErrorCode::kNetwork, "cannot reach " + endpoint + ": " + curl_easy_strerror(rc),
                       "check the network or HF_ENDPOINT, or use --model PATH or --offline with a cached model");
}

// Sleeps for the backoff, or Retry-After when the server said how long.
bool Backoff(int attempt, const DownloadOptions& o, const std::string& retry_after) {
  int ms = std::min(o.backoff_ms << std::min(attempt, 4), 8000);
  if (!retry_after.empty() && std::isdigit(static_cast<unsigned char>(retry_after[0])))
    ms = std::min(std::atoi(retry_after.c_str()) * 1000, 60000);
  for (int waited = 0; waited < ms; waited += 50) {
    if (Interrupted()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
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
  InitCurlOnce();
  const std::string url = o.endpoint + "/" + ref.repo + "/resolve/" + ref.revision + "/" + ref.file;

  // 1. Metadata: the hub's answer before its redirect.
  Headers meta;
  for (int attempt = 0;; ++attempt) {
    CurlPtr c(curl_easy_init());
    SlistPtr hdrs;
    if (!o.token.empty()) hdrs.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + o.token).c_str()));
    curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, hdrs.get());
    curl_easy_setopt(c.get(), CURLOPT_NOBODY, 1L);  // HEAD
    curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c.get(), CURLOPT_HEADERDATA, &meta);
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, Discard);
    CommonOptions(c.get(), o);
    const CURLcode rc = curl_easy_perform(c.get());
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &meta.status);
    if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    if (rc == CURLE_OK && meta.status < 400) break;
    if (attempt + 1 >= o.max_attempts || !Transient(rc, meta.status))
      return rc != CURLE_OK ? CurlError(rc, o.endpoint) : HttpError(meta.status, ref, o.endpoint);
    if (o.note)
      o.note("retrying after " +
             std::string(rc != CURLE_OK ? curl_easy_strerror(rc) : ("HTTP " + std::to_string(meta.status))));
    if (!Backoff(attempt, o, meta.retry_after)) return Status::Error(ErrorCode::kInterrupted, "interrupted");
  }
  const std::string sha = !meta.linked_etag.empty() ? meta.linked_etag : meta.etag;
  const uint64_t size = meta.has_linked_size ? meta.linked_size : meta.content_length;
  const std::string commit = meta.commit.empty() ? ref.revision : meta.commit;
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::Error(ErrorCode::kNetwork, "the hub gave no SHA-256 for " + Describe(ref) + " (X-Linked-Etag)",
                         "the file cannot be verified, so it is not downloaded; check HF_ENDPOINT");
  const std::string data_url = meta.location.empty() ? url : meta.location;
  const bool same_host = meta.location.empty() || meta.location.rfind(o.endpoint, 0) == 0 || meta.location[0] == '/';
  const std::string fetch_url =
      !meta.location.empty() && meta.location[0] == '/' ? o.endpoint + meta.location : data_url;

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
    if (!told && o.note) o.note("another cmdai is downloading " + Describe(ref) + "; waiting");
    told = true;
    if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
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

  for (int attempt = 0; have < size; ++attempt) {
    UniqueFile f(std::fopen(part.c_str(), "ab"));
    if (!f) return Status::Error(ErrorCode::kIo, "cannot write " + part);
    Transfer t;
    t.file = f.get();
    t.sha = md.get();
    t.offset = have;
    t.total = size;
    t.options = &o;
    Headers h;
    CurlPtr c(curl_easy_init());
    SlistPtr hdrs;
    if (!o.token.empty() && same_host)  // the token goes to the hub, never to a storage host
      hdrs.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + o.token).c_str()));
    curl_easy_setopt(c.get(), CURLOPT_URL, fetch_url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, hdrs.get());
    curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c.get(), CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c.get(), CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c.get(), CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c.get(), CURLOPT_FAILONERROR, 1L);
    const std::string range = std::to_string(have) + "-";
    if (have > 0) curl_easy_setopt(c.get(), CURLOPT_RANGE, range.c_str());
    CommonOptions(c.get(), o);
    const CURLcode rc = curl_easy_perform(c.get());
    long status = 0;
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
    std::fflush(f.get());
    f.reset();
    if (t.write_failed)
      return Status::Error(ErrorCode::kDiskFull, "writing " + part + " failed (disk full?)",
                           "free some space; the download resumes where it stopped");
    if (have > 0 && status == 200 && t.written > 0) {
      // The server ignored Range and sent the whole file: start over.
      fs::remove(part, ec);
      have = 0;
      EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
      continue;
    }
    have += t.written;
    if (rc == CURLE_OK && have >= size) break;
    if (Interrupted() || rc == CURLE_ABORTED_BY_CALLBACK)
      return Status::Error(ErrorCode::kInterrupted, "interrupted; the partial download is kept and resumes next time");
    if (attempt + 1 >= o.max_attempts ||
        (rc != CURLE_OK && !Transient(rc, status) && rc != CURLE_HTTP_RETURNED_ERROR) ||
        (rc == CURLE_HTTP_RETURNED_ERROR && !Transient(CURLE_OK, status)))
      return rc == CURLE_HTTP_RETURNED_ERROR ? HttpError(status, ref, o.endpoint) : CurlError(rc, o.endpoint);
    if (o.note)
      o.note("download interrupted (" +
             std::string(rc == CURLE_HTTP_RETURNED_ERROR ? "HTTP " + std::to_string(status) : curl_easy_strerror(rc)) +
             "); resuming at " + std::to_string(have >> 20) + " MiB");
    if (!Backoff(attempt, o, h.retry_after)) return Status::Error(ErrorCode::kInterrupted, "interrupted");
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
