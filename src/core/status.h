#pragma once
// Expected failures travel as values. An Error names the code (mapped to an
// HTTP status in one table, src/http/error_response.cpp), the field it concerns (empty
// when none) and a human-readable reason.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pingan {

enum class ErrorCode {
  kInvalidArgument,    // a field is missing, malformed or out of range
  kNotFound,           // the record does not exist or is outside the caller's scope
  kConflict,           // the request contradicts the record's state (illegal transition)
  kAlreadyExists,      // a unique key is taken
  kPayloadTooLarge,    // the request body exceeds the limit
  kUnavailable,        // the store cannot be reached or is busy
  kInternal,           // a bug or an unexpected failure of a dependency
  kUnauthenticated,    // no valid sign-in: none, expired, ended, or wrong credentials
  kPermissionDenied,   // signed in, but the role or token does not grant this
  kLocked,             // the account is locked (too many failures) or disabled
  kTooManyRequests,    // too many attempts from one address; try again later
};

const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string field;
  std::string message;

  static Error invalid(std::string field, std::string message) {
    return {ErrorCode::kInvalidArgument, std::move(field), std::move(message)};
  }
  static Error not_found(std::string message) {
    return {ErrorCode::kNotFound, "", std::move(message)};
  }
  static Error conflict(std::string field, std::string message) {
    return {ErrorCode::kConflict, std::move(field), std::move(message)};
  }
  static Error internal(std::string message) {
    return {ErrorCode::kInternal, "", std::move(message)};
  }
  static Error unavailable(std::string message) {
    return {ErrorCode::kUnavailable, "", std::move(message)};
  }
  static Error unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, "", std::move(message)};
  }
  static Error permission_denied(std::string message) {
    return {ErrorCode::kPermissionDenied, "", std::move(message)};
  }
  // "field: message" or just the message, for logs and CLI output.
  std::string describe() const;
};

// Result<T> holds a T or an Error. Result<void> is spelled Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status ok_status() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace pingan

#define PINGAN_CONCAT_INNER(a, b) a##b
#define PINGAN_CONCAT(a, b) PINGAN_CONCAT_INNER(a, b)

// Returns the error of a Status or Result from the enclosing function.
#define PINGAN_RETURN_IF_ERROR(expr)                          \
  do {                                                        \
    auto pingan_status_ = (expr);                             \
    if (!pingan_status_.ok()) return pingan_status_.error();  \
  } while (0)

// Declares `lhs` from a Result's value, or returns its error.
#define PINGAN_ASSIGN_OR_RETURN(lhs, expr)                              \
  auto PINGAN_CONCAT(pingan_result_, __LINE__) = (expr);                \
  if (!PINGAN_CONCAT(pingan_result_, __LINE__).ok())                    \
    return PINGAN_CONCAT(pingan_result_, __LINE__).error();             \
  lhs = std::move(PINGAN_CONCAT(pingan_result_, __LINE__)).value()
