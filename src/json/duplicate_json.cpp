#include "json/duplicate_json.h"

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

nlohmann::json duplicate_candidates_json(const std::vector<dispatch::DuplicateCandidate>& candidates) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : candidates) out.push_back(duplicate_candidate_json(c));
  return out;
}

nlohmann::json merged_calls_json(const std::vector<Incident>& calls, const TimeZone& zone) {
  nlohmann::json out = nlohmann::json::array();
  for (const Incident& c : calls)
    out.push_back({{"id", c.id},
                   {"reported_at", format_local(c.reported_at, zone)},
                   {"type", c.type_code},
                   {"status", status_name(c.status)}});
  return out;
}

}  // namespace pingan
