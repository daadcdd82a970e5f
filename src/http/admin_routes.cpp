// POST /api/admin/reload-config: reads the data folder's configuration
// again, all or nothing (config/live_settings.h). A refusal is a 400 naming
// the file, the line and the reason, and the settings in force stay; so is
// a change that needs a restart (the taxonomy's codes). SIGHUP to `pingan
// serve` does the same.

#include <spdlog/spdlog.h>

#include "config/live_settings.h"
#include "http/api_routes.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

nlohmann::json settings_state_json(const config::LiveSettings::State& s, const TimeZone& zone) {
  return {{"data_dir", s.data_dir},
          {"generation", s.generation},
          {"loaded_at", format_local(s.loaded_at, zone)},
          {"refused", s.refused},
          {"last_refusal", s.last_refusal}};
}

Result<Reply> reload_config(const ApiContext& ctx, const RouteRequest& r) {
  // Nothing to say but "reload": an empty body or {}.
  if (r.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
    PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
    PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  }
  auto reloaded = ctx.settings->reload();
  if (!reloaded.ok()) {
    spdlog::warn("configuration reload refused, the settings in force stay: {}", reloaded.error().describe());
    return reloaded.error();
  }
  spdlog::info("configuration reloaded from {}", (*reloaded)->data_dir);
  return Reply{200, settings_state_json(ctx.settings->state(), ctx.engine.time_zone()), {}};
}

}  // namespace

nlohmann::json settings_health_json(const ApiContext& ctx) {
  return settings_state_json(ctx.settings->state(), ctx.engine.time_zone());
}

std::vector<Route> admin_routes(const ApiContext& ctx) {
  return {{"POST", "/api/admin/reload-config", "config.reload", [&ctx](const RouteRequest& r) { return reload_config(ctx, r); }}};
}

}  // namespace pingan
