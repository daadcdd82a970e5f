#include "analytics/response_standard.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/taxonomy.h"

namespace pingan::analytics {
namespace {

// One day: a longer limit is a typo (minutes written as seconds twice over).
constexpr std::int64_t kMaxLimitSeconds = 86'400;

Result<std::uint32_t> limit_of(const nlohmann::json& v, const std::string& field) {
  if (!v.is_number_integer()) return Error::invalid(field, "must be a whole number of seconds");
  const auto s = v.get<std::int64_t>();
  if (s < 0 || s > kMaxLimitSeconds)
    return Error::invalid(field, fmt::format("{} is outside 0..{} seconds", s, kMaxLimitSeconds));
  return static_cast<std::uint32_t>(s);
}

Result<std::string> text_of(const nlohmann::json& obj, const char* key, const std::string& field, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Error::invalid(field, "is required");
    return std::string();
  }
  if (!it->is_string()) return Error::invalid(field, "must be a string");
  std::string s = it->get<std::string>();
  if (required && s.empty()) return Error::invalid(field, "may not be empty");
  return s;
}

}  // namespace

const char* response_metric_name(ResponseMetric m) {
  switch (m) {
    case ResponseMetric::kCallToDispatch: return "call_to_dispatch";
    case ResponseMetric::kDispatchToArrival: return "dispatch_to_arrival";
    case ResponseMetric::kCallToArrival: return "call_to_arrival";
  }
  return "?";
}

Result<ResponseMetric> parse_response_metric(std::string_view text) {
  for (ResponseMetric m : {ResponseMetric::kCallToDispatch, ResponseMetric::kDispatchToArrival,
                           ResponseMetric::kCallToArrival})
    if (text == response_metric_name(m)) return m;
  return Error::invalid("metric", fmt::format("'{}' is not one of call_to_dispatch, dispatch_to_arrival, "
                                              "call_to_arrival", text));
}

std::vector<std::uint32_t> ResponseStandard::limits_for(const std::string& unit_code, const UnitTree& tree) const {
  std::vector<std::uint32_t> limits;
  for (const ResponseMark& m : marks) limits.push_back(m.seconds);
  if (overrides.empty() || unit_code.empty()) return limits;
  // Root first, so that a deeper unit's override is applied last and wins.
  std::vector<std::string> path = tree.find(unit_code) ? tree.path(unit_code) : std::vector<std::string>{unit_code};
  for (const std::string& code : path)
    for (const ResponseOverride& o : overrides) {
      if (o.unit_code != code) continue;
      for (const auto& [mark, seconds] : o.seconds)
        for (std::size_t i = 0; i < marks.size(); ++i)
          if (marks[i].code == mark) limits[i] = seconds;
    }
  return limits;
}

Result<ResponseStandard> parse_response_standard(const nlohmann::json& doc) {
  if (!doc.is_object()) return Error::invalid("", "the response standard must be a JSON object");
  ResponseStandard s;
  PINGAN_ASSIGN_OR_RETURN(s.name, text_of(doc, "name", "name", false));
  auto marks = doc.find("marks");
  if (marks == doc.end() || !marks->is_array() || marks->empty())
    return Error::invalid("marks", "must be a non-empty array");
  for (std::size_t i = 0; i < marks->size(); ++i) {
    const nlohmann::json& m = (*marks)[i];
    const std::string field = fmt::format("marks[{}]", i);
    if (!m.is_object()) return Error::invalid(field, "must be an object");
    ResponseMark mark;
    PINGAN_ASSIGN_OR_RETURN(mark.code, text_of(m, "code", field + ".code", true));
    PINGAN_ASSIGN_OR_RETURN(mark.label, text_of(m, "label", field + ".label", false));
    if (mark.label.empty()) mark.label = mark.code;
    PINGAN_ASSIGN_OR_RETURN(std::string metric, text_of(m, "metric", field + ".metric", true));
    auto parsed = parse_response_metric(metric);
    if (!parsed.ok()) return Error::invalid(field + ".metric", parsed.error().message);
    mark.metric = *parsed;
    if (!m.contains("seconds")) return Error::invalid(field + ".seconds", "is required");
    PINGAN_ASSIGN_OR_RETURN(mark.seconds, limit_of(m["seconds"], field + ".seconds"));
    for (const ResponseMark& before : s.marks)
      if (before.code == mark.code)
        return Error::invalid(field + ".code", fmt::format("mark '{}' is defined twice", mark.code));
    s.marks.push_back(std::move(mark));
  }
  if (auto overrides = doc.find("overrides"); overrides != doc.end() && !overrides->is_null()) {
    if (!overrides->is_array()) return Error::invalid("overrides", "must be an array");
    for (std::size_t i = 0; i < overrides->size(); ++i) {
      const nlohmann::json& o = (*overrides)[i];
      const std::string field = fmt::format("overrides[{}]", i);
      if (!o.is_object()) return Error::invalid(field, "must be an object");
      ResponseOverride ov;
      PINGAN_ASSIGN_OR_RETURN(ov.unit_code, text_of(o, "unit", field + ".unit", true));
      PINGAN_ASSIGN_OR_RETURN(ov.reason, text_of(o, "reason", field + ".reason", false));
      auto secs = o.find("seconds");
      if (secs == o.end() || !secs->is_object() || secs->empty())
        return Error::invalid(field + ".seconds", "must be an object of mark code -> seconds");
      for (const auto& [code, value] : secs->items()) {
        const std::string f = fmt::format("{}.seconds.{}", field, code);
        // Captured by name: clang before 16 (the fuzz build's) cannot capture a structured binding.
        auto is_code = [&code = code](const ResponseMark& m) { return m.code == code; };
        if (std::none_of(s.marks.begin(), s.marks.end(), is_code))
          return Error::invalid(f, fmt::format("'{}' is not a mark of the standard", code));
        PINGAN_ASSIGN_OR_RETURN(std::uint32_t limit, limit_of(value, f));
        ov.seconds.emplace_back(code, limit);
      }
      s.overrides.push_back(std::move(ov));
    }
  }
  return s;
}



}  // namespace pingan::analytics
