#include "ingest/demo_patrol_units.h"

#include <fmt/format.h>

#include "ingest/demo_geography.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {
namespace {


struct Shift {
  PatrolKind kind;
  const char* sign;  // 巡 car, 摩 motorcycle, 电 e-bike, 步 foot
  int count;
  int crew;
};
constexpr Shift kPerStation[] = {
    {PatrolKind::kCar, "巡", 3, 2},
    {PatrolKind::kMotorcycle, "摩", 1, 1},
    {PatrolKind::kEbike, "电", 2, 1},
    {PatrolKind::kFoot, "步", 2, 2},
};
constexpr int kRapidTeams = 2;

std::string short_station_name(int station) {
  std::string name(station_name(station));
  const std::string suffix = "派出所";
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    name.resize(name.size() - suffix.size());
  return name;
}

}  // namespace

std::vector<PatrolUnit> demo_patrol_units(const DemoOptions& options) {
  const DemoGeography geography(options.seed);
  std::vector<PatrolUnit> out;
  for (int s = 0; s < int(geography.stations().size()); ++s) {
    const std::string prefix = short_station_name(s);
    for (const Shift& shift : kPerStation)
      for (int i = 1; i <= shift.count; ++i) {
        PatrolUnit u;
        u.call_sign = fmt::format("{}-{}{}", prefix, shift.sign, i);
        u.kind = shift.kind;
        u.station_code = geography.stations()[std::size_t(s)].code;
        u.crew_size = shift.crew;
        u.status = PatrolStatus::kAvailable;
        out.push_back(std::move(u));
      }
  }
  for (int i = 1; i <= kRapidTeams; ++i) {
    PatrolUnit u;
    u.call_sign = fmt::format("示范快反{}", i);
    u.kind = PatrolKind::kCar;
    u.station_code = "PA";
    u.crew_size = 4;
    u.roles = {"rapid"};
    u.status = PatrolStatus::kAvailable;
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<UnitPosition> demo_patrol_positions(const DemoOptions& options, Timestamp at) {
  const DemoGeography geography(options.seed);
  Random random(mix64(options.seed ^ 0x70a7c01ULL));
  const auto units = demo_patrol_units(options);
  const auto& communities = geography.communities();
  // The rapid teams wait in the old town (north-west of the centre) and the
  // new town by the high-tech park (south-east).
  const Xy rapid_posts[kRapidTeams] = {{-1500, 1200}, {3500, -2500}};
  std::vector<UnitPosition> out;
  int rapid = 0;
  for (const auto& u : units) {
    Xy xy;
    if (u.station_code == "PA") {
      xy = rapid_posts[rapid++ % kRapidTeams];
    } else {
      // A uniform point of one of the station's communities, chosen at random.
      std::vector<int> own;
      for (int c = 0; c < int(communities.size()); ++c)
        if (geography.stations()[std::size_t(communities[std::size_t(c)].station)].code == u.station_code)
          own.push_back(c);
      xy = geography.uniform_point(own[random.below(std::uint32_t(own.size()))], random);
    }
    out.push_back(UnitPosition{u.call_sign, at, geography.plane().to_geo(xy)});
  }
  return out;
}

}  // namespace pingan::ingest
