#include "case/figure_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "case/figure_selection.h"

namespace pingan::cases {
namespace {

bool row_before(const FigureRecordRow& a, const FigureRecordRow& b) {
  if (a.at != b.at) return a.at < b.at;
  if (a.record_id != b.record_id) return a.record_id < b.record_id;
  return a.kind < b.kind;
}

}  // namespace

const char* record_source_name(RecordSource source) {
  switch (source) {
    case RecordSource::kCase:
      return "case";
    case RecordSource::kFugitive:
      return "fugitive";
    case RecordSource::kDissuasionTask:
      return "dissuasion_task";
  }
  return "case";
}

std::string event_kind_name(EventKind kind) {
  const int k = static_cast<int>(kind);
  if (k >= static_cast<int>(EventKind::kMeasureFirst) && k < static_cast<int>(EventKind::kFugitiveListed))
    return fmt::format("measure.{}",
                       measure_kind_name(static_cast<MeasureKind>(k - static_cast<int>(EventKind::kMeasureFirst))));
  switch (kind) {
    case EventKind::kCaseOpened:
      return "case_opened";
    case EventKind::kCaseSolved:
      return "case_solved";
    case EventKind::kFugitiveListed:
      return "fugitive_listed";
    case EventKind::kFugitiveCaughtOld:
      return "fugitive_caught_old";
    case EventKind::kFugitiveCaughtNew:
      return "fugitive_caught_new";
    case EventKind::kMoneyStopped:
      return "money_stopped";
    case EventKind::kMoneyFrozen:
      return "money_frozen";
    case EventKind::kMoneyReturned:
      return "money_returned";
    case EventKind::kDissuasionIssued:
      return "dissuasion_issued";
    case EventKind::kDissuaded:
      return "dissuaded";
    case EventKind::kCaseMoneyInvolved:
      return "case_money_involved";
    default:
      return "unknown";
  }
}

Result<FigureRecords> list_figure_records(const CaseIndex& index, const FigureQuery& q) {
  PINGAN_ASSIGN_OR_RETURN(const FigureInfo* figure, find_case_figure(q.name));
  if (q.to <= q.from) return Error::invalid("to", "the period is empty: 'to' must be after 'from'");
  FigureQuery plain = q;
  plain.rank_units = false;
  plain.by_method = false;
  Result<FigureRecords> out = Error::internal("the case index was not read");
  index.read([&](const CaseIndexData& data) {
    Result<FigureSelection> chosen = select_figure_rows(data, *figure, plain);
    if (!chosen.ok()) {
      out = chosen.error();
      return;
    }
    const Selection& sel = chosen->selection;
    const StatPeriod period{q.from, q.to};
    FigureRecords records;
    records.figure = figure;
    for (EventKind kind : figure->kinds) records.value += data.evaluate(kind, sel, period);
    // A person figure's persons (per kind, as evaluate counts them), to
    // their earliest row so far.
    std::map<std::pair<EventKind, std::int64_t>, std::size_t> person_row;
    auto take = [&](RecordSource source, const CaseIndexData::HeldEvents& held) {
      for (const auto& [id, events] : held)
        for (const Event& e : events) {
          if (std::find(figure->kinds.begin(), figure->kinds.end(), e.kind) == figure->kinds.end()) continue;
          if (e.t < period.from || e.t >= period.until || !selected(sel, e)) continue;
          FigureRecordRow row{e.kind, source, id, e.t, e.unit >= 0 ? data.units().code(e.unit) : std::string(),
                              std::nullopt, std::nullopt};
          switch (aggregate_of(e.kind)) {
            case Aggregate::kCount:
              records.rows.push_back(std::move(row));
              break;
            case Aggregate::kSum:
              row.amount_fen = e.value;
              records.rows.push_back(std::move(row));
              break;
            case Aggregate::kDistinct: {
              row.person_id = e.value;
              auto [it, fresh] = person_row.emplace(std::make_pair(e.kind, e.value), records.rows.size());
              if (fresh) {
                records.rows.push_back(std::move(row));
              } else if (row_before(row, records.rows[it->second])) {
                records.rows[it->second] = std::move(row);
              }
              break;
            }
          }
        }
    };
    take(RecordSource::kCase, data.case_events());
    take(RecordSource::kFugitive, data.fugitive_events());
    take(RecordSource::kDissuasionTask, data.task_events());
    std::sort(records.rows.begin(), records.rows.end(), row_before);
    out = std::move(records);
  });
  return out;
}

}  // namespace pingan::cases
