#pragma once
// Scheduled bulletins (issue 22): which bulletins `pingan serve` writes by
// itself, when, and for which period. The schedule is data
// (data/bulletins/schedule.json, docs/bulletins.md "Scheduled bulletins");
// this file parses it and answers "which period of each run is due at
// `now`", with no I/O and no clock of its own, so both are tested with
// constructed instants.
//
// A daily run covers the previous whole day of the bureau's calendar; a
// weekly run, on its weekday, the 7 days before (Monday..Sunday when run on
// a Monday). A run is due from its time of day (`at`, local) on; the period
// due at an instant is the latest one whose run time has passed, so a
// server started late catches up that one period only, not every past day.
//
// Thread safety: plain values and pure functions.

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace pingan {

enum class BulletinEvery : std::uint8_t { kDay, kWeek };

// The formats a run may write, as file extensions.
inline constexpr const char* kBulletinFormats[] = {"md", "html", "pdf", "docx"};

struct ScheduledBulletin {
  std::string name;           // "daily": named in logs and errors
  std::string template_name;  // data/bulletins/<template>.md
  std::string unit;           // a unit's code; "" = each root unit of the tree
  BulletinEvery every = BulletinEvery::kDay;
  int weekday = 1;            // weekly runs: 1 = Monday .. 7 = Sunday (ISO 8601)
  int at_minute = 0;          // local time of day the run is due, minutes after midnight
  std::vector<std::string> formats;  // of kBulletinFormats, no duplicate, at least one
};

struct BulletinSchedule {
  // Where the files go: relative to the database file's folder (the
  // working directory for PostgreSQL), or absolute.
  std::string folder = "bulletins";
  // Put before every figure's link in the HTML, PDF and .docx files
  // ("https://pingan.bureau.example"), which are read away from pingan;
  // empty: links stay relative. http:// or https:// only.
  std::string base_url;
  std::vector<ScheduledBulletin> runs;
};

// The JSON of schedule.json:
//   {"folder": "bulletins", "base_url": "https://pingan.bureau.example",
//    "runs": [{"name": "daily", "template": "daily", "unit": "", "every": "day",
//              "at": "07:30", "formats": ["md", "html"]}, ...]}
// "weekday" (1..7) is required for "every": "week" and refused for "day";
// "unit" may be left out (""). Unknown keys are refused. Errors are
// Error::invalid naming the field, the message repeating it:
//   field "runs[1].at", "runs[1].at: '25:00' is not a time of day (HH:MM, 00:00 to 23:59)".
// Two runs with the same template and unit are refused (their files would
// share names), as are two runs of one name.
Result<BulletinSchedule> parse_bulletin_schedule(const nlohmann::json& doc);

// One period of one run, due at an instant.
struct DueBulletin {
  std::size_t run = 0;  // index into BulletinSchedule::runs
  CivilTime first_day;  // the period's first day (local calendar, 00:00)
  CivilTime last_day;   // its last day, inclusive
  Timestamp due_at = 0; // the run time that made it due (UTC)
};

// For every run, the latest period whose run time (local `at` on the day
// after a daily period, on the weekday after a weekly one) is at or before
// `now`, in the schedule's order. Always one per run.
std::vector<DueBulletin> due_bulletins(const BulletinSchedule& schedule, const TimeZone& zone, Timestamp now);

// The file name of one run's bulletin of one unit and period, without the
// folder: "<template>-<unit>-<YYYYMMDD of the last day>.<format>".
std::string bulletin_file_name(const ScheduledBulletin& run, const std::string& unit, const CivilTime& last_day,
                               const std::string& format);

}  // namespace pingan
