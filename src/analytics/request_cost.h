#pragma once
// What an analytics request may cost, priced before the work starts. The
// expensive statistics grow with their parameters far faster than with the
// data (Gi* at cell=10 with band=500 visits 2.4e10 neighbour cells over the
// demo district: half a minute of CPU whatever the period), so the server
// prices each request from its parameters and the cheap facts it can read
// first (the grid laid over the scope, the rows the filter passes) and
// refuses one over its budget with Error::invalid naming the parameter to
// narrow and by how much. docs/api.md "Cost limits" lists the budgets.
//
// Every rule lives here; the computations call the price_* function of
// their kind at the point where the facts are known and nothing costly has
// run yet. A computation given unlimited() budgets (the CLI, the tests of
// the maths, the benchmarks) is never refused: `pingan analyze` runs on the
// operator's own machine, where a long run is the operator's choice.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "core/status.h"

namespace pingan::analytics {

class Grid;
struct KernelSpec;

// Units of work per request. The defaults keep each request under a few
// seconds of one core of the shared 2-core machine (docs/api.md), and let
// every request of the tests, the docs and the demo district through.
struct CostBudgets {
  // Cells of the grid of one map, forecast or patrol plan (memory, and the
  // point-in-polygon test of each cell against the scope's boundaries).
  double map_cells = 1e6;
  // Located incidents one map or forecast reads into memory (24 bytes each).
  double map_events = 5e6;
  // Gi*: cells of the map times the neighbour cells within the band.
  double gistar_neighbour_visits = 2e8;
  // Kernel density: incidents times the cells one incident's kernel
  // covers, plus the kernel's precomputed tables.
  double kde_cell_updates = 2e8;
  // ETAS forecasts (and patrol plans): the windows of the forecast's length
  // replayed to tune the model (91 days of them) times the grid's cells.
  double forecast_cell_windows = 2e7;
  // ETAS fits: (parent, child) candidate pairs (estimate_etas_pairs(),
  // forecast_etas.h), 12 bytes each and visited in each of up to 300
  // iterations. The demo district's year is about 3.3e6.
  double forecast_fit_pairs = 1.5e7;
  // GET /api/stats: buckets x groups x subgroups of the answer.
  double stats_cells = 200'000;
  // GET /api/stats/rising: windows counted x series (units x categories).
  double rising_series_windows = 1e6;
  // GET /api/stats/response: lines of the answer (time buckets).
  double response_lines = 1000;

  // The server's budgets (the defaults above).
  static const CostBudgets& server();
  // No limit at all (CLI and library callers).
  static const CostBudgets& unlimited();
};

// "7.9e9", "2e8", "16,704": a count as the messages print it.
std::string cost_number(double n);

// --- maps: hotspots, forecasts, patrol plans ---

// The located incidents a map or forecast is about to read (counted by the
// index before any is copied). Errors name `field` (the period's start, or
// the scope when the period is not the caller's).
Status price_map_events(double events, const char* field, const CostBudgets& budgets);

// The grid laid over the scope: errors name "cell" and give the smallest
// cell size that fits.
Status price_map_grid(const Grid& grid, const CostBudgets& budgets);

// Gi* over `area_cells` observations of `grid` (an upper bound: the grid's
// cells for a scope with boundaries, the located incidents without) with
// the distance band `band_m` (0: the default 1.5 cells, which follows the
// cell size). Errors name "cell", and the message also gives the largest
// band that fits at this cell size when one does.
Status price_gistar(const Grid& grid, double area_cells, double band_m, const CostBudgets& budgets);

// Kernel density of `events` incidents on `grid`, laid over the scope with
// kernel_map_margin_m() (kde.h) around it. Errors name "bandwidth" when a
// smaller bandwidth fits, else "cell"; the message gives both.
Status price_kde(const Grid& grid, double events, const KernelSpec& kernel, const CostBudgets& budgets);

// An ETAS forecast on `grid` of a window of `window_minutes`, tuned over
// `tuning_days`. `window_field` is the request's parameter for the window's
// length ("window", "hours", "to"); `cell_field` its parameter for the cell
// size, null when the request has none. Errors name the cell's parameter
// when a coarser cell fits, else the window's, and the message gives both.
Status price_etas_forecast(const Grid& grid, double window_minutes, int tuning_days, const char* window_field,
                           const char* cell_field, const CostBudgets& budgets);

// An ETAS fit of about `pairs` candidate pairs (estimate_etas_pairs()): no
// parameter of a request shortens the fit's year, so errors name
// `scope_field` ("unit") and ask for a smaller scope or fewer types.
Status price_etas_fit(double pairs, const char* scope_field, const CostBudgets& budgets);

// --- counts ---

// GET /api/stats: `buckets` (an upper bound when the bucket is calendar)
// of `group_cells` groups x subgroups over a period of `period_days`.
// `bucket` names the bucket ("day"), empty for none or folded.
Status price_stats(double buckets, double group_cells, const std::string& bucket, double period_days,
                   const CostBudgets& budgets);

// GET /api/stats/rising: `windows` (the current one, the history and the
// probe) of `series` (unit groups x categories) each.
Status price_rising(double windows, double series, const CostBudgets& budgets);

// GET /api/stats/response: `lines` time buckets named `group`.
Status price_response(double lines, const std::string& group, const CostBudgets& budgets);

}  // namespace pingan::analytics
