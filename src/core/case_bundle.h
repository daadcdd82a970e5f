#pragma once
// A case and everything that hangs on it — its parties, the measures on its
// suspects, its fraud money — as one value: what the store reads back whole
// when the change log names a case, and what the case index (case/) keeps.

#include <vector>

#include "core/case_record.h"
#include "core/fraud_money.h"
#include "core/measure.h"
#include "core/person.h"

namespace pingan {

struct CaseBundle {
  CaseRecord record;
  std::vector<CaseParty> parties;
  std::vector<Measure> measures;       // by time, then id
  std::vector<FraudMoneyEntry> money;  // by time, then id
};

}  // namespace pingan
