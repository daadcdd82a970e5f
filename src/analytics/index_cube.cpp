#include "analytics/index_cube.h"

#include <algorithm>

namespace pingan::analytics {

void DayCube::reset(int units, int types, DayNumber first_day, int days) {
  clear();
  ready_ = true;
  units_ = units;
  types_ = types;
  first_day_ = first_day;
  days_ = days > 0 ? days : 0;
  slot_of_.assign(static_cast<std::size_t>(units) * static_cast<std::size_t>(types), -1);
}

void DayCube::clear() {
  ready_ = false;
  units_ = types_ = days_ = dense_slots_ = 0;
  first_day_ = 0;
  rows_before_ = rows_after_ = 0;
  std::vector<std::int32_t>().swap(slot_of_);
  std::vector<std::int32_t>().swap(slot_units_);
  std::vector<std::int32_t>().swap(dense_of_);
  std::vector<std::int32_t>().swap(sums_);
  std::vector<std::vector<std::int32_t>>().swap(days_of_);
}

int DayCube::ensure_slot(int unit, int type) {
  std::int32_t& s = slot_of_[static_cast<std::size_t>(unit) * static_cast<std::size_t>(types_) +
                             static_cast<std::size_t>(type)];
  if (s >= 0) return s;
  s = static_cast<std::int32_t>(slot_units_.size());
  slot_units_.push_back(unit);
  dense_of_.push_back(-1);
  days_of_.emplace_back();
  return s;
}

void DayCube::make_dense(int unit, int type) {
  const int s = ensure_slot(unit, type);
  if (dense_of_[static_cast<std::size_t>(s)] >= 0 || days_ == 0) return;
  dense_of_[static_cast<std::size_t>(s)] = dense_slots_++;
  sums_.resize(sums_.size() + stride(), 0);
}

std::int64_t DayCube::count(int slot, DayNumber from_day, DayNumber until_day) const {
  if (dense_of_[static_cast<std::size_t>(slot)] >= 0) {
    const std::int32_t* sums = prefix(slot);
    return sums[clamp(until_day)] - sums[clamp(from_day)];
  }
  const std::vector<std::int32_t>& days = days_of_[static_cast<std::size_t>(slot)];
  auto lo = std::lower_bound(days.begin(), days.end(), from_day,
                             [](std::int32_t d, DayNumber key) { return DayNumber{d} < key; });
  auto hi = std::lower_bound(lo, days.end(), until_day,
                             [](std::int32_t d, DayNumber key) { return DayNumber{d} < key; });
  return hi - lo;
}

void DayCube::add_counts(int slot, const DayNumber* days, std::size_t n, std::int64_t* out,
                         std::size_t out_stride) const {
  if (n < 2) return;
  if (dense_of_[static_cast<std::size_t>(slot)] >= 0) {
    const std::int32_t* sums = prefix(slot);
    std::int32_t previous = sums[clamp(days[0])];
    for (std::size_t i = 1; i < n; ++i) {
      const std::int32_t current = sums[clamp(days[i])];
      out[(i - 1) * out_stride] += current - previous;
      previous = current;
    }
    return;
  }
  const std::vector<std::int32_t>& list = days_of_[static_cast<std::size_t>(slot)];
  auto before = [](std::int32_t d, DayNumber key) { return DayNumber{d} < key; };
  auto lo = std::lower_bound(list.begin(), list.end(), days[0], before);
  for (std::size_t i = 1; i < n && lo != list.end(); ++i) {
    auto hi = std::lower_bound(lo, list.end(), days[i], before);
    out[(i - 1) * out_stride] += hi - lo;
    lo = hi;
  }
}

void DayCube::add(int unit, int type, DayNumber day, int delta) {
  if (!ready_ || unit >= units_ || type >= types_) return;
  const int s = ensure_slot(unit, type);
  if (dense_of_[static_cast<std::size_t>(s)] >= 0) {
    if (day < first_day_) {
      rows_before_ += delta;
    } else if (day >= end_day()) {
      rows_after_ += delta;
    } else {
      std::int32_t* sums = prefix(s);
      for (std::size_t k = static_cast<std::size_t>(day - first_day_) + 1; k < stride(); ++k) sums[k] += delta;
    }
    return;
  }
  std::vector<std::int32_t>& days = days_of_[static_cast<std::size_t>(s)];
  const auto d = static_cast<std::int32_t>(day);
  if (delta > 0) {
    days.insert(std::upper_bound(days.begin(), days.end(), d), static_cast<std::size_t>(delta), d);
  } else if (auto it = std::lower_bound(days.begin(), days.end(), d); it != days.end() && *it == d) {
    days.erase(it);
  }
}

void DayCube::count_raw(int unit, int type, DayNumber day) {
  if (!ready_ || unit >= units_ || type >= types_) return;
  const int s = ensure_slot(unit, type);
  if (dense_of_[static_cast<std::size_t>(s)] < 0) {
    days_of_[static_cast<std::size_t>(s)].push_back(static_cast<std::int32_t>(day));
  } else if (day < first_day_) {
    ++rows_before_;
  } else if (day >= end_day()) {
    ++rows_after_;
  } else {
    ++prefix(s)[day - first_day_ + 1];
  }
}

void DayCube::finish_counting() {
  for (int s = 0; s < slots(); ++s) {
    if (dense_of_[static_cast<std::size_t>(s)] >= 0) {
      std::int32_t* sums = prefix(s);
      for (std::size_t k = 1; k < stride(); ++k) sums[k] += sums[k - 1];
    } else {
      auto& days = days_of_[static_cast<std::size_t>(s)];
      if (!std::is_sorted(days.begin(), days.end())) std::sort(days.begin(), days.end());
      days.shrink_to_fit();
    }
  }
}

void DayCube::insert_unit(int unit) {
  if (!ready_) return;
  slot_of_.insert(slot_of_.begin() + static_cast<std::ptrdiff_t>(unit) * types_,
                  static_cast<std::size_t>(types_), -1);
  for (std::int32_t& u : slot_units_)
    if (u >= unit) ++u;
  ++units_;
}

std::size_t DayCube::memory_bytes() const {
  std::size_t bytes = (slot_of_.capacity() + slot_units_.capacity() + dense_of_.capacity() + sums_.capacity()) *
                      sizeof(std::int32_t);
  bytes += days_of_.capacity() * sizeof(std::vector<std::int32_t>);
  for (const auto& days : days_of_) bytes += days.capacity() * sizeof(std::int32_t);
  return bytes;
}

}  // namespace pingan::analytics
