// GET /api/stats/rising: which types, units or unit x type series rose
// beyond chance in a recent window against their own history
// (analytics/rising.h). Parameters: unit, from, to (both or neither; ISO
// 8601, bare dates and naive times in the bureau's zone, `to` exclusive),
// at, by, baseline, windows, years, alpha, limit.

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <cstdlib>
#include <set>

#include "analytics/rising.h"
#include "http/api_routes.h"
#include "http/request_scope.h"
#include "http/rising_json.h"

namespace pingan {
namespace {

constexpr int kDefaultRisingLimit = 50;
constexpr int kMaxRisingLimit = 5000;

const std::set<std::string, std::less<>> kRisingParams = {"unit",    "from",  "to",   "at",
                                                          "by",      "baseline", "windows",
                                                          "years",   "alpha", "limit"};

Result<std::optional<std::string>> single(const httplib::Request& req, const char* key) {
  const size_t n = req.get_param_value_count(key);
  if (n == 0) return std::optional<std::string>();
  if (n > 1) return Error::invalid(key, "is given more than once");
  return std::optional<std::string>(req.get_param_value(key));
}

Result<std::optional<Timestamp>> time_param(const httplib::Request& req, const char* key, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single(req, key));
  if (!text || text->empty()) return std::optional<Timestamp>();
  auto t = parse_iso8601(*text, &zone);
  if (!t.ok()) return Error::invalid(key, t.error().message);
  return std::optional<Timestamp>(*t);
}

Result<std::optional<int>> int_param(const httplib::Request& req, const char* key) {
  PINGAN_ASSIGN_OR_RETURN(auto text, single(req, key));
  if (!text) return std::optional<int>();
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty())
    return Error::invalid(key, fmt::format("'{}' is not an integer", *text));
  return std::optional<int>(v);
}

Result<Reply> rising(const ApiContext& ctx, const RouteRequest& r) {
  const httplib::Request& req = r.http;
  for (const auto& [key, value] : req.params)
    if (!kRisingParams.count(key))
      return Error::invalid(key, fmt::format("'{}' is not a known parameter of this query", key));
  const TimeZone& zone = ctx.engine.time_zone();
  analytics::RisingQuery q;
  q.scope = r.scope;
  PINGAN_ASSIGN_OR_RETURN(auto unit, single(req, "unit"));
  if (unit && !unit->empty()) {
    auto tree = ctx.engine.units();
    if (!tree) return Error::invalid("unit", fmt::format("unknown unit '{}'", *unit));
    PINGAN_ASSIGN_OR_RETURN(q.scope, narrow_scope(r.scope, *unit, *tree));
  }
  PINGAN_ASSIGN_OR_RETURN(q.from, time_param(req, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(q.until, time_param(req, "to", zone));
  PINGAN_ASSIGN_OR_RETURN(q.at, time_param(req, "at", zone));
  PINGAN_ASSIGN_OR_RETURN(auto by, single(req, "by"));
  if (by) {
    PINGAN_ASSIGN_OR_RETURN(q.by, analytics::parse_rising_by(*by));
  }
  PINGAN_ASSIGN_OR_RETURN(auto baseline, single(req, "baseline"));
  if (baseline) {
    PINGAN_ASSIGN_OR_RETURN(q.baseline, analytics::parse_rising_baseline(*baseline));
  }
  PINGAN_ASSIGN_OR_RETURN(auto windows, int_param(req, "windows"));
  if (windows) q.history_windows = *windows;
  PINGAN_ASSIGN_OR_RETURN(auto years, int_param(req, "years"));
  if (years) q.history_years = *years;
  PINGAN_ASSIGN_OR_RETURN(auto alpha, single(req, "alpha"));
  if (alpha) {
    char* end = nullptr;
    q.alpha = std::strtod(alpha->c_str(), &end);
    if (alpha->empty() || end != alpha->c_str() + alpha->size())
      return Error::invalid("alpha", fmt::format("'{}' is not a number", *alpha));
  }
  PINGAN_ASSIGN_OR_RETURN(auto limit, int_param(req, "limit"));
  const int shown = limit.value_or(kDefaultRisingLimit);
  if (shown < 1 || shown > kMaxRisingLimit)
    return Error::invalid("limit", fmt::format("{} is outside 1..{}", shown, kMaxRisingLimit));

  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<analytics::IncidentIndex> index, ctx.index());
  PINGAN_ASSIGN_OR_RETURN(analytics::RisingReport report, analytics::find_rising(*index, q, now_utc()));
  return Reply{200, rising_to_json(report, zone, shown), {}};
}

}  // namespace

std::vector<Route> rising_routes(const ApiContext& ctx) {
  return {{"GET", "/api/stats/rising", [&ctx](const RouteRequest& r) { return rising(ctx, r); }}};
}

}  // namespace pingan
