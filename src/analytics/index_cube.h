#pragma once
// Counts by unit x type x local day, so that the count of any run of days
// for a (unit, type) pair — a slot — is two lookups. Only pairs that occur
// get a slot, in one of two forms:
// - dense: prefix sums over the days of a window shared by all dense slots
//   (4 bytes a day), for pairs with records on most days;
// - sparse: the sorted local days of the pair's records (4 bytes a record),
//   for the rest; these cover every day.
// Real data reaches back a century (St. Louis has 1901 placeholders) and
// dense days cost memory whether or not anything happened, so the window is
// bounded; the cube counts how many records of dense slots lie before and
// after it, and a query reaching past it where such records lie scans rows.
//
// Thread safety: none; the index guards it.

#include <cstdint>
#include <vector>

#include "analytics/index_clock.h"

namespace pingan::analytics {

class DayCube {
 public:
  // Empties the cube and sets its shape: `units` x `types` pairs, dense days
  // [first_day, first_day + days). ready() is true from then on.
  void reset(int units, int types, DayNumber first_day, int days);
  void clear();
  bool ready() const { return ready_; }

  DayNumber first_day() const { return first_day_; }
  DayNumber end_day() const { return first_day_ + days_; }
  int days() const { return days_; }
  int slots() const { return static_cast<int>(slot_units_.size()); }
  int dense_slots() const { return dense_slots_; }
  // Whether counts over [from_day, until_day) are known: inside the dense
  // window, or reaching past it only where no record of a dense slot lies.
  bool covers(DayNumber from_day, DayNumber until_day) const {
    return ready_ && from_day <= until_day && (from_day >= first_day_ || rows_before_ == 0) &&
           (until_day <= end_day() || rows_after_ == 0);
  }
  bool in_window(DayNumber day) const { return day >= first_day_ && day < end_day(); }

  // The slot of a pair, -1 when the pair has no records.
  int slot(int unit, int type) const {
    return slot_of_[static_cast<std::size_t>(unit) * static_cast<std::size_t>(types_) +
                    static_cast<std::size_t>(type)];
  }
  // Records of the slot on days [from_day, until_day), which covers() must hold.
  std::int64_t count(int slot, DayNumber from_day, DayNumber until_day) const;
  // For consecutive day ranges [days[i], days[i + 1]), i < n - 1:
  // out[i * out_stride] += records of the slot (covers() must hold).
  void add_counts(int slot, const DayNumber* days, std::size_t n, std::int64_t* out, std::size_t out_stride) const;
  // Records of dense slots before and after the window.
  std::int64_t rows_before() const { return rows_before_; }
  std::int64_t rows_after() const { return rows_after_; }

  // Adds delta records on `day` (a new pair gets a sparse slot).
  void add(int unit, int type, DayNumber day, int delta);
  // A bulk fill: make_dense() the pairs that deserve it, count_raw() every
  // record, then finish_counting() turns dense counts into prefix sums and
  // sorts the sparse days.
  void make_dense(int unit, int type);
  void count_raw(int unit, int type, DayNumber day);
  void finish_counting();
  // A new unit number was appended before the no-unit row (see UnitCatalog::intern).
  void insert_unit(int unit);

  std::size_t memory_bytes() const;

 private:
  int ensure_slot(int unit, int type);
  std::int32_t* prefix(int slot) {
    return sums_.data() + static_cast<std::size_t>(dense_of_[static_cast<std::size_t>(slot)]) * stride();
  }
  const std::int32_t* prefix(int slot) const {
    return sums_.data() + static_cast<std::size_t>(dense_of_[static_cast<std::size_t>(slot)]) * stride();
  }
  std::size_t stride() const { return static_cast<std::size_t>(days_) + 1; }
  std::size_t clamp(DayNumber day) const {
    return day < first_day_ ? 0 : day > end_day() ? static_cast<std::size_t>(days_)
                                                   : static_cast<std::size_t>(day - first_day_);
  }

  bool ready_ = false;
  int units_ = 0, types_ = 0;
  DayNumber first_day_ = 0;
  int days_ = 0;
  int dense_slots_ = 0;
  std::int64_t rows_before_ = 0, rows_after_ = 0;  // of dense slots
  std::vector<std::int32_t> slot_of_;              // units_ x types_, -1 = no slot
  std::vector<std::int32_t> slot_units_;
  std::vector<std::int32_t> dense_of_;             // per slot: block in sums_, -1 = sparse
  // Dense blocks of days_ + 1 sums: sums[k] = records on days [first_day_, first_day_ + k).
  std::vector<std::int32_t> sums_;
  std::vector<std::vector<std::int32_t>> days_of_;  // per slot: sorted days (sparse slots)
};

}  // namespace pingan::analytics
