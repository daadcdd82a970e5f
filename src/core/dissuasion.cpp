#include "core/dissuasion.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

using S = DissuasionStatus;

constexpr Timestamp kEarliestWarning = -2208988800 + 366 * 86400;  // 1901-01-01

Timestamp latest_step_time(const DissuasionTask& t) {
  Timestamp latest = t.issued_at;
  for (S s : kAllDissuasionStatuses)
    if (const auto* at = t.times.slot(s); at && at->has_value()) latest = std::max(latest, **at);
  return latest;
}

}  // namespace

const char* dissuasion_status_name(DissuasionStatus s) {
  switch (s) {
    case S::kIssued: return "issued";
    case S::kContacted: return "contacted";
    case S::kDissuaded: return "dissuaded";
    case S::kNotReached: return "not_reached";
    case S::kDefrauded: return "defrauded";
  }
  return "issued";
}

const char* dissuasion_status_name_zh(DissuasionStatus s) {
  switch (s) {
    case S::kIssued: return "预警下发";
    case S::kContacted: return "联系中";
    case S::kDissuaded: return "劝阻成功";
    case S::kNotReached: return "未联系上";
    case S::kDefrauded: return "被骗";
  }
  return "预警下发";
}

Result<DissuasionStatus> parse_dissuasion_status(std::string_view name, std::string_view field) {
  for (S s : kAllDissuasionStatuses)
    if (name == dissuasion_status_name(s)) return s;
  return Error::invalid(std::string(field), fmt::format("unknown dissuasion status '{}' (issued, contacted, "
                                                        "dissuaded, not_reached, defrauded)", name));
}

bool is_allowed_dissuasion_step(DissuasionStatus from, DissuasionStatus to) {
  return is_allowed_step<DissuasionStatus>(kDissuasionSteps, from, to);
}

std::optional<Timestamp>* DissuasionTimes::slot(DissuasionStatus s) {
  return const_cast<std::optional<Timestamp>*>(std::as_const(*this).slot(s));
}

const std::optional<Timestamp>* DissuasionTimes::slot(DissuasionStatus s) const {
  switch (s) {
    case S::kIssued: return nullptr;  // issued_at holds it
    case S::kContacted: return &contacted_at;
    case S::kDissuaded: return &dissuaded_at;
    case S::kNotReached: return &not_reached_at;
    case S::kDefrauded: return &defrauded_at;
  }
  return nullptr;
}

Status validate_new_dissuasion(const DissuasionTask& t, Timestamp now, std::int64_t future_tolerance_s) {
  PINGAN_RETURN_IF_ERROR(check_length("warning_number", t.warning_number, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("unit", t.unit_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("target_phone", t.target_phone, kMaxPhoneChars));
  if (trim(t.warning_number).empty()) return Error::invalid("warning_number", "a task needs its warning's number");
  if (t.unit_code.empty()) return Error::invalid("unit", "a task needs the unit it is issued to");
  if (t.issued_at < kEarliestWarning)
    return Error::invalid("issued_at", fmt::format("{} is before 1901, a placeholder date", format_utc(t.issued_at)));
  PINGAN_RETURN_IF_ERROR(check_step_time("issued_at", t.issued_at, std::nullopt, now, future_tolerance_s));
  if (t.person_id && *t.person_id <= 0)
    return Error::invalid("person_id", fmt::format("{} is not a person id", *t.person_id));
  if (!t.person_id && trim(t.target_phone).empty())
    return Error::invalid("target", "a warning names the person at risk or their phone");
  if (t.status != S::kIssued || t.times.contacted_at || t.times.dissuaded_at || t.times.not_reached_at ||
      t.times.defrauded_at || t.case_id)
    return Error::invalid("status", "a new task is issued with no step taken; record the steps after it");
  return {};
}

Result<DissuasionStep> apply_dissuasion_step(DissuasionTask& t, const DissuasionStepRequest& req, Timestamp now,
                                             std::int64_t future_tolerance_s) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", req.actor));
  PINGAN_RETURN_IF_ERROR(check_length("note", req.note, kMaxNoteChars));
  if (!is_allowed_dissuasion_step(t.status, req.to)) {
    std::string next;
    for (const auto& r : kDissuasionSteps)
      if (r.from == t.status) next += fmt::format("{}{}", next.empty() ? "" : ", ", dissuasion_status_name(r.to));
    return Error::conflict("to", fmt::format("cannot move warning {} from {} ({}) to {} ({}); allowed: {}",
                                             t.warning_number, dissuasion_status_name(t.status),
                                             dissuasion_status_name_zh(t.status), dissuasion_status_name(req.to),
                                             dissuasion_status_name_zh(req.to),
                                             next.empty() ? "none, the task is final" : next));
  }
  if (req.to == S::kNotReached && trim(req.note).empty())
    return Error::invalid("note", "not reached: note what was tried (calls, messages, a visit)");
  if (req.case_id && req.to != S::kDefrauded)
    return Error::invalid("case_id", "a case is linked only when the person was defrauded");
  if (req.case_id && *req.case_id <= 0)
    return Error::invalid("case_id", fmt::format("{} is not a case id", *req.case_id));
  Timestamp at = req.at.value_or(now);
  PINGAN_RETURN_IF_ERROR(check_step_time("at", at, latest_step_time(t), now, future_tolerance_s));
  DissuasionStep step{t.status, req.to, at, req.actor, req.note};
  *t.times.slot(req.to) = at;
  if (req.case_id) t.case_id = req.case_id;
  t.status = req.to;
  return step;
}

}  // namespace pingan
