#include "ingest/demo_posts.h"

#include <fmt/format.h>

#include <cmath>

#include "ingest/demo_geography.h"

namespace pingan::ingest {
namespace {

constexpr int kNightStart = 20 * 60, kNightEnd = 2 * 60;
constexpr int kSchoolStart = 7 * 60, kSchoolEnd = 8 * 60 + 30;

}  // namespace

std::vector<PatrolPost> demo_posts(const DemoOptions& options) {
  const DemoGeography geography(options.seed);
  const auto& stations = geography.stations();
  const auto& communities = geography.communities();
  std::vector<PatrolPost> posts;
  for (int s = 0; s < static_cast<int>(stations.size()); ++s) {
    const DemoStation& station = stations[s];
    int densest = -1;
    for (int c = 0; c < static_cast<int>(communities.size()); ++c)
      if (communities[c].station == s && (densest < 0 || communities[c].urbanity > communities[densest].urbanity))
        densest = c;
    int night = 0, school = 0;
    auto add = [&](const char* kind, int* n, const std::string& name, Xy where, int start, int end) {
      PatrolPost p;
      p.code = fmt::format("{}-{}{:02}", station.code, kind[0] == 'n' ? 'N' : 'X', ++*n);
      p.name = name;
      p.kind = kind;
      p.station_code = station.code;
      const GeoPoint g = geography.plane().to_geo(where);
      // Rounded like the demo's incidents (0.1 m).
      p.location = GeoPoint{std::round(g.lat * 1e6) / 1e6, std::round(g.lon * 1e6) / 1e6};
      p.start_minute = start;
      p.end_minute = end;
      posts.push_back(std::move(p));
    };
    for (const DemoHotspot& h : geography.hotspots()) {
      if (communities[h.community].station != s) continue;
      if (h.kind == HotspotKind::kNightlife || h.kind == HotspotKind::kEntertainment)
        add("night", &night, h.name + "夜巡点", h.centre, kNightStart, kNightEnd);
      else if (h.kind == HotspotKind::kSchool)
        add("school", &school, h.name + "护学岗", h.centre, kSchoolStart, kSchoolEnd);
    }
    if (densest >= 0) {
      const DemoCommunity& c = communities[densest];
      const Xy centre = c.blocks.empty() ? Xy{} : c.blocks.front();
      add("night", &night, c.name + "星空护市夜巡点", centre, kNightStart, kNightEnd);
      if (school == 0) add("school", &school, c.name + "护学岗", centre, kSchoolStart, kSchoolEnd);
    }
  }
  return posts;
}

}  // namespace pingan::ingest
