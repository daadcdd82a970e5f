#include "json/response_json.h"

#include <cmath>

namespace pingan {
namespace {

using nlohmann::json;
using analytics::kResponseMetricCount;
using analytics::ResponseMetric;

// Rounded to `scale` (100: two decimals); dividing by the exact power of ten
// gives the double nearest the decimal, so 71.49 prints as 71.49.
json rounded(const std::optional<double>& v, double scale = 100) {
  if (!v) return nullptr;
  return std::round(*v * scale) / scale;
}

const char* metric_name(int m) { return analytics::response_metric_name(static_cast<ResponseMetric>(m)); }

json figures_json(const analytics::ResponseFigures& f, const analytics::ResponseStandard& standard) {
  json durations = json::object();
  for (int m = 0; m < kResponseMetricCount; ++m) {
    const auto& d = f.durations[static_cast<std::size_t>(m)];
    durations[metric_name(m)] = {{"count", d.count},
                                 {"median_s", rounded(d.median_s, 10)},
                                 {"p90_s", rounded(d.p90_s, 10)},
                                 {"histogram", d.histogram}};
  }
  json marks = json::array();
  for (std::size_t k = 0; k < f.marks.size(); ++k)
    marks.push_back({{"code", standard.marks[k].code}, {"met", f.marks[k].met}, {"share_pct", rounded(f.marks[k].share_pct)}});
  return {{"incidents", f.incidents}, {"responded", f.responded}, {"durations", std::move(durations)},
          {"marks", std::move(marks)}};
}

json comparison_json(const analytics::ResponseComparison& c, const analytics::ResponseStandard& standard,
                     const TimeZone& zone) {
  json marks = json::array();
  for (std::size_t k = 0; k < c.share_change_pp.size(); ++k)
    marks.push_back({{"code", standard.marks[k].code}, {"share_change_pp", rounded(c.share_change_pp[k])}});
  json medians = json::object();
  for (int m = 0; m < kResponseMetricCount; ++m) medians[metric_name(m)] = rounded(c.median_change_s[static_cast<std::size_t>(m)], 10);
  return {{"from", format_local(c.from, zone)},
          {"to", format_local(c.until, zone)},
          {"figures", figures_json(c.base, standard)},
          {"incidents_change", c.incidents_change},
          {"incidents_change_pct", rounded(c.incidents_change_pct)},
          {"marks", std::move(marks)},
          {"median_change_s", std::move(medians)}};
}

json line_json(const analytics::ResponseLine& l, const analytics::ResponseStandard& standard, const TimeZone& zone) {
  return {{"code", l.code},
          {"name", l.name},
          {"from", format_local(l.from, zone)},
          {"to", format_local(l.until, zone)},
          {"current", figures_json(l.current, standard)},
          {"yoy", comparison_json(l.yoy, standard, zone)},
          {"previous", comparison_json(l.previous, standard, zone)}};
}

}  // namespace

json response_report_to_json(const analytics::ResponseReport& r, const TimeZone& zone) {
  json marks = json::array();
  for (const auto& m : r.standard.marks)
    marks.push_back({{"code", m.code}, {"label", m.label}, {"metric", analytics::response_metric_name(m.metric)},
                     {"seconds", m.seconds}});
  json overrides = json::array();
  for (const auto& o : r.standard.overrides) {
    json seconds = json::object();
    for (const auto& [code, s] : o.seconds) seconds[code] = s;
    overrides.push_back({{"unit", o.unit_code}, {"reason", o.reason}, {"seconds", std::move(seconds)}});
  }
  json groups = json::array();
  for (const auto& g : r.groups) groups.push_back(line_json(g, r.standard, zone));
  return {{"standard", {{"name", r.standard.name}, {"marks", std::move(marks)}, {"overrides", std::move(overrides)}}},
          {"group_by", analytics::response_group_name(r.group_by)},
          {"histogram_edges_s", analytics::kResponseHistogramEdgesS},
          {"from", format_local(r.from, zone)},
          {"to", format_local(r.until, zone)},
          {"total", line_json(r.total, r.standard, zone)},
          {"groups", std::move(groups)}};
}

}  // namespace pingan
