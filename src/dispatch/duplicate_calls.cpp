#include "dispatch/duplicate_calls.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/code_checks.h"
#include "core/geo.h"
#include "engine/engine.h"

namespace pingan::dispatch {
namespace {

constexpr double kMetresPerDegreeLat = 111'320.0;
// More candidates than this in one window and radius are not looked at: a
// mass event is not a duplicate call.
constexpr int kMaxScanned = 1000;

}  // namespace

bool DuplicateRules::compatible(const std::string& a, const std::string& b, const Taxonomy& taxonomy) const {
  if (a == b) return true;
  if (same_class) {
    const IncidentType* ta = taxonomy.find_type(a);
    const IncidentType* tb = taxonomy.find_type(b);
    if (ta && tb && ta->class_code == tb->class_code) return true;
  }
  return std::any_of(compatible_types.begin(), compatible_types.end(), [&](const auto& p) {
    return (p.first == a && p.second == b) || (p.first == b && p.second == a);
  });
}

Result<DuplicateRules> parse_duplicate_rules(const nlohmann::json& doc, const Taxonomy& taxonomy) {
  if (!doc.is_object()) return Error::invalid("", "the duplicate rules must be a JSON object");
  DuplicateRules r;
  if (auto it = doc.find("radius_m"); it != doc.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 10'000)
      return Error::invalid("radius_m", "must be a number of metres in 0..10000");
    r.radius_m = it->get<double>();
  }
  if (auto it = doc.find("window_minutes"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<int>() < 0 || it->get<int>() > 24 * 60)
      return Error::invalid("window_minutes", "must be a whole number of minutes in 0..1440");
    r.window_minutes = it->get<int>();
  }
  if (auto it = doc.find("same_class"); it != doc.end()) {
    if (!it->is_boolean()) return Error::invalid("same_class", "must be true or false");
    r.same_class = it->get<bool>();
  }
  if (auto it = doc.find("compatible_types"); it != doc.end()) {
    if (!it->is_array()) return Error::invalid("compatible_types", "must be an array of [type, type] pairs");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& p = (*it)[i];
      const std::string field = fmt::format("compatible_types[{}]", i);
      if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string())
        return Error::invalid(field, "must be a pair of type codes");
      const std::string pair[] = {p[0].get<std::string>(), p[1].get<std::string>()};
      PINGAN_RETURN_IF_ERROR(check_type_codes(taxonomy, pair, field));
      r.compatible_types.emplace_back(pair[0], pair[1]);
    }
  }
  return r;
}



bool open_for_duplicates(const Incident& inc) {
  return inc.status != IncidentStatus::kClosed && inc.counts_in_statistics();
}

Result<std::vector<DuplicateCandidate>> find_duplicates(Engine& engine, const Incident& call,
                                                        const DuplicateRules& rules, const UnitScope& scope) {
  std::vector<DuplicateCandidate> out;
  if (!call.location) return out;
  const GeoPoint at = *call.location;
  // A box a little larger than the radius; the exact distance decides.
  const double dlat = rules.radius_m / kMetresPerDegreeLat * 1.01 + 1e-6;
  const double dlon = dlat / std::max(0.01, std::cos(at.lat * M_PI / 180.0));
  IncidentFilter f;
  f.scope = scope;
  f.bbox = BoundingBox{at.lat - dlat, at.lon - dlon, at.lat + dlat, at.lon + dlon};
  const Timestamp window = static_cast<Timestamp>(rules.window_minutes) * 60;
  f.from = call.reported_at - window;
  f.until = call.reported_at + window + 1;  // `until` is exclusive; the window's end is inside
  f.limit = kMaxScanned;
  PINGAN_ASSIGN_OR_RETURN(IncidentPage page, engine.list_incidents(f));
  for (const Incident& inc : page.items) {
    if (inc.id == call.id || !inc.location || !open_for_duplicates(inc)) continue;
    if (!rules.compatible(call.type_code, inc.type_code, engine.taxonomy())) continue;
    const double d = distance_m(at, *inc.location);
    if (d > rules.radius_m) continue;
    const double minutes = std::fabs(static_cast<double>(inc.reported_at - call.reported_at)) / 60.0;
    out.push_back(DuplicateCandidate{inc.id, d, minutes, inc.type_code, inc.status});
  }
  std::sort(out.begin(), out.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
    if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
    if (a.minutes_apart != b.minutes_apart) return a.minutes_apart < b.minutes_apart;
    return a.id < b.id;
  });
  return out;
}

}  // namespace pingan::dispatch
