#pragma once
// Judging forecasts as the NIJ Real-Time Crime Forecasting Challenge does:
// flag the top cells covering a share a/A of the study area; the hit rate is
// the share n/N of the window's incidents inside them and the Predictive
// Accuracy Index PAI = (n/N) / (a/A). A replay forecasts every window from
// the events before it only (each model is handed that prefix alone).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/grid.h"
#include "core/status.h"

namespace pingan::analytics {

// The cells flagged for a share of the area: round(share * area), at least 1.
std::int64_t flagged_cells(double share, std::int64_t area_cells);

// Incidents of one window inside the top cells of a forecast, per share.
// Cells are ranked by forecast, highest first; ties go to the lower cell
// index (deterministic). Only `area` cells are ranked and only incidents in
// them count towards N.
struct WindowScore {
  double incidents = 0;           // N
  std::vector<double> hits;       // n per share
  std::vector<std::int64_t> cells;  // a per share
};
WindowScore score_window(std::span<const double> forecast, std::span<const double> actual,
                         std::span<const int> area, std::span<const double> shares);

struct ModelSummary {
  std::string model;
  std::vector<double> mean_hit_rate;  // per share, averaged over windows with N > 0
  std::vector<double> mean_pai;       // mean hit rate / (a/A)
  std::vector<double> pooled_hit_rate;  // sum n / sum N over all windows
  int windows = 0;                    // windows with at least one incident
  double seconds = 0;                 // time spent forecasting
};

struct Evaluation {
  std::vector<double> shares;
  std::int64_t area_cells = 0;
  int windows = 0;
  double incidents = 0;  // in the area, over all windows
  std::vector<ModelSummary> models;
};

// Replays the windows (sorted, non-overlapping) over `events` (sorted by
// minute). Errors when there are no windows, no area cells or no models.
Result<Evaluation> evaluate_forecasts(std::span<const EventPoint> events, const Grid& grid,
                                      std::span<const int> area,
                                      std::span<const ForecastWindow> windows,
                                      std::span<const std::unique_ptr<ForecastModel>> models,
                                      std::span<const double> shares);

}  // namespace pingan::analytics
