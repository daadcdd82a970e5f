#pragma once
// The records behind a case figure (issue 22: "every figure links to the
// filtered list of records behind it"): for a FigureQuery, the rows of the
// case index the figure's value is made of, each with the record it came
// from. Read from the index's own per-record events, with the selection
// query_figure reads (figure_selection.h), so the list and the value agree:
//   - a count figure (cases opened, solved, fugitives, warnings) lists one
//     row per counted record, so the rows number the value;
//   - a person figure (suspects caught, measure.<kind>, dealt_with) counts a
//     person once, so it lists one row per person: the person's earliest
//     row in the period (ties: the lower record id), and the rows number
//     the value;
//   - a money figure lists every entry (or case, for 涉案金额) with its
//     amount, and the amounts add up to the value.
//
// Thread safety: as CaseIndex::read (a shared lock while listing).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "case/case_events.h"
#include "case/case_figures.h"
#include "case/case_index.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan::cases {

// Which store record a row comes from.
enum class RecordSource : std::uint8_t { kCase, kFugitive, kDissuasionTask };

const char* record_source_name(RecordSource source);  // "case", "fugitive", "dissuasion_task"
// "case_opened", "case_solved", "measure.criminal_detention", "fugitive_caught_old", "money_stopped" ...
std::string event_kind_name(EventKind kind);

struct FigureRecordRow {
  EventKind kind = EventKind::kCaseOpened;
  RecordSource source = RecordSource::kCase;
  std::int64_t record_id = 0;  // the case, fugitive listing or dissuasion task
  Timestamp at = 0;            // the date the figure goes by
  std::string unit;            // the unit credited ("" for none)
  std::optional<std::int64_t> person_id;   // person figures
  std::optional<std::int64_t> amount_fen;  // money figures
};

struct FigureRecords {
  const FigureInfo* figure = nullptr;
  std::int64_t value = 0;  // query_figure's value for the same query, read under the same lock
  // By time, then record id; all of them (callers page).
  std::vector<FigureRecordRow> rows;
};

// Errors as query_figure's (name, from/to, unit, class/type/group/method).
// rank_units and by_method are ignored.
Result<FigureRecords> list_figure_records(const CaseIndex& index, const FigureQuery& query);

}  // namespace pingan::cases
