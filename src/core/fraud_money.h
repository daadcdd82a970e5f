#pragma once
// Money in fraud cases (电诈), per case and dated, in fen: 止付 payments
// stopped, 冻结 funds frozen, 返还 money returned to victims. The amount
// involved (涉案金额, the loss reported) is the case's money_involved_fen
// (case_record.h). Each movement is its own dated entry, so "止付 9.9 亿元
// since the campaign began" is a sum over entries in a period, and a case's
// returns in several tranches count in the periods they happened.
//
// The rule: what a case has returned may not exceed what it has stopped and
// frozen (returned <= stopped + frozen, over all its entries), since money
// goes back to victims out of stopped and frozen funds. An entry that breaks
// it is accepted only with an override and its reason (money recovered
// another way: a suspect's restitution, seized cash), which stays on the
// entry for the audit.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_record.h"
#include "core/money.h"
#include "core/status.h"
#include "core/step_checks.h"
#include "core/time.h"

namespace pingan {

enum class FraudMoneyKind : std::uint8_t {
  kStopped,   // 止付
  kFrozen,    // 冻结
  kReturned,  // 返还/发还
};

inline constexpr FraudMoneyKind kAllFraudMoneyKinds[] = {FraudMoneyKind::kStopped, FraudMoneyKind::kFrozen,
                                                         FraudMoneyKind::kReturned};

const char* fraud_money_kind_name(FraudMoneyKind k);     // "stopped"
const char* fraud_money_kind_name_zh(FraudMoneyKind k);  // "止付"
Result<FraudMoneyKind> parse_fraud_money_kind(std::string_view name, std::string_view field = "kind");

struct FraudMoneyEntry {
  std::int64_t id = 0;  // assigned by the store
  CaseId case_id = 0;
  FraudMoneyKind kind = FraudMoneyKind::kStopped;
  Fen amount_fen = 0;  // more than 0
  Timestamp at = 0;
  std::string unit_code;
  std::string actor;
  std::string note;
  // Lets a return exceed stopped + frozen; then override_reason is required.
  bool override_limit = false;
  std::string override_reason;
};

struct FraudMoneyTotals {
  Fen stopped = 0, frozen = 0, returned = 0;
};

// Sums the entries of one case (entries of other cases in the list are
// ignored).
FraudMoneyTotals fraud_money_totals(const std::vector<FraudMoneyEntry>& entries, CaseId case_id);

// Whether `next` may be recorded after `recorded` (the case's entries so
// far; other cases' are ignored). Errors name the field: "case_id",
// "amount_fen" (negative, zero, above the limit, or a return beyond
// stopped + frozen without an override), "override_reason" (an override
// without a reason, or a reason without an override), "override_limit" (on
// an entry that is not a return), "at", "unit", "actor", "note".
Status check_fraud_money_entry(const std::vector<FraudMoneyEntry>& recorded, const FraudMoneyEntry& next,
                               Timestamp now, std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
