#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "dispatch/dispatch_service.h"

namespace pingan::dispatch {
namespace {

using nlohmann::json;

Status read_positive(const json& doc, const char* key, double* out) {
  if (!doc.contains(key)) return {};
  const json& v = doc[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0)
    return Error::invalid(key, fmt::format("must be a positive number, got {}", v.dump()));
  *out = v.get<double>();
  return {};
}

Status read_positive_int(const json& doc, const char* key, int* out) {
  if (!doc.contains(key)) return {};
  const json& v = doc[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > 86400 * 365)
    return Error::invalid(key, fmt::format("must be a positive whole number, got {}", v.dump()));
  *out = v.get<int>();
  return {};
}

}  // namespace

Status validate_dispatch_config(const DispatchConfig& c) {
  if (!(c.detour_factor >= 1 && c.detour_factor <= 5))
    return Error::invalid("detour_factor", fmt::format("{} is outside 1..5", c.detour_factor));
  for (int k = 0; k < kPatrolKindCount; ++k)
    if (!(c.speed_kmh[k] > 0 && c.speed_kmh[k] <= 300))
      return Error::invalid(fmt::format("speed_kmh.{}", patrol_kind_name(PatrolKind(k))),
                            fmt::format("{} is outside (0, 300]", c.speed_kmh[k]));
  if (!(c.max_plausible_speed_kmh > 0))
    return Error::invalid("max_plausible_speed_kmh", "must be positive");
  if (!(c.district_margin_m >= 0)) return Error::invalid("district_margin_m", "may not be negative");
  if (!(c.arrival_radius_m > 0)) return Error::invalid("arrival_radius_m", "must be positive");
  if (c.track_min_interval_s < 0) return Error::invalid("track_min_interval_s", "may not be negative");
  if (!(c.track_min_distance_m >= 0)) return Error::invalid("track_min_distance_m", "may not be negative");
  if (c.max_report_lag_s <= 0) return Error::invalid("max_report_lag_s", "must be positive");
  return {};
}

Result<DispatchConfig> parse_dispatch_config(const json& doc) {
  if (!doc.is_object()) return Error::invalid("dispatch_config", "not a JSON object");
  static const char* kKnown[] = {"detour_factor",       "speed_kmh",           "max_plausible_speed_kmh",
                                 "district_margin_m",   "arrival_radius_m",    "track_min_interval_s",
                                 "track_min_distance_m", "max_report_lag_s"};
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) return Error::invalid(key, "unknown setting");
  }
  DispatchConfig c;
  PINGAN_RETURN_IF_ERROR(read_positive(doc, "detour_factor", &c.detour_factor));
  PINGAN_RETURN_IF_ERROR(read_positive(doc, "max_plausible_speed_kmh", &c.max_plausible_speed_kmh));
  PINGAN_RETURN_IF_ERROR(read_positive(doc, "district_margin_m", &c.district_margin_m));
  PINGAN_RETURN_IF_ERROR(read_positive(doc, "arrival_radius_m", &c.arrival_radius_m));
  PINGAN_RETURN_IF_ERROR(read_positive(doc, "track_min_distance_m", &c.track_min_distance_m));
  PINGAN_RETURN_IF_ERROR(read_positive_int(doc, "track_min_interval_s", &c.track_min_interval_s));
  PINGAN_RETURN_IF_ERROR(read_positive_int(doc, "max_report_lag_s", &c.max_report_lag_s));
  if (doc.contains("speed_kmh")) {
    const json& speeds = doc["speed_kmh"];
    if (!speeds.is_object()) return Error::invalid("speed_kmh", "must be an object by kind");
    for (const auto& [name, value] : speeds.items()) {
      PINGAN_ASSIGN_OR_RETURN(PatrolKind kind, parse_patrol_kind(name));
      PINGAN_RETURN_IF_ERROR(read_positive(speeds, name.c_str(), &c.speed_kmh[int(kind)]));
    }
  }
  PINGAN_RETURN_IF_ERROR(validate_dispatch_config(c));
  return c;
}

}  // namespace pingan::dispatch
