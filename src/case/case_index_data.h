#pragma once
// The case index's rows and how they are read; CaseIndex (case_index.h)
// holds one behind its lock.
//
// Layout: for each event kind (case_events.h), for each dense unit, for each
// dense case type, one run of (time, value) rows sorted by time. A figure for
// a unit subtree, a set of types and a period reads, per (unit, type) pair,
// the run's rows between two binary searches: counts are the distance
// between them, sums read those rows only. Units are numbered depth-first
// (core/unit_numbering.h), so a subtree is a range of runs; the cost of a query grows
// with the units x types asked and the rows of the period, never with the
// whole dataset.
//
// Person figures count each person once, which would mean collecting and
// sorting the persons of every row in the period. Most persons have a single
// row of a kind in the whole index (caught once, detained once), and such a
// row can meet no other of its person in any selection: those rows are kept
// apart and counted like cases, by distance. Only rows of persons with
// several rows of the kind (repeat offenders, a person in two cases) are
// kept in a second set of runs whose persons a query sorts. A person's first
// row moves from the one set to the other when a second arrives; it does
// not move back when rows leave (the second set is correct for any person,
// merely slower).
//
// The events of every record are also kept by record id, so that a record
// applied again replaces what it counted before (no double count), and so
// that a new unit tree renumbers the rows without the store.
//
// Thread safety: none; CaseIndex guards it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "case/case_events.h"
#include "core/unit_numbering.h"
#include "core/case_bundle.h"
#include "core/case_types.h"
#include "core/dissuasion.h"
#include "core/fraud_methods.h"
#include "core/fugitive.h"
#include "core/fugitive_age.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::cases {

// Which rows a figure reads besides its kind and period.
struct Selection {
  int unit_begin = 0, unit_end = 0;  // dense unit range [begin, end)
  bool unplaced = false;             // also rows with no unit (an unrestricted query)
  bool all_types = true;
  std::vector<std::uint16_t> types;  // dense types when !all_types; sorted, unique
};

class CaseIndexData {
 public:
  CaseIndexData(CaseTypes types, std::shared_ptr<const UnitTree> units, TimeZone zone, FraudMethods methods = {});

  // Replace what the record's id counted by what the record counts now. In
  // bulk mode rows are appended and the runs sorted by finish_bulk(), which
  // must come before any read.
  void apply(const CaseBundle& bundle, bool bulk = false);
  void apply(const Fugitive& fugitive, bool bulk = false);
  void apply(const DissuasionTask& task, bool bulk = false);
  void finish_bulk();
  void reset();
  // Renumbers every row for the new tree (records keep their unit codes).
  void set_units(std::shared_ptr<const UnitTree> units);

  // The figure of one kind over the selection and period (aggregate_of(kind)).
  std::int64_t evaluate(EventKind kind, const Selection& selection, const StatPeriod& period) const;

  const UnitNumbering& units() const { return units_; }
  const CaseTypes& case_types() const { return types_; }
  const FraudMethods& fraud_methods() const { return methods_; }
  const TimeZone& zone() const { return zone_; }
  // A dense "type" is a case type together with a fraud method (most types
  // have the one slot of no method; a fraud type one slot per method its
  // cases carry), so that a figure by method reads runs like a figure by
  // type. The slots of a type code, of a method; empty when no record or
  // type file names it.
  const std::vector<std::uint16_t>& type_slots(std::string_view code) const;
  const std::vector<std::uint16_t>& method_slots(std::string_view method) const;
  CaseClass type_class(int index) const { return type_classes_[static_cast<std::size_t>(index)]; }
  const std::string& slot_method(int index) const { return type_methods_[static_cast<std::size_t>(index)]; }
  int type_count() const { return static_cast<int>(type_codes_.size()); }

  std::int64_t cases() const { return static_cast<std::int64_t>(case_events_.size()); }
  std::int64_t fugitives() const { return static_cast<std::int64_t>(fugitive_events_.size()); }
  std::int64_t dissuasion_tasks() const { return static_cast<std::int64_t>(task_events_.size()); }
  std::int64_t rows() const;
  std::size_t memory_bytes() const;

  // The events each record counts now, by the record's id: what a figure's
  // records are listed from (figure_records.h), the index's own truth.
  using HeldEvents = std::unordered_map<std::int64_t, std::vector<Event>>;
  const HeldEvents& case_events() const { return case_events_; }
  const HeldEvents& fugitive_events() const { return fugitive_events_; }
  const HeldEvents& task_events() const { return task_events_; }

 private:
  struct Row {
    Timestamp t;
    std::int64_t value;
  };
  using Run = std::vector<Row>;  // by (t, value)
  struct KindRows {
    std::vector<std::vector<Run>> by_unit;  // [unit][type]
    std::vector<Run> unplaced;              // [type]
  };

  // Where a person figure's person stands: how many rows of the kind it has,
  // and its row in the single-row runs, if it is there.
  struct PersonRows {
    std::uint32_t rows = 0;
    bool has_single = false;
    Event single;
  };

  std::uint16_t intern_type(const std::string& code, const std::string& method, CaseClass case_class);
  void clear_rows();
  static Run& run_of(std::vector<KindRows>& table, const Event& e);
  static void insert_row(Run& run, const Event& e, bool bulk);
  static void erase_row(Run& run, const Event& e, bool bulk);
  void insert(const Event& e, bool bulk);
  void erase(const Event& e, bool bulk);
  void replace(std::vector<Event>& held, std::vector<Event> now, bool bulk);

  std::vector<Event> derive(const CaseBundle& bundle);
  std::vector<Event> derive(const Fugitive& fugitive);
  std::vector<Event> derive(const DissuasionTask& task);

  CaseTypes types_;
  FraudMethods methods_;
  TimeZone zone_;
  UnitNumbering units_;
  std::vector<std::string> type_codes_;    // [slot]; [0] is "" (no type)
  std::vector<std::string> type_methods_;  // [slot]; "" for no method
  std::vector<CaseClass> type_classes_;
  std::unordered_map<std::string, std::uint16_t> slot_by_key_;  // "code\x1fmethod"
  std::unordered_map<std::string, std::vector<std::uint16_t>> slots_by_code_, slots_by_method_;
  std::vector<KindRows> kinds_;  // [kind]; for person kinds, rows of persons with one row
  std::vector<KindRows> multi_;  // [kind]; person kinds only: rows of persons with several
  std::vector<std::unordered_map<std::int64_t, PersonRows>> persons_;  // [kind], by person
  std::unordered_map<std::int64_t, std::vector<Event>> case_events_, fugitive_events_, task_events_;
};

}  // namespace pingan::cases
