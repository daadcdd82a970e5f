#pragma once
// The demo district's cases (issue 20): written after its incidents, and
// consistent with them. A criminal incident becomes a case with the chance
// a bureau sees for its type (a homicide always, a burglary most of the
// time, a theft from a shop now and then), linked to the incident, opened a
// few hours after the call, solved with the type's clearance rate after a
// realistic delay (robberies in days, burglaries in weeks). Solved cases get
// suspects — drawn from a pool, so repeat offenders appear in several cases
// and are one person — and the measures a case sees (caught, detained,
// arrested, transferred, dealt with); telecom fraud cases get the loss and
// money stopped, frozen and returned; an unsolved case with a known suspect
// lists a fugitive, some caught later; older listings from before the demo
// are caught during it (历年逃犯); and the anti-fraud centre issues daily
// warnings that end dissuaded, not reached or defrauded.
//
// Deterministic for a seed and the stored incidents; a second run adds
// nothing (cases are keyed by number, listings and warnings by theirs).

#include <cstdint>
#include <functional>

#include "engine/engine.h"
#include "ingest/demo_district.h"

namespace pingan::ingest {

struct DemoCaseReport {
  std::int64_t cases = 0, persons = 0, measures = 0, money_entries = 0, fugitives = 0, dissuasions = 0;
  std::int64_t duplicates = 0;  // present from an earlier run
};

// Reads the incidents already stored (write_demo_district first) and writes
// the cases that follow from them. progress(done, total) over the incidents.
Result<DemoCaseReport> write_demo_cases(Engine& engine, const DemoOptions& options,
                                        const std::function<void(std::int64_t done, std::int64_t total)>& progress);

}  // namespace pingan::ingest
