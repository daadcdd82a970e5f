#pragma once
// The one place where an ErrorCode becomes an HTTP status, and where every
// error body is shaped: {"error":{"code":..,"field":..,"message":..}}.
// Handlers, the library's own failures (unknown route, oversized body) and
// the exception boundary all answer through here, so a client sees one form.

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/http_response.h"


namespace pingan {

// invalid_argument 400, not_found 404, conflict 409, already_exists 409,
// payload_too_large 413, unavailable 503, internal 500.
int http_status_for(ErrorCode code);

// {"error":{"code":"invalid_argument","field":"location.lat","message":"..."}};
// "field" is left out when the error concerns no single field.
nlohmann::json error_json(const Error& error);

// The answer for an error: its status and the JSON body above.
HttpResponse error_reply(const Error& error);


}  // namespace pingan
