// SPDX-License-Identifier: MIT
// Socket I/O for `cmdai serve` and its client, written once: connecting to and
// listening on a Unix socket, the socket's directory, and one frame (a line)
// sent or received before a deadline, so neither end hangs on a silent peer.
//
// Thread-safety: the functions keep no state; a descriptor is used by one
// thread at a time. Ownership: each UniqueFd closes its descriptor.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cmdai::serve {

using Clock = std::chrono::steady_clock;

/// A file descriptor that closes itself; move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  /// Gives the descriptor up without closing it.
  int release();
  void reset();

 private:
  int fd_ = -1;
};

/// The largest frame either end accepts: a request carries the whole prompt.
constexpr size_t kMaxFrameBytes = size_t{16} << 20;

/// Asked about every 100 ms while waiting; true stops the wait with
/// kInterrupted (the client passes Interrupted). May be empty.
using Cancelled = std::function<bool()>;

/// Whether `path` fits a Unix socket's address (about 104-108 bytes, by
/// system). Checked before anything is made or loaded for a socket.
bool FitsSocketAddress(const std::string& path);

/// Connects to the Unix socket at `path`. Fails with kNetwork when the path
/// does not fit a socket address or nothing accepts connections there.
/// Cost: one socket and one connect.
Result<UniqueFd> ConnectUnix(const std::string& path);

/// Binds `path` (the socket file is made owner-only: 0600) and listens.
/// The path must not exist. Fails with kUsage when the path is too long for a
/// socket address, kIo when it cannot bind or listen.
Result<UniqueFd> ListenUnix(const std::string& path, int backlog);

/// Makes the socket's directory when it is missing: each level this creates is
/// owner-only (0700). A directory that already exists (the person's choice,
/// e.g. $HOME) is left as it is. Fails with kIo when a level cannot be made.
Status MakeSocketDirectory(const std::filesystem::path& dir);

/// Sends `frame` as one line before `deadline`: its text, then '\n' (a final
/// '\n' in `frame` is taken as that end). No other '\n' may appear; the
/// protocol's JSON lines never hold one. Sets the socket non-blocking. Fails with
/// kNetwork when the peer is gone or stops reading until the deadline,
/// kInterrupted when `cancelled` says so, kUsage for a frame holding '\n'.
Status SendFrame(int fd, std::string_view frame, Clock::time_point deadline, const Cancelled& cancelled = {});

/// Receives one frame: the bytes before the first '\n' (anything after it is
/// dropped; FrameReader keeps it, for connections that carry several). Sets the socket non-blocking. Fails with
/// kNetwork when the peer closes before a whole line, sends more than `max_bytes`, or is silent until the deadline;
/// kInterrupted when `cancelled` says so.
Result<std::string> ReceiveFrame(int fd, Clock::time_point deadline, const Cancelled& cancelled = {},
                                 size_t max_bytes = kMaxFrameBytes);

/// Receives the frames of one connection in turn, keeping what arrives after
/// a frame's end for the next (a streamed answer is several lines). Borrows
/// `fd`, which must outlive it; one thread at a time.
class FrameReader {
 public:
  explicit FrameReader(int fd, size_t max_bytes = kMaxFrameBytes) : fd_(fd), max_bytes_(max_bytes) {}
  /// The next frame; fails as ReceiveFrame does.
  Result<std::string> Next(Clock::time_point deadline, const Cancelled& cancelled = {});

 private:
  int fd_;
  size_t max_bytes_;
  std::string buffered_;  // received, not yet returned
};

}  // namespace cmdai::serve
