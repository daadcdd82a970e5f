// SqlitePatrolStore's posts and shifts (schema migration 5); units,
// assignments and tracks are in sqlite_dispatch_store.cpp.

#include <fmt/format.h>

#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_patrol_store.h"

namespace pingan {
namespace {

using sqlite::Statement;

PatrolShift read_shift(const Statement& st) {
  PatrolShift s;
  s.id = st.column_int(0);
  s.call_sign = st.column_text(1);
  s.station_code = st.column_text(2);
  auto kind = parse_patrol_kind(st.column_text(3));
  s.kind = kind.ok() ? *kind : PatrolKind::kCar;
  s.starts_at = st.column_int(4);
  s.ends_at = st.column_int(5);
  s.crew = static_cast<int>(st.column_int(6));
  s.post_code = st.column_text(7);
  return s;
}

}  // namespace

Status SqlitePatrolStore::upsert_posts(std::span<const PatrolPost> posts) {
  if (posts.empty()) return {};
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_,
               "INSERT INTO patrol_posts (code, name, kind, station_code, lat, lon, start_minute, end_minute) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
               "kind = excluded.kind, station_code = excluded.station_code, lat = excluded.lat, "
               "lon = excluded.lon, start_minute = excluded.start_minute, end_minute = excluded.end_minute");
  if (!st.valid()) return Error::internal(st.prepare_error());
  for (const PatrolPost& p : posts) {
    st.bind(1, std::string_view(p.code));
    st.bind(2, std::string_view(p.name));
    st.bind(3, std::string_view(p.kind));
    st.bind(4, std::string_view(p.station_code));
    st.bind(5, p.location.lat);
    st.bind(6, p.location.lon);
    st.bind(7, p.start_minute);
    st.bind(8, p.end_minute);
    if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "writing patrol posts");
    st.reset();
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return {};
}

Result<std::vector<PatrolPost>> SqlitePatrolStore::list_posts() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT code, name, kind, station_code, lat, lon, start_minute, end_minute "
                            "FROM patrol_posts ORDER BY code");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<PatrolPost> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading patrol posts", [&](const Statement& row) {
    PatrolPost p;
    p.code = row.column_text(0);
    p.name = row.column_text(1);
    p.kind = row.column_text(2);
    p.station_code = row.column_text(3);
    p.location = GeoPoint{row.column_double(4), row.column_double(5)};
    p.start_minute = static_cast<int>(row.column_int(6));
    p.end_minute = static_cast<int>(row.column_int(7));
    out.push_back(std::move(p));
  }));
  return out;
}

Result<PatrolShift> SqlitePatrolStore::add_shift(const PatrolShift& shift) {
  std::lock_guard lock(mutex_);
  Statement st(db_, "INSERT INTO patrol_shifts (call_sign, station_code, kind, starts_at, ends_at, crew, post_code) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(shift.call_sign));
  st.bind(2, std::string_view(shift.station_code));
  st.bind(3, std::string_view(patrol_kind_name(shift.kind)));
  st.bind(4, shift.starts_at);
  st.bind(5, shift.ends_at);
  st.bind(6, shift.crew);
  st.bind_text_or_null(7, shift.post_code);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "writing a shift");
  PatrolShift stored = shift;
  stored.id = sqlite3_last_insert_rowid(db_);
  return stored;
}

Result<std::vector<PatrolShift>> SqlitePatrolStore::list_shifts(Timestamp from, Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // A shift lasts at most a day (validate_shift), so the start bound keeps
  // the index usable.
  Statement st(reader.db(), "SELECT id, call_sign, station_code, kind, starts_at, ends_at, crew, post_code "
                    "FROM patrol_shifts WHERE starts_at < ?2 AND starts_at >= ?1 - 86400 AND ends_at > ?1 "
                    "ORDER BY starts_at, id");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, from);
  st.bind(2, until);
  std::vector<PatrolShift> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("reading shifts", [&](const Statement& row) { out.push_back(read_shift(row)); }));
  return out;
}

}  // namespace pingan
