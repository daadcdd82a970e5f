#include "analytics/forecast_service.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "analytics/forecast_source.h"

namespace pingan::analytics {
namespace {

// Cells beyond the scope's boundaries still carry incidents whose kernels
// and triggers reach inside.
constexpr double kGridMarginM = 1000;
constexpr size_t kMaxCachedFits = 64;

std::int64_t minute_to_seconds(std::int64_t minute) { return minute * 60; }

// ETAS fits by (filter, grid, window start and length, training events):
// a fit takes seconds on a city's year and a patrol page asks again.
class FitCache {
 public:
  std::optional<EtasFit> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = fits_.find(key);
    if (it == fits_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& key, const EtasFit& fit) {
    std::lock_guard lock(mutex_);
    if (fits_.size() >= kMaxCachedFits) fits_.clear();  // rare; a miss only costs a refit
    fits_[key] = fit;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, EtasFit> fits_;  // GUARDED_BY(mutex_)
};

FitCache& fit_cache() {
  static FitCache cache;
  return cache;
}

std::string fit_key(const RowFilter& f, const Grid& grid, const ForecastWindow& w,
                    std::int64_t events, const EtasOptions& o) {
  return fmt::format("{}|{}|{}|{}|{}:{}:{}|{}-{}|{}|{}:{}:{}:{}:{}:{}", f.scope.all,
                     fmt::join(f.scope.root_codes, ","), fmt::join(f.class_codes, ","),
                     fmt::join(f.type_codes, ","), grid.cell_m(), grid.min_x(), grid.min_y(),
                     w.from_minute, w.until_minute, events, o.fit_days, o.background_days,
                     o.choose_background_bandwidth ? -1.0 : o.background_kernel.bandwidth_m, o.max_trigger_days, o.max_trigger_m, o.tuning_days);
}

}  // namespace

const char* forecast_model_name(ForecastModelKind kind) {
  return kind == ForecastModelKind::kKde ? "kde" : "etas";
}

Result<ForecastModelKind> parse_forecast_model(std::string_view name) {
  if (name == "kde") return ForecastModelKind::kKde;
  if (name == "etas") return ForecastModelKind::kEtas;
  return Error::invalid("model", fmt::format("'{}' is not kde or etas", name));
}

Result<ForecastEvalReport> run_forecast_eval(const IncidentIndex& index,
                                             const ForecastEvalRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  PINGAN_RETURN_IF_ERROR(validate_kernel(request.settings.kde));
  PINGAN_RETURN_IF_ERROR(validate_etas_options(request.settings.etas));
  PINGAN_ASSIGN_OR_RETURN(std::vector<ForecastWindow> windows,
                          replay_windows(index.zone(), request.from_date, request.to_date,
                                         request.window));
  RowFilter filter = request.filter;
  filter.until = minute_to_seconds(windows.back().until_minute);
  CollectedEvents collected = collect_events(index, filter);
  const std::span<const EventPoint> events = collected.events;
  const size_t first_window = first_at_or_after(events, windows.front().from_minute);
  if (first_window == 0)
    return Error::invalid("from", "no located incidents before the first window to learn from");

  const auto units = units_in_scope(*index.units(), filter.scope);
  PINGAN_ASSIGN_OR_RETURN(Grid grid, grid_for_scope(units, index.projection(), events,
                                                     request.settings.cell_m, kGridMarginM));
  const StudyArea area = study_area(grid, index.projection(), units, events.first(first_window));

  std::vector<std::unique_ptr<ForecastModel>> models;
  const KernelSpec counts{KernelShape::kGaussian, 0};
  for (int days : {28, 365}) {
    models.push_back(std::make_unique<PriorPeriodModel>(grid, days, counts));
    models.push_back(std::make_unique<PriorPeriodModel>(grid, days, request.settings.kde));
  }
  auto etas = std::make_unique<EtasModel>(grid, request.settings.etas, area.cells);
  const EtasModel* etas_view = etas.get();
  models.push_back(std::move(etas));

  PINGAN_ASSIGN_OR_RETURN(Evaluation evaluation,
                          evaluate_forecasts(events, grid, area.cells, windows, models,
                                             request.shares));
  ForecastEvalReport report;
  report.evaluation = std::move(evaluation);
  report.area_basis = area.basis;
  report.units_with_boundaries = area.units_with_boundaries;
  report.cell_m = grid.cell_m();
  report.training_events = static_cast<std::int64_t>(first_window);
  report.window_events = static_cast<std::int64_t>(events.size() - first_window);
  report.unlocated = collected.unlocated;
  report.first_event_minute = events.front().minute;
  report.etas_fits = etas_view->fits();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<ForecastResult> forecast_window(const IncidentIndex& index, const ForecastRequest& request,
                                       const Deadline& deadline) {
  constexpr const char* kWhat = "the forecast";
  PINGAN_RETURN_IF_ERROR(validate_kernel(request.settings.kde));
  PINGAN_RETURN_IF_ERROR(validate_etas_options(request.settings.etas));
  if (request.window.until_minute <= request.window.from_minute)
    return Error::invalid("window", "the window is empty");
  if (request.kde_lookback_days < 1 || request.kde_lookback_days > 3650)
    return Error::invalid("lookback", "must be 1..3650 days");
  RowFilter filter = request.filter;
  filter.until = minute_to_seconds(request.window.from_minute);
  const CostBudgets& budgets = request.budgets;
  if (std::isfinite(budgets.map_events))
    PINGAN_RETURN_IF_ERROR(price_map_events(static_cast<double>(index.count(filter)), "unit", budgets));
  CollectedEvents collected = collect_events(index, filter);
  const std::span<const EventPoint> history = collected.events;
  const auto units = units_in_scope(*index.units(), filter.scope);
  PINGAN_ASSIGN_OR_RETURN(Grid grid, grid_for_scope(units, index.projection(), history,
                                                     request.settings.cell_m, kGridMarginM));
  // The price, from the grid, before any work per cell; the model's own
  // rule first, as its advice fits the grid's rule too.
  if (request.model == ForecastModelKind::kEtas)
    PINGAN_RETURN_IF_ERROR(price_etas_forecast(
        grid, static_cast<double>(request.window.until_minute - request.window.from_minute),
        request.settings.etas.tuning_days, request.window_field, request.cell_field, budgets));
  PINGAN_RETURN_IF_ERROR(price_map_grid(grid, budgets));
  ForecastResult result{grid, index.projection(),
                        study_area(grid, index.projection(), units, history, deadline),
                        request.window, "", {}, std::nullopt,
                        static_cast<std::int64_t>(history.size())};
  PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
  if (request.model == ForecastModelKind::kKde) {
    PriorPeriodModel model(grid, request.kde_lookback_days, request.settings.kde);
    result.model = model.name();
    result.expected = model.forecast(history, request.window);
    return result;
  }
  EtasModel model(grid, request.settings.etas, result.area.cells);
  model.stop_at(deadline);
  const std::string key =
      fit_key(filter, grid, request.window, static_cast<std::int64_t>(history.size()),
              request.settings.etas);
  const std::optional<EtasFit> cached = fit_cache().find(key);
  if (cached) {
    model.use_fit(*cached, request.window.from_minute);
  } else if (std::isfinite(budgets.forecast_fit_pairs)) {
    // The fit's price (pairs grow with the square of the incidents' density).
    const std::int64_t fit_from = request.window.from_minute -
                                  static_cast<std::int64_t>(request.settings.etas.fit_days) * kMinutesPerDay;
    PINGAN_RETURN_IF_ERROR(price_etas_fit(
        estimate_etas_pairs(history, fit_from, request.window.from_minute, request.settings.etas), "unit",
        budgets));
  }
  result.model = model.name();
  result.expected = model.forecast(history, request.window);
  PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
  result.fit = model.last_fit();
  if (!cached && result.fit) fit_cache().put(key, *result.fit);
  return result;
}

}  // namespace pingan::analytics
