#pragma once
// Ledger work items and their histories in SQLite (store/ledger_store.h;
// tables of migration 16, docs/schema.md). Writes on the writer connection
// under the SqliteStore's mutex, each one BEGIN IMMEDIATE transaction, so a
// step reads the item under SQLite's write lock and no other writer, in
// this process or another, can take a step in between; reads on the read
// pool. Rows and records meet in store/ledger_rows.h, shared with the
// PostgreSQL store; this file only moves rows.

#include <sqlite3.h>

#include <mutex>

#include "store/ledger_store.h"
#include "store/personal_fields.h"
#include "store/sqlite/sqlite_read_pool.h"

namespace pingan {

class SqliteLedgerStore final : public LedgerStore {
 public:
  SqliteLedgerStore(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads,
                    const stored::PersonalFields& fields)
      : mutex_(mutex), db_(db), reads_(reads), fields_(fields) {}

  Result<LedgerItem> create_item(const LedgerNewRow& row) override;
  Result<LedgerStepped> update_item(
      std::int64_t id, const UnitScope& scope, const LedgerDefinition& definition,
      const std::function<Result<LedgerUpdate>(const LedgerItem&)>& apply) override;
  Result<LedgerItem> get_item(std::int64_t id, const UnitScope& scope) override;
  Result<LedgerPage> list_items(const LedgerFilter& filter) override;
  Status scan_items(const std::string& type_code,
                    const std::function<void(const LedgerItem&)>& visit) override;
  Result<std::optional<LedgerItem>> find_by_origin(const LedgerOrigin& origin) override;
  Status begin_bulk() override;
  Status end_bulk() override;

 private:
  // On the writer (mutex_ held) inside a transaction: the item and its
  // history rows; returns the item with its id.
  Result<LedgerItem> insert_on(const LedgerNewRow& row);

  std::mutex& mutex_;
  sqlite3* const db_;  // GUARDED_BY(mutex_): the writer
  sqlite::ReadPool& reads_;
  const stored::PersonalFields& fields_;
  bool bulk_ = false;  // GUARDED_BY(mutex_): begin_bulk() .. end_bulk()
};

}  // namespace pingan
