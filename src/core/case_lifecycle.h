#pragma once
// The life of a case (立案 onwards), as a table of allowed steps:
//
//   opened → investigating → solved | closed_unsolved | withdrawn
//   opened → solved           立案即破: a suspect caught in the act
//   opened → withdrawn        撤案 before any investigation (no crime after all)
//   closed_unsolved → investigating   a cold case (积案) reopened
//
// solved and withdrawn are final. closed_unsolved is not: cold cases
// solved years later are what campaigns report ("破获命案积案"), and they
// must count as solved in the period they are solved. Every step is dated
// (not before the case's latest step, not in the future beyond a tolerance
// the caller passes) and attributed; leaving the main path (withdrawn,
// closed_unsolved, reopening) needs the reason in the note.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/step_checks.h"
#include "core/time.h"

namespace pingan {

enum class CaseStatus : std::uint8_t {
  kOpened,          // 立案
  kInvestigating,   // 侦查中
  kSolved,          // 破案
  kClosedUnsolved,  // 终止侦查, not solved
  kWithdrawn,       // 撤销案件
};

inline constexpr CaseStatus kAllCaseStatuses[] = {CaseStatus::kOpened, CaseStatus::kInvestigating,
                                                  CaseStatus::kSolved, CaseStatus::kClosedUnsolved,
                                                  CaseStatus::kWithdrawn};

// The allowed steps, the one statement of the rule above.
inline constexpr StepRule<CaseStatus> kCaseSteps[] = {
    {CaseStatus::kOpened, CaseStatus::kInvestigating},
    {CaseStatus::kOpened, CaseStatus::kSolved},
    {CaseStatus::kOpened, CaseStatus::kWithdrawn},
    {CaseStatus::kInvestigating, CaseStatus::kSolved},
    {CaseStatus::kInvestigating, CaseStatus::kClosedUnsolved},
    {CaseStatus::kInvestigating, CaseStatus::kWithdrawn},
    {CaseStatus::kClosedUnsolved, CaseStatus::kInvestigating},
};

const char* case_status_name(CaseStatus s);     // "closed_unsolved"
const char* case_status_name_zh(CaseStatus s);  // "终止侦查"
Result<CaseStatus> parse_case_status(std::string_view name, std::string_view field = "status");
bool is_allowed_case_step(CaseStatus from, CaseStatus to);

// The time of each step reached; opened_at is on the record itself.
struct CaseTimes {
  std::optional<Timestamp> investigating_at, solved_at, closed_unsolved_at, withdrawn_at;
  std::optional<Timestamp>* slot(CaseStatus s);  // null for kOpened
  const std::optional<Timestamp>* slot(CaseStatus s) const;
};

using CaseStep = StepEvent<CaseStatus>;

struct CaseStepRequest {
  CaseStatus to = CaseStatus::kInvestigating;
  std::optional<Timestamp> at;  // defaults to now
  std::string actor;            // required
  std::string note;             // required for withdrawn, closed_unsolved and reopening
};

struct CaseRecord;

// Checks the request against the case's state and applies it in memory
// (status, step time). Returns the history entry the store appends with the
// record in one transaction. Errors: Error::conflict("to") for a step the
// table does not allow (naming the allowed ones), Error::invalid("at"),
// ("actor") or ("note") otherwise.
Result<CaseStep> apply_case_step(CaseRecord& record, const CaseStepRequest& request, Timestamp now,
                                 std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
