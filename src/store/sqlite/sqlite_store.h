#pragma once
// The embedded default store: one SQLite file in WAL mode with
// synchronous=FULL, so a write acknowledged to a caller survives a crash or a
// power cut. One connection guarded by a mutex: SQLite serialises writers
// anyway, and reads here are short.

#include <sqlite3.h>

#include <mutex>
#include <string>

#include "store/sqlite/wal_checkpointer.h"
#include "store/store.h"

namespace pingan {

class SqliteStore final : public Store {
 public:
  // ":memory:" gives a private in-memory database (tests).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;

  Status migrate() override;
  int schema_version() override;

  Status upsert_units(std::span<const Unit> units) override;
  Result<std::vector<Unit>> list_units() override;

  Result<Incident> create_incident(const Incident& incident, const std::string& actor) override;
  Result<BatchResult> insert_incidents(std::span<const Incident> incidents) override;
  Result<Incident> get_incident(IncidentId id, const UnitScope& scope) override;
  Result<IncidentPage> list_incidents(const IncidentFilter& filter) override;
  Result<Incident> update_incident(IncidentId id, const UnitScope& scope,
                                   const std::function<Status(Incident&)>& apply,
                                   const IncidentEvent& event_template) override;
  Result<std::vector<IncidentEvent>> list_events(IncidentId id, const UnitScope& scope) override;
  Result<bool> void_matching(const std::string& source, const std::string& case_number,
                             const std::string& original_code, const std::string& reason) override;
  Result<std::vector<CaseRecord>> live_case_records(const std::string& source) override;
  Result<std::vector<bool>> void_incidents(std::span<const VoidById> requests) override;
  Status begin_bulk() override;
  Status end_bulk() override;
  Status scan_incidents(const std::function<void(const Incident&)>& visit) override;
  Result<std::int64_t> count_incidents() override;

  // Patrol units, dispatch records and tracks: sqlite_dispatch_store.cpp.
  Status save_patrol_state(std::span<const dispatch::PatrolUnit> units,
                           std::span<const dispatch::Assignment> assignments) override;
  Result<std::vector<dispatch::PatrolUnit>> list_patrol_units() override;
  Result<std::vector<dispatch::Assignment>> list_assignments(Timestamp from, Timestamp until) override;
  Result<std::vector<dispatch::Assignment>> list_open_assignments() override;
  Status append_track_points(std::span<const dispatch::UnitPosition> points) override;
  Result<std::vector<dispatch::UnitPosition>> list_track_points(const std::string& call_sign, Timestamp from,
                                                                 Timestamp until) override;
  Result<std::vector<dispatch::UnitPosition>> latest_track_points() override;

  // Patrol posts and shifts: sqlite_patrol_store.cpp.
  Status upsert_posts(std::span<const dispatch::PatrolPost> posts) override;
  Result<std::vector<dispatch::PatrolPost>> list_posts() override;
  Result<dispatch::PatrolShift> add_shift(const dispatch::PatrolShift& shift) override;
  Result<std::vector<dispatch::PatrolShift>> list_shifts(Timestamp from, Timestamp until) override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  int schema_version_locked();
  Result<Incident> get_locked(IncidentId id, const UnitScope& scope);
  Status append_event_locked(const IncidentEvent& event);

  std::mutex mutex_;
  sqlite3* db_;     // GUARDED_BY(mutex_)
  bool bulk_ = false;  // GUARDED_BY(mutex_): begin_bulk() .. end_bulk()
  // Copies bulk batches from the WAL into the file meanwhile; GUARDED_BY(mutex_).
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;
};

}  // namespace pingan
