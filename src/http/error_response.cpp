#include "http/error_response.h"

#include <fmt/format.h>

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
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kLocked:
      return 423;
    case ErrorCode::kTooManyRequests:
      return 429;
  }
  return 500;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json inner = {{"code", error_code_name(error.code)}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  return {{"error", std::move(inner)}};
}

HttpResponse error_reply(const Error& error) {
  HttpResponse reply = json_reply(http_status_for(error.code), error_json(error));
  // The store out of reach (a database restarting, every connection busy):
  // worth trying again shortly, and nothing of the request was written.
  if (error.code == ErrorCode::kUnavailable) reply.headers.emplace_back("Retry-After", "2");
  return reply;
}

}  // namespace pingan
