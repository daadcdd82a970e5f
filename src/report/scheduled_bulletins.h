#pragma once
// One round of the scheduled bulletins (issue 22; docs/bulletins.md
// "Scheduled bulletins"), the work `pingan serve` does every minute
// (cli/bulletin_schedule_runner.h) and `pingan report schedule` once.
//
// For every run of the schedule, the period due at `now`
// (core/bulletin_schedule.h); for each of its units (the run's unit, or
// every root of the unit tree; none while the tree is empty), each format
// whose file is missing is written whole or not at all (scratch_dir.h). A file already there is
// never rewritten, so a restart or a second server on the same folder
// writes nothing twice; two servers racing on one missing file both write
// it, and the rename leaves one whole copy. A failing run (an unknown unit,
// Chromium missing) is returned in `failures`, naming the run, and the
// others are still written. PDF and .docx conversions run one at a time in
// the process.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/bulletin_schedule.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "report/bulletin_figures.h"

namespace pingan::report {

// What a round reads: the unit tree now (for the roots; cheap), and the
// indexes the figures count from, asked only when some file is missing
// (attaching the case and ledger indexes takes a while). Both called on the
// round's thread.
struct BulletinInputs {
  std::function<std::shared_ptr<const UnitTree>()> units;
  std::function<Result<BulletinSources>()> sources;
};

struct BulletinRound {
  std::vector<std::string> written;   // paths written this round, in order
  std::size_t present = 0;            // files of due periods already there
  std::vector<std::string> failures;  // "run 'daily', unit JN, 2026-10-30 to 2026-10-30: unit: unknown unit 'JN'"
};

// The folder a schedule writes to: `override_dir` when not empty, else the
// schedule's folder; a relative one is taken inside `beside` (the database
// file's folder; empty: the working directory).
std::filesystem::path scheduled_bulletin_folder(const BulletinSchedule& schedule, const std::filesystem::path& beside,
                                                const std::string& override_dir);

// One round at `now`: `data_dir` holds the templates (empty: the shipped
// data), `zone` is the bureau's (the engine's).
BulletinRound run_due_bulletins(const BulletinSchedule& schedule, const std::string& data_dir,
                                const std::filesystem::path& folder, const TimeZone& zone,
                                const BulletinInputs& inputs, Timestamp now);

}  // namespace pingan::report
