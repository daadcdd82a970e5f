#include "json/patrol_record_json.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "core/text_limits.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

std::string hhmm(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

Result<int> parse_hhmm(const std::string& text, const std::string& field) {
  int h = -1, m = -1;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
    return Error::invalid(field, fmt::format("'{}' is not a local time HH:MM", text));
  return h * 60 + m;
}

nlohmann::json figures_json(const analytics::PatrolFigures& f) {
  return {{"shifts", f.shifts},
          {"officer_shifts", f.officer_shifts},
          {"vehicle_shifts", f.vehicle_shifts},
          {"posts", f.posts},
          {"posts_staffed", f.posts_staffed},
          {"distance_km", std::round(f.distance_km * 1000) / 1000},
          {"hotspot_cells", f.hotspot_cells},
          {"hotspot_cells_covered", f.hotspot_cells_covered},
          {"hotspot_coverage", f.hotspot_coverage}};
}

// Percent change, null without a base.
nlohmann::json change(double now, double before) {
  if (before == 0) return nullptr;
  return std::round((now - before) / before * 10000) / 100;
}

}  // namespace

nlohmann::json post_to_json(const PatrolPost& p) {
  return {{"code", p.code},
          {"name", p.name},
          {"kind", p.kind},
          {"kind_zh", post_kind_label_zh(p.kind)},
          {"station", p.station_code},
          {"location", {{"lat", p.location.lat}, {"lon", p.location.lon}}},
          {"hours", {{"start", hhmm(p.start_minute)}, {"end", hhmm(p.end_minute)}}}};
}

Result<PatrolPost> post_from_json(const nlohmann::json& body, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, path));
  PatrolPost p;
  PINGAN_RETURN_IF_ERROR(in.read_string("code", &p.code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &p.name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &p.kind, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("station", &p.station_code, true));
  const nlohmann::json* location = in.member("location");
  if (!location) return Error::invalid(in.field("location"), "is required");
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader loc, JsonObjectReader::open(*location, in.field("location")));
  std::optional<double> lat, lon;
  PINGAN_RETURN_IF_ERROR(loc.read_number("lat", &lat, true));
  PINGAN_RETURN_IF_ERROR(loc.read_number("lon", &lon, true));
  PINGAN_RETURN_IF_ERROR(loc.reject_unknown());
  p.location = GeoPoint{*lat, *lon};
  const nlohmann::json* hours = in.member("hours");
  if (!hours) return Error::invalid(in.field("hours"), "is required");
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader h, JsonObjectReader::open(*hours, in.field("hours")));
  std::string start, end;
  PINGAN_RETURN_IF_ERROR(h.read_string("start", &start, true));
  PINGAN_RETURN_IF_ERROR(h.read_string("end", &end, true));
  PINGAN_RETURN_IF_ERROR(h.reject_unknown());
  PINGAN_RETURN_IF_ERROR(check_length(h.field("start"), start, kMaxHourChars));
  PINGAN_RETURN_IF_ERROR(check_length(h.field("end"), end, kMaxHourChars));
  PINGAN_ASSIGN_OR_RETURN(p.start_minute, parse_hhmm(start, h.field("start")));
  PINGAN_ASSIGN_OR_RETURN(p.end_minute, parse_hhmm(end, h.field("end")));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return p;
}

nlohmann::json shift_to_json(const PatrolShift& s, const TimeZone& zone) {
  return {{"id", s.id},
          {"call_sign", s.call_sign},
          {"station", s.station_code},
          {"kind", patrol_kind_name(s.kind)},
          {"start", format_local(s.starts_at, zone)},
          {"end", format_local(s.ends_at, zone)},
          {"crew", s.crew},
          {"post", s.post_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.post_code)}};
}

Result<PatrolShift> shift_from_json(const nlohmann::json& body, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PatrolShift s;
  PINGAN_RETURN_IF_ERROR(in.read_string("call_sign", &s.call_sign, true));
  std::optional<Timestamp> start, end;
  PINGAN_RETURN_IF_ERROR(in.read_time("start", &start, zone, true));
  PINGAN_RETURN_IF_ERROR(in.read_time("end", &end, zone, true));
  std::optional<double> crew;
  PINGAN_RETURN_IF_ERROR(in.read_number("crew", &crew, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("post", &s.post_code));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  if (*crew != std::floor(*crew)) return Error::invalid("crew", "must be a whole number");
  s.starts_at = *start;
  s.ends_at = *end;
  s.crew = static_cast<int>(std::clamp(*crew, -1.0, 1000.0));
  return s;
}

nlohmann::json patrol_stats_to_json(const analytics::PatrolStats& stats, const TimeZone& zone) {
  nlohmann::json out = {{"from", format_local(stats.from, zone)},
                        {"to", format_local(stats.until, zone)},
                        {"hotspot_model", stats.hotspot_model},
                        {"current", figures_json(stats.current)},
                        {"last_year", nullptr},
                        {"yoy_percent", nullptr}};
  if (stats.last_year) {
    const auto& a = stats.current;
    const auto& b = *stats.last_year;
    out["last_year"] = figures_json(b);
    out["yoy_percent"] = {{"officer_shifts", change(double(a.officer_shifts), double(b.officer_shifts))},
                          {"vehicle_shifts", change(double(a.vehicle_shifts), double(b.vehicle_shifts))},
                          {"posts_staffed", change(double(a.posts_staffed), double(b.posts_staffed))},
                          {"distance_km", change(a.distance_km, b.distance_km)},
                          {"hotspot_coverage", change(a.hotspot_coverage, b.hotspot_coverage)}};
  }
  return out;
}

}  // namespace pingan
