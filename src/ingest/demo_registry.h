#pragma once
// The demo district's base registry (issue 21): places of the categories a
// station's registry holds, in the counts a district of this size has
// (hundreds of 九小场所, dozens of hotels, 网吧 and KTV, a few 危险物品单位),
// set in the communities by their population and town-centre character;
// enterprises with valid 统一社会信用代码; rental houses with landlords and
// tenants, who are also the district's floating residents (流动人口), the
// landlords its registered ones (户籍); and about 2,000 cameras: one at
// each key place's door, domes at the hotspots, at residential compounds'
// gates, and the rest at the crossings of the district's road lattice.
//
// Deterministic for a seed; a second run adds nothing (every record is
// keyed: codes, persons by ID number, residents by person). Written after
// the units, through Engine::registry() as an import would.

#include <cstdint>

#include "engine/engine.h"
#include "ingest/demo_district.h"

namespace pingan::ingest {

struct DemoRegistryReport {
  std::int64_t places = 0, enterprises = 0, rental_houses = 0, tenancies = 0, residents = 0, cameras = 0;
  std::int64_t unchanged = 0;  // records present from an earlier run, as they were
};

Result<DemoRegistryReport> write_demo_registry(Engine& engine, const DemoOptions& options);

}  // namespace pingan::ingest
