#pragma once
// A route: one method and OpenAPI-style path ("/api/incidents/{id}") bound to
// a handler that parses, calls the engine and returns a JSON reply or an
// Error. The server matches requests against this path itself (router.h), so
// the routes served and the routes listed for the OpenAPI check cannot drift
// apart.
//
// Handlers return expected failures as Errors (mapped to a status by
// error_response.h); they may throw only on bugs, which the server's
// exception boundary turns into a 500.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/deadline.h"
#include "core/status.h"
#include "http/http_request.h"
#include "core/unit.h"

namespace pingan::auth {
struct Principal;
}


namespace pingan {

struct RouteRequest {
  const HttpRequest& http;
  std::string body;                      // the request body (read within the size limit)
  std::vector<std::string> path_params;  // values of the {placeholders}, in order
  UnitScope scope;                       // the caller's unit subtree (request_scope.h)
  std::string actor;                     // who is signed in, recorded on what the request writes
  // The signed-in caller; null on public routes called without signing in.
  const auth::Principal* principal = nullptr;
  // When the computation must stop (the server's time limit, or the client
  // left); long loops poll it. Never null.
  const Deadline* deadline = &Deadline::none();
};

struct Reply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A body that is not JSON (an .xlsx download): sent as is, with this type,
  // when raw_content_type is set; `body` is ignored then.
  std::string raw_body{};
  std::string raw_content_type{};
};

using RouteHandler = std::function<Result<Reply>(const RouteRequest&)>;

struct Route {
  std::string method;  // "GET", "POST"
  std::string path;    // OpenAPI style, e.g. "/api/incidents/{id}"
  // What the caller needs: a permission of data/auth/roles.json,
  // auth::kSignedIn or auth::kPublic. Declared by every route (the server
  // checks it before the handler runs; docs/openapi.json's
  // x-pingan-permission says the same, and a test holds the two together).
  std::string permission;
  RouteHandler handler;
  // A read sent as POST that writes its own audit entry (the fugitive
  // check: the number travels in the body, and its entry is deferred so
  // the answer does not wait for the disk): the server's entry for every
  // write is not added.
  bool audits_itself = false;
};

// Reads a positive integer path parameter ("id").
Result<std::int64_t> parse_id_param(const std::string& text, const char* field);

}  // namespace pingan
