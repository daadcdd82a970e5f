#pragma once
// Forecasts: the expected number of incidents in each grid cell over a
// window [from, until), from the events before `from` only. A model is
// handed exactly that prefix of the history, so it cannot see the window it
// forecasts (forecast_eval.h relies on this, and a test checks it).
//
// The baselines of the predictive-policing literature (docs/forecasting.md):
// counts of the last N days per cell, and the kernel density of the last N
// days. The self-exciting model is in forecast_etas.h.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analytics/forecast_sliding.h"
#include "analytics/grid.h"
#include "analytics/kde.h"
#include "core/status.h"

namespace pingan::analytics {

inline constexpr std::int64_t kMinutesPerDay = 1440;

struct ForecastWindow {
  std::int64_t from_minute = 0;   // UTC minutes, inclusive
  std::int64_t until_minute = 0;  // exclusive
  double days() const { return static_cast<double>(until_minute - from_minute) / kMinutesPerDay; }
};

class ForecastModel {
 public:
  virtual ~ForecastModel() = default;
  // Short name used in tables and the API ("kde-28d", "etas").
  virtual std::string name() const = 0;
  // Expected events per cell of the model's grid in `window`. `history` is
  // every event before window.from_minute, sorted by minute. Replays call
  // with windows moving forward over growing prefixes of one array, which
  // models may use to update state incrementally; any other call is still
  // answered correctly, only slower.
  virtual std::vector<double> forecast(std::span<const EventPoint> history,
                                       const ForecastWindow& window) = 0;
};

// Counts (kernel bandwidth 0) or kernel density of the last `lookback_days`
// before the window, scaled to the window's length.
class PriorPeriodModel : public ForecastModel {
 public:
  PriorPeriodModel(const Grid& grid, int lookback_days, const KernelSpec& kernel);
  std::string name() const override { return name_; }
  std::vector<double> forecast(std::span<const EventPoint> history,
                               const ForecastWindow& window) override;

 private:
  int lookback_days_;
  std::string name_;
  SlidingDensity density_;
};

// "counts-28d" (bandwidth 0) or "kde-28d".
std::string prior_period_name(int lookback_days, const KernelSpec& kernel);

}  // namespace pingan::analytics
