#include "store/sqlite/sqlite_incident_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <limits>
#include <mutex>
#include <set>
#include <variant>

#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

// Column order shared by every SELECT and INSERT of incidents.
constexpr std::string_view kIncidentColumns =
    "id, source, source_id, case_number, original_code, reported_at, lat, lon, address, "
    "type_code, class_code, unit_code, status, reporter_phone, description, dispatched_at, "
    "arrived_at, handled_at, followup_at, fed_back_at, verified_at, closed_at, followup_assignee, "
    "followup_deadline, followup_assessment, voided, void_reason, merged_into, reporter_name, reporter_id_number, "
    "reporter_phone_hash, reporter_id_hash, personal_key";
constexpr int kIncidentColumnCount = 33;

// Rows per INSERT statement in a batch: one statement execution opens the
// table's and indexes' cursors once for all its rows, about a third fewer
// instructions per row than a statement per row (measured with callgrind).
constexpr size_t kRowsPerInsert = 16;

// "(?, ..., ?), ..." for `rows` rows of `columns` columns.
std::string placeholders(size_t rows, int columns) {
  std::string row;
  for (int i = 0; i < columns; ++i) row += i == 0 ? "(?" : ", ?";
  row += ")";
  std::string values;
  for (size_t r = 0; r < rows; ++r) (values += r ? ", " : "") += row;
  return values;
}

// One new incident; nothing happens when its (source, source_id) exists.
const std::string& create_incident_sql() {
  static const std::string sql = fmt::format("INSERT INTO incidents ({}) VALUES {} ON CONFLICT (source, source_id) DO NOTHING",
                                             kIncidentColumns.substr(4), placeholders(1, kIncidentColumnCount - 1));
  return sql;
}

// `rows` new incidents of a batch; a row whose (source, source_id) exists
// already is skipped. OR IGNORE rather than ON CONFLICT DO NOTHING: a NOT
// NULL column that may abort the statement makes SQLite keep a statement
// journal, a copy of every page a multi-row INSERT touches. A row ignored
// for another reason than its key is not lost silently: insert_incidents
// then finds no record with its key and fails the batch.
std::string insert_batch_sql(std::string_view columns, int column_count, size_t rows) {
  return fmt::format("INSERT OR IGNORE INTO incidents ({}) VALUES {}", columns, placeholders(rows, column_count));
}

// Binds source .. status (the first 12 columns but id) from parameter `i`;
// returns the next parameter.
int bind_head(Statement& st, const Incident& inc, int i) {
  st.bind(i++, std::string_view(inc.source));
  st.bind(i++, std::string_view(inc.source_id));
  st.bind_text_or_null(i++, inc.case_number);
  st.bind_text_or_null(i++, inc.original_code);
  st.bind(i++, inc.reported_at);
  if (inc.location) {
    st.bind(i++, inc.location->lat);
    st.bind(i++, inc.location->lon);
  } else {
    st.bind_null(i++);
    st.bind_null(i++);
  }
  st.bind_text_or_null(i++, inc.address);
  st.bind(i++, std::string_view(inc.type_code));
  st.bind(i++, std::string_view(inc.class_code));
  st.bind_text_or_null(i++, inc.unit_code);
  st.bind(i++, std::string_view(status_name(inc.status)));
  return i;
}

// Binds every column but id, starting at parameter `first`; the personal
// fields as `personal` has them (sealed tokens and hashes).
void bind_incident(Statement& st, const Incident& inc, const stored::StoredPersonal& personal, int first = 1) {
  int i = bind_head(st, inc, first);
  st.bind_text_or_null(i++, personal.phone);
  st.bind_text_or_null(i++, inc.description);
  const LifecycleTimes& t = inc.times;
  for (const auto* v : {&t.dispatched_at, &t.arrived_at, &t.handled_at, &t.followup_at,
                        &t.fed_back_at, &t.verified_at, &t.closed_at})
    st.bind(i++, *v);
  if (inc.followup) {
    st.bind(i++, std::string_view(inc.followup->assignee));
    st.bind(i++, inc.followup->deadline);
    st.bind_text_or_null(i++, inc.followup->assessment);
  } else {
    st.bind_null(i++);
    st.bind_null(i++);
    st.bind_null(i++);
  }
  st.bind(i++, inc.voided ? 1 : 0);
  st.bind_text_or_null(i++, inc.void_reason);
  st.bind(i++, inc.merged_into);
  st.bind_text_or_null(i++, personal.name);
  st.bind_text_or_null(i++, personal.id_number);
  st.bind_text_or_null(i++, personal.phone_hash);
  st.bind_text_or_null(i++, personal.id_hash);
  if (personal.key) st.bind(i++, std::string_view(*personal.key));
  else st.bind_null(i++);
}

// A record as most imports bring it: no reporter (so no personal data), no lifecycle step after
// the report, no follow-up, not merged. A batch of these binds only the
// columns in kRecordColumns; the 12 others stay NULL.
constexpr std::string_view kRecordColumns =
    "source, source_id, case_number, original_code, reported_at, lat, lon, address, type_code, class_code, "
    "unit_code, status, description, voided, void_reason";
constexpr int kRecordColumnCount = 15;

bool is_bare_record(const Incident& inc) {
  const LifecycleTimes& t = inc.times;
  return inc.reporter_phone.empty() && inc.reporter_name.empty() && inc.reporter_id_number.empty() && !inc.followup && !inc.merged_into && !t.dispatched_at && !t.arrived_at &&
         !t.handled_at && !t.followup_at && !t.fed_back_at && !t.verified_at && !t.closed_at;
}

void bind_bare_record(Statement& st, const Incident& inc, int first) {
  int i = bind_head(st, inc, first);
  st.bind_text_or_null(i++, inc.description);
  st.bind(i++, inc.voided ? 1 : 0);
  st.bind_text_or_null(i++, inc.void_reason);
}

Incident read_incident(const Statement& st) {
  Incident inc;
  int i = 0;
  inc.id = st.column_int(i++);
  inc.source = st.column_text(i++);
  inc.source_id = st.column_text(i++);
  inc.case_number = st.column_text(i++);
  inc.original_code = st.column_text(i++);
  inc.reported_at = st.column_int(i++);
  if (!st.column_is_null(i)) inc.location = GeoPoint{st.column_double(i), st.column_double(i + 1)};
  i += 2;
  inc.address = st.column_text(i++);
  inc.type_code = st.column_text(i++);
  inc.class_code = st.column_text(i++);
  inc.unit_code = st.column_text(i++);
  auto status = parse_status(st.column_text(i++));
  inc.status = status.ok() ? *status : IncidentStatus::kReceived;
  inc.reporter_phone = st.column_text(i++);
  inc.description = st.column_text(i++);
  LifecycleTimes& t = inc.times;
  for (auto* v : {&t.dispatched_at, &t.arrived_at, &t.handled_at, &t.followup_at, &t.fed_back_at,
                  &t.verified_at, &t.closed_at})
    *v = st.column_optional_int(i++);
  if (!st.column_is_null(i)) {
    inc.followup = FollowUpTask{st.column_text(i), st.column_int(i + 1), st.column_text(i + 2)};
  }
  i += 3;
  inc.voided = st.column_int(i++) != 0;
  inc.void_reason = st.column_text(i++);
  inc.merged_into = st.column_optional_int(i++);
  // Tokens (or plain text) here; SqliteIncidentStore::read_row opens them.
  inc.reporter_name = st.column_text(i++);
  inc.reporter_id_number = st.column_text(i++);
  return inc;  // the hashes and personal_key are for look-ups and rotation only
}

using SqlParam = std::variant<std::int64_t, double, std::string>;

void bind_params(Statement& st, const std::vector<SqlParam>& params) {
  for (size_t k = 0; k < params.size(); ++k) {
    int i = int(k) + 1;
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
        st.bind(i, std::string_view(v), true);
      else
        st.bind(i, v);
    }, params[k]);
  }
}

// "unit_code IN (<codes of the subtrees>)" or nothing for an unlimited scope.
void add_scope_condition(const UnitScope& scope, std::vector<std::string>& where,
                         std::vector<SqlParam>& params) {
  if (scope.all) return;
  if (scope.root_codes.empty()) {
    where.push_back("0");  // an empty scope sees nothing
    return;
  }
  std::string roots;
  for (const auto& code : scope.root_codes) {
    roots += roots.empty() ? "?" : ", ?";
    params.push_back(code);
  }
  where.push_back(fmt::format(
      "unit_code IN (WITH RECURSIVE sub(code) AS (SELECT code FROM units WHERE code IN ({}) "
      "UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code) SELECT code FROM sub)",
      roots));
}

std::string join_where(const std::vector<std::string>& where) {
  if (where.empty()) return "";
  std::string out = " WHERE ";
  for (size_t i = 0; i < where.size(); ++i) out += (i ? " AND " : "") + where[i];
  return out;
}

template <typename T, typename F>
void add_in_condition(const char* column, const std::vector<T>& values, F to_param,
                      std::vector<std::string>& where, std::vector<SqlParam>& params) {
  if (values.empty()) return;
  std::string marks;
  for (const auto& v : values) {
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(to_param(v));
  }
  where.push_back(fmt::format("{} IN ({})", column, marks));
}

// In bulk mode (begin_bulk .. end_bulk) a write commits with
// synchronous=NORMAL: WAL without waiting for fsync; a crash loses at most
// the unsynced batches, never consistency. Every other write runs with FULL,
// and its WAL sync covers these frames too. Restores FULL when it goes.
class BulkCommit {
 public:
  BulkCommit(sqlite3* db, bool bulk) : db_(db), bulk_(bulk) {}
  Status begin() {
    if (!bulk_) return {};
    return sqlite::exec(db_, "PRAGMA synchronous=NORMAL");
  }
  ~BulkCommit() {
    if (bulk_) sqlite3_exec(db_, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool bulk_;
};

}  // namespace

namespace {

// Foreign keys unchecked while new records go in. Their only foreign key
// is merged_into, which new records never have (insert_incidents refuses
// them); but a table referencing itself makes SQLite give every multi-row
// INSERT a statement journal, a copy of each page it touches: a seventh of
// the instructions of a bulk insert. PRAGMA foreign_keys is ignored inside a
// transaction: this wraps one.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(sqlite3* db) : db_(db) {}
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;
  Status begin() {
    PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "PRAGMA foreign_keys=OFF"));
    off_ = true;
    return {};
  }
  ~ForeignKeysOff() {
    if (off_) sqlite3_exec(db_, "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool off_ = false;
};

}  // namespace

Status SqliteIncidentStore::append_event_locked(const IncidentEvent& e) {
  Statement st(db_,
               "INSERT INTO incident_events (incident_id, seq, from_status, to_status, at, actor, note) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, e.incident_id);
  st.bind(2, e.seq);
  if (e.from) st.bind(3, std::string_view(status_name(*e.from)));
  else st.bind_null(3);
  st.bind(4, std::string_view(status_name(e.to)));
  st.bind(5, e.at);
  st.bind_text_or_null(6, e.actor);
  st.bind_text_or_null(7, e.note);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "appending event");
  return {};
}

Result<Incident> SqliteIncidentStore::create_incident(const Incident& incident, const IncidentEvent& first_event) {
  PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal personal, personal_.seal(incident));  // before the writer's lock
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_, create_incident_sql());
  bind_incident(st, incident, personal);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "inserting incident");
  if (sqlite3_changes(db_) == 0)
    return Error{ErrorCode::kAlreadyExists, "source_id",
                 fmt::format("an incident from source '{}' with source_id '{}' exists already",
                             incident.source, incident.source_id)};
  Incident stored = incident;
  stored.id = sqlite3_last_insert_rowid(db_);
  if (stored.source_id.empty()) {
    // API-created incidents without a source id are keyed by their own id.
    stored.source_id = fmt::format("{}", stored.id);
    Statement upd(db_, "UPDATE incidents SET source_id = ? WHERE id = ?");
    upd.bind(1, std::string_view(stored.source_id));
    upd.bind(2, stored.id);
    if (upd.step() != SQLITE_DONE) return sqlite::last_error(db_, "keying incident");
  }
  IncidentEvent event = first_event;
  event.incident_id = stored.id;
  PINGAN_RETURN_IF_ERROR(append_event_locked(event));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

Status SqliteIncidentStore::begin_bulk() {
  std::lock_guard lock(mutex_);
  // A bigger cache and fewer automatic checkpoints while the batches go in;
  // synchronous is lowered per batch in insert_incidents only.
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_, "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=10000"));
  bulk_ = true;
  checkpointer_ = sqlite::WalCheckpointer::start(db_);
  return {};
}

Status SqliteIncidentStore::end_bulk() {
  std::lock_guard lock(mutex_);
  bulk_ = false;
  checkpointer_.reset();  // waits for a checkpoint under way
  // With synchronous=FULL the checkpoint syncs the WAL, copies it into the
  // database file and syncs that: every bulk batch is durable from here on.
  PINGAN_RETURN_IF_ERROR(sqlite::exec(db_,
      "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=1000"));
  Statement st(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!st.valid()) return Error::internal(st.prepare_error());
  if (st.step() != SQLITE_ROW) return sqlite::last_error(db_, "checkpointing after bulk import");
  // Column 0 is 1 when a reader kept the checkpoint from finishing; the WAL
  // was still synced, so the data is durable either way.
  return {};
}

namespace {

// The prepared statements of one batch insert.
struct BatchStatements {
  // [bare][many]: 1 or kRowsPerInsert rows, every column or kRecordColumns.
  Statement insert[2][2];
  Statement find{};

  Status prepare(sqlite3* db) {
    for (int bare : {0, 1})
      for (int many : {0, 1}) {
        size_t rows = many ? kRowsPerInsert : 1;
        insert[bare][many] = Statement(db, bare ? insert_batch_sql(kRecordColumns, kRecordColumnCount, rows)
                                                : insert_batch_sql(kIncidentColumns.substr(4), kIncidentColumnCount - 1, rows));
        if (!insert[bare][many].valid()) return Error::internal(insert[bare][many].prepare_error());
      }
    find = Statement(db, "SELECT id FROM incidents WHERE source = ? AND source_id = ?");
    if (!find.valid()) return Error::internal(find.prepare_error());
    return {};
  }
};

// Records in `result` which of `rows` (at `offset` in the batch) an INSERT
// statement stored, when it stored fewer than all (`changes`, the last with
// id `last`): some were present already (a re-import). Asked by key: a row
// is new when its id is one this statement gave out and no earlier row of
// the statement had it (a key twice in one statement).
Status sort_out_stored_rows(sqlite3* db, Statement& find, std::span<const Incident> rows, size_t offset,
                            size_t changes, IncidentId last, BatchResult& result) {
  IncidentId first_new = changes == 0 ? std::numeric_limits<IncidentId>::max() : last - IncidentId(changes) + 1;
  std::set<IncidentId> taken;
  for (size_t r = 0; r < rows.size(); ++r) {
    const Incident& inc = rows[r];
    find.bind(1, std::string_view(inc.source));
    find.bind(2, std::string_view(inc.source_id));
    int found = find.step();
    if (found == SQLITE_DONE)
      return Error::internal(fmt::format("{}:{} was refused by the database (a required field is empty)",
                                         inc.source, inc.source_id));
    if (found != SQLITE_ROW)
      return sqlite::last_error(db, fmt::format("finding {}:{} after inserting it", inc.source, inc.source_id));
    IncidentId id = find.column_int(0);
    find.rewind();
    if (id >= first_new && taken.insert(id).second) {
      result.inserted_ids.push_back(id);
    } else {
      ++result.duplicates;
      result.duplicate_rows.push_back(offset + r);
    }
  }
  return {};
}

}  // namespace

Result<BatchResult> SqliteIncidentStore::insert_incidents(std::span<const Incident> incidents) {
  for (const Incident& inc : incidents)
    if (inc.merged_into)
      return Error::invalid("merged_into", fmt::format("{}:{} is new and cannot be merged yet", inc.source,
                                                       inc.source_id));
  // Sealed before the writer's lock: the cipher's work does not hold up other writes.
  std::vector<stored::StoredPersonal> personal(incidents.size());
  for (size_t r = 0; r < incidents.size(); ++r) {
    if (is_bare_record(incidents[r])) continue;
    PINGAN_ASSIGN_OR_RETURN(personal[r], personal_.seal(incidents[r]));
  }
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  ForeignKeysOff no_foreign_keys(db_);
  PINGAN_RETURN_IF_ERROR(no_foreign_keys.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  BatchStatements statements;
  PINGAN_RETURN_IF_ERROR(statements.prepare(db_));
  BatchResult result;
  for (size_t first = 0; first < incidents.size();) {
    std::span<const Incident> rows = incidents.subspan(first, incidents.size() - first >= kRowsPerInsert ? kRowsPerInsert : 1);
    bool bare = std::all_of(rows.begin(), rows.end(), is_bare_record);
    Statement& st = statements.insert[bare][rows.size() == kRowsPerInsert];
    for (size_t r = 0; r < rows.size(); ++r) {
      if (bare) bind_bare_record(st, rows[r], 1 + int(r) * kRecordColumnCount);
      else bind_incident(st, rows[r], personal[first + r], 1 + int(r) * (kIncidentColumnCount - 1));
    }
    if (st.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("inserting {}:{}", rows[0].source, rows[0].source_id));
    st.rewind();  // every parameter is bound again for the next rows
    // With the write lock held, new rows take the ids after the largest one,
    // in row order: the rows this statement stored are (last - changes, last].
    auto changes = static_cast<size_t>(sqlite3_changes(db_));
    IncidentId last = sqlite3_last_insert_rowid(db_);
    if (changes == rows.size()) {
      for (size_t r = 0; r < rows.size(); ++r) result.inserted_ids.push_back(last - IncidentId(rows.size() - 1 - r));
    } else {
      PINGAN_RETURN_IF_ERROR(sort_out_stored_rows(db_, statements.find, rows, first, changes, last, result));
    }
    first += rows.size();
  }
  result.inserted = static_cast<std::int64_t>(result.inserted_ids.size());
  PINGAN_RETURN_IF_ERROR(tx.commit());
  if (checkpointer_) checkpointer_->nudge();
  return result;
}

Result<Incident> SqliteIncidentStore::read_row(const Statement& st) const {
  Incident inc = read_incident(st);
  PINGAN_RETURN_IF_ERROR(personal_.open(inc));
  return inc;
}

Result<Incident> SqliteIncidentStore::get_on(sqlite3* db, IncidentId id, const UnitScope& scope) const {
  std::vector<std::string> where{"id = ?"};
  std::vector<SqlParam> params{std::int64_t(id)};
  add_scope_condition(scope, where, params);
  Statement st(db, fmt::format("SELECT {} FROM incidents{}", kIncidentColumns, join_where(where)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  bind_params(st, params);
  PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading an incident"));
  if (!found) return Error::not_found(fmt::format("no incident {}", id));
  return read_row(st);
}

Result<Incident> SqliteIncidentStore::get_incident(IncidentId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  return get_on(reader.db(), id, scope);
}

Result<std::vector<Incident>> SqliteIncidentStore::get_incidents(std::span<const IncidentId> ids) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM incidents WHERE id = ?", kIncidentColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<Incident> out;
  out.reserve(ids.size());
  for (IncidentId id : ids) {
    st.bind(1, std::int64_t(id));
    PINGAN_ASSIGN_OR_RETURN(bool found, st.next_row("reading incidents by id"));
    if (found) {
      PINGAN_ASSIGN_OR_RETURN(Incident inc, read_row(st));
      out.push_back(std::move(inc));
    }
    st.reset();
  }
  return out;
}

Result<IncidentPage> SqliteIncidentStore::list_incidents(const IncidentFilter& f) {
  std::vector<std::string> where;
  std::vector<SqlParam> params;
  add_scope_condition(f.scope, where, params);
  auto str = [](const std::string& s) { return SqlParam(s); };
  add_in_condition("class_code", f.class_codes, str, where, params);
  add_in_condition("type_code", f.type_codes, str, where, params);
  add_in_condition("status", f.statuses,
                   [](IncidentStatus s) { return SqlParam(std::string(status_name(s))); }, where, params);
  // Integers are emplaced: moving a temporary SqlParam in makes GCC 12 warn,
  // wrongly, that its string alternative may be read uninitialised.
  if (f.from) {
    where.push_back("reported_at >= ?");
    params.emplace_back(*f.from);
  }
  if (f.until) {
    where.push_back("reported_at < ?");
    params.emplace_back(*f.until);
  }
  if (f.bbox) {
    where.push_back("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?");
    params.insert(params.end(), {f.bbox->min_lat, f.bbox->max_lat, f.bbox->min_lon, f.bbox->max_lon});
  }
  if (!f.source.empty()) {
    where.push_back("source = ?");
    params.push_back(f.source);
  }
  if (!f.include_voided) where.push_back("voided = 0");
  if (f.merged_into) {
    where.push_back("merged_into = ?");
    params.emplace_back(std::int64_t(*f.merged_into));
  }
  if (!f.reporter_phone.empty()) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> hash, personal_.phone_hash(f.reporter_phone));
    // Without a key ring the phones are plain text: the number as stored.
    where.push_back(hash ? "reporter_phone_hash = ?" : "reporter_phone = ?");
    params.push_back(hash ? *hash : f.reporter_phone);
  }
  std::string clause = join_where(where);

  // One lease, one snapshot: the total and the page agree.
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  IncidentPage page;
  Statement count(reader.db(), "SELECT COUNT(*) FROM incidents" + clause);
  if (!count.valid()) return Error::internal(count.prepare_error());
  bind_params(count, params);
  PINGAN_ASSIGN_OR_RETURN(bool counted, count.next_row("counting the incidents of a list"));
  if (counted) page.total = count.column_int(0);

  Statement st(reader.db(), fmt::format("SELECT {} FROM incidents{} ORDER BY reported_at DESC, id DESC "
                                        "LIMIT {} OFFSET {}",
                                        kIncidentColumns, clause, f.limit, f.offset));
  if (!st.valid()) return Error::internal(st.prepare_error());
  bind_params(st, params);
  PINGAN_RETURN_IF_ERROR(st.each_row("listing incidents", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(Incident inc, read_row(row));
    page.items.push_back(std::move(inc));
    return {};
  }));
  return page;
}

Result<Incident> SqliteIncidentStore::update_incident(IncidentId id, const UnitScope& scope,
                                              const std::function<Status(Incident&)>& apply,
                                              const IncidentEvent& event_template) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> inc,
                          update_incident_locked(
                              id, scope,
                              [&](Incident& i) -> Result<bool> {
                                PINGAN_RETURN_IF_ERROR(apply(i));
                                return true;
                              },
                              event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return std::move(*inc);
}

Result<std::optional<Incident>> SqliteIncidentStore::update_incident_locked(
    IncidentId id, const UnitScope& scope, const std::function<Result<bool>(Incident&)>& apply,
    const IncidentEvent& event_template) {
  PINGAN_ASSIGN_OR_RETURN(Incident inc, get_on(db_, id, scope));
  IncidentStatus before = inc.status;
  PINGAN_ASSIGN_OR_RETURN(bool changed, apply(inc));
  if (!changed) return std::optional<Incident>();

  std::string set_clause;
  std::string_view cols = kIncidentColumns.substr(4);  // all but id, in bind order
  for (std::string_view rest = cols; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view col = rest.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    set_clause += fmt::format("{}{} = ?", set_clause.empty() ? "" : ", ", col);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  // Sealed again, under the active key: an update also moves a row along a rotation.
  PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal personal, personal_.seal(inc));
  Statement st(db_, fmt::format("UPDATE incidents SET {} WHERE id = ?", set_clause));
  if (!st.valid()) return Error::internal(st.prepare_error());
  bind_incident(st, inc, personal);
  st.bind(kIncidentColumnCount, inc.id);
  if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "updating incident");

  Statement seq(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_events WHERE incident_id = ?");
  seq.bind(1, inc.id);
  PINGAN_ASSIGN_OR_RETURN(bool numbered, seq.next_row("numbering the event"));
  if (!numbered) return Error::internal(fmt::format("no event number for incident {}", inc.id));
  IncidentEvent e = event_template;
  e.incident_id = inc.id;
  e.seq = int(seq.column_int(0));
  e.from = before;
  e.to = inc.status;
  // A status change is dated by its lifecycle time; other changes (a merge)
  // by the time the caller put on the template.
  if (const auto* t = inc.times.slot(inc.status); t && t->has_value() && e.at == 0) e.at = **t;
  PINGAN_RETURN_IF_ERROR(append_event_locked(e));
  return std::optional<Incident>(std::move(inc));
}

namespace {

IncidentEvent read_event(const Statement& row, IncidentId id) {
  IncidentEvent e;
  e.incident_id = id;
  e.seq = int(row.column_int(0));
  if (!row.column_is_null(1))
    if (auto s = parse_status(row.column_text(1)); s.ok()) e.from = *s;
  if (auto s = parse_status(row.column_text(2)); s.ok()) e.to = *s;
  e.at = row.column_int(3);
  e.actor = row.column_text(4);
  e.note = row.column_text(5);
  return e;
}

}  // namespace

Result<std::vector<IncidentEvent>> SqliteIncidentStore::list_events(IncidentId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  PINGAN_RETURN_IF_ERROR(get_on(reader.db(), id, scope));
  Statement st(reader.db(), "SELECT seq, from_status, to_status, at, actor, note FROM incident_events "
                            "WHERE incident_id = ? ORDER BY seq");
  st.bind(1, id);
  std::vector<IncidentEvent> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("listing the events of an incident",
                                     [&](const Statement& row) { out.push_back(read_event(row, id)); }));
  return out;
}

Result<std::vector<IncidentStore::CaseRecord>> SqliteIncidentStore::live_case_records(const std::string& source) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  // `source` is the first column of the (source, source_id) key, so a source
  // that has no rows yet (a first import) costs one index probe.
  Statement st(reader.db(),
               "SELECT id, case_number, original_code FROM incidents "
               "WHERE source = ? AND voided = 0 AND case_number IS NOT NULL ORDER BY id");
  if (!st.valid()) return Error::internal(st.prepare_error());
  st.bind(1, std::string_view(source));
  std::vector<CaseRecord> out;
  PINGAN_RETURN_IF_ERROR(st.each_row("listing case records", [&](const Statement& row) {
    out.push_back({row.column_int(0), row.column_text(1), row.column_text(2)});
  }));
  return out;
}

Result<std::vector<bool>> SqliteIncidentStore::void_incidents(std::span<const VoidById> requests) {
  std::lock_guard lock(mutex_);
  BulkCommit bulk(db_, bulk_);  // an importer's corrections, between its batches
  PINGAN_RETURN_IF_ERROR(bulk.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_,
               "UPDATE incidents SET voided = 1, void_reason = ? "
               "WHERE id = ? AND voided = 0 AND case_number = ? AND original_code = ?");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<bool> voided;
  voided.reserve(requests.size());
  for (const VoidById& r : requests) {
    st.bind(1, std::string_view(r.reason));
    st.bind(2, r.id);
    st.bind(3, std::string_view(r.case_number));
    st.bind(4, std::string_view(r.original_code));
    if (st.step() != SQLITE_DONE) return sqlite::last_error(db_, "voiding incident");
    voided.push_back(sqlite3_changes(db_) > 0);
    st.reset();
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return voided;
}

Status SqliteIncidentStore::scan_incidents(const std::function<void(const Incident&)>& visit) {
  // On a read connection: writers go on while an index is built from the scan.
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), fmt::format("SELECT {} FROM incidents ORDER BY id", kIncidentColumns));
  if (!st.valid()) return Error::internal(st.prepare_error());
  return st.each_row("scanning incidents", [&](const Statement& row) -> Status {
    PINGAN_ASSIGN_OR_RETURN(Incident inc, read_row(row));
    visit(inc);
    return {};
  });
}

Result<std::int64_t> SqliteIncidentStore::count_incidents() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT COUNT(*) FROM incidents");
  PINGAN_ASSIGN_OR_RETURN(bool counted, st.next_row("counting incidents"));
  if (!counted) return Error::internal("sqlite counting incidents: COUNT(*) gave no row");
  return st.column_int(0);
}


Result<std::vector<IncidentEvent>> SqliteIncidentStore::events_of(std::span<const IncidentId> ids) {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  Statement st(reader.db(), "SELECT seq, from_status, to_status, at, actor, note FROM incident_events "
                            "WHERE incident_id = ? ORDER BY seq");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::vector<IncidentEvent> out;
  for (IncidentId id : ids) {
    st.bind(1, std::int64_t(id));
    PINGAN_RETURN_IF_ERROR(st.each_row("reading events", [&](const Statement& row) { out.push_back(read_event(row, id)); }));
    st.reset();
  }
  return out;
}

Result<std::int64_t> SqliteIncidentStore::copy_in(std::span<const Incident> incidents,
                                                  std::span<const IncidentEvent> events) {
  std::vector<stored::StoredPersonal> personal(incidents.size());
  for (size_t r = 0; r < incidents.size(); ++r) {
    PINGAN_ASSIGN_OR_RETURN(personal[r], personal_.seal(incidents[r]));
  }
  std::lock_guard lock(mutex_);
  // merged_into may name an incident of a later batch.
  ForeignKeysOff no_foreign_keys(db_);
  PINGAN_RETURN_IF_ERROR(no_foreign_keys.begin());
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement st(db_, fmt::format("INSERT INTO incidents ({}) VALUES {} ON CONFLICT DO NOTHING", kIncidentColumns,
                                placeholders(1, kIncidentColumnCount)));
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::int64_t stored = 0;
  for (size_t r = 0; r < incidents.size(); ++r) {
    st.bind(1, incidents[r].id);
    bind_incident(st, incidents[r], personal[r], 2);
    if (st.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("copying incident {}", incidents[r].id));
    stored += sqlite3_changes(db_);
    st.reset();
  }
  Statement ev(db_, "INSERT INTO incident_events (incident_id, seq, from_status, to_status, at, actor, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  if (!ev.valid()) return Error::internal(ev.prepare_error());
  for (const IncidentEvent& e : events) {
    ev.bind(1, e.incident_id);
    ev.bind(2, e.seq);
    if (e.from) ev.bind(3, std::string_view(status_name(*e.from)));
    else ev.bind_null(3);
    ev.bind(4, std::string_view(status_name(e.to)));
    ev.bind(5, e.at);
    ev.bind_text_or_null(6, e.actor);
    ev.bind_text_or_null(7, e.note);
    if (ev.step() != SQLITE_DONE) return sqlite::last_error(db_, fmt::format("copying the events of {}", e.incident_id));
    ev.reset();
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

}  // namespace pingan
