#include "json/patrol_json.h"

#include <fmt/format.h>

#include <cmath>

#include "core/text_limits.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

using nlohmann::json;

json position_json(const UnitPosition& p, const TimeZone& zone) {
  return {{"at", format_local(p.at, zone)}, {"lat", p.point.lat}, {"lon", p.point.lon}};
}

std::string need_json_kind(const dispatch::RunCardNeed& need) {
  return need.kind ? patrol_kind_name(*need.kind) : "any";
}

}  // namespace

json unit_change_to_json(const dispatch::UnitChange& c, const TimeZone& zone, const UnitTree* units) {
  const PatrolUnit& u = c.unit;
  json out = {{"call_sign", u.call_sign},
              {"kind", patrol_kind_name(u.kind)},
              {"kind_zh", patrol_kind_label_zh(u.kind)},
              {"station", u.station_code},
              {"crew_size", u.crew_size},
              {"roles", u.roles},
              {"status", patrol_status_name(u.status)},
              {"status_zh", patrol_status_label_zh(u.status)},
              {"assignment", u.assignment ? json(*u.assignment) : json(nullptr)},
              {"position", c.position ? position_json(*c.position, zone) : json(nullptr)}};
  if (units)
    if (const Unit* station = units->find(u.station_code)) out["station_name"] = station->name;
  return out;
}

Result<PatrolUnit> patrol_unit_from_json(const json& value, const std::string& path, bool* status_given) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  PatrolUnit u;
  std::string kind, status;
  PINGAN_RETURN_IF_ERROR(in.read_string("call_sign", &u.call_sign, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &kind, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("station", &u.station_code, true));
  std::optional<double> crew;
  PINGAN_RETURN_IF_ERROR(in.read_number("crew_size", &crew));
  PINGAN_RETURN_IF_ERROR(in.read_string("status", &status));
  auto with_field = [&](Error e) {
    e.field = in.field(e.field);
    return e;
  };
  auto parsed_kind = parse_patrol_kind(kind);
  if (!parsed_kind.ok()) return with_field(parsed_kind.error());
  u.kind = *parsed_kind;
  if (crew) {
    // Range first: converting 1e300 to int is undefined.
    if (*crew != std::floor(*crew) || *crew < 1 || *crew > 20)
      return Error::invalid(in.field("crew_size"), fmt::format("{} is not a whole number in 1..20", *crew));
    u.crew_size = int(*crew);
  }
  *status_given = !status.empty();
  if (!status.empty()) {
    auto parsed = parse_patrol_status(status);
    if (!parsed.ok()) return with_field(parsed.error());
    u.status = *parsed;
  }
  if (const json* roles = in.member("roles")) {
    if (!roles->is_array()) return Error::invalid(in.field("roles"), "must be an array of strings");
    for (const json& r : *roles) {
      if (!r.is_string()) return Error::invalid(in.field("roles"), "must be an array of strings");
      u.roles.push_back(r.get<std::string>());
    }
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return u;
}

Result<ParsedReports> position_reports_from_json(const json& body, const TimeZone& zone) {
  if (!body.is_object()) return Error::invalid("body", "must be an object {\"reports\": [...]}");
  auto it = body.find("reports");
  if (it == body.end() || !it->is_array()) return Error::invalid("reports", "must be an array of position reports");
  for (const auto& [key, value] : body.items())
    if (key != "reports")
      return Error::invalid(key.empty() ? "body" : key, "is not a member of a position batch");
  ParsedReports out;
  out.reports.reserve(it->size());
  std::size_t index = 0;
  for (const json& item : *it) {
    PositionReport r;
    std::string problem;
    // Read directly rather than through JsonObjectReader: this is the hot
    // path of AVL ingest (tens of thousands of reports a second).
    if (!item.is_object()) {
      problem = fmt::format("reports[{}] must be an object", index);
    } else {
      auto cs = item.find("call_sign"), at = item.find("at"), lat = item.find("lat"), lon = item.find("lon");
      auto speed = item.find("speed_kmh");
      if (cs != item.end() && cs->is_string()) r.call_sign = cs->get<std::string>();
      if (cs == item.end() || !cs->is_string() || r.call_sign.empty())
        problem = "call_sign must be a non-empty string";
      else if (Status length = check_length("call_sign", r.call_sign, kMaxCodeChars); !length.ok())
        problem = "call_sign " + length.error().message;
      else if (at == item.end() || !at->is_string())
        problem = "at must be an ISO 8601 time";
      else if (lat == item.end() || !lat->is_number() || lon == item.end() || !lon->is_number())
        problem = "lat and lon must be numbers";
      else if (speed != item.end() && !speed->is_null() && !speed->is_number())
        problem = "speed_kmh must be a number";
      else if (item.size() > 4u + (speed != item.end()))
        problem = "a report holds only call_sign, at, lat, lon and speed_kmh";
      if (problem.empty()) {
        auto t = parse_iso8601(at->get_ref<const std::string&>(), &zone);
        if (!t.ok()) {
          problem = "at: " + t.error().message;
        } else {
          r.at = *t;
          r.point = GeoPoint{lat->get<double>(), lon->get<double>()};
          if (speed != item.end() && speed->is_number()) r.speed_kmh = speed->get<double>();
        }
      }
    }
    if (!problem.empty()) {
      // Still handed on (with no valid point) so that it is refused and counted as invalid.
      r.point = GeoPoint{NAN, NAN};
      out.malformed.emplace_back(index, std::move(problem));
    }
    out.reports.push_back(std::move(r));
    ++index;
  }
  return out;
}

json position_result_to_json(const dispatch::PositionBatchResult& result) {
  json refused = json::array();
  for (const auto& r : result.refused)
    refused.push_back({{"index", r.index},
                       {"call_sign", r.call_sign},
                       {"reason", dispatch::position_rejection_name(r.reason)},
                       {"message", r.message}});
  return {{"accepted", result.accepted}, {"refused", std::move(refused)}};
}

json candidate_to_json(const dispatch::Candidate& c) {
  json out = {{"call_sign", c.call_sign},
              {"kind", patrol_kind_name(c.kind)},
              {"station", c.station_code},
              {"distance_m", std::round(c.distance_m * 10) / 10},
              {"eta_s", std::round(c.eta_s * 10) / 10}};
  if (c.need_index >= 0) out["need"] = c.need_index;
  return out;
}

json recommendation_to_json(const dispatch::Recommendation& rec, const dispatch::RunCard& card) {
  json needs = json::array();
  for (const auto& n : card.needs)
    needs.push_back({{"kind", need_json_kind(n)}, {"role", n.role}, {"count", n.count}});
  json units = json::array();
  for (const auto& c : rec.units) units.push_back(candidate_to_json(c));
  return {{"incident_id", rec.incident_id},
          {"type", rec.type_code},
          {"run_card", {{"type", card.type_code}, {"needs", std::move(needs)}}},
          {"units", std::move(units)},
          {"unmet", rec.unmet}};
}

json track_point_to_json(const UnitPosition& p, const TimeZone& zone) {
  return {{"call_sign", p.call_sign}, {"at", format_local(p.at, zone)}, {"lat", p.point.lat}, {"lon", p.point.lon}};
}

}  // namespace pingan
