// SqliteStore's units (bureau, stations, communities) with their boundaries,
// kept as GeoJSON-like polygon arrays in one TEXT column.

#include "store/sqlite/sqlite_unit_store.h"

#include <fmt/format.h>

#include "store/boundary_json.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {
namespace {

using sqlite::Statement;
using sqlite::Transaction;
using stored::boundary_from_json;
using stored::boundary_to_json;

}  // namespace

Status SqliteUnitStore::upsert_units(std::span<const Unit> units) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // Parents may come later in the batch: check them after all rows are in.
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "PRAGMA defer_foreign_keys=ON"));
  Statement st(db_,
               "INSERT INTO units (code, name, kind, parent_code, boundary) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
               "parent_code = excluded.parent_code, "
               "boundary = COALESCE(excluded.boundary, units.boundary)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  for (const Unit& u : units) {
    std::string boundary = boundary_to_json(u.boundary);
    st.bind(1, std::string_view(u.code));
    st.bind(2, std::string_view(u.name));
    st.bind(3, std::string_view(unit_kind_name(u.kind)));
    st.bind_text_or_null(4, u.parent_code);
    st.bind_text_or_null(5, boundary);
    if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("writing unit '{}'", u.code));
    st.reset();
  }
  auto committed = tx.commit();
  if (!committed.ok())
    return Error::invalid("parent", "a unit names a parent that is neither stored nor in the batch");
  return {};
}

Result<std::vector<Unit>> SqliteUnitStore::list_units() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT id, code, name, kind, parent_code, boundary FROM units ORDER BY id");
  std::vector<Unit> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("listing units", [&](const Statement& row) {
    Unit u;
    u.id = row.column_int(0);
    u.code = row.column_text(1);
    u.name = row.column_text(2);
    auto kind = parse_unit_kind(row.column_text(3));
    u.kind = kind.ok() ? *kind : UnitKind::kStation;
    u.parent_code = row.column_text(4);
    u.boundary = boundary_from_json(row.column_text(5));
    out.push_back(std::move(u));
  }));
  return out;
}

}  // namespace pingan
