#pragma once
// A generated province for bench/scale (issue 19): a provincial department
// (GA), 20 city bureaus (C01..C20) in a 5 x 4 grid over about 6 degrees of
// longitude and 3 of latitude, 10 stations each (C01-S01..C20-S10: 200),
// each a rectangle; and `count` incidents over the year 2025 (local time),
// spread over the stations with a busy/quiet spread (the busiest station
// has about 4x the quietest), uniform inside the station, at an hour of the
// day drawn from the evening-heavy profile bureaus see, of a type drawn
// from the taxonomy with weights, handled and closed within the hour.
// Deterministic for a seed: the same province every run.

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::scale {

inline constexpr int kCities = 20;
inline constexpr int kStationsPerCity = 10;
inline constexpr double kMinLat = 34.5, kMinLon = 114.5;
inline constexpr double kCityLat = 0.75, kCityLon = 1.2;  // a city's rectangle (4 rows x 5 columns)

struct Rect {
  double min_lat, min_lon, max_lat, max_lon;
};

inline Boundary rectangle(const Rect& r) {
  Ring ring{{r.min_lat, r.min_lon}, {r.min_lat, r.max_lon}, {r.max_lat, r.max_lon}, {r.max_lat, r.min_lon},
            {r.min_lat, r.min_lon}};
  return Boundary(std::vector<Polygon>{Polygon{ring}});
}

struct Station {
  std::string code;
  Rect area;
  double weight;
};

class Province {
 public:
  explicit Province(std::uint64_t seed) : seed_(seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> spread(1.0, 4.0);
    for (int c = 0; c < kCities; ++c) {
      const Rect city = city_rect(c);
      for (int s = 0; s < kStationsPerCity; ++s) {
        // 5 columns x 2 rows of stations in the city.
        const double w = (city.max_lon - city.min_lon) / 5, h = (city.max_lat - city.min_lat) / 2;
        const Rect area{city.min_lat + (s / 5) * h, city.min_lon + (s % 5) * w, city.min_lat + (s / 5 + 1) * h,
                        city.min_lon + (s % 5 + 1) * w};
        stations_.push_back(Station{fmt::format("C{:02}-S{:02}", c + 1, s + 1), area, spread(rng)});
      }
    }
  }

  static Rect city_rect(int c) {
    const int row = c / 5, col = c % 5;
    return Rect{kMinLat + row * kCityLat, kMinLon + col * kCityLon, kMinLat + (row + 1) * kCityLat,
                kMinLon + (col + 1) * kCityLon};
  }

  std::vector<Unit> units() const {
    std::vector<Unit> out;
    out.push_back(Unit{0, "GA", "省公安厅", UnitKind::kBureau, "", rectangle(Rect{kMinLat, kMinLon, kMinLat + 4 * kCityLat,
                                                                                 kMinLon + 5 * kCityLon})});
    for (int c = 0; c < kCities; ++c)
      out.push_back(Unit{0, fmt::format("C{:02}", c + 1), fmt::format("第{}市公安局", c + 1), UnitKind::kBureau, "GA",
                         rectangle(city_rect(c))});
    for (std::size_t i = 0; i < stations_.size(); ++i)
      out.push_back(Unit{0, stations_[i].code, fmt::format("{}派出所", stations_[i].code), UnitKind::kStation,
                         stations_[i].code.substr(0, 3), rectangle(stations_[i].area)});
    return out;
  }
  const std::vector<Station>& stations() const { return stations_; }

  // Incidents [first, first + n) of the province's sequence, each the same
  // on every call: the n-th incident depends on the seed and n only, so a
  // load can resume from any count.
  void incidents(const Taxonomy& taxonomy, const TimeZone& zone, std::int64_t first, std::int64_t n,
                 std::vector<Incident>& out) const {
    prepare(taxonomy, zone);
    out.clear();
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t k = first; k < first + n; ++k) {
      std::mt19937_64 rng(seed_ ^ (static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15ull));
      std::uniform_real_distribution<double> u(0.0, 1.0);
      const Station& st = stations_[pick(station_cdf_, u(rng))];
      const IncidentType& type = taxonomy.types()[pick(type_cdf_, u(rng))];
      const int day = static_cast<int>(u(rng) * 365);
      const int hour = static_cast<int>(pick(hour_cdf_, u(rng)));
      const Timestamp at = midnights_[static_cast<std::size_t>(day)] + hour * 3600 + static_cast<int>(u(rng) * 3600);
      Incident inc;
      inc.source = "scale";
      inc.source_id = fmt::format("{}", k);
      inc.type_code = type.code;
      inc.class_code = type.class_code;
      inc.unit_code = st.code;
      inc.reported_at = at;
      inc.location = GeoPoint{st.area.min_lat + u(rng) * (st.area.max_lat - st.area.min_lat),
                              st.area.min_lon + u(rng) * (st.area.max_lon - st.area.min_lon)};
      const Timestamp dispatched = at + 30 + static_cast<int>(u(rng) * 90);
      inc.times.dispatched_at = dispatched;
      inc.times.arrived_at = dispatched + 120 + static_cast<int>(u(rng) * 600);
      inc.times.handled_at = *inc.times.arrived_at + 300 + static_cast<int>(u(rng) * 1800);
      inc.times.closed_at = *inc.times.handled_at + 60;
      inc.status = IncidentStatus::kClosed;
      out.push_back(std::move(inc));
    }
  }

 private:
  static std::size_t pick(const std::vector<double>& cdf, double x) {
    std::size_t lo = 0, hi = cdf.size() - 1;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  static std::vector<double> cdf_of(const std::vector<double>& weights) {
    std::vector<double> cdf;
    double sum = 0;
    for (double w : weights) sum += w;
    double acc = 0;
    for (double w : weights) cdf.push_back((acc += w) / sum);
    cdf.back() = 1.0;
    return cdf;
  }
  void prepare(const Taxonomy& taxonomy, const TimeZone& zone) const {
    if (!midnights_.empty()) return;
    for (int d = 0; d < 365; ++d) {
      const CivilTime day = utc_to_civil(civil_to_utc(CivilTime{2025, 1, 1}) + std::int64_t{d} * 86400);
      midnights_.push_back(zone.to_utc(CivilTime{day.year, day.month, day.day}));
    }
    std::vector<double> station_weights;
    for (const Station& s : stations_) station_weights.push_back(s.weight);
    station_cdf_ = cdf_of(station_weights);
    // Earlier types of the taxonomy are the common ones; a long tail after.
    std::vector<double> type_weights;
    for (std::size_t i = 0; i < taxonomy.types().size(); ++i) type_weights.push_back(1.0 / (1.0 + 0.3 * static_cast<double>(i)));
    type_cdf_ = cdf_of(type_weights);
    // Quiet before dawn, busy in the evening.
    constexpr std::array<double, 24> hours = {3, 2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 4.5, 4.5, 5,
                                              5, 4.5, 4.5, 5, 5.5, 6, 6.5, 7, 7, 6, 5, 4};
    hour_cdf_ = cdf_of(std::vector<double>(hours.begin(), hours.end()));
  }

  std::uint64_t seed_;
  std::vector<Station> stations_;
  mutable std::vector<Timestamp> midnights_;
  mutable std::vector<double> station_cdf_, type_cdf_, hour_cdf_;
};

}  // namespace pingan::scale
