#include "analytics/forecast_etas.h"

#include "analytics/forecast_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace pingan::analytics {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxTheta = 0.99;  // keeps the fitted process subcritical
constexpr std::int64_t kMinFitEvents = 10;
// Choosing the background bandwidth: a looser EM per candidate.
constexpr double kSelectionTolerance = 1e-3;
constexpr int kSelectionIterations = 40;

// Mean of an exponential of rate w truncated to (0, t].
double truncated_exp_mean(double w, double t) {
  const double a = w * t;
  if (a < 1e-8) return t / 2;
  if (a > 700) return 1 / w;
  return 1 / w - t / std::expm1(a);
}

// The rate whose truncated mean is `mean` (the mean falls as the rate grows).
double solve_omega(double mean, double t) {
  double lo = std::log(1e-6 / t), hi = std::log(1e6 / t);
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    (truncated_exp_mean(std::exp(mid), t) > mean ? lo : hi) = mid;
  }
  return std::exp((lo + hi) / 2);
}

// Mean squared distance of an isotropic Gaussian of sd s cut to a disc of radius r.
double truncated_gauss_msd(double s, double r) {
  const double a = r * r / (2 * s * s);
  if (a > 700) return 2 * s * s;
  if (a < 1e-8) return r * r / 2;
  return 2 * s * s - r * r / std::expm1(a);
}

double solve_sigma(double msd, double r, double floor) {
  if (truncated_gauss_msd(floor, r) >= msd) return floor;
  double lo = floor, hi = 10 * r;
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    (truncated_gauss_msd(mid, r) < msd ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// Share of an event's offspring (time kernel truncated at t_max) that fall
// between a and b days after it.
double time_share(double a, double b, double omega, double t_max) {
  a = std::clamp(a, 0.0, t_max);
  b = std::clamp(b, 0.0, t_max);
  if (b <= a) return 0;
  const double norm = -std::expm1(-omega * t_max);
  return (std::exp(-omega * a) - std::exp(-omega * b)) / norm;
}

// Candidate (parent, child) pairs in compressed rows: the parents of child
// c are parent[start[c] .. start[c + 1]).
struct Pairs {
  std::vector<std::int64_t> start;
  std::vector<std::int32_t> parent;  // index into the events span
  std::vector<float> dt_days, d2;
};

// Stops early (incomplete pairs) when the deadline passes; the caller checks.
Pairs candidate_pairs(std::span<const EventPoint> events, size_t first_parent, size_t first_child,
                      size_t end, const EtasOptions& o, const Deadline& deadline) {
  const double bucket = o.max_trigger_m;
  const auto t_max = static_cast<std::int64_t>(std::ceil(o.max_trigger_days * kMinutesPerDay));
  auto key = [bucket](double x, double y) {
    const auto bx = static_cast<std::int64_t>(std::floor(x / bucket));
    const auto by = static_cast<std::int64_t>(std::floor(y / bucket));
    return (bx << 32) ^ (by & 0xffffffff);
  };
  std::unordered_map<std::int64_t, std::vector<std::int32_t>> buckets;
  for (size_t i = first_parent; i < end; ++i)
    buckets[key(events[i].x, events[i].y)].push_back(static_cast<std::int32_t>(i));

  Pairs pairs;
  pairs.start.reserve(end - first_child + 1);
  pairs.start.push_back(0);
  const double r2 = o.max_trigger_m * o.max_trigger_m;
  constexpr size_t kPollChildren = 4096;
  for (size_t j = first_child; j < end; ++j) {
    if ((j - first_child) % kPollChildren == 0 && deadline.expired()) break;
    const EventPoint& c = events[j];
    const auto bx = static_cast<std::int64_t>(std::floor(c.x / bucket));
    const auto by = static_cast<std::int64_t>(std::floor(c.y / bucket));
    for (std::int64_t dy = -1; dy <= 1; ++dy) {
      for (std::int64_t dx = -1; dx <= 1; ++dx) {
        auto it = buckets.find(((bx + dx) << 32) ^ ((by + dy) & 0xffffffff));
        if (it == buckets.end()) continue;
        const auto& list = it->second;
        auto from = std::lower_bound(list.begin(), list.end(), c.minute - t_max,
                                     [&](std::int32_t i, std::int64_t t) {
                                       return events[static_cast<size_t>(i)].minute < t;
                                     });
        for (; from != list.end(); ++from) {
          const EventPoint& p = events[static_cast<size_t>(*from)];
          if (p.minute >= c.minute) break;  // same-minute records are not each other's cause
          const double ddx = p.x - c.x, ddy = p.y - c.y;
          const double d2 = ddx * ddx + ddy * ddy;
          if (d2 > r2) continue;
          pairs.parent.push_back(*from);
          pairs.dt_days.push_back(static_cast<float>(static_cast<double>(c.minute - p.minute) /
                                                     kMinutesPerDay));
          pairs.d2.push_back(static_cast<float>(d2));
        }
      }
    }
    pairs.start.push_back(static_cast<std::int64_t>(pairs.parent.size()));
  }
  return pairs;
}

double relative_change(double a, double b) {
  return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-12});
}

}  // namespace

Status validate_etas_options(const EtasOptions& o) {
  if (o.fit_days < 7 || o.fit_days > 3650) return Error::invalid("fit_days", "must be 7..3650");
  if (o.refit_days < 1) return Error::invalid("refit_days", "must be at least 1");
  if (o.background_days < 1 || o.background_days > 36500)
    return Error::invalid("background_days", "must be 1..36500");
  PINGAN_RETURN_IF_ERROR(validate_kernel(o.background_kernel));
  if (!(o.max_trigger_days > 0 && o.max_trigger_days <= 365))
    return Error::invalid("max_trigger_days", "must be in (0, 365]");
  if (!(o.max_trigger_m >= 10 && o.max_trigger_m <= 10'000))
    return Error::invalid("max_trigger_m", "must be 10..10000 m");
  if (!(o.min_sigma_m >= 0.5 && o.min_sigma_m < o.max_trigger_m))
    return Error::invalid("min_sigma_m", "must be at least 0.5 m and below max_trigger_m");
  if (o.tuning_days < 0) return Error::invalid("tuning_days", "must be at least 0");
  if (!(o.tuning_share > 0 && o.tuning_share <= 1))
    return Error::invalid("tuning_share", "must be in (0, 1]");
  if (o.max_iterations < 1) return Error::invalid("max_iterations", "must be at least 1");
  return {};
}

namespace {

// What every expectation-maximisation run over one training period shares.
struct EmData {
  std::span<const EventPoint> events;
  size_t first_parent = 0, first_child = 0, end = 0;
  double from_day = 0, until_day = 0, period_days = 0;
  double cell_area = 0;
  Pairs pairs;
};

// The background's share of each child's cell, leaving the child itself
// out (in a forecast no event is in its own past).
std::vector<double> leave_one_out_shares(const Grid& grid, std::span<const EventPoint> children,
                                         const KernelSpec& kernel) {
  const KernelSpreader spreader(grid, kernel);
  std::vector<double> shape(static_cast<size_t>(grid.size()), 0.0);
  for (const EventPoint& e : children) spreader.add(e.x, e.y, 1.0, shape);
  double total = 0;
  for (double v : shape) total += v;
  const double floor_share = 1.0 / (10.0 * grid.size());
  std::vector<double> nu(children.size());
  for (size_t k = 0; k < children.size(); ++k) {
    const int cell = grid.cell_of(children[k].x, children[k].y);
    double own = cell < 0 ? 0 : shape[static_cast<size_t>(cell)];
    own -= spreader.own_cell_share(children[k].x, children[k].y);
    nu[k] = std::max(own / std::max(total - 1, 1.0), floor_share);
  }
  return nu;
}

// Expected offspring mass of the parents inside the training period.
double parent_mass(const EmData& d, double omega, double t_max) {
  double mass = 0;
  for (size_t i = d.first_parent; i < d.end; ++i) {
    const double day = static_cast<double>(d.events[i].minute) / kMinutesPerDay;
    mass += time_share(d.from_day - day, d.until_day - day, omega, t_max);
  }
  return mass;
}

struct EmRun {
  EtasParams params;
  double log_likelihood = 0;
  int iterations = 0;
  bool converged = false;
};

// Stops after the iteration during which the deadline passes; the caller checks.
EmRun run_em(const EmData& d, const std::vector<double>& nu, EtasParams p, const EtasOptions& o,
             double tolerance, int max_iterations, const Deadline& deadline) {
  EmRun run;
  const size_t n = d.end - d.first_child;
  std::vector<double> gk;  // triggering density of each pair at the current parameters
  for (int iter = 1; iter <= max_iterations && !deadline.expired(); ++iter) {
    const double t_norm = -std::expm1(-p.omega_per_day * o.max_trigger_days);
    const double s2 = p.sigma_m * p.sigma_m;
    const double s_norm = 2 * kPi * s2 * -std::expm1(-o.max_trigger_m * o.max_trigger_m / (2 * s2));
    const double scale = p.theta * p.omega_per_day / (t_norm * s_norm);
    const double inv_2s2 = 1 / (2 * s2);
    double sum_p = 0, sum_p_dt = 0, sum_p_d2 = 0, sum_bg = 0, log_lambda = 0;
    for (size_t k = 0; k < n; ++k) {
      const double b = p.mu_per_day * nu[k] / d.cell_area;
      double total = b;
      const auto s = static_cast<size_t>(d.pairs.start[k]);
      const auto e = static_cast<size_t>(d.pairs.start[k + 1]);
      if (gk.size() < e - s) gk.resize(e - s);
      for (size_t q = s; q < e; ++q) {
        const double g =
            scale * std::exp(-p.omega_per_day * d.pairs.dt_days[q] - d.pairs.d2[q] * inv_2s2);
        gk[q - s] = g;
        total += g;
      }
      log_lambda += std::log(total);
      sum_bg += b / total;
      for (size_t q = s; q < e; ++q) {
        const double share = gk[q - s] / total;
        sum_p += share;
        sum_p_dt += share * d.pairs.dt_days[q];
        sum_p_d2 += share * d.pairs.d2[q];
      }
    }
    // The log-likelihood at the parameters of this expectation step.
    run.log_likelihood = log_lambda - p.mu_per_day * d.period_days -
                         p.theta * parent_mass(d, p.omega_per_day, o.max_trigger_days);
    EtasParams next = p;
    next.mu_per_day = sum_bg / d.period_days;
    if (sum_p > 1e-9) {
      next.omega_per_day = solve_omega(sum_p_dt / sum_p, o.max_trigger_days);
      next.sigma_m = solve_sigma(sum_p_d2 / sum_p, o.max_trigger_m, o.min_sigma_m);
      next.theta = std::min(
          kMaxTheta,
          sum_p / std::max(parent_mass(d, next.omega_per_day, o.max_trigger_days), 1e-9));
    } else {
      next.theta = 0;
    }
    const double change = std::max({relative_change(next.mu_per_day, p.mu_per_day),
                                    relative_change(next.theta, p.theta),
                                    relative_change(next.omega_per_day, p.omega_per_day),
                                    relative_change(next.sigma_m, p.sigma_m)});
    p = next;
    run.iterations = iter;
    if (change < tolerance) {
      run.converged = true;
      break;
    }
  }
  run.params = p;
  return run;
}

}  // namespace

Result<EtasFit> fit_etas(const Grid& grid, std::span<const EventPoint> events,
                         std::int64_t from_minute, std::int64_t until_minute,
                         const EtasOptions& o, const Deadline& deadline) {
  constexpr const char* kWhat = "the forecast's model fit";
  PINGAN_RETURN_IF_ERROR(validate_etas_options(o));
  const auto t_max_minutes = static_cast<std::int64_t>(std::ceil(o.max_trigger_days * kMinutesPerDay));
  EmData d;
  d.events = events;
  d.first_parent = first_at_or_after(events, from_minute - t_max_minutes);
  d.first_child = first_at_or_after(events, from_minute);
  d.end = first_at_or_after(events, until_minute);
  const std::int64_t n = static_cast<std::int64_t>(d.end - d.first_child);
  if (n < kMinFitEvents)
    return Error::invalid("events", fmt::format("{} events in the training period; at least {} "
                                                "are needed to fit the model",
                                                n, kMinFitEvents));
  d.from_day = static_cast<double>(from_minute) / kMinutesPerDay;
  d.until_day = static_cast<double>(until_minute) / kMinutesPerDay;
  d.period_days = d.until_day - d.from_day;
  d.cell_area = grid.cell_area_m2();
  d.pairs = candidate_pairs(events, d.first_parent, d.first_child, d.end, o, deadline);
  PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
  const std::span<const EventPoint> children = events.subspan(d.first_child, d.end - d.first_child);

  EtasParams start;
  start.mu_per_day = 0.8 * static_cast<double>(n) / d.period_days;
  start.theta = 0.2;
  start.omega_per_day = 1.0 / 7;
  start.sigma_m = std::max(o.min_sigma_m, std::min(100.0, o.max_trigger_m / 3));

  // The background bandwidth: the candidate whose model explains the
  // training events best (leave-one-out keeps a small bandwidth from
  // winning by explaining each event with itself), found with a looser
  // tolerance and then refined.
  KernelSpec kernel = o.background_kernel;
  std::vector<double> nu;
  EtasParams from = start;
  if (o.choose_background_bandwidth) {
    double best = -std::numeric_limits<double>::infinity();
    for (double bandwidth : kBackgroundBandwidthsM) {
      const KernelSpec candidate{KernelShape::kGaussian, bandwidth};
      std::vector<double> shares = leave_one_out_shares(grid, children, candidate);
      const EmRun run = run_em(d, shares, start, o, kSelectionTolerance, kSelectionIterations, deadline);
      PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
      if (run.log_likelihood > best) {
        best = run.log_likelihood;
        kernel = candidate;
        nu = std::move(shares);
        from = run.params;
      }
    }
  } else {
    nu = leave_one_out_shares(grid, children, kernel);
  }
  const EmRun run = run_em(d, nu, from, o, o.tolerance, o.max_iterations, deadline);
  PINGAN_RETURN_IF_ERROR(deadline.check(kWhat));
  EtasFit fit;
  fit.events = n;
  fit.pairs = static_cast<std::int64_t>(d.pairs.parent.size());
  fit.params = run.params;
  fit.params.background_bandwidth_m = kernel.bandwidth_m;
  fit.log_likelihood = run.log_likelihood;
  fit.iterations = run.iterations;
  fit.converged = run.converged;
  return fit;
}

double estimate_etas_pairs(std::span<const EventPoint> events, std::int64_t from_minute,
                           std::int64_t until_minute, const EtasOptions& o) {
  const auto t_max = static_cast<std::int64_t>(std::ceil(o.max_trigger_days * kMinutesPerDay));
  const size_t first_parent = first_at_or_after(events, from_minute - t_max);
  const size_t first_child = first_at_or_after(events, from_minute);
  const size_t end = first_at_or_after(events, until_minute);
  if (first_child >= end) return 0;
  const double bucket = o.max_trigger_m;
  struct Counts {
    double parents = 0, children = 0;
  };
  std::unordered_map<std::int64_t, Counts> squares;
  auto key = [](std::int64_t bx, std::int64_t by) { return (bx << 32) ^ (by & 0xffffffff); };
  for (size_t i = first_parent; i < end; ++i) {
    Counts& c = squares[key(static_cast<std::int64_t>(std::floor(events[i].x / bucket)),
                            static_cast<std::int64_t>(std::floor(events[i].y / bucket)))];
    c.parents += 1;
    if (i >= first_child) c.children += 1;
  }
  double pairs = 0;
  for (const auto& [k, c] : squares) {
    if (c.children == 0) continue;
    const std::int64_t bx = k >> 32;
    const auto by = static_cast<std::int64_t>(static_cast<std::int32_t>(k & 0xffffffff));
    double around = 0;
    for (std::int64_t dy = -1; dy <= 1; ++dy)
      for (std::int64_t dx = -1; dx <= 1; ++dx) {
        auto it = squares.find(key(bx + dx, by + dy));
        if (it != squares.end()) around += it->second.parents;
      }
    pairs += c.children * around;
  }
  const double span = static_cast<double>(until_minute - (from_minute - t_max));
  const double in_time = std::min(1.0, static_cast<double>(t_max) / std::max(span, 1.0));
  const double in_disc = kPi / 9;  // a disc of radius r in a square of side 3r
  return pairs * in_time * in_disc;
}

std::vector<double> etas_background(const std::vector<double>& background_density,
                                    const EtasParams& params, const ForecastWindow& window) {
  std::vector<double> out(background_density.size(), 0.0);
  double total = 0;
  for (double v : background_density) total += v;
  if (total <= 0) return out;
  const double scale = params.mu_per_day * window.days() / total;
  for (size_t c = 0; c < out.size(); ++c) out[c] = background_density[c] * scale;
  return out;
}

std::vector<double> etas_triggered(const Grid& grid, std::span<const EventPoint> history,
                                   const ForecastWindow& window, const EtasParams& params,
                                   const EtasOptions& options) {
  std::vector<double> out(static_cast<size_t>(grid.size()), 0.0);
  if (params.theta <= 0) return out;
  const KernelSpreader trigger(grid, KernelSpec{KernelShape::kGaussian, params.sigma_m});
  const auto t_max = static_cast<std::int64_t>(std::ceil(options.max_trigger_days * kMinutesPerDay));
  const size_t first = first_at_or_after(history, window.from_minute - t_max);
  const size_t end = first_at_or_after(history, window.from_minute);
  for (size_t i = first; i < end; ++i) {
    const EventPoint& e = history[i];
    const double a = static_cast<double>(window.from_minute - e.minute) / kMinutesPerDay;
    const double b = static_cast<double>(window.until_minute - e.minute) / kMinutesPerDay;
    const double w = params.theta * time_share(a, b, params.omega_per_day, options.max_trigger_days);
    if (w > 0) trigger.add(e.x, e.y, w, out);
  }
  return out;
}

EtasModel::EtasModel(const Grid& grid, const EtasOptions& options, std::vector<int> area)
    : grid_(grid), options_(options), area_(std::move(area)) {
  if (area_.empty())
    for (int c = 0; c < grid_.size(); ++c) area_.push_back(c);
}

SlidingDensity& EtasModel::background_for(double bandwidth_m) {
  for (auto& [b, density] : backgrounds_)
    if (b == bandwidth_m) return density;
  backgrounds_.emplace_back(bandwidth_m,
                            SlidingDensity(grid_, KernelSpec{KernelShape::kGaussian, bandwidth_m}));
  return backgrounds_.back().second;
}

void EtasModel::tune(std::span<const EventPoint> history, const ForecastWindow& window) {
  const std::int64_t length = window.until_minute - window.from_minute;
  const std::int64_t span = static_cast<std::int64_t>(options_.tuning_days) * kMinutesPerDay;
  if (length <= 0 || span < length) return;
  const std::int64_t count = span / length;
  const double shares[] = {options_.tuning_share};
  const std::int64_t lookback = static_cast<std::int64_t>(options_.background_days) * kMinutesPerDay;
  constexpr size_t kWeights = std::size(kTriggerWeights);
  constexpr size_t kBandwidths = std::size(kBackgroundBandwidthsM);
  std::vector<double> hit_rate(kWeights * kBandwidths, 0.0);
  std::vector<SlidingDensity> densities;
  for (double b : kBackgroundBandwidthsM)
    densities.emplace_back(grid_, KernelSpec{KernelShape::kGaussian, b});
  int scored = 0;
  std::vector<double> mixed(static_cast<size_t>(grid_.size()));
  for (std::int64_t k = count; k >= 1; --k) {
    if (deadline_->expired()) return;  // forecast() sees it too and keeps nothing
    const ForecastWindow w{window.from_minute - k * length, window.from_minute - (k - 1) * length};
    const size_t start = first_at_or_after(history, w.from_minute);
    const size_t end = first_at_or_after(history, w.until_minute);
    const std::span<const EventPoint> before = history.first(start);
    const std::vector<double> actual = count_per_cell(grid_, history.subspan(start, end - start));
    double incidents = 0;
    for (int c : area_) incidents += actual[static_cast<size_t>(c)];
    if (incidents <= 0) continue;
    ++scored;
    const std::vector<double> triggered = etas_triggered(grid_, before, w, fit_->params, options_);
    for (size_t bi = 0; bi < kBandwidths; ++bi) {
      const std::vector<double> background = etas_background(
          densities[bi].over(before, w.from_minute - lookback, w.from_minute), fit_->params, w);
      for (size_t wi = 0; wi < kWeights; ++wi) {
        for (size_t c = 0; c < mixed.size(); ++c)
          mixed[c] = background[c] + kTriggerWeights[wi] * triggered[c];
        const WindowScore score = score_window(mixed, actual, area_, shares);
        hit_rate[bi * kWeights + wi] += score.hits[0] / score.incidents;
      }
    }
  }
  if (scored == 0) return;
  // Among equals, the fitted model: its bandwidth, then the weight nearest 1.
  auto distance_from_fitted = [&](size_t i) {
    const double b = kBackgroundBandwidthsM[i / kWeights];
    const double w = kTriggerWeights[i % kWeights];
    return (b == fit_->params.background_bandwidth_m ? 0.0 : 100.0) +
           std::abs(std::log2(std::max(w, 1e-3)));
  };
  size_t best = 0;
  for (size_t i = 1; i < hit_rate.size(); ++i) {
    const double gain = hit_rate[i] - hit_rate[best];
    if (gain > 1e-12 ||
        (std::abs(gain) <= 1e-12 && distance_from_fitted(i) < distance_from_fitted(best)))
      best = i;
  }
  fit_->params.forecast_bandwidth_m = kBackgroundBandwidthsM[best / kWeights];
  fit_->params.trigger_weight = kTriggerWeights[best % kWeights];
  fit_->tuning_windows = scored;
}

void EtasModel::use_fit(const EtasFit& fit, std::int64_t fitted_at) {
  fit_ = fit;
  fitted_at_ = fitted_at;
}

std::vector<double> EtasModel::forecast(std::span<const EventPoint> history,
                                        const ForecastWindow& window) {
  const std::int64_t refit = static_cast<std::int64_t>(options_.refit_days) * kMinutesPerDay;
  if (!fit_ || window.from_minute < fitted_at_ || window.from_minute - fitted_at_ >= refit) {
    const std::int64_t from =
        window.from_minute - static_cast<std::int64_t>(options_.fit_days) * kMinutesPerDay;
    auto fitted = fit_etas(grid_, history, from, window.from_minute, options_, *deadline_);
    if (deadline_->expired()) {
      fit_.reset();
      return std::vector<double>(static_cast<size_t>(grid_.size()), 0.0);
    }
    if (fitted.ok()) {
      fit_ = *fitted;
    } else {
      // Too little history to fit: the background alone, at the rate seen.
      EtasFit plain;
      plain.events = static_cast<std::int64_t>(history.size() - first_at_or_after(history, from));
      plain.params.mu_per_day = static_cast<double>(plain.events) / options_.fit_days;
      plain.params.theta = 0;
      fit_ = plain;
    }
    if (!fitted.ok()) fit_->params.background_bandwidth_m = options_.background_kernel.bandwidth_m;
    fit_->params.forecast_bandwidth_m = fit_->params.background_bandwidth_m;
    fitted_at_ = window.from_minute;
    if (options_.tuning_days > 0) tune(history, window);
    if (deadline_->expired()) {
      fit_.reset();
      return std::vector<double>(static_cast<size_t>(grid_.size()), 0.0);
    }
    fits_.emplace_back(window.from_minute, *fit_);
  }
  const std::int64_t background_from =
      window.from_minute - static_cast<std::int64_t>(options_.background_days) * kMinutesPerDay;
  std::vector<double> out = etas_background(
      background_for(fit_->params.forecast_bandwidth_m)
          .over(history, background_from, window.from_minute),
      fit_->params, window);
  const std::vector<double> triggered = etas_triggered(grid_, history, window, fit_->params, options_);
  for (size_t c = 0; c < out.size(); ++c) out[c] += fit_->params.trigger_weight * triggered[c];
  return out;
}

}  // namespace pingan::analytics
