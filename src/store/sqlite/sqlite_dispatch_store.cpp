// SqlitePatrolStore's patrol units, dispatch assignments and unit tracks (schema
// migration 3); posts and shifts are in sqlite_patrol_store.cpp.

#include <fmt/format.h>

#include "store/sqlite/sqlite_statement.h"
#include "store/patrol_roles.h"
#include "store/sqlite/sqlite_patrol_store.h"

namespace pingan {
namespace {

using sqlite::Statement;

using stored::join_roles;
using stored::split_roles;

Assignment read_assignment(const Statement& st) {
  Assignment a;
  a.incident_id = st.column_int(0);
  a.call_sign = st.column_text(1);
  a.dispatched_at = st.column_int(2);
  a.arrived_at = st.column_optional_int(3);
  a.cleared_at = st.column_optional_int(4);
  a.actor = st.column_text(5);
  return a;
}

// call_sign, at, lat, lon.
UnitPosition read_position(const Statement& st) {
  return {st.column_text(0), st.column_int(1), GeoPoint{st.column_double(2), st.column_double(3)}};
}

constexpr std::string_view kAssignmentColumns =
    "incident_id, call_sign, dispatched_at, arrived_at, cleared_at, actor";

constexpr std::string_view kUnitColumns = "call_sign, kind, station_code, crew_size, roles, status, assignment";

// kUnitColumns.
Result<PatrolUnit> read_unit(const Statement& row) {
  PatrolUnit u;
  u.call_sign = row.column_text(0);
  PINGAN_ASSIGN_OR_RETURN(u.kind, parse_patrol_kind(row.column_text(1)));
  u.station_code = row.column_text(2);
  u.crew_size = int(row.column_int(3));
  u.roles = split_roles(row.column_text(4));
  PINGAN_ASSIGN_OR_RETURN(u.status, parse_patrol_status(row.column_text(5)));
  u.assignment = row.column_optional_int(6);
  return u;
}

}  // namespace

Status SqlitePatrolStore::save_patrol_state(std::span<const PatrolUnit> units,
                                      std::span<const Assignment> assignments) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(save_patrol_state_locked(units, assignments));
  return tx.commit();
}

Status SqlitePatrolStore::save_patrol_state_locked(std::span<const PatrolUnit> units,
                                                   std::span<const Assignment> assignments) {
  Statement unit_st(db_,
                    "INSERT INTO patrol_units (call_sign, kind, station_code, crew_size, roles, status, assignment) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_sign) DO UPDATE SET kind = excluded.kind, "
                    "station_code = excluded.station_code, crew_size = excluded.crew_size, roles = excluded.roles, "
                    "status = excluded.status, assignment = excluded.assignment");
  if (!unit_st.valid()) return Error::internal(unit_st.prepare_error());
  for (const auto& u : units) {
    const std::string roles = join_roles(u.roles);
    unit_st.bind(1, std::string_view(u.call_sign));
    unit_st.bind(2, std::string_view(patrol_kind_name(u.kind)));
    unit_st.bind(3, std::string_view(u.station_code));
    unit_st.bind(4, u.crew_size);
    unit_st.bind(5, std::string_view(roles));
    unit_st.bind(6, std::string_view(patrol_status_name(u.status)));
    unit_st.bind(7, u.assignment);
    if (unit_st.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("writing patrol unit '{}'", u.call_sign));
    unit_st.reset();
  }
  if (!assignments.empty()) {
    Statement st(db_, fmt::format("INSERT INTO dispatch_assignments ({}) VALUES (?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (incident_id, call_sign, dispatched_at) DO UPDATE SET "
                                  "arrived_at = excluded.arrived_at, cleared_at = excluded.cleared_at",
                                  kAssignmentColumns));
    if (!st.valid()) return Error::internal(st.prepare_error());
    for (const auto& a : assignments) {
      st.bind(1, a.incident_id);
      st.bind(2, std::string_view(a.call_sign));
      st.bind(3, a.dispatched_at);
      st.bind(4, a.arrived_at);
      st.bind(5, a.cleared_at);
      st.bind_text_or_null(6, a.actor);
      if (st.step() != SQLITE_DONE)
        return sqlite::last_error(db_, fmt::format("writing the assignment of '{}'", a.call_sign));
      st.reset();
    }
  }
  return {};
}

Result<std::vector<PatrolUnit>> SqlitePatrolStore::list_patrol_units() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM patrol_units ORDER BY call_sign", kUnitColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<PatrolUnit> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading patrol units", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(PatrolUnit u, read_unit(row));
    out.push_back(std::move(u));
    return {};
  }));
  return out;
}

Result<PatrolRecords> SqlitePatrolStore::patrol_records_of(std::span<const std::string> call_signs) {
  // One lease, one read transaction: the three reads see one snapshot.
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement unit_st(reader.db(), fmt::format("SELECT {} FROM patrol_units WHERE call_sign = ?", kUnitColumns));
  Statement open_st(reader.db(), fmt::format("SELECT {} FROM dispatch_assignments WHERE call_sign = ? AND "
                                             "cleared_at IS NULL ORDER BY dispatched_at",
                                             kAssignmentColumns));
  Statement point_st(reader.db(), "SELECT call_sign, at, lat, lon FROM unit_track_points WHERE call_sign = ? "
                                  "ORDER BY at DESC LIMIT 1");
  for (const Statement* st : {&unit_st, &open_st, &point_st})
    if (!st->valid()) return Error::internal(st->prepare_error());
  PatrolRecords out;
  for (const std::string& call_sign : call_signs) {
    const std::string what = fmt::format("reading the records of patrol unit '{}'", call_sign);
    unit_st.reset();
    unit_st.bind(1, std::string_view(call_sign));
    PINGAN_RETURN_IF_ERROR(unit_st.each_row(what, [&](const Statement& row) -> Status {
      PINGAN_ASSIGN_OR_RETURN(PatrolUnit u, read_unit(row));
      out.units.push_back(std::move(u));
      return {};
    }));
    open_st.reset();
    open_st.bind(1, std::string_view(call_sign));
    PINGAN_RETURN_IF_ERROR(
        open_st.each_row(what, [&](const Statement& row) { out.open_assignments.push_back(read_assignment(row)); }));
    point_st.reset();
    point_st.bind(1, std::string_view(call_sign));
    PINGAN_RETURN_IF_ERROR(
        point_st.each_row(what, [&](const Statement& row) { out.latest_points.push_back(read_position(row)); }));
  }
  return out;
}

Result<std::vector<Assignment>> SqlitePatrolStore::list_assignments(Timestamp from, Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(),
               fmt::format("SELECT {} FROM dispatch_assignments WHERE dispatched_at >= ? AND dispatched_at < ? "
                           "ORDER BY dispatched_at, call_sign",
                           kAssignmentColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, from);
  st.bind(2, until);
  std::vector<Assignment> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("reading assignments", [&](const Statement& row) { out.push_back(read_assignment(row)); }));
  return out;
}

Result<std::vector<Assignment>> SqlitePatrolStore::list_open_assignments() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM dispatch_assignments WHERE cleared_at IS NULL "
                                        "ORDER BY dispatched_at, call_sign",
                                        kAssignmentColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<Assignment> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("reading open assignments", [&](const Statement& row) { out.push_back(read_assignment(row)); }));
  return out;
}

Status SqlitePatrolStore::append_track_points(std::span<const UnitPosition> points) {
  if (points.empty()) return {};
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_, "INSERT INTO unit_track_points (call_sign, at, lat, lon) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (call_sign, at) DO NOTHING");
  if (!st.valid()) return Error::internal(st.prepare_error());
  for (const auto& p : points) {
    st.bind(1, std::string_view(p.call_sign));
    st.bind(2, p.at);
    st.bind(3, p.point.lat);
    st.bind(4, p.point.lon);
    if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "writing track points");
    st.reset();
  }
  return tx.commit();
}

Result<std::vector<UnitPosition>> SqlitePatrolStore::list_track_points(const std::string& call_sign,
                                                                            Timestamp from, Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), call_sign.empty()
                        ? "SELECT call_sign, at, lat, lon FROM unit_track_points WHERE at >= ?1 AND at < ?2 "
                          "ORDER BY call_sign, at"
                        : "SELECT call_sign, at, lat, lon FROM unit_track_points WHERE call_sign = ?3 "
                          "AND at >= ?1 AND at < ?2 ORDER BY at");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, from);
  st.bind(2, until);
  if (!call_sign.empty()) st.bind(3, std::string_view(call_sign));
  std::vector<UnitPosition> out;
  PINGAN_RETURN_IF_ERROR(
      st.each_row("reading track points", [&](const Statement& row) { out.push_back(read_position(row)); }));
  return out;
}

Result<std::vector<UnitPosition>> SqlitePatrolStore::latest_track_points() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum.
  Statement st(reader.db(), "SELECT call_sign, MAX(at), lat, lon FROM unit_track_points GROUP BY call_sign "
                            "ORDER BY call_sign");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<UnitPosition> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading the latest track points",
                                     [&](const Statement& row) { out.push_back(read_position(row)); }));
  return out;
}

}  // namespace pingan
