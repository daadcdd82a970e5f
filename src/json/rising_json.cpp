#include "json/rising_json.h"

#include <cmath>

namespace pingan {
namespace {

nlohmann::json window_json(const analytics::RisingWindow& w, const TimeZone& zone) {
  return {{"from", format_local(w.from, zone)}, {"to", format_local(w.until, zone)}};
}

nlohmann::json named(const std::string& code, const std::string& name) {
  if (code.empty()) return nullptr;
  return {{"code", code}, {"name", name}};
}

// p-values below the smallest double print as 0; a finite number keeps JSON valid.
double finite_or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

nlohmann::json rising_to_json(const analytics::RisingReport& report, const TimeZone& zone, int limit) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& w : report.history) history.push_back(window_json(w, zone));
  nlohmann::json items = nlohmann::json::array();
  const size_t shown = limit > 0 ? std::min(report.series.size(), static_cast<size_t>(limit)) : report.series.size();
  for (size_t i = 0; i < shown; ++i) {
    const analytics::RisingSeries& s = report.series[i];
    const analytics::SeriesScore& f = s.score;
    items.push_back({{"rank", i + 1},
                     {"unit", named(s.unit_code, s.unit_name)},
                     {"type", named(s.type_code, s.type_name)},
                     {"class", named(s.class_code, s.class_name)},
                     {"observed", f.observed},
                     {"expected", f.expected},
                     {"ratio", std::isfinite(f.ratio) ? nlohmann::json(f.ratio) : nlohmann::json(nullptr)},
                     {"z", finite_or_zero(f.z)},
                     {"p", f.p},
                     {"q", s.q},
                     {"test", analytics::rising_test_name(f.test)},
                     {"dispersion", f.dispersion},
                     {"rising", s.rising},
                     {"history", s.history}});
  }
  return {{"window", window_json(report.window, zone)},
          {"history", std::move(history)},
          {"dropped_windows", report.dropped.size()},
          {"by", analytics::rising_by_name(report.by)},
          {"baseline", analytics::rising_baseline_name(report.baseline)},
          {"alpha", report.alpha},
          {"tested", report.tested},
          {"flagged", report.flagged},
          {"items", std::move(items)}};
}

}  // namespace pingan
