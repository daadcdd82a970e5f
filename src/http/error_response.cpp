#include "http/error_response.h"

#include <fmt/format.h>
#include <httplib.h>

#include "http/json_reply.h"

namespace pingan {

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json inner = {{"code", error_code_name(error.code)}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  return {{"error", std::move(inner)}};
}

void write_error(httplib::Response& res, const Error& error) {
  res.status = http_status_for(error.code);
  write_json(res, error_json(error));
}

Error error_for_library_status(int http_status, const std::string& method, const std::string& path,
                               std::size_t max_body_bytes) {
  switch (http_status) {
    case 404:
      return Error::not_found(fmt::format("no route for {} {}", method, path));
    case 413:
      return Error{ErrorCode::kPayloadTooLarge, "body",
                   fmt::format("the request body exceeds the limit of {} bytes", max_body_bytes)};
    case 414:
      return Error::invalid("path", "the request URI is too long");
    case 500:
      return Error::internal("the server failed to handle the request");
    case 503:
      return Error::unavailable("the server is busy");
    default:
      if (http_status >= 500) return Error::internal(fmt::format("HTTP status {}", http_status));
      return Error::invalid(
          "", fmt::format("the request could not be read (HTTP status {})", http_status));
  }
}

}  // namespace pingan
