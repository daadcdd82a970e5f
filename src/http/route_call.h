#pragma once
// Calling one route: the caller admitted (auth_gate.h) with their scope and
// name, the handler's Reply or Error made an HttpResponse, and the audit
// entry of a write or a refusal. This is the one exception boundary — a
// handler that throws is a bug, answered 500 with the reason while the
// worker goes on serving.

#include <string>
#include <vector>

#include "core/deadline.h"
#include "http/api_routes.h"
#include "http/http_response.h"
#include "http/route.h"

namespace pingan {

HttpResponse call_route(const Route& route, const RouteRequest& req);

HttpResponse call_guarded(const ApiContext& api, const Route& route, const HttpRequest& http, std::string body,
                          std::vector<std::string> path_params, const Deadline& deadline);

// The security headers of every answer (CSP, nosniff, frame denial,
// Referrer-Policy; no-store on API answers, which may hold personal data).
void add_security_headers(HttpResponse& res, bool api_answer);

}  // namespace pingan
