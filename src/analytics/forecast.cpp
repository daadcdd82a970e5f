#include "analytics/forecast.h"

#include <fmt/format.h>

namespace pingan::analytics {

std::string prior_period_name(int lookback_days, const KernelSpec& kernel) {
  return fmt::format("{}-{}d", kernel.bandwidth_m > 0 ? "kde" : "counts", lookback_days);
}

PriorPeriodModel::PriorPeriodModel(const Grid& grid, int lookback_days, const KernelSpec& kernel)
    : lookback_days_(lookback_days),
      name_(prior_period_name(lookback_days, kernel)),
      density_(grid, kernel) {}

std::vector<double> PriorPeriodModel::forecast(std::span<const EventPoint> history,
                                               const ForecastWindow& window) {
  const std::int64_t from = window.from_minute - lookback_days_ * kMinutesPerDay;
  std::vector<double> out = density_.over(history, from, window.from_minute);
  const double scale = window.days() / lookback_days_;
  for (double& v : out) v *= scale;
  return out;
}

}  // namespace pingan::analytics
