// The registry's cameras (issue 21; docs/api.md "Registry and cameras"):
//   GET  /api/incidents/{id}/cameras?radius_m=&k=&facing=&online=  一键调阅
//   GET  /api/cameras/nearest?lat=&lon=&radius_m=&k=&facing=&online=
//   GET  /api/cameras?unit=   the map layer, a GeoJSON FeatureCollection
//   POST /api/cameras         upsert a batch
//   GET  /api/places?unit=&after=&limit=   a page of places, contacts masked
//   POST /api/places          upsert a batch
// and, from registry_people_routes.cpp, enterprises, rental houses and residents.
// Each parses the request, calls the engine or the camera index and
// serialises the answer. Stream URLs are written only for a caller holding
// cameras.view (the URL opens the video); registry.read shows the rest.

#include <fmt/format.h>

#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/registry_route_support.h"
#include "http/request_scope.h"
#include "json/json_fields.h"
#include "json/registry_json.h"
#include "registry/camera_attach.h"

namespace pingan {
namespace {

constexpr const char* kViewVideo = "cameras.view";

// A caller without a principal is a server running without sign-in (every
// route open); otherwise the permission decides.
bool may_view_video(const RouteRequest& r) { return !r.principal || r.principal->allows(kViewVideo); }

bool flag_value(const std::optional<std::string>& text) { return text && (*text == "true" || *text == "1"); }

Result<registry::CameraQuery> query_of(const HttpRequest& http, GeoPoint point) {
  registry::CameraQuery q;
  q.point = point;
  PINGAN_ASSIGN_OR_RETURN(std::optional<double> radius, number_param(http, "radius_m"));
  if (radius) q.radius_m = *radius;
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> k, int_param(http, "k"));
  if (k) {
    if (*k < 0) return Error::invalid("k", "must not be negative");
    q.k = static_cast<std::size_t>(*k);
  }
  for (const char* flag : {"facing", "online"}) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> v, single_param(http, flag));
    if (v && *v != "true" && *v != "false" && *v != "1" && *v != "0")
      return Error::invalid(flag, "must be true or false");
    (std::string_view(flag) == "facing" ? q.facing_only : q.online_only) = flag_value(v);
  }
  PINGAN_RETURN_IF_ERROR(registry::check_camera_query(q));
  return q;
}

Result<Reply> nearest_reply(const ApiContext& ctx, const RouteRequest& r, const registry::CameraQuery& q,
                            nlohmann::json head) {
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<registry::CameraAttachment> cams, ctx.camera_index());
  std::shared_ptr<const registry::CameraSnapshot> snap = cams->snapshot();
  PINGAN_ASSIGN_OR_RETURN(std::vector<registry::CameraHit> hits, snap->index.nearest(q));
  const bool with_stream = may_view_video(r);
  nlohmann::json items = nlohmann::json::array();
  for (const registry::CameraHit& h : hits) {
    nlohmann::json c = camera_to_json(snap->cameras[h.slot], with_stream);
    c["distance_m"] = h.distance_m;
    items.push_back(std::move(c));
  }
  head["radius_m"] = q.radius_m;
  head["k"] = q.k;
  head["items"] = std::move(items);
  return Reply{200, std::move(head), {}};
}

Result<Reply> incident_cameras(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"radius_m", "k", "facing", "online"}));
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  // Within the caller's scope: another unit's incident is not found.
  PINGAN_ASSIGN_OR_RETURN(Incident incident, ctx.engine.get_incident(id, r.scope));
  // A call taken without a place (an address not geocoded yet) has no cameras around it.
  if (!incident.location)
    return Error::conflict("location", fmt::format("incident {} has no location to call cameras up around", id));
  const GeoPoint at = *incident.location;
  PINGAN_ASSIGN_OR_RETURN(registry::CameraQuery q, query_of(r.http, at));
  return nearest_reply(ctx, r, q, {{"incident_id", id}, {"lat", at.lat}, {"lon", at.lon}});
}

Result<Reply> nearest_cameras(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"lat", "lon", "radius_m", "k", "facing", "online"}));
  PINGAN_ASSIGN_OR_RETURN(std::optional<double> lat, number_param(r.http, "lat"));
  PINGAN_ASSIGN_OR_RETURN(std::optional<double> lon, number_param(r.http, "lon"));
  if (!lat) return Error::invalid("lat", "is required");
  if (!lon) return Error::invalid("lon", "is required");
  PINGAN_ASSIGN_OR_RETURN(registry::CameraQuery q, query_of(r.http, GeoPoint{*lat, *lon}));
  return nearest_reply(ctx, r, q, {{"lat", *lat}, {"lon", *lon}});
}

// The map layer: every camera of the caller's subtree (or of `unit` inside
// it), read from the store page by page.
Result<Reply> camera_layer(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit"}));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  RegistryFilter filter;
  auto units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(filter.scope, narrow_scope(r.scope, unit.value_or(""), *units));
  filter.limit = 1000;
  const bool with_stream = may_view_video(r);
  nlohmann::json features = nlohmann::json::array();
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(RegistryPage<Camera> page, ctx.engine.registry().list_cameras(filter));
    for (const Camera& c : page.records) features.push_back(camera_feature(c, with_stream));
    if (!page.more || page.records.empty()) break;
    filter.after = page.records.back().code;
  }
  return Reply{200, {{"type", "FeatureCollection"}, {"features", std::move(features)}}, {}};
}

Result<Reply> upsert_cameras(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(CameraBatch batch, camera_batch_from_json(body));
  // Every refused row at once: those that did not parse, and those the
  // engine refuses (its indexes are of the parsed rows: mapped back).
  std::vector<RefusedRow> refused = std::move(batch.refused);
  PINGAN_ASSIGN_OR_RETURN(std::vector<RefusedRow> checked, ctx.engine.registry().check_cameras(batch.cameras, r.scope));
  merge_refusals(refused, std::move(checked), batch.rows);
  BatchOutcome outcome;
  if (refused.empty()) {
    PINGAN_ASSIGN_OR_RETURN(outcome, ctx.engine.registry().upsert_cameras(std::move(batch.cameras), r.scope));
    refused = std::move(outcome.refused);
  }
  return registry_batch_reply(refused, outcome, "cameras");
}

Result<Reply> list_places(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "after", "limit"}));
  PINGAN_ASSIGN_OR_RETURN(RegistryFilter filter, registry_filter_of(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(RegistryPage<Place> page, ctx.engine.registry().list_places(filter));
  const PlaceCategories& categories = ctx.engine.registry().place_categories();
  nlohmann::json items = nlohmann::json::array();
  for (const Place& p : page.records) items.push_back(place_to_json(p, categories));
  nlohmann::json next;
  if (page.more && !page.records.empty()) next = page.records.back().code;
  return registry_page_reply(std::move(items), filter.limit, std::move(next));
}

Result<Reply> upsert_places(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(PlaceBatch batch, place_batch_from_json(body));
  // Parsed rows go to the engine only when every row parsed: its refusals
  // are of the parsed rows, mapped back to the request's indexes.
  std::vector<RefusedRow> refused = std::move(batch.refused);
  BatchOutcome outcome;
  if (refused.empty()) {
    PINGAN_ASSIGN_OR_RETURN(outcome, ctx.engine.registry().upsert_places(std::move(batch.places), r.scope));
    merge_refusals(refused, std::move(outcome.refused), batch.rows);
  }
  return registry_batch_reply(refused, outcome, "places");
}

}  // namespace

std::vector<Route> registry_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  std::vector<Route> routes = {
      {"GET", "/api/incidents/{id}/cameras", "registry.read", bind(incident_cameras)},
      {"GET", "/api/cameras/nearest", "registry.read", bind(nearest_cameras)},
      {"GET", "/api/cameras", "registry.read", bind(camera_layer)},
      {"POST", "/api/cameras", "registry.write", bind(upsert_cameras)},
      {"GET", "/api/places", "registry.read", bind(list_places)},
      {"POST", "/api/places", "registry.write", bind(upsert_places)},
  };
  for (Route& route : registry_people_routes(ctx)) routes.push_back(std::move(route));
  return routes;
}

}  // namespace pingan
