#include "core/case_lifecycle.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/case_record.h"
#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

using S = CaseStatus;

Timestamp latest_step_time(const CaseRecord& c) {
  Timestamp latest = c.opened_at;
  for (S s : kAllCaseStatuses)
    if (const auto* t = c.times.slot(s); t && t->has_value()) latest = std::max(latest, **t);
  return latest;
}

// Steps off the main path leave a record that someone will ask about later.
bool needs_reason(S from, S to) {
  return to == S::kWithdrawn || to == S::kClosedUnsolved || (from == S::kClosedUnsolved && to == S::kInvestigating);
}

}  // namespace

const char* case_status_name(CaseStatus s) {
  switch (s) {
    case S::kOpened: return "opened";
    case S::kInvestigating: return "investigating";
    case S::kSolved: return "solved";
    case S::kClosedUnsolved: return "closed_unsolved";
    case S::kWithdrawn: return "withdrawn";
  }
  return "opened";
}

const char* case_status_name_zh(CaseStatus s) {
  switch (s) {
    case S::kOpened: return "立案";
    case S::kInvestigating: return "侦查中";
    case S::kSolved: return "破案";
    case S::kClosedUnsolved: return "终止侦查";
    case S::kWithdrawn: return "撤销案件";
  }
  return "立案";
}

Result<CaseStatus> parse_case_status(std::string_view name, std::string_view field) {
  for (S s : kAllCaseStatuses)
    if (name == case_status_name(s)) return s;
  return Error::invalid(std::string(field), fmt::format("unknown case status '{}' (opened, investigating, solved, "
                                                        "closed_unsolved, withdrawn)", name));
}

bool is_allowed_case_step(CaseStatus from, CaseStatus to) {
  return is_allowed_step<CaseStatus>(kCaseSteps, from, to);
}

std::optional<Timestamp>* CaseTimes::slot(CaseStatus s) {
  return const_cast<std::optional<Timestamp>*>(std::as_const(*this).slot(s));
}

const std::optional<Timestamp>* CaseTimes::slot(CaseStatus s) const {
  switch (s) {
    case S::kOpened: return nullptr;  // opened_at holds it
    case S::kInvestigating: return &investigating_at;
    case S::kSolved: return &solved_at;
    case S::kClosedUnsolved: return &closed_unsolved_at;
    case S::kWithdrawn: return &withdrawn_at;
  }
  return nullptr;
}

Result<CaseStep> apply_case_step(CaseRecord& c, const CaseStepRequest& req, Timestamp now,
                                 std::int64_t future_tolerance_s) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", req.actor));
  PINGAN_RETURN_IF_ERROR(check_length("note", req.note, kMaxNoteChars));
  if (!is_allowed_case_step(c.status, req.to)) {
    std::string next;
    for (const auto& r : kCaseSteps)
      if (r.from == c.status) next += fmt::format("{}{}", next.empty() ? "" : ", ", case_status_name(r.to));
    return Error::conflict("to", fmt::format("cannot move case {} from {} ({}) to {} ({}); allowed: {}", c.case_number,
                                             case_status_name(c.status), case_status_name_zh(c.status),
                                             case_status_name(req.to), case_status_name_zh(req.to),
                                             next.empty() ? "none, the case is final" : next));
  }
  if (needs_reason(c.status, req.to) && trim(req.note).empty())
    return Error::invalid("note", fmt::format("moving a case to {} ({}) needs the reason", case_status_name(req.to),
                                              case_status_name_zh(req.to)));
  Timestamp at = req.at.value_or(now);
  PINGAN_RETURN_IF_ERROR(check_step_time("at", at, latest_step_time(c), now, future_tolerance_s));
  CaseStep step{c.status, req.to, at, req.actor, req.note};
  // A reopened case is no longer closed; its history keeps the closing.
  if (req.to == S::kInvestigating) c.times.closed_unsolved_at.reset();
  *c.times.slot(req.to) = at;
  c.status = req.to;
  return step;
}

}  // namespace pingan
