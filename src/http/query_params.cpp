#include "http/query_params.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/text.h"

namespace pingan {

Status refuse_unknown_params(const HttpRequest& req, const ParamNames& known) {
  for (const auto& [key, value] : req.params)
    if (!known.count(key))  // "?=x" has no name to blame
      return Error::invalid(key.empty() ? "query" : key,
                            fmt::format("'{}' is not a known parameter of this query", key));
  return {};
}

Result<std::optional<std::string>> single_param(const HttpRequest& req, const char* key) {
  const size_t n = req.get_param_value_count(key);
  if (n == 0) return std::optional<std::string>();
  if (n > 1) return Error::invalid(key, "is given more than once");
  return std::optional<std::string>(req.get_param_value(key));
}

Result<std::optional<int>> int_param(const HttpRequest& req, const char* key) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_param(req, key));
  if (!text) return std::optional<int>();
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size())
    return Error::invalid(key, fmt::format("'{}' is not an integer", *text));
  return std::optional<int>(v);
}

Result<std::optional<double>> number_param(const HttpRequest& req, const char* key) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_param(req, key));
  if (!text) return std::optional<double>();
  std::optional<double> v = parse_plain_number(*text);
  if (!v) return Error::invalid(key, fmt::format("'{}' is not a number", *text));
  return v;
}

Result<std::optional<Timestamp>> time_param(const HttpRequest& req, const char* key, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single_param(req, key));
  if (!text || text->empty()) return std::optional<Timestamp>();
  auto t = parse_iso8601(*text, &zone);
  if (!t.ok()) return Error::invalid(key, t.error().message);
  return std::optional<Timestamp>(*t);
}

Timestamp local_midnight(const TimeZone& zone, Timestamp t, int days_back) {
  CivilTime c = zone.to_local(t);
  CivilTime date = utc_to_civil(civil_to_utc(CivilTime{c.year, c.month, c.day, 0, 0, 0}) - days_back * 86'400LL);
  return zone.to_utc(CivilTime{date.year, date.month, date.day, 0, 0, 0});
}

Result<Period> read_period(const HttpRequest& req, const TimeZone& zone, int default_days, const char* to_key) {
  PINGAN_ASSIGN_OR_RETURN(auto from, time_param(req, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(auto to, time_param(req, to_key, zone));
  Period p;
  p.until = to ? *to : local_midnight(zone, now_utc(), 0);
  p.from = from ? *from : local_midnight(zone, p.until, default_days);
  return p;
}

}  // namespace pingan
