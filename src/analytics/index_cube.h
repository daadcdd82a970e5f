#pragma once
// Counts by unit x type x local day, kept as prefix sums along the days so
// that the count of any run of days is two lookups. Only (unit, type) pairs
// that occur get a slot, and the days cover a bounded window: real data
// reaches back a century (St. Louis has 1900 placeholders), and the cube is a
// cache for the periods people ask about, not a copy of the record. Counts
// for days outside the window are not kept, only how many rows lie before
// and after it: a query reaching past the window where rows lie scans rows.
//
// Thread safety: none; the index guards it.

#include <cstdint>
#include <vector>

#include "analytics/index_clock.h"

namespace pingan::analytics {

class DayCube {
 public:
  // Empties the cube and sets its shape: `units` x `types` pairs, days
  // [first_day, first_day + days).
  void reset(int units, int types, DayNumber first_day, int days);
  void clear() { reset(0, 0, 0, 0); }

  DayNumber first_day() const { return first_day_; }
  DayNumber end_day() const { return first_day_ + days_; }
  int days() const { return days_; }
  int slots() const { return static_cast<int>(slot_units_.size()); }
  // Whether counts over [from_day, until_day) are known: inside the window,
  // or reaching past it only where no row lies.
  bool covers(DayNumber from_day, DayNumber until_day) const {
    return days_ > 0 && from_day <= until_day && (from_day >= first_day_ || rows_before_ == 0) &&
           (until_day <= end_day() || rows_after_ == 0);
  }
  bool covers_day(DayNumber day) const { return day >= first_day_ && day < end_day(); }

  // The slot of a pair, -1 when the pair has no rows.
  int slot(int unit, int type) const {
    return slot_of_[static_cast<std::size_t>(unit) * static_cast<std::size_t>(types_) +
                    static_cast<std::size_t>(type)];
  }
  int slot_unit(int slot) const { return slot_units_[static_cast<std::size_t>(slot)]; }
  int slot_type(int slot) const { return slot_types_[static_cast<std::size_t>(slot)]; }
  // Rows of the slot on days [from_day, until_day), which covers() must hold.
  std::int64_t count(int slot, DayNumber from_day, DayNumber until_day) const {
    const std::int32_t* sums = prefix(slot);
    return sums[clamp(until_day)] - sums[clamp(from_day)];
  }
  // Rows before and after the window (not in any slot).
  std::int64_t rows_before() const { return rows_before_; }
  std::int64_t rows_after() const { return rows_after_; }
  // Adds delta rows on `day`; outside the window only the rows before/after change.
  void add(int unit, int type, DayNumber day, int delta);
  // Adds many rows at once without keeping the prefix sums (a bulk build);
  // finish_counting() turns the day counts into prefix sums.
  void count_raw(int unit, int type, DayNumber day);
  void finish_counting();
  // A new unit number was appended before the no-unit row (see UnitCatalog::intern).
  void insert_unit(int unit);

  std::size_t memory_bytes() const;

 private:
  int ensure_slot(int unit, int type);
  std::int32_t* prefix(int slot) {
    return sums_.data() + static_cast<std::size_t>(slot) * stride();
  }
  const std::int32_t* prefix(int slot) const {
    return sums_.data() + static_cast<std::size_t>(slot) * stride();
  }
  std::size_t stride() const { return static_cast<std::size_t>(days_) + 1; }
  DayNumber clamp(DayNumber day) const {
    return day < first_day_ ? 0 : day > end_day() ? days_ : day - first_day_;
  }
  // Counts rows outside the window; true when the day is inside it.
  bool inside(DayNumber day, int delta) {
    if (day < first_day_) rows_before_ += delta;
    else if (day >= end_day()) rows_after_ += delta;
    else return true;
    return false;
  }

  int units_ = 0, types_ = 0;
  DayNumber first_day_ = 0;
  int days_ = 0;
  std::int64_t rows_before_ = 0, rows_after_ = 0;
  std::vector<std::int32_t> slot_of_;  // units_ x types_, -1 = no slot
  std::vector<std::int32_t> slot_units_, slot_types_;
  // Per slot, days_ + 1 sums: sums[k] = rows on days [first_day_, first_day_ + k).
  std::vector<std::int32_t> sums_;
};

}  // namespace pingan::analytics
