#include "http/route_call.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/error_response.h"
#include "http/json_reply.h"

namespace pingan {

HttpResponse call_route(const Route& route, const RouteRequest& req) {
  try {
    Result<Reply> reply = route.handler(req);
    if (!reply.ok()) return error_reply(reply.error());
    HttpResponse res = json_reply(reply->status, reply->body);
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
