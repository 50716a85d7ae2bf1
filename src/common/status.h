// SPDX-License-Identifier: MIT
// Status and Result<T>: how every module reports failure across its boundary.
// A Status carries a code (which picks the exit status at the edge), a message
// naming what failed, and a hint saying what the person can do about it.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cmdai {

enum class ErrorCode {
  kOk = 0,
  kUsage,              // bad flags, arguments or request: the person must change the call
  kConfig,             // a configuration file or value is invalid
  kNotFound,           // a named file or resource does not exist
  kInvalidModel,       // the model file exists but cannot be used
  kBackend,            // the inference engine failed while running
  kTooLong,            // the input does not fit the model's context
  kNoCommand,          // the model's answer held no usable command
  kInterrupted,        // the person pressed Ctrl-C
  kBlocked,            // the command is blocked at the current safety level
  kNeedsConfirmation,  // the command needs a confirmation that cannot be asked for
  kNetwork,            // a server could not be reached, or failed after retries
  kPermission,         // a server refused: authentication or authorisation
  kChecksum,           // downloaded bytes failed verification
  kDiskFull,           // not enough free disk space
  kIo,                 // reading or writing a file failed
};

/// The outcome of an operation: ok, or an error with message and hint.
/// Cheap to copy; holds no resources.
class Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  static Status Error(ErrorCode code, std::string message, std::string hint = "") {
    assert(code != ErrorCode::kOk);
    Status s;
    s.code_ = code;
    s.message_ = std::move(message);
    s.hint_ = std::move(hint);
    return s;
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }

  /// "message; hint" — the one line the CLI prints after "cmdai: error: ".
  std::string ToString() const { return hint_.empty() ? message_ : message_ + "; " + hint_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string hint_;
};

/// A value of type T, or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                                              // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  /// The error; REQUIRES: !ok().
  const Status& status() const { return std::get<Status>(v_); }
  /// REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cmdai
