#pragma once
// Random incidents and a brute-force statistician for the aggregate
// property tests: the brute force reads the raw Incident records one by one
// with the tz database, and shares nothing with the index but the
// definitions in analytics/aggregate.h.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "core/incident.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::testing {

// B bureau; stations S1 (C11, C12), S2 (C21), S3 (C31, C32); team T1 (leaf).
inline std::shared_ptr<const UnitTree> aggregate_test_units() {
  auto unit = [](std::string code, std::string parent, UnitKind kind) {
    Unit u;
    u.code = code;
    u.name = "单位" + code;
    u.kind = kind;
    u.parent_code = std::move(parent);
    return u;
  };
  std::vector<Unit> units = {
      unit("B", "", UnitKind::kBureau),         unit("S1", "B", UnitKind::kStation),
      unit("S2", "B", UnitKind::kStation),      unit("S3", "B", UnitKind::kStation),
      unit("T1", "B", UnitKind::kTeam),         unit("C11", "S1", UnitKind::kCommunity),
      unit("C12", "S1", UnitKind::kCommunity),  unit("C21", "S2", UnitKind::kCommunity),
      unit("C31", "S3", UnitKind::kCommunity),  unit("C32", "S3", UnitKind::kCommunity)};
  return std::make_shared<const UnitTree>(UnitTree::build(std::move(units)).value());
}

// Local civil time -> UTC in `zone`.
inline Timestamp local_time(const TimeZone& zone, int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return zone.to_utc(CivilTime{y, mo, d, h, mi, s});
}

inline std::int64_t days_from_civil(int y, int m, int d) {
  return civil_to_utc(CivilTime{y, m, d, 0, 0, 0}) / 86400;  // exact for dates after 1970
}

inline int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

class RandomIncidents {
 public:
  RandomIncidents(std::uint32_t seed, const Taxonomy& taxonomy, const TimeZone& zone)
      : rng_(seed), taxonomy_(taxonomy), zone_(zone) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
  std::mt19937& rng() { return rng_; }

  // A local instant, often on an edge: 29 February, month and year ends,
  // local midnight; 0.5% in 1916 and 0.25% in 2091 (real data has such dates).
  Timestamp random_time() {
    if (uniform(0, 199) == 0) return local_time(zone_, 1916, uniform(1, 12), uniform(1, 28), uniform(0, 23), uniform(0, 59));
    if (uniform(0, 399) == 0) return local_time(zone_, 2091, uniform(1, 12), uniform(1, 28), uniform(0, 23), uniform(0, 59));
    int roll = uniform(2, 99);
    int y = uniform(2022, 2025), m = uniform(1, 12), d = uniform(1, days_in_month(y, m));
    int h = uniform(0, 23), mi = uniform(0, 59), s = uniform(0, 59);
    if (roll < 12) {  // around 29 February
      static const int kFeb[][3] = {{2024, 2, 29}, {2024, 2, 28}, {2024, 3, 1}, {2023, 2, 28}, {2023, 3, 1}, {2025, 2, 28}};
      const auto& f = kFeb[uniform(0, 5)];
      y = f[0], m = f[1], d = f[2];
    } else if (roll < 22) {  // the last or first minutes of a month
      d = chance(0.5) ? days_in_month(y, m) : 1;
      h = d == 1 ? 0 : 23;
      mi = d == 1 ? uniform(0, 2) : uniform(57, 59);
    } else if (roll < 30) {  // a year end
      bool end = chance(0.5);
      m = end ? 12 : 1, d = end ? 31 : 1, h = end ? 23 : 0;
      mi = end ? 59 : 0;
    } else if (roll < 36) {  // exactly local midnight
      h = mi = s = 0;
    }
    return local_time(zone_, y, m, d, h, mi, s);
  }

  // n records of random units and types, and `busy` more of two pairs
  // (C11 theft, C32 telecom fraud), busy enough for dense cube slots.
  std::vector<Incident> make(int n, int busy = 0) {
    static const std::vector<std::string> kUnits = {"C11", "C11", "C12", "C21", "C21", "C31", "C32", "C32",
                                                    "S1",  "S2",  "S3",  "T1",  "B",   "ZZ-OLD", ""};
    std::vector<Incident> out;
    for (int i = 0; i < n + busy; ++i) {
      Incident inc;
      inc.id = i + 1;
      inc.source = "test";
      inc.source_id = std::to_string(i + 1);
      const bool busy_one = i >= n;
      const IncidentType& t = busy_one ? *taxonomy_.find_type(i % 2 ? "theft" : "telecom_fraud")
                                       : pick(taxonomy_.types());
      inc.type_code = t.code;
      inc.class_code = t.class_code;
      inc.unit_code = busy_one ? (i % 2 ? "C11" : "C32") : pick(kUnits);
      inc.reported_at = random_time();
      inc.status = kAllStatuses[uniform(0, 7)];
      if (chance(0.7)) inc.location = GeoPoint{36.6 + uniform(0, 1000) * 1e-4, 117.0 + uniform(0, 1000) * 1e-4};
      inc.voided = chance(0.03);
      out.push_back(std::move(inc));
    }
    return out;
  }

 private:
  std::mt19937 rng_;
  const Taxonomy& taxonomy_;
  TimeZone zone_;
};

// The brute force: every figure from the raw records.
class BruteStats {
 public:
  BruteStats(const std::vector<Incident>& incidents, const UnitTree& tree, const TimeZone& zone)
      : incidents_(incidents), tree_(tree), zone_(zone) {}

  // The outermost scope root on the unit's path; "" when out of scope.
  // Sets *everything for an unrestricted scope.
  std::string scope_root(const UnitScope& scope, const std::string& unit_code) const {
    if (scope.all) return "*";
    if (unit_code.empty() || !tree_.find(unit_code)) return "";
    for (const std::string& code : tree_.path(unit_code))
      if (std::find(scope.root_codes.begin(), scope.root_codes.end(), code) != scope.root_codes.end())
        return code;
    return "";
  }

  bool passes(const analytics::RowFilter& f, const Incident& inc) const {
    if (inc.voided || scope_root(f.scope, inc.unit_code).empty()) return false;
    if (!f.class_codes.empty() &&
        std::find(f.class_codes.begin(), f.class_codes.end(), inc.class_code) == f.class_codes.end())
      return false;
    if (!f.type_codes.empty() &&
        std::find(f.type_codes.begin(), f.type_codes.end(), inc.type_code) == f.type_codes.end())
      return false;
    if (!f.statuses.empty() && std::find(f.statuses.begin(), f.statuses.end(), inc.status) == f.statuses.end())
      return false;
    return true;
  }

  std::vector<std::string> children(const std::string& code) const {
    std::vector<std::string> out;
    for (const Unit& u : tree_.units())
      if (u.parent_code == code) out.push_back(u.code);
    return out;
  }

  // The unit group of a record: the child of its scope root on its path,
  // the root itself when the record sits on it (or it has no children),
  // "" for records outside the tree (unrestricted scope).
  std::string unit_group(const UnitScope& scope, const std::string& unit_code) const {
    std::string root = scope_root(scope, unit_code);
    if (root == "*") {
      if (unit_code.empty() || !tree_.find(unit_code)) return "";
      root = tree_.path(unit_code).front();
    }
    std::vector<std::string> path = tree_.path(unit_code);
    auto at = std::find(path.begin(), path.end(), root);
    if (at + 1 == path.end()) return root;
    return *(at + 1);
  }

  // "group|subgroup" of a record.
  std::string group_key(const analytics::StatsQuery& q, const Incident& inc) const {
    return key_of(q, q.group_by, inc) + "|" + key_of(q, q.then_by, inc);
  }
  std::string key_of(const analytics::StatsQuery& q, analytics::StatsGroup by, const Incident& inc) const {
    switch (by) {
      case analytics::StatsGroup::kNone: return "";
      case analytics::StatsGroup::kClass: return inc.class_code;
      case analytics::StatsGroup::kType: return inc.type_code;
      case analytics::StatsGroup::kStatus: return status_name(inc.status);
      case analytics::StatsGroup::kUnit: return unit_group(q.filter.scope, inc.unit_code);
    }
    return "?";
  }

  Timestamp year_earlier(Timestamp t) const {
    CivilTime c = zone_.to_local(t);
    c.year -= 1;
    if (c.month == 2 && c.day == 29) c.day = 28;
    return zone_.to_utc(c);
  }
  bool local_midnight(Timestamp t) const {
    CivilTime c = zone_.to_local(t);
    return c.hour == 0 && c.minute == 0 && c.second == 0;
  }
  // The comparison image of [start, end): the first and the last instant mapped.
  Timestamp image_start(const analytics::StatsQuery& q, Timestamp start) const { return shift(q, start); }
  Timestamp image_end(const analytics::StatsQuery& q, Timestamp end) const { return shift(q, end - 1) + 1; }
  Timestamp shift(const analytics::StatsQuery& q, Timestamp t) const {
    if (q.compare == analytics::StatsCompare::kYearOnYear) return year_earlier(t);
    const Timestamp from = q.filter.from, until = q.filter.until;
    if (!local_midnight(from) || !local_midnight(until)) return t - (until - from);
    CivilTime a = zone_.to_local(from), b = zone_.to_local(until), c = zone_.to_local(t);
    std::int64_t days = days_from_civil(b.year, b.month, b.day) - days_from_civil(a.year, a.month, a.day);
    CivilTime date = utc_to_civil((days_from_civil(c.year, c.month, c.day) - days) * 86400);
    c.year = date.year, c.month = date.month, c.day = date.day;
    return zone_.to_utc(c);
  }

  // The calendar bucket key of a local instant (two instants share a key
  // when they fall in the same local hour, day, ISO week or month).
  std::string calendar_key(analytics::StatsBucket b, Timestamp t) const {
    CivilTime c = zone_.to_local(t);
    std::int64_t day = days_from_civil(c.year, c.month, c.day);
    switch (b) {
      // The repeated hour at the end of summer time is two hours.
      case analytics::StatsBucket::kHour:
        return fmt::format("{}-{}-{} {} {}", c.year, c.month, c.day, c.hour, zone_.offset_at(t));
      case analytics::StatsBucket::kDay: return fmt::format("{}-{}-{}", c.year, c.month, c.day);
      case analytics::StatsBucket::kWeek: return std::to_string(day - weekday(t) + 1);
      case analytics::StatsBucket::kMonth: return fmt::format("{}-{}", c.year, c.month);
      default: return "";
    }
  }
  int weekday(Timestamp t) const {  // 1 = Monday
    CivilTime c = zone_.to_local(t);
    std::int64_t day = days_from_civil(c.year, c.month, c.day);
    return static_cast<int>(((day + 3) % 7 + 7) % 7) + 1;
  }

  // Records passing the filter in [from, until).
  std::int64_t total(const analytics::StatsQuery& q, Timestamp from, Timestamp until) const {
    std::int64_t n = 0;
    for (const Incident& inc : incidents_) n += passes(q.filter, inc) && inc.reported_at >= from && inc.reported_at < until;
    return n;
  }

  // Counts by (bucket, group) of the records passing the filter in
  // [from, until), bucketed by the result's own buckets (checked separately).
  std::map<std::pair<int, std::string>, std::int64_t> counts(const analytics::StatsQuery& q,
                                                             const analytics::StatsResult& r, bool compare) const {
    std::map<std::pair<int, std::string>, std::int64_t> out;
    const Timestamp from = compare ? *r.compare_from : q.filter.from;
    const Timestamp until = compare ? *r.compare_until : q.filter.until;
    for (const Incident& inc : incidents_) {
      if (!passes(q.filter, inc)) continue;
      const Timestamp t = inc.reported_at;
      if (t < from || t >= until) continue;
      int bucket = 0;
      if (q.bucket == analytics::StatsBucket::kHourOfDay) {
        bucket = zone_.to_local(t).hour;
      } else if (q.bucket == analytics::StatsBucket::kWeekday) {
        bucket = weekday(t) - 1;
      } else if (q.bucket != analytics::StatsBucket::kNone) {
        // Comparison images may overlap (28 and 29 February) or leave gaps
        // (a skipped hour): a record counts in every image that holds it.
        bool found = false;
        for (std::size_t b = 0; b < r.buckets.size(); ++b) {
          const Timestamp s = compare ? *r.buckets[b].compare_start : r.buckets[b].start;
          const Timestamp e = compare ? *r.buckets[b].compare_end : r.buckets[b].end;
          if (t >= s && t < e) {
            ++out[{static_cast<int>(b), group_key(q, inc)}];
            found = true;
          }
        }
        if (!found && !compare) ADD_FAILURE() << "a record at " << t << " fell in no bucket";
        continue;
      }
      ++out[{bucket, group_key(q, inc)}];
    }
    return out;
  }

 private:
  const std::vector<Incident>& incidents_;
  const UnitTree& tree_;
  TimeZone zone_;
};

}  // namespace pingan::testing
