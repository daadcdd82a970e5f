#include "http/route_call.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <strings.h>

#include "http/auth_gate.h"
#include "http/error_response.h"
#include "http/request_scope.h"
#include "http/json_reply.h"

namespace pingan {

HttpResponse call_route(const Route& route, const RouteRequest& req) {
  try {
    Result<Reply> reply = route.handler(req);
    if (!reply.ok()) return error_reply(reply.error());
    HttpResponse res;
    if (reply->status == 204) {
      res.status = 204;  // no content: no body, no type
    } else if (!reply->raw_content_type.empty()) {
      res.status = reply->status;
      res.content_type = std::move(reply->raw_content_type);
      res.body = std::move(reply->raw_body);
    } else {
      res = json_reply(reply->status, reply->body);
    }
    res.headers = std::move(reply->headers);
    return res;
  } catch (const std::exception& e) {
    spdlog::error("exception while handling {} {}: {}", req.http.method, req.http.path, e.what());
    return error_reply(Error::internal(
        fmt::format("unexpected failure while handling {} {}: {}", req.http.method, req.http.path, e.what())));
  } catch (...) {
    spdlog::error("unknown exception while handling {} {}", req.http.method, req.http.path);
    return error_reply(Error::internal(
        fmt::format("unexpected failure while handling {} {}: unknown exception", req.http.method, req.http.path)));
  }
}

}  // namespace pingan

namespace pingan {
namespace {

// "incident:42" from the route's first placeholder, for the audit entry.
std::string audit_target(const Route& route, const std::vector<std::string>& params) {
  if (params.empty()) return {};
  const std::size_t open = route.path.find('{');
  const std::size_t slash = route.path.rfind('/', open);
  std::string kind = route.path.substr(route.path.rfind('/', slash - 1) + 1, slash - route.path.rfind('/', slash - 1) - 1);
  if (!kind.empty() && kind.back() == 's') kind.pop_back();  // "incidents" -> "incident"
  return kind + ":" + params.front();
}

std::string error_message_of(const HttpResponse& res) {
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object())
    return body["error"].value("message", std::string());
  return {};
}

}  // namespace

HttpResponse call_guarded(const ApiContext& api, const Route& route, const HttpRequest& http, std::string body,
                          std::vector<std::string> path_params, const Deadline& deadline) {
  const std::string action = http.method + " " + route.path;
  auto admitted = admit(*api.authority, http, route.permission);
  if (!admitted.ok()) {
    HttpResponse res = error_reply(admitted.error());
    if (api.audit)
      api.audit({"", "", http.remote_address, action, audit_target(route, path_params), "refused",
                 admitted.error().message});
    return res;
  }
  const auth::Principal* who = admitted->has_value() ? &**admitted : nullptr;
  RouteRequest req{http, std::move(body), std::move(path_params), scope_of(who), actor_of(who), who};
  req.deadline = &deadline;
  HttpResponse res = call_route(route, req);
  // Every write is audited, and every refusal of a signed-in caller; the
  // sign-in routes write their own entries (auth::Authority's notes).
  const bool write = http.method != "GET" && http.method != "HEAD";
  const bool refused = res.status == 401 || res.status == 403 || res.status == 423;
  if (api.audit && (write || refused) && !(route.audits_itself && !refused) && route.path.rfind("/api/auth/", 0) != 0) {
    api.audit({who ? who->username : "", who ? who->unit_code : "", http.remote_address, action,
               audit_target(route, req.path_params), res.status < 400 ? "ok" : (refused ? "refused" : "failed"),
               res.status < 400 ? "" : error_message_of(res)});
  }
  return res;
}

void add_security_headers(HttpResponse& res, bool api_answer) {
  auto set = [&](const char* name, const char* value) {
    for (const auto& [n, v] : res.headers)
      if (strcasecmp(n.c_str(), name) == 0) return;
    res.headers.emplace_back(name, value);
  };
  set("Content-Security-Policy",
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; "
      "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Referrer-Policy", "no-referrer");
  set("Cross-Origin-Opener-Policy", "same-origin");
  if (api_answer) set("Cache-Control", "no-store");
}

}  // namespace pingan
