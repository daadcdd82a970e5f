#include "store/ledger_notice_store.h"

namespace pingan {

const char* ledger_notice_kind_name(LedgerNoticeKind kind) {
  return kind == LedgerNoticeKind::kRemind ? "remind" : "escalate";
}

std::optional<LedgerNoticeKind> ledger_notice_kind_of(std::string_view name) {
  if (name == "remind") return LedgerNoticeKind::kRemind;
  if (name == "escalate") return LedgerNoticeKind::kEscalate;
  return std::nullopt;
}

}  // namespace pingan
