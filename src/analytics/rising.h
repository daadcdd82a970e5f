#pragma once
// "What is rising": for a scope and a recent window, every series (a type, a
// class, a child unit of the scope, or a unit x type / unit x class) is
// tested against same-length windows of its own history, and the series that
// rose beyond chance are flagged, with the figures of the test.
//
// Windows (all the same length L = until - from; shifted by whole local days
// when the window spans whole local days):
// - kPreviousWindows: the K windows right before the window
//   ([from - kL, until - kL), k = 1..K); the default, K = 12.
// - kSameWindowPastYears: for each of the past Y years the window starting
//   on the same local date (Feb 29 -> Feb 28) with the same length, and its
//   two neighbours (one window before, one after), as the Farrington method
//   does, so seasonal series are compared with their own season.
// History windows that begin before the local day of the scope's first
// record are dropped (empty or only partly covered): a district imported
// last month must not "rise" against empty months.
// With no history window left nothing is tested (an empty report).
//
// Each series is scored by score_series() (rising_score.h: exact Poisson
// rate test, negative binomial when the history is overdispersed, robust z);
// Benjamini-Hochberg q-values are taken over all tested series, and a series
// is rising when q < alpha and observed > expected. Series are listed most
// significant first (p, then z).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/incident_index.h"
#include "analytics/request_cost.h"
#include "analytics/rising_score.h"
#include "core/deadline.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::analytics {

// What one series is.
enum class RisingBy : std::uint8_t {
  kType,       // each incident type in the scope
  kClass,      // each class
  kUnit,       // each child unit of the scope's root(s)
  kUnitType,   // child unit x type
  kUnitClass,  // child unit x class
};
const char* rising_by_name(RisingBy by);  // "type", "class", "unit", "unit_type", "unit_class"
Result<RisingBy> parse_rising_by(std::string_view name);

enum class RisingBaseline : std::uint8_t { kPreviousWindows, kSameWindowPastYears };
const char* rising_baseline_name(RisingBaseline baseline);  // "previous", "past_years"
Result<RisingBaseline> parse_rising_baseline(std::string_view name);

inline constexpr int kDefaultRisingDays = 28;

struct RisingQuery {
  UnitScope scope = UnitScope::everything();
  // The window [from, until): both or neither.
  std::optional<Timestamp> from, until;
  // Without from/until, the window is the 28 whole local days before the
  // local day of `at` (CompStat's "last 28 days"). Unset `at` means `now`,
  // or, when the scope has no record in the 28 days before `now` (a
  // historical import), the day after the scope's last record.
  std::optional<Timestamp> at;
  RisingBy by = RisingBy::kType;
  RisingBaseline baseline = RisingBaseline::kPreviousWindows;
  int history_windows = 12;  // K for kPreviousWindows, 1..104
  int history_years = 3;     // Y for kSameWindowPastYears, 1..10
  double alpha = 0.05;       // flag when q < alpha; (0, 1)
  // What the test may cost (request_cost.h): the server gives its budgets,
  // the CLI none.
  CostBudgets budgets = CostBudgets::unlimited();
};

// Checks the numeric options and the window (from < until, at most 366 days;
// kSameWindowPastYears needs at most 121 days, so that the
// three windows of each past year do not overlap).
Status validate_rising_query(const RisingQuery& query);

struct RisingWindow {
  Timestamp from = 0, until = 0;
};

struct RisingSeries {
  std::string unit_code, unit_name;    // set for kUnit, kUnitType, kUnitClass
  std::string type_code, type_name;    // set for kType, kUnitType
  std::string class_code, class_name;  // set for kClass, kUnitClass
  SeriesScore score;
  double q = 1;  // Benjamini-Hochberg q-value over all tested series
  bool rising = false;
  std::vector<std::int64_t> history;  // counts of RisingReport::history windows, same order
};

struct RisingReport {
  RisingWindow window;
  std::vector<RisingWindow> history;  // the windows used, newest first
  std::vector<RisingWindow> dropped;  // history windows not used (before the data)
  RisingBy by = RisingBy::kType;
  RisingBaseline baseline = RisingBaseline::kPreviousWindows;
  double alpha = 0.05;
  std::int64_t tested = 0;   // series tested (the m of Benjamini-Hochberg)
  std::int64_t flagged = 0;  // series rising
  std::vector<RisingSeries> series;  // every tested series, most significant first
};

// Runs the test over the index. `now` bounds the default window. Errors:
// invalid options or an unknown scope unit, a query over its budget, and
// unavailable when the deadline passes.
Result<RisingReport> find_rising(const IncidentIndex& index, const RisingQuery& query, Timestamp now,
                                 const Deadline& deadline = Deadline::none());

// The same instant `years` local-calendar years later (negative: earlier);
// Feb 29 maps to Feb 28 in a year without one.
Timestamp shift_local_years(Timestamp t, int years, const TimeZone& zone);

}  // namespace pingan::analytics
