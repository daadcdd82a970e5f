#pragma once
// Writing JSON bodies. Strings that reach a response are valid UTF-8 by the
// time they are stored, but a dump must never throw inside a handler, so
// invalid bytes are replaced rather than raised.

#include <nlohmann/json.hpp>

#include "http/http_response.h"


namespace pingan {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

std::string dump_json(const nlohmann::json& value);
// A JSON answer with `status`.
HttpResponse json_reply(int status, const nlohmann::json& value);

}  // namespace pingan
