// The request bodies whose readers live inside a route file (the optional
// {"at","actor"} of a unit step, {"on_duty"} of the duty switch, the
// {"units","at","actor"} of a dispatch, {"into"} of a merge and the empty
// body of a configuration reload), fuzzed through the route handlers
// themselves with a RouteRequest, on a small desk (desk_support.h).
//
// The first byte picks the route and the path parameter, the rest is the
// body. Checked: a handler answers with a reply or an Error of an expected
// kind, and never throws (the server would answer 500).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/live_settings.h"
#include "desk_support.h"
#include "http/api_routes.h"

namespace {

using namespace pingan;

struct Target {
  const char* path;
  bool unit_param;  // {call_sign}, else {id}
};
constexpr Target kTargets[] = {
    {"/api/patrol-units/{call_sign}/duty", true},  {"/api/patrol-units/{call_sign}/arrive", true},
    {"/api/patrol-units/{call_sign}/clear", true}, {"/api/incidents/{id}/dispatch", false},
    {"/api/incidents/{id}/merge", false},          {"/api/admin/reload-config", false},
};
constexpr std::size_t kTargetCount = sizeof(kTargets) / sizeof(kTargets[0]);

bool expected(ErrorCode code) {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kNotFound ||
         code == ErrorCode::kConflict;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Target& target = kTargets[data[0] % kTargetCount];
  const bool second = (data[0] / kTargetCount) % 2 == 1;

  fuzz::Desk d = fuzz::fresh_desk();
  ApiContext ctx{*d.engine, nlohmann::json(), std::string()};
  ctx.dispatch = d.desk.get();
  ctx.settings = std::make_shared<config::LiveSettings>(fuzz::settings());
  std::vector<Route> routes = dispatch_routes(ctx);
  for (auto group : {duplicate_routes(ctx), admin_routes(ctx)})
    for (Route& r : group) routes.push_back(std::move(r));
  const Route* route = nullptr;
  for (const Route& r : routes)
    if (r.method == "POST" && r.path == target.path) route = &r;
  fuzz::check(route != nullptr, "the route exists");

  HttpRequest http;
  http.method = "POST";
  std::string param = target.unit_param ? (second ? fuzz::kFoot : fuzz::kCar)
                                        : std::to_string(second ? d.other : d.incident);
  RouteRequest request{http,
                       std::string(fuzz::as_text(data + 1, size - 1)),
                       {param},
                       UnitScope::everything(),
                       "fuzz"};
  Result<Reply> reply = route->handler(request);
  if (!reply.ok()) {
    fuzz::check(expected(reply.error().code),
                "a refusal is invalid_argument, not_found or conflict");
    return 0;
  }
  fuzz::check(!reply->body.dump().empty(), "the reply serialises");
  return 0;
}
