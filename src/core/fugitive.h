#pragma once
// A wanted person (在逃人员): listed on a date by a unit, then caught
// (抓获, surrender included) or revoked (撤销: the listing withdrawn without
// a capture, e.g. the case dropped). The life is a table:
//
//   listed → caught | revoked
//
// Both ends are final: a fugitive caught and listed again for a new escape
// is a new listing. Every step is dated (not before the listing, not in the
// future beyond the caller's tolerance) and attributed; a capture names the
// unit that made it (statistics credit that unit), a revocation its reason.

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

enum class FugitiveStatus : std::uint8_t {
  kListed,   // 在逃
  kCaught,   // 已抓获
  kRevoked,  // 已撤销
};

inline constexpr FugitiveStatus kAllFugitiveStatuses[] = {FugitiveStatus::kListed, FugitiveStatus::kCaught,
                                                          FugitiveStatus::kRevoked};

inline constexpr StepRule<FugitiveStatus> kFugitiveSteps[] = {
    {FugitiveStatus::kListed, FugitiveStatus::kCaught},
    {FugitiveStatus::kListed, FugitiveStatus::kRevoked},
};

const char* fugitive_status_name(FugitiveStatus s);     // "caught"
const char* fugitive_status_name_zh(FugitiveStatus s);  // "已抓获"
Result<FugitiveStatus> parse_fugitive_status(std::string_view name, std::string_view field = "status");

using FugitiveId = std::int64_t;

struct Fugitive {
  FugitiveId id = 0;            // assigned by the store
  std::string listing_number;   // 在逃人员编号, unique
  PersonId person_id = 0;       // the person, found by ID number on a handheld check
  std::optional<CaseId> case_id;  // the case the person is wanted for, when it is ours
  Timestamp listed_at = 0;
  std::string listing_unit;     // the unit that listed the person
  FugitiveStatus status = FugitiveStatus::kListed;
  std::optional<Timestamp> caught_at;
  std::string caught_by_unit;
  std::optional<Timestamp> revoked_at;
  std::string revoke_reason;
};

// Checks a new listing, or an imported one already caught or revoked (it
// then carries that step's time, unit or reason, dated after the listing).
// Errors name the field: "listing_number", "person_id", "listing_unit",
// "listed_at", "caught_at", "caught_by_unit", "revoked_at", "revoke_reason".
Status validate_new_fugitive(const Fugitive& fugitive, Timestamp now,
                             std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

using FugitiveStep = StepEvent<FugitiveStatus>;

struct FugitiveStepRequest {
  FugitiveStatus to = FugitiveStatus::kCaught;
  std::optional<Timestamp> at;  // defaults to now
  std::string unit;             // required for caught: the unit that made the capture
  std::string actor;            // required
  std::string note;             // required for revoked: the reason
};

// Checks the request against the listing and applies it in memory; returns
// the history entry. Error::conflict("to") for a step the table does not
// allow, Error::invalid("at" / "unit" / "actor" / "note") otherwise.
Result<FugitiveStep> apply_fugitive_step(Fugitive& fugitive, const FugitiveStepRequest& request, Timestamp now,
                                         std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
