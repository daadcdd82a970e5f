#pragma once
// The ledger index's rows and how they are read (issue 21); LedgerIndex
// (ledger_index.h) holds one behind its lock.
//
// Layout: for each ledger type, for each series, for each dense unit
// (core/unit_numbering.h, depth first, so a subtree is a range of units),
// one run of (time, item, value) rows sorted by (time, item). The series
// of an item, all derived from the item as it stands now:
//   "created"      its creation (value 1);
//   "tag:<tag>"    the first entry of its history that entered a state
//                  carrying <tag> in counts_as (value 1);
//   "visit"        the first entry that entered a state tagged inspected,
//                  visited or checked (value 1);
//   "field:<code>" each integer, count or money field it holds, dated by
//                  its creation (value: the field's value).
// A count over a unit subtree and a period is, per unit, the distance
// between two binary searches; a sum reads those rows only.
//
// Overdue is a question about an instant, not a period: each item is also
// kept slim (its numeric fields and its history without notes, changes or
// actors), and overdue() runs core's clock (core/ledger_clock.h) on each
// item of the type in the unit range as it stood at the instant. That is
// linear in the type's items, which are tens of thousands at most.
//
// Every item is kept by id, so an item applied again replaces what it
// counted before, and a new unit tree renumbers the rows without the store.
//
// Thread safety: none; LedgerIndex guards it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/fugitive_age.h"
#include "core/ledger_definition.h"
#include "core/ledger_item.h"
#include "core/time.h"
#include "core/unit.h"
#include "core/unit_numbering.h"

namespace pingan::ledger {

// Dense units [begin, end); `unplaced` adds items whose unit is empty (an
// unrestricted query only).
struct UnitRange {
  int begin = 0, end = 0;
  bool unplaced = false;
};

// The tags whose first reach is a visit (家次): an inspection or rental check
// recorded, a home visited, a floating resident checked.
inline constexpr const char* kVisitTags[] = {"inspected", "visited", "checked"};

// The series names of the layout above.
inline constexpr const char* kCreatedSeries = "created";
inline constexpr const char* kVisitSeries = "visit";
std::string tag_series(std::string_view tag);      // "tag:resolved"
std::string field_series(std::string_view field);  // "field:officer_shifts"

// Whether a field's values are summed: integer, count and money fields.
bool is_tally_kind(LedgerFieldKind kind);

class LedgerIndexData {
 public:
  LedgerIndexData(std::vector<LedgerDefinition> types, std::shared_ptr<const UnitTree> units);

  // Replaces what the item's id counted by what it counts now. An item of a
  // type the index was not built with is left out (false).
  bool apply(const LedgerItem& item);
  void reset();
  // Renumbers every row for the new tree (items keep their unit codes).
  void set_units(std::shared_ptr<const UnitTree> units);

  // The type with this code, or null.
  const LedgerDefinition* type(std::string_view code) const;
  const std::vector<LedgerDefinition>& types() const { return types_; }
  // Rows of `series` of `type` in the units and period: counted, or their
  // values summed. 0 for a series no item has.
  std::int64_t count(std::string_view type, const std::string& series, const UnitRange& units,
                     const StatPeriod& period) const;
  std::int64_t sum(std::string_view type, const std::string& series, const UnitRange& units,
                   const StatPeriod& period) const;
  // Items of `type` in the units that, as they stood at `at` (their history
  // up to `at`), were in a non-final state with a deadline overdue at `at`.
  std::int64_t overdue(std::string_view type, const UnitRange& units, Timestamp at) const;

  const UnitNumbering& units() const { return units_; }
  std::int64_t items() const;

 private:
  struct Row {
    Timestamp t;
    std::int64_t id;
    std::int64_t value;
  };
  using Run = std::vector<Row>;  // sorted by (t, id)
  struct Series {
    std::vector<Run> by_unit;  // [dense unit]
    Run unplaced;
  };
  struct Held {
    LedgerItem item;  // slim: numeric fields, history without notes and changes
    int unit = -1;
  };
  struct TypeRows {
    std::unordered_map<std::string, Series> series;
    std::unordered_map<std::int64_t, Held> items;
  };
  struct Derived {
    std::string series;
    Row row;
  };

  std::vector<Derived> derive(const LedgerDefinition& definition, const LedgerItem& item) const;
  void insert(TypeRows& rows, int unit, const Derived& d);
  void erase(TypeRows& rows, int unit, const Derived& d);
  const TypeRows* rows_of(std::string_view type) const;
  template <typename Visit>
  void each_run(std::string_view type, const std::string& series, const UnitRange& units, Visit visit) const;

  std::vector<LedgerDefinition> types_;
  UnitNumbering units_;
  std::unordered_map<std::string, std::size_t> type_index_;  // code -> types_/rows_ index
  std::vector<TypeRows> rows_;
};

}  // namespace pingan::ledger
