#pragma once
// The base registry and its cameras in SQLite (store/registry_store.h;
// tables of migration 15, docs/schema.md). Writes on the writer connection
// under the SqliteStore's mutex, one BEGIN IMMEDIATE transaction per batch:
// each record is read by its key, compared with what is stored (its
// personal fields opened) and written only when it differs. Reads on the
// read pool. Rows and records meet in store/registry_rows.h, shared with
// the PostgreSQL store; this file only moves rows.

#include <sqlite3.h>

#include <mutex>

#include "store/personal_fields.h"
#include "store/registry_store.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteRegistryStore final : public RegistryStore {
 public:
  SqliteRegistryStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads, const stored::PersonalFields& fields)
      : mutex_(mutex), db_(db), reads_(reads), fields_(fields) {}

  Result<std::vector<RegistryWrite>> upsert_cameras(std::span<const Camera> cameras) override;
  Result<Camera> get_camera(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Camera>> list_cameras(const RegistryFilter& filter) override;
  Status scan_cameras(const std::function<void(const StoredCamera&)>& visit) override;
  Result<std::int64_t> count_cameras() override;

  Result<std::vector<RegistryWrite>> upsert_places(std::span<const Place> places) override;
  Result<Place> get_place(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Place>> list_places(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_enterprises(std::span<const Enterprise> enterprises) override;
  Result<Enterprise> get_enterprise(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<Enterprise>> list_enterprises(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_rental_houses(std::span<const RentalHouse> houses) override;
  Result<RentalHouse> get_rental_house(const std::string& code, const UnitScope& scope) override;
  Result<RegistryPage<RentalHouse>> list_rental_houses(const RegistryFilter& filter) override;

  Result<std::vector<RegistryWrite>> upsert_residents(std::span<const Resident> residents) override;
  Result<Resident> get_resident(PersonId person_id, const UnitScope& scope) override;
  Result<RegistryPage<Resident>> list_residents(const RegistryFilter& filter) override;

 private:
  template <typename Record>
  Result<std::vector<RegistryWrite>> upsert(std::span<const Record> records);
  template <typename Record>
  Result<Record> get(const std::string& key, const UnitScope& scope);
  template <typename Record>
  Result<RegistryPage<Record>> list(const RegistryFilter& filter);

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& fields_;
};

}  // namespace pingan
