// Units in PostgreSQL. Each upsert rewrites the materialised paths of the
// tree in the same transaction, so that a scope (a unit and everything
// under it) is the units whose path starts with the unit's.

#include "store/postgres/pg_unit_store.h"

#include <fmt/format.h>

#include "store/boundary_json.h"

namespace pingan {

Status PgUnitStore::upsert_units(std::span<const Unit> units) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  for (const Unit& u : units) {
    pg::Params p;
    p.add(u.code).add(u.name).add(unit_kind_name(u.kind)).add_text_or_null(u.parent_code)
        .add_text_or_null(stored::boundary_to_json(u.boundary));
    PINGAN_RETURN_IF_ERROR(c->run(
        "INSERT INTO units (code, name, kind, parent_code, boundary) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "parent_code = excluded.parent_code, boundary = COALESCE(excluded.boundary, units.boundary)",
        p, fmt::format("writing unit '{}'", u.code)));
  }
  // Paths from the roots down; a unit whose parent is missing keeps its old
  // path until the commit refuses the batch below.
  PINGAN_RETURN_IF_ERROR(c->run(
      "WITH RECURSIVE tree(code, path) AS ("
      "  SELECT code, '/' || code || '/' FROM units WHERE parent_code IS NULL"
      "  UNION ALL SELECT u.code, t.path || u.code || '/' FROM units u JOIN tree t ON u.parent_code = t.code) "
      "UPDATE units SET path = tree.path FROM tree WHERE units.code = tree.code AND units.path <> tree.path",
      pg::Params{}, "writing the units' paths"));
  Status committed = tx.commit();
  if (!committed.ok() && committed.error().code != ErrorCode::kUnavailable)
    return Error::invalid("parent", "a unit names a parent that is neither stored nor in the batch");
  return committed;
}

Result<std::vector<Unit>> PgUnitStore::list_units() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT id, code, name, kind, parent_code, boundary FROM units ORDER BY id",
                                                  "listing units"));
  std::vector<Unit> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Unit u;
    u.id = r.int64(i, 0);
    u.code = r.text(i, 1);
    u.name = r.text(i, 2);
    auto kind = parse_unit_kind(r.text(i, 3));
    u.kind = kind.ok() ? *kind : UnitKind::kStation;
    u.parent_code = r.text(i, 4);
    u.boundary = stored::boundary_from_json(r.text(i, 5));
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace pingan
