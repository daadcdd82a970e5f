#include "store/sqlite/sqlite_change_log.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <thread>

#include "store/sqlite/sqlite_statement.h"

namespace pingan {
namespace {

using sqlite::Statement;

constexpr std::int64_t kKeepSeconds = 7 * 86'400;

std::string random_token() {
  std::array<unsigned char, 12> bytes{};
  sqlite3_randomness(static_cast<int>(bytes.size()), bytes.data());
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

// The columns whose change is seen downstream (the indexes, the list, the
// stream): not the personal fields, their hashes or their sealing key, so
// that a key rotation re-sealing every row logs nothing.
constexpr const char* kWatchedColumns =
    "source, source_id, case_number, original_code, reported_at, lat, lon, address, type_code, class_code, "
    "unit_code, status, description, dispatched_at, arrived_at, handled_at, followup_at, fed_back_at, "
    "verified_at, closed_at, followup_assignee, followup_deadline, followup_assessment, voided, void_reason, "
    "merged_into";

// The table's CHECK admits these names only (migrations 13, 15, 16).
ChangeKind change_kind_of(std::string_view kind) {
  if (kind == "units") return ChangeKind::kUnits;
  if (kind == "patrol") return ChangeKind::kPatrol;
  if (kind == "case") return ChangeKind::kCase;
  if (kind == "fugitive") return ChangeKind::kFugitive;
  if (kind == "dissuasion") return ChangeKind::kDissuasion;
  if (kind == "camera") return ChangeKind::kCamera;
  if (kind == "ledger") return ChangeKind::kLedger;
  return ChangeKind::kIncident;
}

}  // namespace

SqliteChangeLog::SqliteChangeLog(std::mutex& mutex, sqlite3* db, sqlite::ReadPool& reads)
    : mutex_(mutex), db_(db), reads_(reads), token_(random_token()) {}

Status SqliteChangeLog::install() {
  std::lock_guard lock(mutex_);
  const std::string log_incident = fmt::format(
      "INSERT INTO changes (at, kind, incident_id, writer) VALUES (unixepoch(), 'incident', NEW.id, '{}');",
      token_);
  const std::string log_units =
      fmt::format("INSERT INTO changes (at, kind, incident_id, writer) VALUES (unixepoch(), 'units', NULL, '{}');",
                  token_);
  PINGAN_RETURN_IF_ERROR(sqlite::exec(
      db_, fmt::format("CREATE TEMP TRIGGER IF NOT EXISTS changes_incident_insert AFTER INSERT ON main.incidents "
                       "BEGIN {0} END; "
                       "CREATE TEMP TRIGGER IF NOT EXISTS changes_incident_update AFTER UPDATE OF {1} ON main.incidents "
                       "BEGIN {0} END; "
                       "CREATE TEMP TRIGGER IF NOT EXISTS changes_units_insert AFTER INSERT ON main.units "
                       "BEGIN {2} END; "
                       "CREATE TEMP TRIGGER IF NOT EXISTS changes_units_update AFTER UPDATE ON main.units "
                       "BEGIN {2} END; "
                       "CREATE TEMP TRIGGER IF NOT EXISTS changes_units_delete AFTER DELETE ON main.units "
                       "BEGIN {2} END;",
                       log_incident, kWatchedColumns, log_units)));
  PINGAN_RETURN_IF_ERROR(install_patrol_triggers());
  PINGAN_RETURN_IF_ERROR(install_case_triggers());
  // A server needs the changes since it started; a week is plenty for one
  // that was stopped and is catching up by a rebuild anyway.
  Statement prune(db_, "DELETE FROM changes WHERE at < unixepoch() - ?");
  if (!prune.valid()) return Error::internal(prune.prepare_error());
  prune.bind(1, kKeepSeconds);
  if (prune.step() != SQLITE_DONE) return sqlite::last_error(db_, "pruning the change log");
  return {};
}

Status SqliteChangeLog::install_patrol_triggers() {
  // The dispatch desk's records, by call sign (migration 11). An upsert
  // that leaves a row as it was logs nothing (WHEN); a track point already
  // stored is skipped by its insert (DO NOTHING) and fires no trigger. Track
  // points carry positions: they are the desk's downsampled track, so
  // another server's map moves at the track's resolution and no raw AVL
  // report is logged.
  const auto log = [&](std::string_view row) {
    return fmt::format(
        "INSERT INTO changes (at, kind, call_sign, writer) VALUES (unixepoch(), 'patrol', {}.call_sign, '{}');", row,
        token_);
  };
  return sqlite::exec(
      db_,
      fmt::format(
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_patrol_insert AFTER INSERT ON main.patrol_units "
          "BEGIN {0} END; "
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_patrol_update AFTER UPDATE ON main.patrol_units "
          "WHEN (OLD.kind, OLD.station_code, OLD.crew_size, OLD.roles, OLD.status, OLD.assignment) IS NOT "
          "(NEW.kind, NEW.station_code, NEW.crew_size, NEW.roles, NEW.status, NEW.assignment) BEGIN {0} END; "
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_patrol_delete AFTER DELETE ON main.patrol_units "
          "BEGIN {1} END; "
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_assignment_insert AFTER INSERT ON main.dispatch_assignments "
          "BEGIN {0} END; "
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_assignment_update AFTER UPDATE ON main.dispatch_assignments "
          "WHEN (OLD.incident_id, OLD.call_sign, OLD.dispatched_at, OLD.arrived_at, OLD.cleared_at, OLD.actor) IS NOT "
          "(NEW.incident_id, NEW.call_sign, NEW.dispatched_at, NEW.arrived_at, NEW.cleared_at, NEW.actor) "
          "BEGIN {0} END; "
          "CREATE TEMP TRIGGER IF NOT EXISTS changes_track_insert AFTER INSERT ON main.unit_track_points "
          "BEGIN {0} END;",
          log("NEW"), log("OLD")));
}

Status SqliteChangeLog::install_case_triggers() {
  // Issue 20 (migration 13): a case, its incidents, history, parties,
  // measures and money by the case's id; a fugitive listing and a dissuasion
  // task by their own. Persons are not logged: a person's row holds only
  // personal data, which nothing downstream shows; the case that names them
  // is logged when they are added to it. An add_party() of a role present
  // already inserts nothing (DO NOTHING) and so logs nothing.
  const auto log = [&](std::string_view kind, std::string_view record) {
    return fmt::format(
        "INSERT INTO changes (at, kind, record_id, writer) VALUES (unixepoch(), '{}', {}, '{}');", kind, record,
        token_);
  };
  std::string sql;
  // Trigger changes_<table>_<event>, e.g. changes_measures_insert.
  const auto on = [&](std::string_view table, std::string_view event, std::string_view body) {
    std::string name(event);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    sql += fmt::format("CREATE TEMP TRIGGER IF NOT EXISTS changes_{0}_{1} AFTER {2} ON main.{0} BEGIN {3} END; ",
                       table, name, event, body);
  };
  on("cases", "INSERT", log("case", "NEW.id"));
  on("cases", "UPDATE", log("case", "NEW.id"));
  for (std::string_view table : {"case_incidents", "case_steps", "case_parties", "measures", "fraud_money"}) {
    on(table, "INSERT", log("case", "NEW.case_id"));
    on(table, "UPDATE", log("case", "NEW.case_id"));
    on(table, "DELETE", log("case", "OLD.case_id"));
  }
  on("fugitives", "INSERT", log("fugitive", "NEW.id"));
  on("fugitives", "UPDATE", log("fugitive", "NEW.id"));
  on("dissuasion_tasks", "INSERT", log("dissuasion", "NEW.id"));
  on("dissuasion_tasks", "UPDATE", log("dissuasion", "NEW.id"));
  // Issue 21 (migration 15): a registry camera by its row; the registry
  // store writes only what differs, so an import run again logs nothing.
  on("cameras", "INSERT", log("camera", "NEW.id"));
  on("cameras", "UPDATE", log("camera", "NEW.id"));
  // Issue 21 (migration 16): a ledger item by its id. A step updates the
  // item's row (state, updated_at) besides adding its history entry; an
  // item a step opens is inserted: each logs once with the write.
  on("ledger_items", "INSERT", log("ledger", "NEW.id"));
  on("ledger_items", "UPDATE", log("ledger", "NEW.id"));
  return sqlite::exec(db_, sql);
}

Result<std::int64_t> SqliteChangeLog::last_position() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // AUTOINCREMENT keeps the highest seq ever given in sqlite_sequence, so
  // the position does not go back when old rows are pruned.
  Statement st(reader.db(), "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading the change log's position"));
  if (!row) return Error::internal("the change log's position gave no row");
  return st.column_int(0);
}

Result<std::int64_t> SqliteChangeLog::first_position() {
  std::int64_t first = 0;
  {
    PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
    Statement st(reader.db(), "SELECT COALESCE(MIN(seq), 0) FROM changes");
    if (!st.valid()) return Error::internal(st.prepare_error());
    PINGAN_ASSIGN_OR_RETURN(bool row, st.next_row("reading the change log's first position"));
    if (!row) return Error::internal("the change log's first position gave no row");
    first = st.column_int(0);
  }
  if (first > 0) return first;
  // Empty: every row pruned (or none ever written); the next one is first.
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t last, last_position());
  return last + 1;
}

Result<std::vector<ChangeRecord>> SqliteChangeLog::changes_by_others(std::int64_t after, int limit) {
  if (limit < 1) return Error::invalid("limit", "at least one change");
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(),
               "SELECT seq, kind, incident_id, call_sign, record_id FROM changes WHERE seq > ? AND writer <> ? "
               "ORDER BY seq "
               "LIMIT ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, after);
  st.bind(2, std::string_view(token_));
  st.bind(3, static_cast<std::int64_t>(limit));
  std::vector<ChangeRecord> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading the change log", [&](const Statement& row) {
    ChangeRecord r;
    r.seq = row.column_int(0);
    const std::string kind = row.column_text(1);
    r.kind = change_kind_of(kind);
    if (!row.column_is_null(2)) r.incident_id = row.column_int(2);
    if (!row.column_is_null(3)) r.call_sign = row.column_text(3);
    if (!row.column_is_null(4)) r.record_id = row.column_int(4);
    out.push_back(std::move(r));
  }));
  return out;
}

Status SqliteChangeLog::wait_for_changes(std::chrono::milliseconds timeout) {
  // Another process's commit sends no signal SQLite could wait on: a poll.
  std::this_thread::sleep_for(timeout);
  return {};
}

}  // namespace pingan
