#include "http/incident_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "core/personal_masks.h"
#include "core/text.h"

namespace pingan {
namespace {

const std::set<std::string, std::less<>> kKnownParams = {
    "unit", "class",  "type",           "status", "from",  "to",
    "bbox", "source", "include_voided", "limit",  "offset", "reporter_phone"};

// All values of a list parameter, split on commas, blanks dropped.
std::vector<std::string> list_values(const std::multimap<std::string, std::string>& params,
                                     const char* key) {
  std::vector<std::string> out;
  auto [lo, hi] = params.equal_range(key);
  for (auto it = lo; it != hi; ++it)
    for (std::string_view part : split(it->second, ','))
      if (auto t = trim(part); !t.empty()) out.emplace_back(t);
  return out;
}

// The single value of a scalar parameter; two values are refused rather than
// one picked at random.
Result<std::optional<std::string>> single_value(
    const std::multimap<std::string, std::string>& params, const char* key) {
  auto [lo, hi] = params.equal_range(key);
  if (lo == hi) return std::optional<std::string>();
  if (std::next(lo) != hi) return Error::invalid(key, "is given more than once");
  return std::optional<std::string>(lo->second);
}

Result<std::int64_t> parse_integer(const std::string& text, const char* field) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return Error::invalid(field, fmt::format("'{}' is not an integer", text));
  return v;
}

Result<double> parse_double(std::string_view text, const std::string& field) {
  std::optional<double> v = parse_plain_number(text);
  if (!v) return Error::invalid(field, fmt::format("'{}' is not a number", text));
  return *v;
}

Result<BoundingBox> parse_bbox(const std::string& text) {
  auto parts = split(text, ',');
  if (parts.size() != 4)
    return Error::invalid("bbox", fmt::format("'{}' must be minLon,minLat,maxLon,maxLat", text));
  PINGAN_ASSIGN_OR_RETURN(double min_lon, parse_double(parts[0], "bbox"));
  PINGAN_ASSIGN_OR_RETURN(double min_lat, parse_double(parts[1], "bbox"));
  PINGAN_ASSIGN_OR_RETURN(double max_lon, parse_double(parts[2], "bbox"));
  PINGAN_ASSIGN_OR_RETURN(double max_lat, parse_double(parts[3], "bbox"));
  for (const GeoPoint& corner : {GeoPoint{min_lat, min_lon}, GeoPoint{max_lat, max_lon}})
    if (Status st = validate_point(corner, "bbox"); !st.ok())
      return Error::invalid("bbox", st.error().message);
  if (min_lon > max_lon || min_lat > max_lat)
    return Error::invalid("bbox", fmt::format("'{}' has a minimum above its maximum", text));
  BoundingBox box;
  box.min_lat = min_lat;
  box.min_lon = min_lon;
  box.max_lat = max_lat;
  box.max_lon = max_lon;
  return box;
}

Result<std::optional<Timestamp>> parse_time_param(
    const std::multimap<std::string, std::string>& params, const char* key, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_value(params, key));
  if (!text || text->empty()) return std::optional<Timestamp>();
  auto ts = parse_iso8601(*text, &zone);
  if (!ts.ok()) return Error::invalid(key, ts.error().message);
  return std::optional<Timestamp>(*ts);
}

}  // namespace

Result<bool> parse_flag(const std::string& text, const std::string& field) {
  if (text == "1" || text == "true" || text == "on" || text == "yes") return true;
  if (text == "0" || text == "false" || text == "off" || text == "no" || text.empty()) return false;
  return Error::invalid(field, fmt::format("'{}' is not a flag (1 or 0)", text));
}

Result<IncidentListQuery> incident_query_from_params(
    const std::multimap<std::string, std::string>& params, const TimeZone& zone) {
  for (const auto& [key, value] : params)
    if (!kKnownParams.count(key))
      return Error::invalid(key.empty() ? "query" : key,  // "?=x" has no name to blame
                            fmt::format("'{}' is not a known parameter of this query", key));

  IncidentListQuery q;
  IncidentFilter& f = q.filter;
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_value(params, "unit"));
  if (unit) q.unit_code = *unit;

  // Codes are checked by the engine (unknown ones are refused there).
  f.class_codes = list_values(params, "class");
  f.type_codes = list_values(params, "type");
  for (const auto& name : list_values(params, "status")) {
    auto s = parse_status(name);
    if (!s.ok()) return Error::invalid("status", s.error().message);
    f.statuses.push_back(*s);
  }
  PINGAN_ASSIGN_OR_RETURN(f.from, parse_time_param(params, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(f.until, parse_time_param(params, "to", zone));

  PINGAN_ASSIGN_OR_RETURN(auto bbox, single_value(params, "bbox"));
  if (bbox) {
    PINGAN_ASSIGN_OR_RETURN(f.bbox, parse_bbox(*bbox));
  }
  PINGAN_ASSIGN_OR_RETURN(auto source, single_value(params, "source"));
  if (source) f.source = *source;
  PINGAN_ASSIGN_OR_RETURN(auto phone, single_value(params, "reporter_phone"));
  if (phone) {
    // Found through the keyed hash of the normal form: 138-1234-5678 finds 13812345678.
    if (normalise_phone(*phone).size() < 3) return Error::invalid("reporter_phone", "needs at least 3 digits");
    f.reporter_phone = *phone;
  }
  PINGAN_ASSIGN_OR_RETURN(auto voided, single_value(params, "include_voided"));
  if (voided) {
    PINGAN_ASSIGN_OR_RETURN(f.include_voided, parse_flag(*voided, "include_voided"));
  }

  f.limit = kDefaultPageSize;
  PINGAN_ASSIGN_OR_RETURN(auto limit, single_value(params, "limit"));
  if (limit) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t n, parse_integer(*limit, "limit"));
    // Clamped into int range only; the engine enforces 1..1000.
    f.limit = static_cast<int>(std::clamp<std::int64_t>(n, std::numeric_limits<int>::min(),
                                                        std::numeric_limits<int>::max()));
  }
  PINGAN_ASSIGN_OR_RETURN(auto offset, single_value(params, "offset"));
  if (offset) {
    PINGAN_ASSIGN_OR_RETURN(f.offset, parse_integer(*offset, "offset"));
  }
  return q;
}

}  // namespace pingan
