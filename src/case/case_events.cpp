#include "case/case_events.h"

namespace pingan::cases {

Aggregate aggregate_of(EventKind kind) {
  const int k = static_cast<int>(kind);
  if (k >= static_cast<int>(EventKind::kMeasureFirst) && k < static_cast<int>(EventKind::kFugitiveListed))
    return Aggregate::kDistinct;
  switch (kind) {
    case EventKind::kMoneyStopped:
    case EventKind::kMoneyFrozen:
    case EventKind::kMoneyReturned:
    case EventKind::kCaseMoneyInvolved:
      return Aggregate::kSum;
    default:
      return Aggregate::kCount;
  }
}

}  // namespace pingan::cases
