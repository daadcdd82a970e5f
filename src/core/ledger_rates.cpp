#include "core/ledger_rates.h"

#include <fmt/format.h>

namespace pingan {

std::int64_t LedgerCounts::tag(const std::string& name) const {
  auto it = by_tag.find(name);
  return it == by_tag.end() ? 0 : it->second;
}

Result<LedgerCounts> count_ledger_items(const LedgerDefinition& definition, std::span<const LedgerItem> items) {
  LedgerCounts out;
  for (const LedgerState& s : definition.states()) {
    out.by_state[s.code] = 0;
    for (const std::string& t : s.counts_as) out.by_tag[t] = 0;
  }
  for (const LedgerItem& item : items) {
    if (item.type_code != definition.code())
      return Error::invalid("type", fmt::format("item {} is a '{}', not a '{}'", item.id, item.type_code,
                                                definition.code()));
    const LedgerState* s = definition.state(item.state);
    if (!s)
      return Error::invalid("state", fmt::format("item {} is in state '{}', which {} does not define", item.id,
                                                 item.state, definition.code()));
    ++out.items;
    ++out.by_state[s->code];
    for (const std::string& t : s->counts_as) ++out.by_tag[t];
  }
  return out;
}

Result<LedgerRate> ledger_rate(std::int64_t numerator, std::int64_t denominator) {
  if (numerator < 0 || denominator < 0)
    return Error::invalid("rate", fmt::format("{} of {}: counts are never negative", numerator, denominator));
  LedgerRate r{numerator, denominator, ""};
  if (denominator == 0) return r;
  // Hundredths of a percent, rounded half up: floor((2 * n * 10000 + d) / (2 * d)),
  // in 128 bits so that no count of int64 overflows.
  __extension__ typedef unsigned __int128 Wide;
  Wide n = static_cast<Wide>(numerator), d = static_cast<Wide>(denominator);
  Wide hundredths = (2 * n * 10000 + d) / (2 * d);
  auto whole = static_cast<std::uint64_t>(hundredths / 100);
  auto frac = static_cast<unsigned>(hundredths % 100);
  r.percent = fmt::format("{}.{:02}", whole, frac);
  return r;
}

Result<LedgerRate> ledger_tag_rate(const LedgerCounts& counts, const std::string& numerator_tag,
                                   const std::string& denominator_tag) {
  return ledger_rate(counts.tag(numerator_tag), counts.tag(denominator_tag));
}

Result<std::map<std::string, std::int64_t>> sum_ledger_tallies(const LedgerDefinition& definition,
                                                              std::span<const LedgerItem> items) {
  std::map<std::string, std::int64_t> sums;
  for (const std::string& t : definition.tallies()) sums[t] = 0;
  for (const LedgerItem& item : items) {
    if (item.type_code != definition.code())
      return Error::invalid("type", fmt::format("item {} is a '{}', not a '{}'", item.id, item.type_code,
                                                definition.code()));
    for (const std::string& t : definition.tallies()) {
      auto it = item.fields.find(t);
      if (it == item.fields.end()) continue;
      const auto* n = std::get_if<std::int64_t>(&it->second);
      if (!n) return Error::invalid("tallies", fmt::format("item {}: tally '{}' is not a number", item.id, t));
      if (__builtin_add_overflow(sums[t], *n, &sums[t]))
        return Error::invalid("tallies", fmt::format("the sum of '{}' overflows", t));
    }
  }
  return sums;
}

}  // namespace pingan
