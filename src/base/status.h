// Errors as values. A Status is ok or carries a kind and a message that names what is wrong
// and, where it helps, what to do about it. Result<T> is a value or a Status.
//
// The kind is for code that decides what to do next (skip a bad segment, stop at the end of a
// replay, retry an unreachable server); the message is for people and is never parsed. Both
// types are [[nodiscard]]: an error dropped on the floor is data lost without a trace. Where
// ignoring one is right, the call site says why.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace iw {

class [[nodiscard]] Status {
 public:
  enum class Code : uint8_t {
    kOk = 0,
    kNotFound,         // a named thing (file, key, user, series) does not exist
    kEnd,              // a finite stream or source is exhausted; not an error of its content
    kCorruption,       // stored bytes are damaged or not what their format says
    kIOError,          // the operating system refused a read, write, sync or rename
    kInvalidArgument,  // input from a user, a config, a request or a caller is not acceptable
    kUnavailable,      // a device, server or resource cannot be reached or is busy; may pass
  };

  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status NotFound(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Status End(std::string message) { return {Code::kEnd, std::move(message)}; }
  static Status Corruption(std::string message) { return {Code::kCorruption, std::move(message)}; }
  static Status IOError(std::string message) { return {Code::kIOError, std::move(message)}; }
  static Status InvalidArgument(std::string message) { return {Code::kInvalidArgument, std::move(message)}; }
  static Status Unavailable(std::string message) { return {Code::kUnavailable, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return ok(); }
  Code code() const { return code_; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  bool is_end() const { return code_ == Code::kEnd; }
  bool is_corruption() const { return code_ == Code::kCorruption; }
  bool is_io_error() const { return code_ == Code::kIOError; }
  bool is_invalid_argument() const { return code_ == Code::kInvalidArgument; }
  bool is_unavailable() const { return code_ == Code::kUnavailable; }

  // REQUIRES: !ok(). The message as written where the error arose (no kind prefix: messages
  // are shown to users and compared by tests as they are).
  const std::string& message() const { return message_; }
  // The same kind with "<context>: " before the message (REQUIRES: !ok()), for an error passed
  // up through a caller that knows what was being done: "current log: <message>".
  Status with_context(const std::string& context) const { return {code_, context + ": " + message_}; }
  // "OK", or the kind's name and the message ("Corruption: <message>"), for logs and tests.
  std::string to_string() const {
    switch (code_) {
      case Code::kOk:
        return "OK";
      case Code::kNotFound:
        return "NotFound: " + message_;
      case Code::kEnd:
        return "End: " + message_;
      case Code::kCorruption:
        return "Corruption: " + message_;
      case Code::kIOError:
        return "IOError: " + message_;
      case Code::kInvalidArgument:
        return "InvalidArgument: " + message_;
      case Code::kUnavailable:
        return "Unavailable: " + message_;
    }
    return message_;
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;  // empty when ok
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) {}  // NOLINT: REQUIRES: !error.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // REQUIRES: !ok().
  const Status& status() const { return std::get<Status>(v_); }
  const std::string& error() const { return status().message(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace iw
