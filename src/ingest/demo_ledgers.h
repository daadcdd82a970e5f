#pragma once
// The demo district's ledgers (台账, issue 21) for its campaign: the last
// 100 days of the demo (a 百日行动 ending at the demo's "now", demo_end), or
// all of it when the demo is shorter. At about the seeds' scale for a
// district of half a million residents per hundred days: ~370 disputes by
// kind (about 96 % resolved, a few escalated, the newest still mediating);
// ~450 hazards, found by inspections, rental checks, sweeps and reports,
// ordered, rectified, verified by another officer and closed (销号), some
// sent back once and some overdue at the end; ~1,000 place inspections
// (家次) of the registry's places by how often their category must be
// inspected; ~1,100 rental-house checks and ~900 floating-resident checks
// of the registry's records; door-to-door visits of its registered
// residents, a few opening disputes; ~45 publicity events (~100 points,
// ~25,000 leaflets); and a dozen sweeps with their tallies.
//
// Everything goes through Engine::ledgers() as an officer of the item's
// unit would enter it: the creating officer, an assigning station officer,
// the community officer who works it, a station officer or leader who
// verifies it (never the worker). Each item has the origin ("demo",
// "<type>/<n>"), so a second run finds it and adds nothing (an item opened
// by a step hangs on its opener and is skipped with it). Steps that would
// fall at or after demo_end are not taken: the item stays where it was.
//
// Deterministic for the options and the stored registry (write_demo_registry
// first); every item draws from its own stream, so no other figure of the
// demo changes.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "ingest/demo_district.h"

namespace pingan::ingest {

// What one ledger type got.
struct DemoLedgerTally {
  std::int64_t items = 0;   // created by this run (opened by a step included)
  std::int64_t opened = 0;  // of which opened by another item's step
  std::int64_t steps = 0;   // steps taken on them
  std::map<std::string, std::int64_t> by_state;  // state code -> items now in it
};

struct DemoLedgerReport {
  std::map<std::string, DemoLedgerTally> by_type;  // type code -> tally
  std::int64_t duplicates = 0;  // items present from an earlier run
  std::int64_t items() const;
};

// The campaign's first instant (local midnight) and demo_end.
struct DemoCampaign {
  Timestamp start = 0, end = 0;
  int days = 0;
};
DemoCampaign demo_campaign(const DemoOptions& options);

// One line per type for the demo's output, in the types' order: "矛盾纠纷
// dispute: 372 items, 1,100 steps; now 已化解 356, 已移交 8, 调解中 8".
std::vector<std::string> describe_demo_ledgers(const DemoLedgerReport& report, const LedgerRecords& ledgers);

// Writes the ledgers; progress(done, total) over the planned items.
Result<DemoLedgerReport> write_demo_ledgers(
    Engine& engine, const DemoOptions& options,
    const std::function<void(std::int64_t done, std::int64_t total)>& progress);

}  // namespace pingan::ingest
