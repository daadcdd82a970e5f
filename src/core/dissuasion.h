#pragma once
// Early warning and dissuasion (预警劝阻) as a closed-loop task: a warning
// that someone is being defrauded is issued to a unit, an officer contacts
// the person, and the task ends dissuaded, not reached, or defrauded anyway.
// The life is a table:
//
//   issued → contacted → dissuaded | not_reached | defrauded
//   issued → defrauded        the money left before anyone could call
//   dissuaded → defrauded     persuaded, then defrauded all the same
//   not_reached → defrauded   never reached, and the loss is reported later
//
// `contacted` is the attempt under way (called, texted, visited); its outcome
// is one of the three ends. A loss reported after a task ended moves it to
// defrauded, so "劝阻 44,065 人" never counts someone who lost money;
// defrauded is final. Every step is dated (not before the previous one, not
// in the future beyond the caller's tolerance) and attributed; not_reached
// needs a note of what was tried.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/case_record.h"
#include "core/person.h"
#include "core/status.h"
#include "core/step_checks.h"
#include "core/time.h"

namespace pingan {

enum class DissuasionStatus : std::uint8_t {
  kIssued,      // 预警下发
  kContacted,   // 联系中
  kDissuaded,   // 劝阻成功
  kNotReached,  // 未联系上
  kDefrauded,   // 被骗
};

inline constexpr DissuasionStatus kAllDissuasionStatuses[] = {
    DissuasionStatus::kIssued, DissuasionStatus::kContacted, DissuasionStatus::kDissuaded,
    DissuasionStatus::kNotReached, DissuasionStatus::kDefrauded};

inline constexpr StepRule<DissuasionStatus> kDissuasionSteps[] = {
    {DissuasionStatus::kIssued, DissuasionStatus::kContacted},
    {DissuasionStatus::kIssued, DissuasionStatus::kDefrauded},
    {DissuasionStatus::kContacted, DissuasionStatus::kDissuaded},
    {DissuasionStatus::kContacted, DissuasionStatus::kNotReached},
    {DissuasionStatus::kContacted, DissuasionStatus::kDefrauded},
    {DissuasionStatus::kDissuaded, DissuasionStatus::kDefrauded},
    {DissuasionStatus::kNotReached, DissuasionStatus::kDefrauded},
};

const char* dissuasion_status_name(DissuasionStatus s);     // "not_reached"
const char* dissuasion_status_name_zh(DissuasionStatus s);  // "未联系上"
Result<DissuasionStatus> parse_dissuasion_status(std::string_view name, std::string_view field = "status");
bool is_allowed_dissuasion_step(DissuasionStatus from, DissuasionStatus to);

struct DissuasionTimes {
  std::optional<Timestamp> contacted_at, dissuaded_at, not_reached_at, defrauded_at;
  std::optional<Timestamp>* slot(DissuasionStatus s);  // null for kIssued
  const std::optional<Timestamp>* slot(DissuasionStatus s) const;
};

struct DissuasionTask {
  std::int64_t id = 0;         // assigned by the store
  std::string warning_number;  // the warning platform's own number; unique
  std::string unit_code;       // the unit tasked
  Timestamp issued_at = 0;
  // Who is at risk: a person record when known, else the phone the warning
  // names (personal data, sealed by the store).
  std::optional<PersonId> person_id;
  std::string target_phone;
  DissuasionStatus status = DissuasionStatus::kIssued;
  DissuasionTimes times;
  std::optional<CaseId> case_id;  // the fraud case, once defrauded and reported
};

// A new task: issued with no step taken (imports replay the steps). Errors
// name the field: "warning_number", "unit", "issued_at", "target" (neither
// person nor phone), "target_phone", "status".
Status validate_new_dissuasion(const DissuasionTask& task, Timestamp now,
                               std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

using DissuasionStep = StepEvent<DissuasionStatus>;

struct DissuasionStepRequest {
  DissuasionStatus to = DissuasionStatus::kContacted;
  std::optional<Timestamp> at;  // defaults to now
  std::string actor;            // required
  std::string note;             // required for not_reached: what was tried
  std::optional<CaseId> case_id;  // only with defrauded: the case the loss was reported in
};

// Checks the request against the task and applies it in memory; returns the
// history entry. Error::conflict("to") for a step the table does not allow,
// Error::invalid("at" / "actor" / "note" / "case_id") otherwise.
Result<DissuasionStep> apply_dissuasion_step(DissuasionTask& task, const DissuasionStepRequest& request,
                                             Timestamp now,
                                             std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
