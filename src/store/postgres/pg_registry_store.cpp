// See store/postgres/pg_registry_store.h.

#include "store/postgres/pg_registry_store.h"

#include <fmt/format.h>

#include <type_traits>

#include "store/postgres/pg_case_rows.h"
#include "store/registry_rows.h"

namespace pingan {

using registry_rows::Codec;
using registry_rows::Row;
using registry_rows::Table;
using registry_rows::Value;

namespace {

constexpr int kMaxPage = 1000;

void add_value(pg::Params& p, const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) p.add(*n);
  else if (const auto* d = std::get_if<double>(&v)) p.add(*d);
  else if (const auto* s = std::get_if<std::string>(&v)) p.add(*s);
  else p.add_null();
}

// The columns of `table` from column `first` of row `row`.
Row read_row(const pg::PgResult& r, int row, const Table& table, int first) {
  Row out;
  out.reserve(table.kinds.size());
  for (std::size_t k = 0; k < table.kinds.size(); ++k) {
    const int i = first + static_cast<int>(k);
    if (r.is_null(row, i)) out.emplace_back();
    else if (table.kinds[k] == 'i') out.emplace_back(r.int64(row, i));
    else if (table.kinds[k] == 'd') out.emplace_back(r.dbl(row, i));
    else out.emplace_back(r.text(row, i));
  }
  return out;
}

// "$first, $first+1, ..." for n parameters.
std::string placeholders(std::size_t n, std::size_t first = 1) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{}${}", i ? ", " : "", first + i);
  return out;
}

std::string set_clause(std::string_view columns) {
  std::string out;
  std::size_t i = 1;
  for (std::string_view col : registry_rows::column_names(columns))
    out += fmt::format("{}{} = ${}", out.empty() ? "" : ", ", col, i++);
  return out;
}

std::string key_text(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

Result<std::vector<Tenancy>> read_tenancies(pg::Connection& c, std::int64_t house_id) {
  pg::Params p;
  p.add(house_id);
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c.exec(fmt::format("SELECT {} FROM rental_tenancies WHERE house_id = $1 ORDER BY seq",
                         registry_rows::kTenancies.columns),
             p, "reading a rental house's tenancies"));
  std::vector<Tenancy> out;
  for (int i = 0; i < r.rows(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(Tenancy t, registry_rows::tenancy_of(read_row(r, i, registry_rows::kTenancies, 0)));
    out.push_back(std::move(t));
  }
  return out;
}

Status write_tenancies(pg::Connection& c, std::int64_t house_id, const RentalHouse& house) {
  pg::Params del;
  del.add(house_id);
  PINGAN_RETURN_IF_ERROR(c.run("DELETE FROM rental_tenancies WHERE house_id = $1", del,
                               fmt::format("replacing rental house {}'s tenancies", house.code)));
  for (std::size_t k = 0; k < house.tenants.size(); ++k) {
    PINGAN_RETURN_IF_ERROR(pg::require_row(c, "persons", house.tenants[k].person_id, "person"));
    pg::Params p;
    p.add(house_id).add(static_cast<std::int64_t>(k + 1));
    for (const Value& v : registry_rows::tenancy_row(house.tenants[k])) add_value(p, v);
    PINGAN_RETURN_IF_ERROR(
        c.run(fmt::format("INSERT INTO rental_tenancies (house_id, seq, {}) VALUES ($1, $2, $3, $4, $5, $6)",
                          registry_rows::kTenancies.columns),
              p, fmt::format("storing rental house {}'s tenancy {}", house.code, k + 1)));
  }
  return {};
}

template <typename Record>
Status require_persons(pg::Connection& c, const Record& r) {
  if constexpr (std::is_same_v<Record, RentalHouse>) {
    return pg::require_row(c, "persons", r.landlord_id, "person");
  } else if constexpr (std::is_same_v<Record, Resident>) {
    return pg::require_row(c, "persons", r.person_id, "person");
  } else {
    return {};
  }
}

// Row `row` of a SELECT of id and the table's columns as its record, a
// house with its tenancies.
template <typename Record>
Result<Record> record_of(pg::Connection& c, const pg::PgResult& r, int row, const stored::PersonalFields& fields) {
  PINGAN_ASSIGN_OR_RETURN(Record out, Codec<Record>::of(read_row(r, row, Codec<Record>::table, 1), fields));
  if constexpr (std::is_same_v<Record, RentalHouse>) {
    PINGAN_ASSIGN_OR_RETURN(out.tenants, read_tenancies(c, r.int64(row, 0)));
  }
  return out;
}

}  // namespace

template <typename Record>
Result<std::vector<RegistryWrite>> PgRegistryStore::upsert(std::span<const Record> records) {
  const Table& table = Codec<Record>::table;
  std::vector<Row> rows;
  rows.reserve(records.size());
  for (const Record& r : records) {
    PINGAN_ASSIGN_OR_RETURN(Row row, Codec<Record>::row(r, fields_));
    rows.push_back(std::move(row));
  }
  const std::size_t width = table.kinds.size();
  const std::string find_sql =
      fmt::format("SELECT id, {} FROM {} WHERE {} = $1 FOR UPDATE", table.columns, table.name, table.key);
  const std::string insert_sql =
      fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO NOTHING RETURNING id", table.name,
                  table.columns, placeholders(width), table.key);
  const std::string update_sql =
      fmt::format("UPDATE {} SET {} WHERE id = ${}", table.name, set_clause(table.columns), width + 1);

  std::vector<RegistryWrite> out;
  out.reserve(records.size());
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  for (std::size_t k = 0; k < records.size(); ++k) {
    const Record& record = records[k];
    const Value key = registry_rows::key_of(record);
    const std::string what = fmt::format("{} '{}'", table.what, key_text(key));
    PINGAN_RETURN_IF_ERROR(require_persons(*c, record));
    pg::Params row;
    for (const Value& v : rows[k]) add_value(row, v);
    std::int64_t id = 0;
    RegistryWrite done = RegistryWrite::kCreated;
    // Twice at most: a key another server inserted after our look found
    // nothing is there the second time.
    for (int attempt = 0; attempt < 2 && id == 0; ++attempt) {
      pg::Params by_key;
      add_value(by_key, key);
      PINGAN_ASSIGN_OR_RETURN(pg::PgResult found, c->exec(find_sql, by_key, fmt::format("reading {}", what)));
      if (found.rows() == 1) {
        id = found.int64(0, 0);
        PINGAN_ASSIGN_OR_RETURN(Record stored, record_of<Record>(*c, found, 0, fields_));
        done = registry_rows::same(stored, record) ? RegistryWrite::kUnchanged : RegistryWrite::kUpdated;
        break;
      }
      PINGAN_ASSIGN_OR_RETURN(pg::PgResult inserted, c->exec(insert_sql, row, fmt::format("storing {}", what)));
      if (inserted.rows() == 1) id = inserted.int64(0, 0);
    }
    if (id == 0) return Error::internal(fmt::format("{} conflicted on its key but cannot be read", what));
    if (done == RegistryWrite::kUpdated) {
      pg::Params upd = row;
      upd.add(id);
      PINGAN_RETURN_IF_ERROR(c->run(update_sql, upd, fmt::format("updating {}", what)));
    }
    if constexpr (std::is_same_v<Record, RentalHouse>) {
      if (done != RegistryWrite::kUnchanged) PINGAN_RETURN_IF_ERROR(write_tenancies(*c, id, record));
    }
    out.push_back(done);
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return out;
}

template <typename Record>
Result<Record> PgRegistryStore::get(const std::string& key, const UnitScope& scope) {
  const Table& table = Codec<Record>::table;
  PINGAN_ASSIGN_OR_RETURN(Value k, registry_rows::after_key(table, key));
  pg::Where q;
  if (const auto* n = std::get_if<std::int64_t>(&k)) q.add(fmt::format("{} = {}", table.key, q.param(*n)));
  else q.add(fmt::format("{} = {}", table.key, q.param(std::get<std::string>(k))));
  pg::add_unit_scope(scope, "unit_code", q);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  const std::string what = fmt::format("{} '{}'", table.what, key);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT id, {} FROM {}{}", table.columns, table.name, q.clause()),
                                  q.params(), fmt::format("reading {}", what)));
  if (r.rows() == 0) return Error::not_found(fmt::format("no {}", what));
  return record_of<Record>(*c, r, 0, fields_);
}

template <typename Record>
Result<RegistryPage<Record>> PgRegistryStore::list(const RegistryFilter& filter) {
  const Table& table = Codec<Record>::table;
  if (filter.limit < 1 || filter.limit > kMaxPage)
    return Error::invalid("limit", fmt::format("{} is outside 1..{}", filter.limit, kMaxPage));
  // Codes in byte order, as SQLite's: the keyset condition and the order
  // in the same collation.
  const std::string keycol =
      table.kinds[0] == 't' ? fmt::format("{} COLLATE \"C\"", table.key) : std::string(table.key);
  pg::Where q;
  pg::add_unit_scope(filter.scope, "unit_code", q);
  if (!filter.after.empty()) {
    PINGAN_ASSIGN_OR_RETURN(Value after, registry_rows::after_key(table, filter.after));
    if (const auto* n = std::get_if<std::int64_t>(&after)) q.add(fmt::format("{} > {}", keycol, q.param(*n)));
    else q.add(fmt::format("{} > {}", keycol, q.param(std::get<std::string>(after))));
  }
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // One snapshot: a house's tenancies as of its row.
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(pg::begin_snapshot_read(tx, *c));
  const std::string& order = keycol;
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec(fmt::format("SELECT id, {} FROM {}{} ORDER BY {} LIMIT {}",
                                                             table.columns, table.name, q.clause(), order,
                                                             filter.limit + 1),
                                                 q.params(), fmt::format("listing {}", table.name)));
  RegistryPage<Record> page;
  for (int i = 0; i < r.rows(); ++i) {
    if (i == filter.limit) {
      page.more = true;
      break;
    }
    PINGAN_ASSIGN_OR_RETURN(Record rec, record_of<Record>(*c, r, i, fields_));
    page.records.push_back(std::move(rec));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return page;
}

// ---- the interface, one kind at a time ----

Result<std::vector<RegistryWrite>> PgRegistryStore::upsert_cameras(std::span<const Camera> cameras) {
  return upsert(cameras);
}
Result<Camera> PgRegistryStore::get_camera(const std::string& code, const UnitScope& scope) {
  return get<Camera>(code, scope);
}
Result<RegistryPage<Camera>> PgRegistryStore::list_cameras(const RegistryFilter& filter) {
  return list<Camera>(filter);
}

Status PgRegistryStore::scan_cameras(const std::function<void(const StoredCamera&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(fmt::format("SELECT id, {} FROM cameras ORDER BY code COLLATE \"C\"", registry_rows::kCameras.columns),
              "scanning cameras"));
  for (int i = 0; i < r.rows(); ++i) {
    StoredCamera cam;
    cam.id = r.int64(i, 0);
    PINGAN_ASSIGN_OR_RETURN(cam.camera, registry_rows::camera_of(read_row(r, i, registry_rows::kCameras, 1)));
    visit(cam);
  }
  return {};
}

Result<std::int64_t> PgRegistryStore::count_cameras() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT COUNT(*) FROM cameras", "counting cameras"));
  return r.int64(0, 0);
}

Result<std::vector<RegistryWrite>> PgRegistryStore::upsert_places(std::span<const Place> places) {
  return upsert(places);
}
Result<Place> PgRegistryStore::get_place(const std::string& code, const UnitScope& scope) {
  return get<Place>(code, scope);
}
Result<RegistryPage<Place>> PgRegistryStore::list_places(const RegistryFilter& filter) { return list<Place>(filter); }

Result<std::vector<RegistryWrite>> PgRegistryStore::upsert_enterprises(std::span<const Enterprise> enterprises) {
  return upsert(enterprises);
}
Result<Enterprise> PgRegistryStore::get_enterprise(const std::string& code, const UnitScope& scope) {
  return get<Enterprise>(code, scope);
}
Result<RegistryPage<Enterprise>> PgRegistryStore::list_enterprises(const RegistryFilter& filter) {
  return list<Enterprise>(filter);
}

Result<std::vector<RegistryWrite>> PgRegistryStore::upsert_rental_houses(std::span<const RentalHouse> houses) {
  return upsert(houses);
}
Result<RentalHouse> PgRegistryStore::get_rental_house(const std::string& code, const UnitScope& scope) {
  return get<RentalHouse>(code, scope);
}
Result<RegistryPage<RentalHouse>> PgRegistryStore::list_rental_houses(const RegistryFilter& filter) {
  return list<RentalHouse>(filter);
}

Result<std::vector<RegistryWrite>> PgRegistryStore::upsert_residents(std::span<const Resident> residents) {
  return upsert(residents);
}
Result<Resident> PgRegistryStore::get_resident(PersonId person_id, const UnitScope& scope) {
  return get<Resident>(std::to_string(person_id), scope);
}
Result<RegistryPage<Resident>> PgRegistryStore::list_residents(const RegistryFilter& filter) {
  return list<Resident>(filter);
}

}  // namespace pingan
