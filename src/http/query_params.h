#pragma once
// Reading query-string parameters the same way in every route: a scalar
// given twice is refused rather than one value picked at random, an unknown
// parameter is refused (a typo must not silently widen a query), and errors
// name the parameter.

#include <optional>
#include <set>
#include <string>

#include "core/status.h"
#include "http/http_request.h"
#include "core/time.h"


namespace pingan {

using ParamNames = std::set<std::string, std::less<>>;

// Refuses the first parameter not in `known`.
Status refuse_unknown_params(const HttpRequest& req, const ParamNames& known);

// The single value of `key`, empty when absent.
Result<std::optional<std::string>> single_param(const HttpRequest& req, const char* key);
Result<std::optional<int>> int_param(const HttpRequest& req, const char* key);
Result<std::optional<double>> number_param(const HttpRequest& req, const char* key);
// ISO 8601; naive times are read in `zone`. Empty when absent or empty.
Result<std::optional<Timestamp>> time_param(const HttpRequest& req, const char* key, const TimeZone& zone);

// The local midnight `days_back` whole days before the day holding `t`.
Timestamp local_midnight(const TimeZone& zone, Timestamp t, int days_back);

// `from` and `to` (end exclusive). By default the CompStat window: the
// `default_days` whole local days before today (or before `to`).
struct Period {
  Timestamp from = 0;
  Timestamp until = 0;
};
Result<Period> read_period(const HttpRequest& req, const TimeZone& zone, int default_days,
                           const char* to_key = "to");

}  // namespace pingan
