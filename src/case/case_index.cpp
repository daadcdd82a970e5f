#include "case/case_index.h"

#include <mutex>

namespace pingan::cases {

CaseIndex::CaseIndex(CaseTypes types, std::shared_ptr<const UnitTree> units, TimeZone zone, FraudMethods methods)
    : data_(std::move(types), std::move(units), std::move(zone), std::move(methods)) {}

void CaseIndex::apply(const CaseBundle& bundle) {
  std::unique_lock lock(mutex_);
  data_.apply(bundle);
}

void CaseIndex::apply(const Fugitive& fugitive) {
  std::unique_lock lock(mutex_);
  data_.apply(fugitive);
}

void CaseIndex::apply(const DissuasionTask& task) {
  std::unique_lock lock(mutex_);
  data_.apply(task);
}

void CaseIndex::apply_all(std::span<const CaseBundle> bundles, std::span<const Fugitive> fugitives,
                          std::span<const DissuasionTask> tasks) {
  std::unique_lock lock(mutex_);
  for (const CaseBundle& b : bundles) data_.apply(b, true);
  for (const Fugitive& f : fugitives) data_.apply(f, true);
  for (const DissuasionTask& t : tasks) data_.apply(t, true);
  data_.finish_bulk();
}

void CaseIndex::reset() {
  std::unique_lock lock(mutex_);
  data_.reset();
}

void CaseIndex::set_units(std::shared_ptr<const UnitTree> units) {
  std::unique_lock lock(mutex_);
  data_.set_units(std::move(units));
}

void CaseIndex::read(const std::function<void(const CaseIndexData&)>& read) const {
  std::shared_lock lock(mutex_);
  read(data_);
}

std::int64_t CaseIndex::cases() const {
  std::shared_lock lock(mutex_);
  return data_.cases();
}

std::int64_t CaseIndex::rows() const {
  std::shared_lock lock(mutex_);
  return data_.rows();
}

std::size_t CaseIndex::memory_bytes() const {
  std::shared_lock lock(mutex_);
  return data_.memory_bytes();
}

}  // namespace pingan::cases
