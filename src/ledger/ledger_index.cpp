#include "ledger/ledger_index.h"

#include <mutex>

namespace pingan::ledger {

LedgerIndex::LedgerIndex(std::vector<LedgerDefinition> types, std::shared_ptr<const UnitTree> units, TimeZone zone)
    : zone_(std::move(zone)), data_(std::move(types), std::move(units)) {}

void LedgerIndex::apply(const LedgerItem& item) {
  std::unique_lock lock(mutex_);
  data_.apply(item);
}

void LedgerIndex::apply_all(std::span<const LedgerItem> items) {
  std::unique_lock lock(mutex_);
  for (const LedgerItem& item : items) data_.apply(item);
}

void LedgerIndex::reset() {
  std::unique_lock lock(mutex_);
  data_.reset();
}

void LedgerIndex::set_units(std::shared_ptr<const UnitTree> units) {
  std::unique_lock lock(mutex_);
  data_.set_units(std::move(units));
}

void LedgerIndex::read(const std::function<void(const LedgerIndexData&)>& read) const {
  std::shared_lock lock(mutex_);
  read(data_);
}

std::int64_t LedgerIndex::items() const {
  std::shared_lock lock(mutex_);
  return data_.items();
}

}  // namespace pingan::ledger
