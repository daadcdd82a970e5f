// See store/sqlite/sqlite_registry_store.h.

#include "store/sqlite/sqlite_registry_store.h"

#include <fmt/format.h>

#include <type_traits>

#include "store/registry_rows.h"
#include "store/sqlite/sqlite_case_rows.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using registry_rows::Codec;
using registry_rows::Row;
using registry_rows::Table;
using registry_rows::Value;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr int kMaxPage = 1000;

void bind_value(Statement& st, int i, const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) st.bind(i, *n);
  else if (const auto* d = std::get_if<double>(&v)) st.bind(i, *d);
  else if (const auto* s = std::get_if<std::string>(&v)) st.bind(i, std::string_view(*s), true);
  else st.bind_null(i);
}

case_rows::SqlParam param_of(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::string();
}

// The columns of `table` from column `first` of the current row.
Row read_row(const Statement& st, const Table& table, int first) {
  Row row;
  row.reserve(table.kinds.size());
  for (std::size_t k = 0; k < table.kinds.size(); ++k) {
    const int i = first + static_cast<int>(k);
    if (st.column_is_null(i)) row.emplace_back();
    else if (table.kinds[k] == 'i') row.emplace_back(st.column_int(i));
    else if (table.kinds[k] == 'd') row.emplace_back(st.column_double(i));
    else row.emplace_back(st.column_text(i));
  }
  return row;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

Result<std::vector<Tenancy>> read_tenancies(sqlite3* db, std::int64_t house_id) {
  Statement st(db, fmt::format("SELECT {} FROM rental_tenancies WHERE house_id = ? ORDER BY seq",
                               registry_rows::kTenancies.columns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, house_id);
  std::vector<Tenancy> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading a rental house's tenancies", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(Tenancy t, registry_rows::tenancy_of(read_row(row, registry_rows::kTenancies, 0)));
    out.push_back(std::move(t));
    return {};
  }));
  return out;
}

Status write_tenancies(sqlite3* db, std::int64_t house_id, const RentalHouse& house) {
  Statement del(db, "DELETE FROM rental_tenancies WHERE house_id = ?");
  if (!del.valid()) return Error::internal(del.prepare_error());
  del.bind(1, house_id);
  if (del.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("replacing {}'s tenancies", house.code));
  Statement ins(db, fmt::format("INSERT INTO rental_tenancies (house_id, seq, {}) VALUES (?, ?, ?, ?, ?, ?)",
                                registry_rows::kTenancies.columns));
  if (!ins.valid()) return Error::internal(ins.prepare_error());
  for (std::size_t k = 0; k < house.tenants.size(); ++k) {
    PINGAN_RETURN_IF_ERROR(case_rows::require_row(db, "persons", house.tenants[k].person_id, "person"));
    ins.reset();
    ins.bind(1, house_id);
    ins.bind(2, static_cast<std::int64_t>(k + 1));
    const Row row = registry_rows::tenancy_row(house.tenants[k]);
    for (std::size_t c = 0; c < row.size(); ++c) bind_value(ins, static_cast<int>(c) + 3, row[c]);
    if (ins.step() != SQLITE_DONE)
      return sqlite::last_error(db, fmt::format("storing rental house {}'s tenancy {}", house.code, k + 1));
  }
  return {};
}

// The person a record names exists (a clear kNotFound, not a foreign-key failure).
template <typename Record>
Status require_persons(sqlite3* db, const Record& r) {
  if constexpr (std::is_same_v<Record, RentalHouse>) {
    return case_rows::require_row(db, "persons", r.landlord_id, "person");
  } else if constexpr (std::is_same_v<Record, Resident>) {
    return case_rows::require_row(db, "persons", r.person_id, "person");
  } else {
    return {};
  }
}

// The record of the current row (id in column 0, its table's columns
// after), a house with its tenancies read on `db`.
template <typename Record>
Result<Record> record_of(sqlite3* db, const Statement& st, const stored::PersonalFields& fields) {
  PINGAN_ASSIGN_OR_RETURN(Record r, Codec<Record>::of(read_row(st, Codec<Record>::table, 1), fields));
  if constexpr (std::is_same_v<Record, RentalHouse>) {
    PINGAN_ASSIGN_OR_RETURN(r.tenants, read_tenancies(db, st.column_int(0)));
  }
  return r;
}

std::string key_text(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

}  // namespace

template <typename Record>
Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert(std::span<const Record> records) {
  const Table& table = Codec<Record>::table;
  // The cipher's work before the writer's lock, as the incident store does.
  std::vector<Row> rows;
  rows.reserve(records.size());
  for (const Record& r : records) {
    PINGAN_ASSIGN_OR_RETURN(Row row, Codec<Record>::row(r, fields_));
    rows.push_back(std::move(row));
  }
  std::vector<RegistryWrite> out;
  out.reserve(records.size());
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement find(db_, fmt::format("SELECT id, {} FROM {} WHERE {} = ?", table.columns, table.name, table.key));
  Statement ins(db_, fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name, table.columns,
                                 placeholders(table.kinds.size())));
  Statement upd(db_, fmt::format("UPDATE {} SET {} WHERE id = ?", table.name, case_rows::set_clause(table.columns)));
  for (const Statement* st : {&find, &ins, &upd})
    if (!st->valid()) return Error::internal(st->prepare_error());
  for (std::size_t k = 0; k < records.size(); ++k) {
    const Record& record = records[k];
    const Value key = registry_rows::key_of(record);
    const std::string what = fmt::format("{} '{}'", table.what, key_text(key));
    PINGAN_RETURN_IF_ERROR(require_persons(db_, record));
    find.reset();
    bind_value(find, 1, key);
    PINGAN_ASSIGN_OR_RETURN(bool found, find.next_row(fmt::format("reading {}", what)));
    std::int64_t id = 0;
    if (found) {
      id = find.column_int(0);
      PINGAN_ASSIGN_OR_RETURN(Record stored, record_of<Record>(db_, find, fields_));
      find.reset();
      if (registry_rows::same(stored, record)) {
        out.push_back(RegistryWrite::kUnchanged);
        continue;
      }
      upd.reset();
      for (std::size_t c = 0; c < rows[k].size(); ++c) bind_value(upd, static_cast<int>(c) + 1, rows[k][c]);
      upd.bind(static_cast<int>(rows[k].size()) + 1, id);
      if (upd.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("updating {}", what));
      out.push_back(RegistryWrite::kUpdated);
    } else {
      find.reset();
      ins.reset();
      for (std::size_t c = 0; c < rows[k].size(); ++c) bind_value(ins, static_cast<int>(c) + 1, rows[k][c]);
      if (ins.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("storing {}", what));
      id = sqlite3_last_insert_rowid(db_);
      out.push_back(RegistryWrite::kCreated);
    }
    if constexpr (std::is_same_v<Record, RentalHouse>) {
      PINGAN_RETURN_IF_ERROR(write_tenancies(db_, id, record));
    }
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return out;
}

template <typename Record>
Result<Record> SqliteRegistryStore::get(const std::string& key, const UnitScope& scope) {
  const Table& table = Codec<Record>::table;
  PINGAN_ASSIGN_OR_RETURN(Value k, registry_rows::after_key(table, key));
  std::vector<std::string> where = {fmt::format("{} = ?", table.key)};
  std::vector<case_rows::SqlParam> params = {param_of(k)};
  case_rows::add_scope_condition("unit_code", scope, where, params);
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(),
               fmt::format("SELECT id, {} FROM {}{}", table.columns, table.name, case_rows::join_where(where)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  const std::string what = fmt::format("{} '{}'", table.what, key);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row(fmt::format("reading {}", what)));
  if (!found) return Error::not_found(fmt::format("no {}", what));
  return record_of<Record>(reader.db(), st, fields_);
}

template <typename Record>
Result<RegistryPage<Record>> SqliteRegistryStore::list(const RegistryFilter& filter) {
  const Table& table = Codec<Record>::table;
  if (filter.limit < 1 || filter.limit > kMaxPage)
    return Error::invalid("limit", fmt::format("{} is outside 1..{}", filter.limit, kMaxPage));
  std::vector<std::string> where;
  std::vector<case_rows::SqlParam> params;
  case_rows::add_scope_condition("unit_code", filter.scope, where, params);
  if (!filter.after.empty()) {
    PINGAN_ASSIGN_OR_RETURN(Value after, registry_rows::after_key(table, filter.after));
    where.push_back(fmt::format("{} > ?", table.key));
    params.push_back(param_of(after));
  }
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT id, {} FROM {}{} ORDER BY {} LIMIT {}", table.columns, table.name,
                                        case_rows::join_where(where), table.key, filter.limit + 1));
  if (!st.valid()) return Error::internal(st.prepare_error());
  case_rows::bind_params(st, params);
  RegistryPage<Record> page;
  PINGAN_RETURN_IF_ERROR(st.each_row(fmt::format("listing {}", table.name), [&](const Statement& row) -> Status {
    if (static_cast<int>(page.records.size()) == filter.limit) {
      page.more = true;
      return {};
    }
    PINGAN_ASSIGN_OR_RETURN(Record r, record_of<Record>(reader.db(), row, fields_));
    page.records.push_back(std::move(r));
    return {};
  }));
  return page;
}

// ---- the interface, one kind at a time ----

Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert_cameras(std::span<const Camera> cameras) {
  return upsert(cameras);
}
Result<Camera> SqliteRegistryStore::get_camera(const std::string& code, const UnitScope& scope) {
  return get<Camera>(code, scope);
}
Result<RegistryPage<Camera>> SqliteRegistryStore::list_cameras(const RegistryFilter& filter) {
  return list<Camera>(filter);
}

Status SqliteRegistryStore::scan_cameras(const std::function<void(const StoredCamera&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT id, {} FROM cameras ORDER BY code", registry_rows::kCameras.columns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  return st.each_row("scanning cameras", [&](const Statement& row) -> Status {
    StoredCamera c;
    c.id = row.column_int(0);
    PINGAN_ASSIGN_OR_RETURN(c.camera, registry_rows::camera_of(read_row(row, registry_rows::kCameras, 1)));
    visit(c);
    return {};
  });
}

Result<std::int64_t> SqliteRegistryStore::count_cameras() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT COUNT(*) FROM cameras");
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("counting cameras"));
  return found ? st.column_int(0) : 0;
}

Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert_places(std::span<const Place> places) {
  return upsert(places);
}
Result<Place> SqliteRegistryStore::get_place(const std::string& code, const UnitScope& scope) {
  return get<Place>(code, scope);
}
Result<RegistryPage<Place>> SqliteRegistryStore::list_places(const RegistryFilter& filter) {
  return list<Place>(filter);
}

Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert_enterprises(std::span<const Enterprise> enterprises) {
  return upsert(enterprises);
}
Result<Enterprise> SqliteRegistryStore::get_enterprise(const std::string& code, const UnitScope& scope) {
  return get<Enterprise>(code, scope);
}
Result<RegistryPage<Enterprise>> SqliteRegistryStore::list_enterprises(const RegistryFilter& filter) {
  return list<Enterprise>(filter);
}

Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert_rental_houses(std::span<const RentalHouse> houses) {
  return upsert(houses);
}
Result<RentalHouse> SqliteRegistryStore::get_rental_house(const std::string& code, const UnitScope& scope) {
  return get<RentalHouse>(code, scope);
}
Result<RegistryPage<RentalHouse>> SqliteRegistryStore::list_rental_houses(const RegistryFilter& filter) {
  return list<RentalHouse>(filter);
}

Result<std::vector<RegistryWrite>> SqliteRegistryStore::upsert_residents(std::span<const Resident> residents) {
  return upsert(residents);
}
Result<Resident> SqliteRegistryStore::get_resident(PersonId person_id, const UnitScope& scope) {
  return get<Resident>(std::to_string(person_id), scope);
}
Result<RegistryPage<Resident>> SqliteRegistryStore::list_residents(const RegistryFilter& filter) {
  return list<Resident>(filter);
}

}  // namespace pingan
