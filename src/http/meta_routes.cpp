#include <algorithm>


#include "analytics/incident_index.h"
#include "dispatch/dispatch_service.h"
#include "auth/roles.h"
#include "http/api_routes.h"
#include "http/query_params.h"

namespace pingan {
namespace {

// AVL reports accepted and refused (by reason) since the server started.
nlohmann::json position_counters(const dispatch::DispatchService& desk) {
  const auto counters = desk.counters();
  nlohmann::json refused = nlohmann::json::object();
  for (int r = 0; r < dispatch::kPositionRejectionCount; ++r) {
    const char* name = dispatch::position_rejection_name(static_cast<dispatch::PositionRejection>(r));
    auto it = counters.positions_refused.find(name);
    refused[name] = it == counters.positions_refused.end() ? 0 : it->second;
  }
  return {{"accepted", counters.positions_accepted}, {"refused", std::move(refused)}};
}

// The statistics index if the server has one (health never builds it).
std::shared_ptr<analytics::IncidentIndex> attached_index(const ApiContext& ctx) {
  std::lock_guard lock(ctx.index_mutex);
  return ctx.index_;
}

// How the index started (a snapshot and the log since, or a scan) and its size.
nlohmann::json index_health(const analytics::IncidentIndex& index) {
  const analytics::IndexStart start = index.start();
  nlohmann::json j = {{"rows", index.size()},
                      {"memory_bytes", index.memory_bytes()},
                      {"started_from", start.from_snapshot ? "snapshot" : "scan"},
                      {"start_seconds", start.seconds}};
  if (start.from_snapshot) {
    j["snapshot_position"] = start.snapshot_position;
    j["changes_replayed"] = start.changes_replayed;
  }
  if (!start.note.empty()) j["snapshot_not_used"] = start.note;
  return j;
}

Result<Reply> health(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  PINGAN_ASSIGN_OR_RETURN(std::int64_t count, ctx.engine.count_incidents());
  Reply reply{200,
              {{"status", "ok"},
               {"version", PINGAN_VERSION},
               {"schema_version", ctx.engine.schema_version()},
               {"incidents", count},
               {"time_zone", ctx.engine.time_zone().name()},
               {"map_tile_url", ctx.map_tile_url}},
              {}};
  if (ctx.dispatch) reply.body["positions"] = position_counters(*ctx.dispatch);
  reply.body["config"] = settings_health_json(ctx);
  // How far this server has applied the change log (other processes' writes).
  PINGAN_ASSIGN_OR_RETURN(Engine::FollowState follow, ctx.engine.follow_state());
  reply.body["changes"] = {{"position", follow.position},
                           {"last", follow.last},
                           {"lag", std::max<std::int64_t>(0, follow.last - follow.position)},
                           {"resyncs", follow.resyncs},
                           {"last_resync", follow.last_resync}};
  if (auto index = attached_index(ctx)) reply.body["index"] = index_health(*index);
  return reply;
}

Result<Reply> taxonomy(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  const Taxonomy& tax = ctx.engine.taxonomy();
  nlohmann::json classes = nlohmann::json::array();
  for (const IncidentClass& c : tax.classes())
    classes.push_back({{"code", c.code}, {"name_zh", c.name_zh}});
  nlohmann::json types = nlohmann::json::array();
  for (const IncidentType& t : tax.types())
    types.push_back({{"code", t.code},
                     {"class", t.class_code},
                     {"name_zh", t.name_zh},
                     {"name_en", t.name_en}});
  nlohmann::json statuses = nlohmann::json::array();
  for (IncidentStatus s : kAllStatuses) {
    nlohmann::json next = nlohmann::json::array();
    for (IncidentStatus n : allowed_next(s)) next.push_back(status_name(n));
    statuses.push_back(
        {{"code", status_name(s)}, {"name_zh", status_name_zh(s)}, {"next", std::move(next)}});
  }
  return Reply{200,
               {{"classes", std::move(classes)},
                {"types", std::move(types)},
                {"statuses", std::move(statuses)}},
               {}};
}

Result<Reply> openapi(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));  // takes no query parameters
  if (ctx.openapi.is_null()) return Error::unavailable(ctx.openapi_problem);
  return Reply{200, ctx.openapi, {}};
}

}  // namespace

std::vector<Route> meta_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/health", auth::kPublic, [&ctx](const RouteRequest& r) { return health(ctx, r); }},
      {"GET", "/api/taxonomy", "meta.read", [&ctx](const RouteRequest& r) { return taxonomy(ctx, r); }},
      {"GET", "/api/openapi.json", auth::kPublic, [&ctx](const RouteRequest& r) { return openapi(ctx, r); }},
  };
}

}  // namespace pingan
