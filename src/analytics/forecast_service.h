#pragma once
// Forecasts over the incident index: a replay that judges the models
// (`pingan analyze forecast-eval`) and a single forecast for the API and the
// patrol suggestions. The math lives in forecast*.h over plain points; this
// file gathers the points of a filter, lays the grid over the scope and
// picks the study area.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/forecast_etas.h"
#include "analytics/forecast_eval.h"
#include "analytics/forecast_windows.h"
#include "analytics/grid_area.h"
#include "analytics/incident_index.h"
#include "analytics/request_cost.h"
#include "core/deadline.h"

namespace pingan::analytics {

// The models every replay compares, and the one the API serves by default.
struct ForecastSettings {
  double cell_m = 150;
  KernelSpec kde{KernelShape::kGaussian, 150};  // the kernel-density baselines
  EtasOptions etas;
};

struct ForecastEvalRequest {
  // Scope, classes and types; `from` is where the training history starts
  // (everything earlier is ignored), `until` is ignored.
  RowFilter filter;
  CivilTime from_date, to_date;  // local dates: the windows replayed
  WindowKind window = WindowKind::kWeek;
  ForecastSettings settings;
  std::vector<double> shares{0.01, 0.05, 0.10};
};

struct ForecastEvalReport {
  Evaluation evaluation;
  AreaBasis area_basis = AreaBasis::kCellsWithIncidents;
  int units_with_boundaries = 0;
  double cell_m = 0;
  std::int64_t training_events = 0;  // located events before the first window
  std::int64_t window_events = 0;    // located events inside the replayed windows
  std::int64_t unlocated = 0;        // rows of the filter without a location (not used)
  std::int64_t first_event_minute = 0;
  std::vector<std::pair<std::int64_t, EtasFit>> etas_fits;  // (window start, fit)
  double seconds = 0;
};

// Models: counts-28d, kde-28d, counts-365d, kde-365d, etas.
Result<ForecastEvalReport> run_forecast_eval(const IncidentIndex& index,
                                             const ForecastEvalRequest& request);

enum class ForecastModelKind { kKde, kEtas };
const char* forecast_model_name(ForecastModelKind kind);
// "kde" or "etas"; errors name "model".
Result<ForecastModelKind> parse_forecast_model(std::string_view name);

struct ForecastRequest {
  RowFilter filter;  // scope, classes, types; from/until are ignored
  ForecastModelKind model = ForecastModelKind::kEtas;
  ForecastWindow window;
  ForecastSettings settings;
  int kde_lookback_days = 28;
  // What the forecast may cost (request_cost.h): the server gives its
  // budgets, the CLI none. window_field names the request's parameter for
  // the window's length in a refusal ("window", "hours", "to").
  CostBudgets budgets = CostBudgets::unlimited();
  const char* window_field = "window";
  const char* cell_field = "cell";  // null: the request has no cell parameter
};

struct ForecastResult {
  Grid grid;
  LocalProjection projection;
  StudyArea area;
  ForecastWindow window;
  std::string model;
  std::vector<double> expected;  // per grid cell
  std::optional<EtasFit> fit;
  std::int64_t history_events = 0;
};

// Forecasts one window from the events before it. An ETAS fit is kept for
// reuse while the window start, the filter and the training events are the
// same (a patrol page asks again and again for the same shift). Priced
// before the work (request.budgets: invalid_argument naming the parameter to
// narrow); stopped when the deadline passes (unavailable).
Result<ForecastResult> forecast_window(const IncidentIndex& index, const ForecastRequest& request,
                                       const Deadline& deadline = Deadline::none());

}  // namespace pingan::analytics
