// PgPatrolStore: patrol units, dispatch assignments, track points (migration
// 3), posts and shifts (migration 5) in PostgreSQL.

#include "store/postgres/pg_patrol_store.h"

#include <fmt/format.h>

#include "store/postgres/pg_array.h"
#include "store/patrol_roles.h"

namespace pingan {
namespace {

using stored::join_roles;
using stored::split_roles;

constexpr std::string_view kAssignmentColumns = "incident_id, call_sign, dispatched_at, arrived_at, cleared_at, actor";

std::vector<Assignment> read_assignments(const pg::PgResult& r) {
  std::vector<Assignment> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Assignment a;
    a.incident_id = r.int64(i, 0);
    a.call_sign = r.text(i, 1);
    a.dispatched_at = r.int64(i, 2);
    a.arrived_at = r.opt_int64(i, 3);
    a.cleared_at = r.opt_int64(i, 4);
    a.actor = r.text(i, 5);
    out.push_back(std::move(a));
  }
  return out;
}

constexpr std::string_view kUnitColumns = "call_sign, kind, station_code, crew_size, roles, status, assignment";

// kUnitColumns.
Result<std::vector<PatrolUnit>> read_units(const pg::PgResult& r) {
  std::vector<PatrolUnit> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    PatrolUnit u;
    u.call_sign = r.text(i, 0);
    PINGAN_ASSIGN_OR_RETURN(u.kind, parse_patrol_kind(r.text(i, 1)));
    u.station_code = r.text(i, 2);
    u.crew_size = static_cast<int>(r.int64(i, 3));
    u.roles = split_roles(r.text(i, 4));
    PINGAN_ASSIGN_OR_RETURN(u.status, parse_patrol_status(r.text(i, 5)));
    u.assignment = r.opt_int64(i, 6);
    out.push_back(std::move(u));
  }
  return out;
}

// call_sign, at, lat, lon.
std::vector<UnitPosition> read_positions(const pg::PgResult& r) {
  std::vector<UnitPosition> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.int64(i, 1), GeoPoint{r.dbl(i, 2), r.dbl(i, 3)}});
  return out;
}

}  // namespace

Status PgPatrolStore::save_patrol_state(std::span<const PatrolUnit> units, std::span<const Assignment> assignments) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_RETURN_IF_ERROR(save_patrol_state_on(*c, units, assignments));
  return tx.commit();
}

Status PgPatrolStore::save_patrol_state_on(pg::Connection& c, std::span<const PatrolUnit> units,
                                           std::span<const Assignment> assignments) {
  for (const auto& u : units) {
    pg::Params p;
    p.add(u.call_sign).add(patrol_kind_name(u.kind)).add(u.station_code).add(u.crew_size).add(join_roles(u.roles))
        .add(patrol_status_name(u.status)).add(u.assignment);
    PINGAN_RETURN_IF_ERROR(c.run(
        "INSERT INTO patrol_units (call_sign, kind, station_code, crew_size, roles, status, assignment) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (call_sign) DO UPDATE SET kind = excluded.kind, "
        "station_code = excluded.station_code, crew_size = excluded.crew_size, roles = excluded.roles, "
        "status = excluded.status, assignment = excluded.assignment",
        p, fmt::format("writing patrol unit '{}'", u.call_sign)));
  }
  for (const auto& a : assignments) {
    pg::Params p;
    p.add(a.incident_id).add(a.call_sign).add(a.dispatched_at).add(a.arrived_at).add(a.cleared_at)
        .add_text_or_null(a.actor);
    PINGAN_RETURN_IF_ERROR(c.run(fmt::format("INSERT INTO dispatch_assignments ({}) VALUES ($1, $2, $3, $4, $5, $6) "
                                             "ON CONFLICT (incident_id, call_sign, dispatched_at) DO UPDATE SET "
                                             "arrived_at = excluded.arrived_at, cleared_at = excluded.cleared_at",
                                             kAssignmentColumns),
                                 p, fmt::format("writing the assignment of '{}'", a.call_sign)));
  }
  return {};
}

Result<std::vector<PatrolUnit>> PgPatrolStore::list_patrol_units() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM patrol_units ORDER BY call_sign", kUnitColumns),
                                  "reading patrol units"));
  return read_units(r);
}

Result<PatrolRecords> PgPatrolStore::patrol_records_of(std::span<const std::string> call_signs) {
  PatrolRecords out;
  if (call_signs.empty()) return out;
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // One snapshot for the three reads: a unit and its assignment as one
  // commit left them.
  PINGAN_RETURN_IF_ERROR(c->exec_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                                        "beginning a read of patrol records"));
  pg::ArrayLiteral signs;
  for (const std::string& call_sign : call_signs) signs.add(call_sign);
  pg::Params p;
  p.add(signs.str());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult unit_rows,
      c->exec(fmt::format("SELECT {} FROM patrol_units WHERE call_sign = ANY($1::text[]) ORDER BY call_sign",
                          kUnitColumns),
              p, "reading patrol units by call sign"));
  PINGAN_ASSIGN_OR_RETURN(out.units, read_units(unit_rows));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult open_rows,
                          c->exec(fmt::format("SELECT {} FROM dispatch_assignments WHERE call_sign = ANY($1::text[]) "
                                              "AND cleared_at IS NULL ORDER BY call_sign, dispatched_at",
                                              kAssignmentColumns),
                                  p, "reading open assignments by call sign"));
  out.open_assignments = read_assignments(open_rows);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult point_rows,
                          c->exec("SELECT DISTINCT ON (call_sign) call_sign, at, lat, lon FROM unit_track_points "
                                  "WHERE call_sign = ANY($1::text[]) ORDER BY call_sign, at DESC",
                                  p, "reading the latest track points by call sign"));
  out.latest_points = read_positions(point_rows);
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return out;
}

Result<std::vector<Assignment>> PgPatrolStore::list_assignments(Timestamp from, Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(from).add(until);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM dispatch_assignments WHERE dispatched_at >= $1 AND "
                                              "dispatched_at < $2 ORDER BY dispatched_at, call_sign",
                                              kAssignmentColumns),
                                  p, "reading assignments"));
  return read_assignments(r);
}

Result<std::vector<Assignment>> PgPatrolStore::list_open_assignments() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM dispatch_assignments WHERE cleared_at IS NULL "
                                              "ORDER BY dispatched_at, call_sign",
                                              kAssignmentColumns),
                                  "reading open assignments"));
  return read_assignments(r);
}

Status PgPatrolStore::append_track_points(std::span<const UnitPosition> points) {
  if (points.empty()) return {};
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // One statement for the batch: four arrays unnested side by side.
  pg::ArrayLiteral signs, ats, lats, lons;
  for (const UnitPosition& point : points) {
    signs.add(point.call_sign);
    ats.add(std::int64_t(point.at));
    // Shortest text that reads back as the same double, as Params sends it.
    lats.add(fmt::format("{}", point.point.lat));
    lons.add(fmt::format("{}", point.point.lon));
  }
  pg::Params p;
  p.add(signs.str()).add(ats.str()).add(lats.str()).add(lons.str());
  return c->run("INSERT INTO unit_track_points (call_sign, at, lat, lon) "
                "SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[]) "
                "ON CONFLICT (call_sign, at) DO NOTHING",
                p, "writing track points");
}

Result<std::vector<UnitPosition>> PgPatrolStore::list_track_points(const std::string& call_sign, Timestamp from,
                                                                   Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(from).add(until);
  if (!call_sign.empty()) p.add(call_sign);
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(call_sign.empty() ? "SELECT call_sign, at, lat, lon FROM unit_track_points WHERE at >= $1 AND at < $2 "
                                  "ORDER BY call_sign, at"
                                : "SELECT call_sign, at, lat, lon FROM unit_track_points WHERE call_sign = $3 "
                                  "AND at >= $1 AND at < $2 ORDER BY at",
              p, "reading track points"));
  return read_positions(r);
}

Result<std::vector<UnitPosition>> PgPatrolStore::latest_track_points() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("SELECT DISTINCT ON (call_sign) call_sign, at, lat, lon FROM unit_track_points "
                                  "ORDER BY call_sign, at DESC",
                                  "reading the latest track points"));
  return read_positions(r);
}

Status PgPatrolStore::upsert_posts(std::span<const PatrolPost> posts) {
  if (posts.empty()) return {};
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  for (const PatrolPost& post : posts) {
    pg::Params p;
    p.add(post.code).add(post.name).add(post.kind).add(post.station_code).add(post.location.lat)
        .add(post.location.lon).add(post.start_minute).add(post.end_minute);
    PINGAN_RETURN_IF_ERROR(c->run(
        "INSERT INTO patrol_posts (code, name, kind, station_code, lat, lon, start_minute, end_minute) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "kind = excluded.kind, station_code = excluded.station_code, lat = excluded.lat, "
        "lon = excluded.lon, start_minute = excluded.start_minute, end_minute = excluded.end_minute",
        p, fmt::format("writing patrol post '{}'", post.code)));
  }
  return tx.commit();
}

Result<std::vector<PatrolPost>> PgPatrolStore::list_posts() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("SELECT code, name, kind, station_code, lat, lon, start_minute, end_minute "
                                  "FROM patrol_posts ORDER BY code",
                                  "reading patrol posts"));
  std::vector<PatrolPost> out;
  for (int i = 0; i < r.rows(); ++i) {
    PatrolPost post;
    post.code = r.text(i, 0);
    post.name = r.text(i, 1);
    post.kind = r.text(i, 2);
    post.station_code = r.text(i, 3);
    post.location = GeoPoint{r.dbl(i, 4), r.dbl(i, 5)};
    post.start_minute = static_cast<int>(r.int64(i, 6));
    post.end_minute = static_cast<int>(r.int64(i, 7));
    out.push_back(std::move(post));
  }
  return out;
}

Result<PatrolShift> PgPatrolStore::add_shift(const PatrolShift& shift) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(shift.call_sign).add(shift.station_code).add(patrol_kind_name(shift.kind)).add(shift.starts_at)
      .add(shift.ends_at).add(shift.crew).add_text_or_null(shift.post_code);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("INSERT INTO patrol_shifts (call_sign, station_code, kind, starts_at, ends_at, crew, "
                                  "post_code) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                  p, "writing a shift"));
  PatrolShift stored = shift;
  stored.id = r.int64(0, 0);
  return stored;
}

Result<std::vector<PatrolShift>> PgPatrolStore::list_shifts(Timestamp from, Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(from).add(until);
  // A shift lasts at most a day (validate_shift): the start bound keeps the index usable.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("SELECT id, call_sign, station_code, kind, starts_at, ends_at, crew, post_code "
                                  "FROM patrol_shifts WHERE starts_at < $2 AND starts_at >= $1::bigint - 86400 "
                                  "AND ends_at > $1 ORDER BY starts_at, id",
                                  p, "reading shifts"));
  std::vector<PatrolShift> out;
  for (int i = 0; i < r.rows(); ++i) {
    PatrolShift s;
    s.id = r.int64(i, 0);
    s.call_sign = r.text(i, 1);
    s.station_code = r.text(i, 2);
    auto kind = parse_patrol_kind(r.text(i, 3));
    s.kind = kind.ok() ? *kind : PatrolKind::kCar;
    s.starts_at = r.int64(i, 4);
    s.ends_at = r.int64(i, 5);
    s.crew = static_cast<int>(r.int64(i, 6));
    s.post_code = r.text(i, 7);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace pingan
