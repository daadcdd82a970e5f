#include "core/fraud_money.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

using K = FraudMoneyKind;

constexpr Timestamp kEarliestEntry = -2208988800 + 366 * 86400;  // 1901-01-01

}  // namespace

const char* fraud_money_kind_name(FraudMoneyKind k) {
  switch (k) {
    case K::kStopped: return "stopped";
    case K::kFrozen: return "frozen";
    case K::kReturned: return "returned";
  }
  return "stopped";
}

const char* fraud_money_kind_name_zh(FraudMoneyKind k) {
  switch (k) {
    case K::kStopped: return "止付";
    case K::kFrozen: return "冻结";
    case K::kReturned: return "返还";
  }
  return "止付";
}

Result<FraudMoneyKind> parse_fraud_money_kind(std::string_view name, std::string_view field) {
  for (K k : kAllFraudMoneyKinds)
    if (name == fraud_money_kind_name(k)) return k;
  return Error::invalid(std::string(field), fmt::format("unknown kind '{}' (stopped, frozen, returned)", name));
}

FraudMoneyTotals fraud_money_totals(const std::vector<FraudMoneyEntry>& entries, CaseId case_id) {
  FraudMoneyTotals t;
  for (const FraudMoneyEntry& e : entries) {
    if (e.case_id != case_id) continue;
    switch (e.kind) {
      case K::kStopped: t.stopped += e.amount_fen; break;
      case K::kFrozen: t.frozen += e.amount_fen; break;
      case K::kReturned: t.returned += e.amount_fen; break;
    }
  }
  return t;
}

Status check_fraud_money_entry(const std::vector<FraudMoneyEntry>& recorded, const FraudMoneyEntry& next,
                               Timestamp now, std::int64_t future_tolerance_s) {
  if (next.case_id <= 0) return Error::invalid("case_id", "money is recorded on a case");
  PINGAN_RETURN_IF_ERROR(check_amount("amount_fen", next.amount_fen));
  if (next.amount_fen == 0) return Error::invalid("amount_fen", "an entry of 0 fen records nothing");
  PINGAN_RETURN_IF_ERROR(check_length("unit", next.unit_code, kMaxCodeChars));
  if (next.unit_code.empty()) return Error::invalid("unit", "an entry needs the unit that recorded the money");
  PINGAN_RETURN_IF_ERROR(check_actor("actor", next.actor));
  PINGAN_RETURN_IF_ERROR(check_length("note", next.note, kMaxNoteChars));
  PINGAN_RETURN_IF_ERROR(check_length("override_reason", next.override_reason, kMaxNoteChars));
  if (next.at < kEarliestEntry)
    return Error::invalid("at", fmt::format("{} is before 1901, a placeholder date", format_utc(next.at)));
  PINGAN_RETURN_IF_ERROR(check_step_time("at", next.at, std::nullopt, now, future_tolerance_s));
  bool has_reason = !trim(next.override_reason).empty();
  if (next.override_limit && next.kind != K::kReturned)
    return Error::invalid("override_limit", fmt::format("only a return can exceed the limit; this entry is {} ({})",
                                                        fraud_money_kind_name(next.kind),
                                                        fraud_money_kind_name_zh(next.kind)));
  if (next.override_limit && !has_reason)
    return Error::invalid("override_reason", "an override of returned <= stopped + frozen needs its reason");
  if (!next.override_limit && has_reason)
    return Error::invalid("override_reason", "a reason is given but override_limit is not set");
  if (next.kind != K::kReturned || next.override_limit) return {};
  // Amounts are at most kMaxAmountFen each, so these sums cannot overflow
  // for any case with fewer than nine thousand entries of the maximum.
  FraudMoneyTotals t = fraud_money_totals(recorded, next.case_id);
  Fen returned = t.returned + next.amount_fen;
  if (returned > t.stopped + t.frozen)
    return Error::invalid("amount_fen",
                          fmt::format("returning {} fen brings case {}'s returned money to {} fen, above its stopped "
                                      "({} fen) and frozen ({} fen) money; record an override with its reason",
                                      next.amount_fen, next.case_id, returned, t.stopped, t.frozen));
  return {};
}

}  // namespace pingan
