#pragma once
// The case statistics index (issue 20): every figure of the 打 line — cases
// opened and solved, suspects caught, measures by kind, fugitives old and
// new, fraud money, dissuasion — for any unit subtree, case class, type or
// group and period, read from memory in microseconds. Fed with whole
// records: the engine hands over a case with its parties, measures and money
// (CaseBundle), a fugitive listing or a dissuasion task each time one is
// written, and the index replaces what that id counted before. The figures
// by name (case_figures.h) are the way to ask it; the layout is in
// case_index_data.h.
//
// Thread safety: every method may be called from several threads; readers
// share a lock, writers (apply, apply_all, reset, set_units) take it alone.

#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>

#include "case/case_index_data.h"
#include "core/case_bundle.h"
#include "core/case_types.h"
#include "core/dissuasion.h"
#include "core/fraud_methods.h"
#include "core/fugitive.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::cases {

class CaseIndex {
 public:
  // `zone` is the bureau's: it says when its days and years begin (同比,
  // 环比 of whole days, and old or new fugitives).
  // `methods` are the fraud methods a query may name (fraud_methods.h); an
  // index built without them answers every method as unknown.
  CaseIndex(CaseTypes types, std::shared_ptr<const UnitTree> units, TimeZone zone, FraudMethods methods = {});
  CaseIndex(const CaseIndex&) = delete;
  CaseIndex& operator=(const CaseIndex&) = delete;

  // Replaces whatever the index held for the record's id (the case id, the
  // listing id, the task id; ids are the store's, so 0 is one record like
  // any other) by what the record counts now.
  void apply(const CaseBundle& bundle);
  void apply(const Fugitive& fugitive);
  void apply(const DissuasionTask& task);
  // Many records under one lock, sorted once at the end: a start-up or bulk load.
  void apply_all(std::span<const CaseBundle> bundles, std::span<const Fugitive> fugitives = {},
                 std::span<const DissuasionTask> tasks = {});
  // Forgets every record (before a rebuild from the store).
  void reset();
  // Replaces the unit tree after units change; records keep their unit codes.
  void set_units(std::shared_ptr<const UnitTree> units);

  // Runs `read` with the shared lock held, so that several figures (a
  // period, its 同比 and 环比, the units' ranking) describe one moment. Do
  // not call the writers from inside.
  void read(const std::function<void(const CaseIndexData&)>& read) const;

  std::int64_t cases() const;
  std::int64_t rows() const;
  std::size_t memory_bytes() const;

 private:
  mutable std::shared_mutex mutex_;
  CaseIndexData data_;  // guarded by mutex_
};

}  // namespace pingan::cases
