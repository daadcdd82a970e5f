#pragma once
// A small dispatch desk, built afresh for every input of the targets that
// drive the desk (positions, patrol units, shifts, the route bodies): one
// station with a boundary, three patrol units with known positions, and an
// incident that 西关-巡1 is en route to, so that a position batch can infer
// an arrival. Times are fixed, so a reproducer replays the same way.

#include <memory>
#include <vector>

#include "dispatch/dispatch_service.h"
#include "fuzz_support.h"

namespace pingan::fuzz {

// 2026-11-01T08:00:00+08:00: the desk's first reports.
inline constexpr Timestamp kDeskStart = 1'793'491'200;
inline constexpr const char* kStation = "PA-S01";
inline constexpr const char* kCar = "西关-巡1";         // en route to kIncidentAt
inline constexpr const char* kFoot = "西关-步1";        // available
inline constexpr const char* kMotorcycle = "西关-摩1";  // off duty
inline constexpr GeoPoint kIncidentAt{36.660, 117.020};

struct Desk {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<dispatch::DispatchService> desk;
  IncidentId incident = 0;  // received, 西关-巡1 dispatched to it
  IncidentId other = 0;     // received, nobody dispatched
};

inline Desk fresh_desk() {
  Desk d;
  d.engine = fresh_engine();
  Unit bureau{0, "PA", "平安分局", UnitKind::kBureau, "", {}};
  Unit station{0,
               kStation,
               "西关派出所",
               UnitKind::kStation,
               "PA",
               Boundary({{{{36.60, 116.90},
                           {36.60, 117.10},
                           {36.70, 117.10},
                           {36.70, 116.90},
                           {36.60, 116.90}}}})};
  must(d.engine->upsert_units({bureau, station}), "the units");
  d.desk =
      must(dispatch::DispatchService::open(*d.engine, settings().dispatch, settings().run_cards),
           "the desk");

  auto unit = [](const char* call_sign, PatrolKind kind, PatrolStatus status) {
    PatrolUnit u;
    u.call_sign = call_sign;
    u.kind = kind;
    u.station_code = kStation;
    u.status = status;
    return u;
  };
  must(d.desk->upsert_units({unit(kCar, PatrolKind::kCar, PatrolStatus::kAvailable),
                             unit(kFoot, PatrolKind::kFoot, PatrolStatus::kAvailable),
                             unit(kMotorcycle, PatrolKind::kMotorcycle, PatrolStatus::kOffDuty)}),
       "the patrol units");
  std::vector<PositionReport> first = {{kCar, kDeskStart, {36.650, 117.000}, std::nullopt},
                                       {kFoot, kDeskStart, {36.661, 117.021}, std::nullopt}};
  check(d.desk->report_positions(first).accepted == 2, "the first positions");

  Incident call;
  call.type_code = "theft";
  call.reported_at = kDeskStart;
  call.location = kIncidentAt;
  d.incident = must(d.engine->create_incident(call, "fuzz"), "the incident").id;
  call.location.reset();
  d.other = must(d.engine->create_incident(call, "fuzz"), "the second incident").id;
  must(d.desk->dispatch(d.incident, {kCar}, kDeskStart + 30, "fuzz", UnitScope::everything()),
       "the dispatch");
  return d;
}

}  // namespace pingan::fuzz
