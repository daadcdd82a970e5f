#pragma once
// A self-exciting point process in the spirit of Mohler et al. (2011),
// "Self-exciting point process modeling of crime" (ETAS-style):
//
//   lambda(x, t) = mu * nu(x) + sum over past events i of
//                  theta * f(t - t_i) * g(x - x_i)
//
// nu: the long-run spatial shape of crime (kernel density of the past
//     events, leave-one-out while fitting), mu its rate per day;
// f:  omega * exp(-omega dt), truncated at max_trigger_days;
// g:  isotropic Gaussian of standard deviation sigma, truncated at
//     max_trigger_m;
// theta: expected number of events each event triggers directly.
//
// mu, theta, omega and sigma are fitted by expectation-maximisation over the
// probabilities that each event was triggered by each earlier one or came
// from the background (the expectation form of stochastic declustering,
// Veen & Schoenberg 2008). Truncating the kernels keeps the candidate
// parents of an event to those close in time and space, found through a
// coarse spatial hash, so a year of a city's crime fits in about a second.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/forecast.h"
#include "analytics/grid.h"
#include "analytics/kde.h"
#include "core/deadline.h"
#include "core/status.h"

namespace pingan::analytics {

struct EtasOptions {
  int fit_days = 365;         // training period before the fit time
  int refit_days = 91;        // a replay refits once the window start moved this far
  int background_days = 1095; // lookback of the background shape in forecasts
  // The background's spatial smoothing (Gaussian sd), in fitting (leave-
  // one-out) and in forecasts. Chosen by likelihood among
  // kBackgroundBandwidthsM unless told not to: real crime piles up on
  // addresses (cell counts explain it best), synthetic and smoother data
  // want more, and a background too rough or too smooth pushes its error
  // into the triggering (theta).
  bool choose_background_bandwidth = true;
  KernelSpec background_kernel{KernelShape::kGaussian, 100};  // when not chosen
  double max_trigger_days = 60;
  double max_trigger_m = 500;
  // Geocoded crime piles up on the same address or block point, where the
  // likelihood grows without bound as sigma shrinks to 0; below this floor
  // the data cannot resolve the spread.
  double min_sigma_m = 25;
  // Two choices for forecasts are made on the ranking rather than the
  // likelihood: how much the triggered part weighs relative to the fitted
  // theta (kTriggerWeights) and how far the background is smoothed
  // (kBackgroundBandwidthsM). Each window of the forecast's length in the
  // last tuning_days before the fit is forecast from the data before it,
  // and the pair with the best mean hit rate at tuning_share of the area
  // wins; among equals the fitted model (weight 1, the fitted bandwidth).
  // The likelihood fits the process; the ranking is what a patrol uses,
  // and this is where the two can part (on St. Louis the likelihood prefers
  // a 50 m background, the ranking plain cell counts). 0 days = no tuning.
  int tuning_days = 91;
  double tuning_share = 0.05;
  int max_iterations = 100;
  double tolerance = 1e-4;  // relative change of every parameter that ends the iterations
};

// Errors name the option.
Status validate_etas_options(const EtasOptions& options);

struct EtasParams {
  double mu_per_day = 0;   // background events per day over the grid
  double theta = 0;        // direct offspring per event (branching ratio)
  double omega_per_day = 1;
  double sigma_m = 100;
  double background_bandwidth_m = 0;  // sd of the background kernel in the fit
  // Chosen by tuning (EtasOptions::tuning_days):
  double trigger_weight = 1;          // multiplies theta in forecasts
  double forecast_bandwidth_m = 0;    // sd of the background kernel in forecasts
};

inline constexpr double kTriggerWeights[] = {0, 0.125, 0.25, 0.5, 1, 2, 4};
inline constexpr double kBackgroundBandwidthsM[] = {0, 50, 100, 200, 400};

struct EtasFit {
  EtasParams params;
  std::int64_t events = 0;   // events in the training period (the children)
  std::int64_t pairs = 0;    // (parent, child) candidates inside the truncation
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0;  // at the final parameters
  int tuning_windows = 0;     // windows the trigger weight was chosen on
};

// Fits the model on the events of `events` (sorted by minute) with minute in
// [from_minute, until_minute); events up to max_trigger_days earlier serve as
// parents only. Errors when fewer than 10 events fall in the period, and
// unavailable (deadline.check()) when the deadline passes midway.
Result<EtasFit> fit_etas(const Grid& grid, std::span<const EventPoint> events,
                         std::int64_t from_minute, std::int64_t until_minute,
                         const EtasOptions& options, const Deadline& deadline = Deadline::none());

// About how many (parent, child) candidate pairs fit_etas() would form for
// the same period (EtasFit::pairs): the fit's memory and, times its
// iterations, its time. One pass over the events into max_trigger_m squares,
// no pair formed: each child is paired with the events of its square and
// the eight around it, scaled by the share of them within max_trigger_m
// (a disc in nine squares) and max_trigger_days (of the period they span),
// as if spread evenly over both.
double estimate_etas_pairs(std::span<const EventPoint> events, std::int64_t from_minute,
                           std::int64_t until_minute, const EtasOptions& options);

// The expected events per cell in `window`, in two parts. The background:
// `background_density` (the kernel density of past events) rescaled to
// mu per day over the window.
std::vector<double> etas_background(const std::vector<double>& background_density,
                                    const EtasParams& params, const ForecastWindow& window);
// What the events of the last max_trigger_days still trigger in the window,
// at trigger weight 1.
std::vector<double> etas_triggered(const Grid& grid, std::span<const EventPoint> history,
                                   const ForecastWindow& window, const EtasParams& params,
                                   const EtasOptions& options);

// The ETAS model as a forecaster: fits on the fit_days before the window,
// refits every refit_days of a replay (always from data before the window).
class EtasModel : public ForecastModel {
 public:
  // `area`: the cells ranked when tuning (empty = every cell of the grid).
  EtasModel(const Grid& grid, const EtasOptions& options, std::vector<int> area = {});
  std::string name() const override { return "etas"; }
  std::vector<double> forecast(std::span<const EventPoint> history,
                               const ForecastWindow& window) override;
  // Uses a fit made earlier for windows starting at `fitted_at` (a cache of
  // fits across requests); refits as usual once windows move on.
  void use_fit(const EtasFit& fit, std::int64_t fitted_at);
  // Stops fitting and tuning when `deadline` (which must outlive the model's
  // use) passes; forecast() then answers zeros and keeps no fit, and the
  // caller checks the deadline.
  void stop_at(const Deadline& deadline) { deadline_ = &deadline; }
  // The fit in use (empty before the first forecast).
  const std::optional<EtasFit>& last_fit() const { return fit_; }
  // Fits done so far (a replay prints them).
  const std::vector<std::pair<std::int64_t, EtasFit>>& fits() const { return fits_; }

 private:
  // Chooses the trigger weight and forecast bandwidth of fit_ on the
  // windows before `window`.
  void tune(std::span<const EventPoint> history, const ForecastWindow& window);
  SlidingDensity& background_for(double bandwidth_m);

  Grid grid_;
  EtasOptions options_;
  std::vector<int> area_;
  std::vector<std::pair<double, SlidingDensity>> backgrounds_;  // by bandwidth
  std::optional<EtasFit> fit_;
  std::int64_t fitted_at_ = 0;  // window start of the last fit
  std::vector<std::pair<std::int64_t, EtasFit>> fits_;
  const Deadline* deadline_ = &Deadline::none();
};

}  // namespace pingan::analytics
