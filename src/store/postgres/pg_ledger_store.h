#pragma once
// Ledger work items and their histories in PostgreSQL (store/ledger_store.h,
// migration 16), the same rows as SQLite's (store/ledger_rows.h). Each call
// is one transaction on one leased connection; a step reads the item
// SELECT ... FOR UPDATE, so a second server's step on the same item waits
// for this one's commit and then sees its result. A new item with an
// import key is inserted ON CONFLICT DO NOTHING: of two servers importing
// the same row at once, one makes it and the other is told kAlreadyExists.

#include <atomic>

#include "store/ledger_store.h"
#include "store/personal_fields.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgLedgerStore final : public LedgerStore {
 public:
  PgLedgerStore(pg::Pool& pool, const stored::PersonalFields& fields)
      : pool_(pool), fields_(fields) {}

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
  pg::Pool& pool_;
  const stored::PersonalFields& fields_;
  std::atomic<bool> bulk_{false};  // between begin_bulk() and end_bulk()
};

}  // namespace pingan
