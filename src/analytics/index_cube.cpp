#include "analytics/index_cube.h"

namespace pingan::analytics {

void DayCube::reset(int units, int types, DayNumber first_day, int days) {
  units_ = units;
  types_ = types;
  first_day_ = first_day;
  days_ = days > 0 ? days : 0;
  rows_before_ = rows_after_ = 0;
  slot_of_.assign(static_cast<std::size_t>(units) * static_cast<std::size_t>(types), -1);
  slot_units_.clear();
  slot_types_.clear();
  sums_.clear();
  slot_units_.shrink_to_fit();
  slot_types_.shrink_to_fit();
  sums_.shrink_to_fit();
}

int DayCube::ensure_slot(int unit, int type) {
  std::int32_t& s = slot_of_[static_cast<std::size_t>(unit) * static_cast<std::size_t>(types_) +
                             static_cast<std::size_t>(type)];
  if (s >= 0) return s;
  s = static_cast<std::int32_t>(slot_units_.size());
  slot_units_.push_back(unit);
  slot_types_.push_back(type);
  sums_.resize(sums_.size() + stride(), 0);
  return s;
}

void DayCube::add(int unit, int type, DayNumber day, int delta) {
  if (days_ == 0 || unit >= units_ || type >= types_ || !inside(day, delta)) return;
  std::int32_t* sums = prefix(ensure_slot(unit, type));
  for (std::size_t k = static_cast<std::size_t>(day - first_day_) + 1; k < stride(); ++k)
    sums[k] += delta;
}

void DayCube::count_raw(int unit, int type, DayNumber day) {
  if (days_ == 0 || unit >= units_ || type >= types_ || !inside(day, 1)) return;
  ++prefix(ensure_slot(unit, type))[day - first_day_ + 1];
}

void DayCube::finish_counting() {
  for (int s = 0; s < slots(); ++s) {
    std::int32_t* sums = prefix(s);
    for (std::size_t k = 1; k < stride(); ++k) sums[k] += sums[k - 1];
  }
}

void DayCube::insert_unit(int unit) {
  slot_of_.insert(slot_of_.begin() + static_cast<std::ptrdiff_t>(unit) * types_,
                  static_cast<std::size_t>(types_), -1);
  for (std::int32_t& u : slot_units_)
    if (u >= unit) ++u;
  ++units_;
}

std::size_t DayCube::memory_bytes() const {
  return (slot_of_.capacity() + slot_units_.capacity() + slot_types_.capacity() +
          sums_.capacity()) *
         sizeof(std::int32_t);
}

}  // namespace pingan::analytics
