#include "http/duplicate_json.h"

#include "config/live_settings.h"

#include <spdlog/spdlog.h>

#include <cmath>

namespace pingan {
namespace {

double rounded(double v, double scale) { return std::round(v * scale) / scale; }

}  // namespace

nlohmann::json duplicate_candidate_json(const dispatch::DuplicateCandidate& c) {
  return {{"id", c.id},
          {"distance_m", rounded(c.distance_m, 10)},
          {"minutes_apart", rounded(c.minutes_apart, 100)},
          {"type", c.type_code},
          {"status", status_name(c.status)}};
}

nlohmann::json possible_duplicates_json(const ApiContext& ctx, const Incident& call, const UnitScope& scope) {
  nlohmann::json out = nlohmann::json::array();
  const auto settings = ctx.settings_now();
  auto found = dispatch::find_duplicates(ctx.engine, call, settings->duplicates, scope);
  if (!found.ok()) {
    spdlog::warn("duplicate calls not looked for: {}", found.error().message);
    return out;
  }
  for (const auto& c : *found) out.push_back(duplicate_candidate_json(c));
  return out;
}

Result<nlohmann::json> merged_calls_json(const ApiContext& ctx, IncidentId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> calls, ctx.engine.merged_calls(id, scope));
  nlohmann::json out = nlohmann::json::array();
  for (const Incident& c : calls)
    out.push_back({{"id", c.id},
                   {"reported_at", format_local(c.reported_at, ctx.engine.time_zone())},
                   {"type", c.type_code},
                   {"status", status_name(c.status)}});
  return out;
}

}  // namespace pingan
