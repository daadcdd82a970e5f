#pragma once
// The rapid-response standard (1-3-5 分钟快速反应) as configuration: named
// marks, each a time limit on one response duration, with per-unit
// overrides (a suburban station gets 10 minutes to arrive). Bureaus define
// the standard differently, so it is data (data/dispatch/response_standard.json),
// validated once when loaded. docs/response.md has the definitions.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/unit.h"

namespace pingan::analytics {

// The three durations of a response, from the incident's lifecycle times.
enum class ResponseMetric : std::uint8_t {
  kCallToDispatch,     // reported_at -> first unit committed (dispatched_at, else arrived_at)
  kDispatchToArrival,  // dispatched_at -> arrived_at (both recorded)
  kCallToArrival,      // reported_at -> arrived_at
};
inline constexpr int kResponseMetricCount = 3;
const char* response_metric_name(ResponseMetric m);  // "call_to_dispatch", ...
Result<ResponseMetric> parse_response_metric(std::string_view text);

struct ResponseMark {
  std::string code;   // "1min"
  std::string label;  // "1分钟响应"
  ResponseMetric metric = ResponseMetric::kCallToArrival;
  std::uint32_t seconds = 0;  // met when duration <= seconds
};

// Another limit for some marks within a unit's subtree.
struct ResponseOverride {
  std::string unit_code;
  std::string reason;
  std::vector<std::pair<std::string, std::uint32_t>> seconds;  // mark code -> limit
};

struct ResponseStandard {
  std::string name;
  std::vector<ResponseMark> marks;
  std::vector<ResponseOverride> overrides;

  // The limits of every mark for an incident of `unit_code`: the deepest
  // override on the unit's path from the root wins, mark by mark; codes
  // outside the tree get the defaults.
  std::vector<std::uint32_t> limits_for(const std::string& unit_code, const UnitTree& tree) const;
};

// Errors name the field: "marks[1].seconds", "overrides[0].seconds.9min", ...
Result<ResponseStandard> parse_response_standard(const nlohmann::json& doc);

}  // namespace pingan::analytics
