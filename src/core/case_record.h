#pragma once
// A case (立案): criminal or administrative, its type from the case types
// (case_types.h), the unit that opened it, its life (case_lifecycle.h), the
// incidents it came from, the flags bulletins count (大案要案, 团伙, 专案,
// 命案) and the money involved. Persons and their roles are in person.h,
// measures on suspects in measure.h, fraud money in fraud_money.h: each
// refers to the case by id, so a case's row stays one row.

#include <cstdint>
#include <string>
#include <vector>

#include "core/case_lifecycle.h"
#include "core/case_types.h"
#include "core/incident.h"
#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

using CaseId = std::int64_t;

// Set by the officers, not derived from the type: a robbery that ends in a
// death is a 命案 though its type is robbery, and 大案要案 depends on the
// sums and harm of the single case.
struct CaseFlags {
  bool major = false;       // 大案要案
  bool gang = false;        // 团伙
  bool task_force = false;  // 专案
  bool homicide = false;    // 命案
};

struct CaseRecord {
  CaseId id = 0;            // assigned by the store
  std::string source;       // "api", or the import source
  std::string source_id;    // unique within source; makes re-imports idempotent
  std::string case_number;  // 案件编号, unique in the store
  std::string type_code;    // a type of the case types
  CaseClass case_class = CaseClass::kCriminal;  // filled from the type
  std::string unit_code;    // the unit that opened it (立案单位)
  std::string summary;      // 简要案情
  Timestamp opened_at = 0;  // 立案
  CaseStatus status = CaseStatus::kOpened;
  CaseTimes times;          // solved_at is times.solved_at (破案)
  std::vector<IncidentId> incident_ids;  // the incidents it came from, none for a case found by work
  CaseFlags flags;
  Fen money_involved_fen = 0;  // 涉案金额; for fraud, the loss reported
  // For a case of a fraud type: its method (fraud_methods.h), '' for none or
  // not yet known; check_fraud_method() holds the rule.
  std::string fraud_method;

  bool is_solved() const { return status == CaseStatus::kSolved; }
};

// Checks a new case (or an imported finished one) and fills case_class from
// the type. Errors name the field: "case_number", "type", "unit",
// "opened_at", "incident_ids", "money_involved_fen", "status", and
// "<status>_at" for a step time out of order ("solved_at"). An imported case
// may arrive in any state; the times it carries must then be a walk the
// step table allows, in date order: a case solved without investigation
// carries solved_at alone, one closed unsolved needs investigating_at too.
// The unit code and the incidents' existence are the engine's to check
// (they need the unit tree and the store).
Status validate_new_case(CaseRecord& record, const CaseTypes& types, Timestamp now,
                         std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
