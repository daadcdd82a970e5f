#pragma once
// The ledger scheduler's notices in PostgreSQL (store/ledger_notice_store.h;
// table ledger_notices of migration 17). record() is one transaction of
// INSERT ... ON CONFLICT DO NOTHING RETURNING id on one leased connection:
// of two servers recording the same event at once, the second waits for
// the first's commit, inserts nothing and is told of nothing.

#include "store/ledger_notice_store.h"
#include "store/postgres/pg_pool.h"

namespace pingan {

class PgLedgerNoticeStore final : public LedgerNoticeStore {
 public:
  explicit PgLedgerNoticeStore(pg::Pool& pool) : pool_(pool) {}

  Result<std::vector<LedgerNotice>> record(const std::vector<LedgerNotice>& notices) override;
  Result<std::vector<LedgerNotice>> list(const LedgerNoticeFilter& filter) override;

 private:
  pg::Pool& pool_;
};

}  // namespace pingan
