#pragma once
// Reading data/bulletins/schedule.json (core/bulletin_schedule.h) for
// load_settings: the schedule, and every run's template loaded against
// figures.txt, so that a misspelt template or a template naming an unknown
// figure refuses the data folder (at start, and on reload with the settings
// in force kept), not the first run at 07:30.

#include <string>
#include <string_view>

#include "core/bulletin_schedule.h"
#include "core/status.h"

namespace pingan::config {

// `data_dir` is the folder read (not empty). No schedule.json: no runs.
// Errors name the file, the line and the field:
//   "…/bulletins/schedule.json:9: '25:00' is not a time of day …" (field runs[1].at).
Result<BulletinSchedule> load_bulletin_schedule(const std::string& data_dir);

// The 1-based line of a field of the schedule ("runs[1].at": the key "at"
// inside the second element of "runs"), 0 when not found. Unlike
// line_of_field it honours the index.
int schedule_field_line(std::string_view json_text, std::string_view field);

}  // namespace pingan::config
