#pragma once
// Units in PostgreSQL, with their materialised path ('/PA/S1/S1-C1/')
// rewritten after every upsert, so that a scope is a prefix range.

#include "store/postgres/pg_pool.h"
#include "store/unit_store.h"

namespace pingan {

class PgUnitStore final : public UnitStore {
 public:
  explicit PgUnitStore(pg::Pool& pool) : pool_(pool) {}
  Status upsert_units(std::span<const Unit> units) override;
  Result<std::vector<Unit>> list_units() override;

 private:
  pg::Pool& pool_;
};

}  // namespace pingan
