#include "dispatch/position_check.h"

#include <fmt/format.h>

#include <cmath>

namespace pingan::dispatch {
namespace {

constexpr const char* kRejectionNames[] = {"unknown_unit", "invalid", "late", "duplicate", "too_fast",
                                           "outside_district"};
constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;

}  // namespace

const char* position_rejection_name(PositionRejection r) { return kRejectionNames[static_cast<int>(r)]; }

bool near_box(const BoundingBox& box, const GeoPoint& p, double margin_m) {
  if (box.empty()) return true;
  const double dlat = margin_m / kMetresPerDegree;
  const double cos_lat = std::max(0.01, std::cos(std::max(std::abs(box.min_lat), std::abs(box.max_lat)) * M_PI / 180));
  const double dlon = margin_m / (kMetresPerDegree * cos_lat);
  return p.lat >= box.min_lat - dlat && p.lat <= box.max_lat + dlat && p.lon >= box.min_lon - dlon &&
         p.lon <= box.max_lon + dlon;
}

std::optional<PositionRefusal> check_position(const PositionReport& r, const std::optional<UnitPosition>& last,
                                              Timestamp newest_seen, const DispatchConfig& config,
                                              const BoundingBox& district, const TimeZone& zone) {
  using R = PositionRejection;
  if (Status st = validate_point(r.point); !st.ok()) return PositionRefusal{R::kInvalid, st.error().message};
  if (r.speed_kmh && !(std::isfinite(*r.speed_kmh) && *r.speed_kmh >= 0))
    return PositionRefusal{R::kInvalid, fmt::format("speed_kmh {} is not a speed", *r.speed_kmh)};
  if (last && r.at == last->at)
    return PositionRefusal{R::kDuplicate, fmt::format("a report at {} is stored already", format_local(r.at, zone))};
  if (last && r.at < last->at)
    return PositionRefusal{R::kLate, fmt::format("{} is before the unit's last report at {}",
                                                 format_local(r.at, zone), format_local(last->at, zone))};
  if (newest_seen > 0 && r.at < newest_seen - config.max_report_lag_s)
    return PositionRefusal{R::kLate, fmt::format("{} is {} s behind the newest report ({}), more than {} s",
                                                 format_local(r.at, zone), newest_seen - r.at,
                                                 format_local(newest_seen, zone), config.max_report_lag_s)};
  if (last) {
    const double metres = distance_m(last->point, r.point);
    const double kmh = metres / double(r.at - last->at) * 3.6;
    if (kmh > config.max_plausible_speed_kmh)
      return PositionRefusal{R::kTooFast, fmt::format("{:.0f} km/h since {} ({:.0f} m in {} s), over {:.0f} km/h", kmh,
                                                      format_local(last->at, zone), metres, r.at - last->at,
                                                      config.max_plausible_speed_kmh)};
  }
  if (!near_box(district, r.point, config.district_margin_m))
    return PositionRefusal{R::kOutsideDistrict,
                           fmt::format("({:.5f}, {:.5f}) is more than {:.0f} m outside the district", r.point.lat,
                                       r.point.lon, config.district_margin_m)};
  return std::nullopt;
}

}  // namespace pingan::dispatch
