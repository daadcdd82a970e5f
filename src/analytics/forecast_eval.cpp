#include "analytics/forecast_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pingan::analytics {

std::int64_t flagged_cells(double share, std::int64_t area_cells) {
  const auto k = static_cast<std::int64_t>(std::llround(share * static_cast<double>(area_cells)));
  return std::clamp<std::int64_t>(k, 1, std::max<std::int64_t>(area_cells, 1));
}

WindowScore score_window(std::span<const double> forecast, std::span<const double> actual,
                         std::span<const int> area, std::span<const double> shares) {
  WindowScore score;
  std::vector<int> ranked(area.begin(), area.end());
  for (int c : ranked) score.incidents += actual[static_cast<size_t>(c)];
  std::int64_t deepest = 0;
  for (double s : shares) {
    score.cells.push_back(flagged_cells(s, static_cast<std::int64_t>(area.size())));
    deepest = std::max(deepest, score.cells.back());
  }
  auto higher = [&](int a, int b) {
    const double fa = forecast[static_cast<size_t>(a)], fb = forecast[static_cast<size_t>(b)];
    return fa != fb ? fa > fb : a < b;
  };
  std::partial_sort(ranked.begin(), ranked.begin() + deepest, ranked.end(), higher);
  for (std::int64_t k : score.cells) {
    double n = 0;
    for (std::int64_t i = 0; i < k; ++i) n += actual[static_cast<size_t>(ranked[static_cast<size_t>(i)])];
    score.hits.push_back(n);
  }
  return score;
}

Result<Evaluation> evaluate_forecasts(std::span<const EventPoint> events, const Grid& grid,
                                      std::span<const int> area,
                                      std::span<const ForecastWindow> windows,
                                      std::span<const std::unique_ptr<ForecastModel>> models,
                                      std::span<const double> shares) {
  if (windows.empty()) return Error::invalid("windows", "no forecast windows to replay");
  if (area.empty()) return Error::invalid("area", "the study area has no cells");
  if (models.empty()) return Error::invalid("models", "no models to evaluate");
  if (shares.empty()) return Error::invalid("shares", "no area shares to score");
  Evaluation ev;
  ev.shares.assign(shares.begin(), shares.end());
  ev.area_cells = static_cast<std::int64_t>(area.size());
  const size_t n_shares = shares.size();
  std::vector<std::vector<double>> hit_rate_sum(models.size(), std::vector<double>(n_shares, 0));
  std::vector<std::vector<double>> hits_sum(models.size(), std::vector<double>(n_shares, 0));
  std::vector<double> seconds(models.size(), 0);
  std::vector<std::int64_t> cells(n_shares);
  for (size_t s = 0; s < n_shares; ++s) cells[s] = flagged_cells(shares[s], ev.area_cells);

  int scored = 0;  // windows with at least one incident in the area
  for (const ForecastWindow& w : windows) {
    const size_t start = first_at_or_after(events, w.from_minute);
    const size_t end = first_at_or_after(events, w.until_minute);
    // The models see the events before the window and nothing else.
    const std::span<const EventPoint> history = events.first(start);
    const std::vector<double> actual = count_per_cell(grid, events.subspan(start, end - start));
    double n_window = 0;
    for (int c : area) n_window += actual[static_cast<size_t>(c)];
    ++ev.windows;
    ev.incidents += n_window;
    if (n_window > 0) ++scored;
    for (size_t m = 0; m < models.size(); ++m) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::vector<double> forecast = models[m]->forecast(history, w);
      seconds[m] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (n_window <= 0) continue;
      const WindowScore score = score_window(forecast, actual, area, shares);
      for (size_t s = 0; s < n_shares; ++s) {
        hit_rate_sum[m][s] += score.hits[s] / score.incidents;
        hits_sum[m][s] += score.hits[s];
      }
    }
  }
  for (size_t m = 0; m < models.size(); ++m) {
    ModelSummary sum;
    sum.model = models[m]->name();
    sum.windows = scored;
    sum.seconds = seconds[m];
    for (size_t s = 0; s < n_shares; ++s) {
      const double rate = scored > 0 ? hit_rate_sum[m][s] / scored : 0;
      sum.mean_hit_rate.push_back(rate);
      sum.mean_pai.push_back(rate / (static_cast<double>(cells[s]) / ev.area_cells));
      sum.pooled_hit_rate.push_back(ev.incidents > 0 ? hits_sum[m][s] / ev.incidents : 0);
    }
    ev.models.push_back(std::move(sum));
  }
  return ev;
}

}  // namespace pingan::analytics
