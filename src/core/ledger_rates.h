#pragma once
// Counts and rates over a ledger's items (化解率, 整改率, 销号率): an item
// counts under every tag (`counts_as`) of its current state, so a
// definition tags a later state with every tag it still stands for ("resolved"
// items are also "found"). Rates are exact: the quotient of two counts as a
// percentage rounded half up to two decimals, 369 of 383 -> "96.34".
// Tallies (sweeps' 出动警力人次 ...) are summed exactly in 64 bits.

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/status.h"

namespace pingan {

struct LedgerCounts {
  std::int64_t items = 0;
  std::map<std::string, std::int64_t> by_state;  // state code -> items in it
  std::map<std::string, std::int64_t> by_tag;    // counts_as tag -> items
  std::int64_t tag(const std::string& name) const;  // 0 when none
};

// Items of another type than `definition` are refused (Error::invalid("type")),
// as are items in a state it does not define.
Result<LedgerCounts> count_ledger_items(const LedgerDefinition& definition, std::span<const LedgerItem> items);

struct LedgerRate {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::string percent;  // "96.34"; "" when the denominator is 0
};

// numerator / denominator * 100, rounded half up to two decimals. Both must
// be >= 0 (else Error::invalid("rate")); a numerator above the denominator
// gives a percentage above 100.
Result<LedgerRate> ledger_rate(std::int64_t numerator, std::int64_t denominator);
// The rate of one tag over another ("resolved" over "found").
Result<LedgerRate> ledger_tag_rate(const LedgerCounts& counts, const std::string& numerator_tag,
                                   const std::string& denominator_tag);

// Each tally field of the definition summed over the items that carry it
// (a field absent from an item adds nothing); every tally present, 0 when no
// item has it. Error::invalid("tallies") on overflow, ("type") for an item of
// another type.
Result<std::map<std::string, std::int64_t>> sum_ledger_tallies(const LedgerDefinition& definition,
                                                              std::span<const LedgerItem> items);

}  // namespace pingan
