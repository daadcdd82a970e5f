#include "store/postgres/pg_incident_store.h"

#include <fmt/format.h>

#include <functional>
#include <iterator>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/time.h"
#include "store/postgres/pg_array.h"

namespace pingan {
namespace {

// Column order shared by every SELECT, INSERT, UPDATE and COPY of incidents
// (the SQLite store's, so that rows read back alike).
constexpr std::string_view kIncidentColumns =
    "id, source, source_id, case_number, original_code, reported_at, lat, lon, address, "
    "type_code, class_code, unit_code, status, reporter_phone, description, dispatched_at, "
    "arrived_at, handled_at, followup_at, fed_back_at, verified_at, closed_at, followup_assignee, "
    "followup_deadline, followup_assessment, voided, void_reason, merged_into, reporter_name, reporter_id_number, "
    "reporter_phone_hash, reporter_id_hash, personal_key";
constexpr int kIncidentColumnCount = 33;

// Rows per FETCH of scan_incidents: memory stays at one such block of rows.
constexpr int kScanFetchRows = 10'000;

// How long creating a month's partition waits for its lock on `incidents`
// (ACCESS EXCLUSIVE: it changes the table's partition list). A long read
// (a start-up scan) holds that off; meanwhile the waiting DDL queues every
// other statement on incidents behind it, so it gives up instead of
// stalling the server, and the caller answers `unavailable` (retry).
constexpr std::string_view kPartitionLockTimeout = "5s";

std::vector<std::string_view> column_names() {
  std::vector<std::string_view> out;
  for (std::string_view rest = kIncidentColumns; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view col = rest.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    out.push_back(col);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return out;
}

// "source = $1, …, personal_key = $32": every column but id.
const std::string& set_clause() {
  static const std::string clause = [] {
    std::string out;
    int n = 0;
    for (std::string_view c : column_names()) {
      if (c == "id") continue;
      out += fmt::format("{}{} = ${}", out.empty() ? "" : ", ", c, ++n);
    }
    return out;
  }();
  return clause;
}

const std::string& insert_sql() {
  static const std::string sql = [] {
    std::string marks;
    for (int i = 1; i <= kIncidentColumnCount; ++i) marks += fmt::format("{}${}", i > 1 ? ", " : "", i);
    return fmt::format("INSERT INTO incidents ({}) VALUES ({})", kIncidentColumns, marks);
  }();
  return sql;
}

// Writes an incident's columns as statement parameters.
class ParamsOut {
 public:
  explicit ParamsOut(pg::Params& p) : p_(p) {}
  void text(std::string_view v) { p_.add(v); }
  void text_or_null(std::string_view v) { p_.add_text_or_null(v); }
  void integer(std::int64_t v) { p_.add(v); }
  void integer(const std::optional<std::int64_t>& v) { p_.add(v); }
  void real(double v) { p_.add(v); }
  void null() { p_.add_null(); }

 private:
  pg::Params& p_;
};

// Writes an incident's columns as one line of COPY's text format.
class CopyOut {
 public:
  explicit CopyOut(std::string& out) : out_(out) {}
  void text(std::string_view v) { pg::copy_text(next(), v, false); }
  void text_or_null(std::string_view v) { pg::copy_text(next(), v, true); }
  void integer(std::int64_t v) { fmt::format_to(std::back_inserter(next()), "{}", v); }
  void integer(const std::optional<std::int64_t>& v) { v ? integer(*v) : null(); }
  // Shortest text that reads back as the same double (as Params does).
  void real(double v) { fmt::format_to(std::back_inserter(next()), "{}", v); }
  void null() { pg::copy_null(next()); }
  void end_row() {
    out_ += '\n';
    first_ = true;
  }

 private:
  std::string& next() {
    if (!first_) out_ += '\t';
    first_ = false;
    return out_;
  }
  std::string& out_;
  bool first_ = true;
};

// Every column but id, in kIncidentColumns order; the personal fields as
// `personal` has them (sealed tokens and hashes). Empty optional text is
// NULL, as in the SQLite store.
template <typename Out>
void put_columns(Out& out, const Incident& inc, const stored::StoredPersonal& personal) {
  out.text(inc.source);
  out.text(inc.source_id);
  out.text_or_null(inc.case_number);
  out.text_or_null(inc.original_code);
  out.integer(inc.reported_at);
  if (inc.location) {
    out.real(inc.location->lat);
    out.real(inc.location->lon);
  } else {
    out.null();
    out.null();
  }
  out.text_or_null(inc.address);
  out.text(inc.type_code);
  out.text(inc.class_code);
  out.text_or_null(inc.unit_code);
  out.text(status_name(inc.status));
  out.text_or_null(personal.phone);
  out.text_or_null(inc.description);
  const LifecycleTimes& t = inc.times;
  for (const auto* v : {&t.dispatched_at, &t.arrived_at, &t.handled_at, &t.followup_at, &t.fed_back_at,
                        &t.verified_at, &t.closed_at})
    out.integer(*v);
  if (inc.followup) {
    out.text(inc.followup->assignee);
    out.integer(inc.followup->deadline);
    out.text_or_null(inc.followup->assessment);
  } else {
    out.null();
    out.null();
    out.null();
  }
  out.integer(std::int64_t(inc.voided ? 1 : 0));
  out.text_or_null(inc.void_reason);
  out.integer(inc.merged_into);
  out.text_or_null(personal.name);
  out.text_or_null(personal.id_number);
  out.text_or_null(personal.phone_hash);
  out.text_or_null(personal.id_hash);
  if (personal.key) out.text(*personal.key);
  else out.null();
}

// The incident of row `row` (kIncidentColumns), personal fields as stored.
Incident read_incident(const pg::PgResult& r, int row) {
  Incident inc;
  int i = 0;
  inc.id = r.int64(row, i++);
  inc.source = r.text(row, i++);
  inc.source_id = r.text(row, i++);
  inc.case_number = r.text(row, i++);
  inc.original_code = r.text(row, i++);
  inc.reported_at = r.int64(row, i++);
  if (!r.is_null(row, i)) inc.location = GeoPoint{r.dbl(row, i), r.dbl(row, i + 1)};
  i += 2;
  inc.address = r.text(row, i++);
  inc.type_code = r.text(row, i++);
  inc.class_code = r.text(row, i++);
  inc.unit_code = r.text(row, i++);
  auto status = parse_status(r.view(row, i++));
  inc.status = status.ok() ? *status : IncidentStatus::kReceived;
  inc.reporter_phone = r.text(row, i++);
  inc.description = r.text(row, i++);
  LifecycleTimes& t = inc.times;
  for (auto* v : {&t.dispatched_at, &t.arrived_at, &t.handled_at, &t.followup_at, &t.fed_back_at, &t.verified_at,
                  &t.closed_at})
    *v = r.opt_int64(row, i++);
  if (!r.is_null(row, i)) inc.followup = FollowUpTask{r.text(row, i), r.int64(row, i + 1), r.text(row, i + 2)};
  i += 3;
  inc.voided = r.int64(row, i++) != 0;
  inc.void_reason = r.text(row, i++);
  inc.merged_into = r.opt_int64(row, i++);
  // Tokens (or plain text) here; PersonalFields::open makes them plain.
  inc.reporter_name = r.text(row, i++);
  inc.reporter_id_number = r.text(row, i++);
  return inc;  // the hashes and personal_key are for look-ups and rotation only
}

// WHERE conditions and their parameters, numbered as they are added.
class Conditions {
 public:
  // Adds a parameter; returns its placeholder ("$3").
  template <typename T>
  std::string param(const T& v) {
    params_.add(v);
    return fmt::format("${}", params_.size());
  }
  void add(std::string condition) { where_.push_back(std::move(condition)); }
  // " WHERE a AND b", or "" without conditions.
  std::string clause() const {
    std::string out;
    for (size_t i = 0; i < where_.size(); ++i) out += (i ? " AND " : " WHERE ") + where_[i];
    return out;
  }
  const pg::Params& params() const { return params_; }

 private:
  pg::Params params_;
  std::vector<std::string> where_;
};

// The units under any root of `scope`, through the materialised paths
// ('/PA/S1/'; each ends in '/', so /PA/S1/ is no prefix of /PA/S10/). A
// root whose path is not yet kept ('') widens nothing. Nothing for an
// unlimited scope; an empty scope sees nothing.
void add_scope(const UnitScope& scope, Conditions& q) {
  if (scope.all) return;
  if (scope.root_codes.empty()) {
    q.add("FALSE");
    return;
  }
  std::string roots;
  for (const auto& code : scope.root_codes) roots += (roots.empty() ? "" : ", ") + q.param(code);
  q.add(fmt::format("unit_code IN (SELECT u.code FROM units r JOIN units u ON starts_with(u.path, r.path) "
                    "WHERE r.code IN ({}) AND r.path <> '')",
                    roots));
}

template <typename T, typename F>
void add_in(std::string_view column, const std::vector<T>& values, F to_text, Conditions& q) {
  if (values.empty()) return;
  std::string marks;
  for (const auto& v : values) marks += (marks.empty() ? "" : ", ") + q.param(to_text(v));
  q.add(fmt::format("{} IN ({})", column, marks));
}

// A read of several statements sees one snapshot.
Status begin_read(pg::Transaction& tx, pg::Connection& c) {
  PINGAN_RETURN_IF_ERROR(tx.begin());
  return c.exec_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "beginning a read");
}

// A month of reported_at (UTC) and its partition.
struct Month {
  Timestamp start = 0;
  Timestamp end = 0;  // the next month's start
  std::string table;  // incidents_pYYYYMM, in the search path's schema
};

Month month_of(Timestamp t) {
  const CivilTime c = utc_to_civil(t);
  const CivilTime first{c.year, c.month, 1, 0, 0, 0};
  const CivilTime next = c.month == 12 ? CivilTime{c.year + 1, 1, 1, 0, 0, 0} : CivilTime{c.year, c.month + 1, 1, 0, 0, 0};
  return {civil_to_utc(first), civil_to_utc(next), fmt::format("incidents_p{:04d}{:02d}", c.year, c.month)};
}

std::string create_partition_sql(const Month& m) {
  return fmt::format("CREATE TABLE IF NOT EXISTS {} PARTITION OF incidents FOR VALUES FROM ({}) TO ({})", m.table,
                     m.start, m.end);
}

// Whether `m`'s partition is one of incidents' (the one the search path
// finds, as CREATE does), committed or made earlier in this transaction.
Result<bool> partition_in_catalogue(pg::Connection& c, const Month& m) {
  pg::Params p;
  p.add(m.table);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c.exec("SELECT EXISTS (SELECT 1 FROM pg_inherits h JOIN pg_class t ON t.oid = h.inhrelid "
                                 "WHERE h.inhparent = 'incidents'::regclass AND t.relname = $1)",
                                 p, "looking for a partition"));
  return r.boolean(0, 0);
}

Status append_event(pg::Connection& c, const IncidentEvent& e) {
  pg::Params p;
  p.add(e.incident_id).add(e.seq);
  if (e.from) p.add(status_name(*e.from));
  else p.add_null();
  p.add(status_name(e.to)).add(e.at).add_text_or_null(e.actor).add_text_or_null(e.note);
  return c.run("INSERT INTO incident_events (incident_id, seq, from_status, to_status, at, actor, note) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7)",
               p, "appending event");
}

struct KeyHash {
  std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
    std::hash<std::string_view> h;
    return h(k.first) * 31 + h(k.second);
  }
};

}  // namespace

Status PgIncidentStore::read_partitions(pg::Connection& c) {
  // The lower bound of each partition of incidents, as PostgreSQL prints it:
  // FOR VALUES FROM ('1546300800') TO ('1548979200').
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c.exec("SELECT (regexp_match(pg_get_expr(t.relpartbound, t.oid), 'FROM \\(''?(-?[0-9]+)''?\\)'))[1] "
             "FROM pg_inherits h JOIN pg_class t ON t.oid = h.inhrelid WHERE h.inhparent = 'incidents'::regclass",
             "reading the partitions of incidents"));
  std::lock_guard lock(partitions_mutex_);
  for (int i = 0; i < r.rows(); ++i)
    if (!r.is_null(i, 0)) partitions_.insert(r.int64(i, 0));
  partitions_read_ = true;
  return {};
}

Status PgIncidentStore::ensure_partitions(pg::Connection& c, std::span<const Timestamp> times) {
  bool read = false;
  {
    std::lock_guard lock(partitions_mutex_);
    read = partitions_read_;
  }
  if (!read) PINGAN_RETURN_IF_ERROR(read_partitions(c));
  std::set<Timestamp> wanted;
  {
    std::lock_guard lock(partitions_mutex_);
    // Rows come mostly in time order: a row in the month of the row before
    // it costs two comparisons, not a calendar conversion.
    Timestamp last_from = 1, last_until = 0;
    for (Timestamp t : times) {
      if (t >= last_from && t < last_until) continue;
      const Month m = month_of(t);
      if (!partitions_.count(m.start)) wanted.insert(m.start);
      last_from = m.start;
      last_until = m.end;
    }
  }
  // The month after the current one is made ahead, with the current one: the
  // first call of a new month then finds its partition and takes no lock.
  const Month now = month_of(now_utc());
  if (wanted.count(now.start)) wanted.insert(now.end);
  for (Timestamp start : wanted) {
    const Month m = month_of(start);
    Status created = [&]() -> Status {
      pg::Transaction tx(c);
      PINGAN_RETURN_IF_ERROR(tx.begin());
      PINGAN_RETURN_IF_ERROR(c.exec_script(fmt::format("SET LOCAL lock_timeout = '{}'", kPartitionLockTimeout),
                                           "limiting the partition's lock wait"));
      PINGAN_RETURN_IF_ERROR(c.exec_script(create_partition_sql(m), fmt::format("creating partition {}", m.table)));
      return tx.commit();
    }();
    if (!created.ok()) {
      // Another server made it between IF NOT EXISTS's look and the insert
      // into the catalogue (a duplicate key there): found now, all is well.
      auto exists = partition_in_catalogue(c, m);
      if (!exists.ok() || !*exists) return created;
    }
    std::lock_guard lock(partitions_mutex_);
    partitions_.insert(m.start);
  }
  return {};
}

Status PgIncidentStore::ensure_partition_in_transaction(pg::Connection& c, Timestamp t) {
  const Month m = month_of(t);
  {
    std::lock_guard lock(partitions_mutex_);
    if (partitions_.count(m.start)) return {};
  }
  // Not cached from here: what this transaction finds or makes may roll back with it.
  PINGAN_ASSIGN_OR_RETURN(bool exists, partition_in_catalogue(c, m));
  if (exists) return {};
  PINGAN_RETURN_IF_ERROR(c.exec_script("SAVEPOINT pingan_partition", "marking a savepoint"));
  Status created = c.exec_script(
      fmt::format("SET LOCAL lock_timeout = '{}'; {}", kPartitionLockTimeout, create_partition_sql(m)),
      fmt::format("creating partition {}", m.table));
  if (created.ok()) return c.exec_script("RELEASE SAVEPOINT pingan_partition", "releasing a savepoint");
  PINGAN_RETURN_IF_ERROR(c.exec_script("ROLLBACK TO SAVEPOINT pingan_partition", "rolling back to a savepoint"));
  PINGAN_ASSIGN_OR_RETURN(exists, partition_in_catalogue(c, m));
  if (!exists) return created;
  return {};
}

Result<Incident> PgIncidentStore::create_incident(const Incident& incident, const IncidentEvent& first_event) {
  PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal personal, personal_.seal(incident));
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  const Timestamp when[] = {incident.reported_at};
  PINGAN_RETURN_IF_ERROR(ensure_partitions(*c, when));
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult next, c->exec("SELECT nextval('incidents_id_seq')", "numbering an incident"));
  Incident stored = incident;
  stored.id = next.int64(0, 0);
  // API-created incidents without a source id are keyed by their own id.
  if (stored.source_id.empty()) stored.source_id = fmt::format("{}", stored.id);
  pg::Params key;
  key.add(stored.id).add(stored.source).add(stored.source_id).add(stored.reported_at);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult keyed,
                          c->exec("INSERT INTO incident_keys (id, source, source_id, reported_at) "
                                  "VALUES ($1, $2, $3, $4) ON CONFLICT (source, source_id) DO NOTHING",
                                  key, "keying incident"));
  if (keyed.affected() == 0)
    return Error{ErrorCode::kAlreadyExists, "source_id",
                 fmt::format("an incident from source '{}' with source_id '{}' exists already", incident.source,
                             incident.source_id)};
  pg::Params row;
  row.add(stored.id);
  ParamsOut out(row);
  put_columns(out, stored, personal);
  PINGAN_RETURN_IF_ERROR(c->run(insert_sql(), row, "inserting incident"));
  IncidentEvent event = first_event;
  event.incident_id = stored.id;
  PINGAN_RETURN_IF_ERROR(append_event(*c, event));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return stored;
}

// Every commit waits for the WAL flush (synchronous_commit on), and a batch
// of thousands of rows pays for one flush: there is no cheaper mode worth a
// state that a pooled connection would have to carry between calls.
Status PgIncidentStore::begin_bulk() { return {}; }
Status PgIncidentStore::end_bulk() { return {}; }

Result<BatchResult> PgIncidentStore::insert_incidents(std::span<const Incident> incidents) {
  for (const Incident& inc : incidents)
    if (inc.merged_into)
      return Error::invalid("merged_into",
                            fmt::format("{}:{} is new and cannot be merged yet", inc.source, inc.source_id));
  BatchResult result;
  if (incidents.empty()) return result;
  std::vector<stored::StoredPersonal> personal(incidents.size());
  for (size_t r = 0; r < incidents.size(); ++r) {
    PINGAN_ASSIGN_OR_RETURN(personal[r], personal_.seal(incidents[r]));
  }

  // A key met earlier in the batch makes the later row a duplicate, as in
  // SQLite, where the first row's insert is seen by the second's; the rest
  // are candidates, asked of incident_keys in one statement.
  std::vector<size_t> candidates;
  std::vector<bool> repeated(incidents.size(), false);
  {
    std::unordered_set<std::pair<std::string_view, std::string_view>, KeyHash> seen;
    seen.reserve(incidents.size());
    for (size_t r = 0; r < incidents.size(); ++r) {
      if (seen.emplace(incidents[r].source, incidents[r].source_id).second) candidates.push_back(r);
      else repeated[r] = true;
    }
  }
  std::vector<Timestamp> times;
  times.reserve(candidates.size());
  for (size_t r : candidates) times.push_back(incidents[r].reported_at);

  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_RETURN_IF_ERROR(ensure_partitions(*c, times));
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // Ids in candidate order: the inserted rows' ids ascend in batch order.
  pg::Params count;
  count.add(std::int64_t(candidates.size()));
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult numbered,
                          c->exec("SELECT nextval('incidents_id_seq') FROM generate_series(1, $1)", count,
                                  "numbering a batch"));
  if (numbered.rows() != int(candidates.size()))
    return Error::internal(fmt::format("numbering a batch of {} gave {} ids", candidates.size(), numbered.rows()));
  std::vector<IncidentId> ids(candidates.size());
  pg::ArrayLiteral id_array, source_array, source_id_array, reported_array;
  for (size_t k = 0; k < candidates.size(); ++k) {
    const Incident& inc = incidents[candidates[k]];
    ids[k] = numbered.int64(int(k), 0);
    id_array.add(ids[k]);
    source_array.add(inc.source);
    source_id_array.add(inc.source_id);
    reported_array.add(inc.reported_at);
  }
  // A key another transaction holds uncommitted is waited for, then skipped
  // or taken: two importers of one file never both insert a row. In key
  // order, so that two batches sharing keys wait for each other in one
  // direction, never both ways (a deadlock).
  pg::Params keys;
  keys.add(id_array.str()).add(source_array.str()).add(source_id_array.str()).add(reported_array.str());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult taken,
      c->exec("INSERT INTO incident_keys (id, source, source_id, reported_at) "
              "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS k(id, source, source_id, t) "
              "ORDER BY source, source_id ON CONFLICT (source, source_id) DO NOTHING RETURNING id",
              keys, fmt::format("keying a batch from {}:{}", incidents[0].source, incidents[0].source_id)));
  std::unordered_set<IncidentId> fresh;
  fresh.reserve(static_cast<size_t>(taken.rows()));
  for (int i = 0; i < taken.rows(); ++i) fresh.insert(taken.int64(i, 0));

  std::string data;
  CopyOut out(data);
  for (size_t r = 0, k = 0; r < incidents.size(); ++r) {
    if (repeated[r]) {
      result.duplicate_rows.push_back(r);
      continue;
    }
    const IncidentId id = ids[k++];
    if (!fresh.count(id)) {
      result.duplicate_rows.push_back(r);
      continue;
    }
    result.inserted_ids.push_back(id);
    out.integer(id);
    put_columns(out, incidents[r], personal[r]);
    out.end_row();
  }
  result.inserted = std::int64_t(result.inserted_ids.size());
  result.duplicates = std::int64_t(result.duplicate_rows.size());
  // Last: the change log's trigger takes its lock at the end of this
  // statement and holds it to the commit (pg_migrations.cpp, migration 10).
  if (!data.empty())
    PINGAN_RETURN_IF_ERROR(c->copy_in(fmt::format("COPY incidents ({}) FROM STDIN", kIncidentColumns), data,
                                      fmt::format("copying a batch from {}:{}", incidents[0].source,
                                                  incidents[0].source_id)));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return result;
}

Result<Incident> PgIncidentStore::get_on(pg::Connection& c, IncidentId id, const UnitScope& scope, bool lock) const {
  pg::Params key_params;
  key_params.add(id);
  const std::string key_sql =
      fmt::format("SELECT reported_at FROM incident_keys WHERE id = $1{}", lock ? " FOR UPDATE" : "");
  std::optional<Timestamp> tried;
  while (true) {
    // The key row first: its month, sent as a value, lets the planner prune
    // the read to one partition (a subquery would plan every partition, some
    // milliseconds with a few hundred); locked, it is the lock every writer
    // of this incident takes.
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult key, c.exec(key_sql, key_params, "finding an incident"));
    if (key.rows() == 0) return Error::not_found(fmt::format("no incident {}", id));
    const Timestamp month_key = key.int64(0, 0);
    // Unlocked, an update may have moved the row to another month between the
    // two reads: the key is read again, once per move, before "not found".
    if (tried == month_key) return Error::not_found(fmt::format("no incident {}", id));
    tried = month_key;
    Conditions q;
    q.add("id = " + q.param(id));
    q.add("reported_at = " + q.param(month_key));
    add_scope(scope, q);
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c.exec(fmt::format("SELECT {} FROM incidents{}{}", kIncidentColumns,
                                                               q.clause(), lock ? " FOR UPDATE" : ""),
                                                   q.params(), "reading an incident"));
    if (r.rows() == 0) {
      if (lock) return Error::not_found(fmt::format("no incident {}", id));
      continue;
    }
    Incident inc = read_incident(r, 0);
    PINGAN_RETURN_IF_ERROR(personal_.open(inc));
    return inc;
  }
}

Result<Incident> PgIncidentStore::get_incident(IncidentId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  return get_on(*c, id, scope, false);
}

Result<std::vector<Incident>> PgIncidentStore::get_incidents(std::span<const IncidentId> ids) {
  std::vector<Incident> out;
  if (ids.empty()) return out;
  pg::ArrayLiteral wanted;
  for (IncidentId id : ids) wanted.add(std::int64_t(id));
  pg::Params key_params;
  key_params.add(wanted.str());
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_read(tx, *c));
  // The ids' months first, sent back as values: the planner then reads only
  // their partitions (a join would plan every partition).
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult keys,
                          c->exec("SELECT DISTINCT reported_at FROM incident_keys WHERE id = ANY($1::bigint[])",
                                  key_params, "finding incidents by id"));
  if (keys.rows() == 0) return out;
  pg::ArrayLiteral months;
  for (int i = 0; i < keys.rows(); ++i) months.add(keys.int64(i, 0));
  pg::Params p;
  p.add(wanted.str()).add(months.str());
  PINGAN_ASSIGN_OR_RETURN(
      pg::PgResult r,
      c->exec(fmt::format("SELECT {} FROM incidents WHERE id = ANY($1::bigint[]) AND reported_at = ANY($2::bigint[])",
                          kIncidentColumns),
              p, "reading incidents by id"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  std::unordered_map<IncidentId, int> row_of;
  row_of.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) row_of.emplace(r.int64(i, 0), i);
  out.reserve(ids.size());
  for (IncidentId id : ids) {
    auto found = row_of.find(id);
    if (found == row_of.end()) continue;
    Incident inc = read_incident(r, found->second);
    PINGAN_RETURN_IF_ERROR(personal_.open(inc));
    out.push_back(std::move(inc));
  }
  return out;
}

Result<IncidentPage> PgIncidentStore::list_incidents(const IncidentFilter& f) {
  Conditions q;
  add_scope(f.scope, q);
  auto same = [](const std::string& s) { return s; };
  add_in("class_code", f.class_codes, same, q);
  add_in("type_code", f.type_codes, same, q);
  add_in("status", f.statuses, [](IncidentStatus s) { return std::string(status_name(s)); }, q);
  if (f.from) q.add("reported_at >= " + q.param(std::int64_t(*f.from)));
  if (f.until) q.add("reported_at < " + q.param(std::int64_t(*f.until)));
  if (f.bbox) {
    std::string lat0 = q.param(f.bbox->min_lat), lat1 = q.param(f.bbox->max_lat);
    std::string lon0 = q.param(f.bbox->min_lon), lon1 = q.param(f.bbox->max_lon);
    q.add(fmt::format("lat BETWEEN {} AND {} AND lon BETWEEN {} AND {}", lat0, lat1, lon0, lon1));
  }
  if (!f.source.empty()) q.add("source = " + q.param(f.source));
  if (!f.include_voided) q.add("voided = 0");
  if (f.merged_into) q.add("merged_into = " + q.param(std::int64_t(*f.merged_into)));
  if (!f.reporter_phone.empty()) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> hash, personal_.phone_hash(f.reporter_phone));
    // Without a key ring the phones are plain text: the number as stored.
    q.add(hash ? "reporter_phone_hash = " + q.param(*hash) : "reporter_phone = " + q.param(f.reporter_phone));
  }
  const std::string clause = q.clause();

  // One transaction, one snapshot: the total and the page agree.
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_read(tx, *c));
  IncidentPage page;
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult count, c->exec("SELECT COUNT(*) FROM incidents" + clause, q.params(),
                                                      "counting the incidents of a list"));
  page.total = count.int64(0, 0);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM incidents{} ORDER BY reported_at DESC, id DESC "
                                              "LIMIT {} OFFSET {}",
                                              kIncidentColumns, clause, f.limit, f.offset),
                                  q.params(), "listing incidents"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  page.items.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Incident inc = read_incident(r, i);
    PINGAN_RETURN_IF_ERROR(personal_.open(inc));
    page.items.push_back(std::move(inc));
  }
  return page;
}

Result<Incident> PgIncidentStore::update_incident(IncidentId id, const UnitScope& scope,
                                                  const std::function<Status(Incident&)>& apply,
                                                  const IncidentEvent& event_template) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(std::optional<Incident> inc, update_incident_on(
                                                           *c, id, scope,
                                                           [&](Incident& i) -> Result<bool> {
                                                             PINGAN_RETURN_IF_ERROR(apply(i));
                                                             return true;
                                                           },
                                                           event_template));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return std::move(*inc);
}

Result<std::optional<Incident>> PgIncidentStore::update_incident_on(
    pg::Connection& c, IncidentId id, const UnitScope& scope, const std::function<Result<bool>(Incident&)>& apply,
    const IncidentEvent& event_template) {
  PINGAN_ASSIGN_OR_RETURN(Incident inc, get_on(c, id, scope, true));
  const Incident before = inc;
  PINGAN_ASSIGN_OR_RETURN(bool changed, apply(inc));
  if (!changed) return std::optional<Incident>();

  const bool moved = inc.reported_at != before.reported_at;
  if (moved) PINGAN_RETURN_IF_ERROR(ensure_partition_in_transaction(c, inc.reported_at));
  // Sealed again, under the active key: an update also moves a row along a rotation.
  PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal personal, personal_.seal(inc));
  pg::Params row;
  ParamsOut out(row);
  put_columns(out, inc, personal);
  row.add(before.id).add(before.reported_at);
  PINGAN_RETURN_IF_ERROR(
      c.run(fmt::format("UPDATE incidents SET {} WHERE id = ${} AND reported_at = ${}", set_clause(),
                        kIncidentColumnCount, kIncidentColumnCount + 1),
            row, "updating incident"));
  if (moved || inc.source != before.source || inc.source_id != before.source_id) {
    pg::Params key;
    key.add(inc.source).add(inc.source_id).add(inc.reported_at).add(before.id);
    PINGAN_RETURN_IF_ERROR(
        c.run("UPDATE incident_keys SET source = $1, source_id = $2, reported_at = $3 WHERE id = $4", key,
              "re-keying incident"));
  }

  // The key row's lock, held since the read, keeps the number ours.
  pg::Params p;
  p.add(before.id);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult seq,
                          c.exec("SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_events WHERE incident_id = $1", p,
                                 "numbering the event"));
  IncidentEvent e = event_template;
  e.incident_id = before.id;
  e.seq = int(seq.int64(0, 0));
  e.from = before.status;
  e.to = inc.status;
  // A status change is dated by its lifecycle time; other changes (a merge)
  // by the time the caller put on the template.
  if (const auto* t = inc.times.slot(inc.status); t && t->has_value() && e.at == 0) e.at = **t;
  PINGAN_RETURN_IF_ERROR(append_event(c, e));
  return std::optional<Incident>(std::move(inc));
}

namespace {

// Events of the rows of `r` (incident_id, seq, from_status, to_status, at, actor, note).
std::vector<IncidentEvent> read_events(const pg::PgResult& r) {
  std::vector<IncidentEvent> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    IncidentEvent e;
    e.incident_id = r.int64(i, 0);
    e.seq = int(r.int64(i, 1));
    if (!r.is_null(i, 2))
      if (auto s = parse_status(r.view(i, 2)); s.ok()) e.from = *s;
    if (auto s = parse_status(r.view(i, 3)); s.ok()) e.to = *s;
    e.at = r.int64(i, 4);
    e.actor = r.text(i, 5);
    e.note = r.text(i, 6);
    out.push_back(std::move(e));
  }
  return out;
}

constexpr std::string_view kEventColumns = "incident_id, seq, from_status, to_status, at, actor, note";

}  // namespace

Result<std::vector<IncidentEvent>> PgIncidentStore::list_events(IncidentId id, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_read(tx, *c));
  PINGAN_RETURN_IF_ERROR(get_on(*c, id, scope, false));
  pg::Params p;
  p.add(id);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {} FROM incident_events WHERE incident_id = $1 ORDER BY seq",
                                              kEventColumns),
                                  p, "listing the events of an incident"));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return read_events(r);
}

Result<std::vector<IncidentEvent>> PgIncidentStore::events_of(std::span<const IncidentId> ids) {
  if (ids.empty()) return std::vector<IncidentEvent>{};
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::ArrayLiteral wanted;
  for (IncidentId id : ids) wanted.add(std::int64_t(id));
  pg::Params p;
  p.add(wanted.str());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec(fmt::format("SELECT {0} FROM incident_events e JOIN unnest($1::bigint[]) WITH "
                                              "ORDINALITY AS w(id, pos) ON e.incident_id = w.id ORDER BY w.pos, e.seq",
                                              "e.incident_id, e.seq, e.from_status, e.to_status, e.at, e.actor, e.note"),
                                  p, "reading events by incident"));
  return read_events(r);
}

Result<std::int64_t> PgIncidentStore::copy_in(std::span<const Incident> incidents,
                                              std::span<const IncidentEvent> events) {
  if (incidents.empty() && events.empty()) return std::int64_t{0};
  std::vector<stored::StoredPersonal> personal(incidents.size());
  for (size_t r = 0; r < incidents.size(); ++r) {
    PINGAN_ASSIGN_OR_RETURN(personal[r], personal_.seal(incidents[r]));
  }
  std::vector<Timestamp> times;
  times.reserve(incidents.size());
  for (const Incident& inc : incidents) times.push_back(inc.reported_at);
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_RETURN_IF_ERROR(ensure_partitions(*c, times));
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // Keys first, with the records' own ids; those present (a run stopped
  // halfway, then run again) are skipped, and only the new rows are copied.
  pg::ArrayLiteral id_array, source_array, source_id_array, reported_array;
  IncidentId largest = 0;
  for (const Incident& inc : incidents) {
    id_array.add(std::int64_t(inc.id));
    source_array.add(inc.source);
    source_id_array.add(inc.source_id);
    reported_array.add(inc.reported_at);
    largest = std::max(largest, inc.id);
  }
  std::unordered_set<IncidentId> fresh;
  if (!incidents.empty()) {
    pg::Params keys;
    keys.add(id_array.str()).add(source_array.str()).add(source_id_array.str()).add(reported_array.str());
    PINGAN_ASSIGN_OR_RETURN(
        pg::PgResult taken,
        c->exec("INSERT INTO incident_keys (id, source, source_id, reported_at) "
                "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING "
                "RETURNING id",
                keys, fmt::format("keying copied incidents from {}", incidents.front().id)));
    for (int i = 0; i < taken.rows(); ++i) fresh.insert(taken.int64(i, 0));
  }
  std::string data;
  CopyOut out(data);
  for (size_t r = 0; r < incidents.size(); ++r) {
    if (!fresh.count(incidents[r].id)) continue;
    out.integer(std::int64_t(incidents[r].id));
    put_columns(out, incidents[r], personal[r]);
    out.end_row();
  }
  if (!data.empty())
    PINGAN_RETURN_IF_ERROR(c->copy_in(fmt::format("COPY incidents ({}) FROM STDIN", kIncidentColumns), data,
                                      "copying incidents"));
  if (!events.empty()) {
    pg::ArrayLiteral inc_ids, seqs, froms, tos, ats, actors, notes;
    // NULL from_status travels as '' and comes back as NULL through NULLIF.
    for (const IncidentEvent& e : events) {
      inc_ids.add(std::int64_t(e.incident_id));
      seqs.add(std::int64_t(e.seq));
      froms.add(e.from ? std::string_view(status_name(*e.from)) : std::string_view());
      tos.add(std::string_view(status_name(e.to)));
      ats.add(e.at);
      actors.add(e.actor);
      notes.add(e.note);
    }
    pg::Params p;
    p.add(inc_ids.str()).add(seqs.str()).add(froms.str()).add(tos.str()).add(ats.str()).add(actors.str()).add(notes.str());
    PINGAN_RETURN_IF_ERROR(c->run(
        fmt::format("INSERT INTO incident_events ({}) SELECT i, s, NULLIF(f, ''), t, a, NULLIF(w, ''), NULLIF(n, '') "
                    "FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[]) "
                    "AS e(i, s, f, t, a, w, n) ON CONFLICT DO NOTHING",
                    kEventColumns),
        p, "copying events"));
  }
  // Ids given by create_incident() from now on come after the copied ones.
  if (largest > 0) {
    pg::Params p;
    p.add(std::int64_t(largest));
    PINGAN_RETURN_IF_ERROR(c->run("SELECT setval('incidents_id_seq', GREATEST($1::bigint, "
                                  "(SELECT last_value FROM incidents_id_seq)))",
                                  p, "moving the id sequence past the copied incidents"));
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return std::int64_t(fresh.size());
}

Result<std::vector<IncidentStore::CaseRecord>> PgIncidentStore::live_case_records(const std::string& source) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(source);
  // From incident_keys, whose (source, source_id) index finds a source that
  // has no rows yet (a first import) in one probe.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("SELECT i.id, i.case_number, i.original_code FROM incident_keys k "
                                  "JOIN incidents i ON i.id = k.id AND i.reported_at = k.reported_at "
                                  "WHERE k.source = $1 AND i.voided = 0 AND i.case_number IS NOT NULL ORDER BY i.id",
                                  p, "listing case records"));
  std::vector<CaseRecord> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2)});
  return out;
}

Result<std::vector<bool>> PgIncidentStore::void_incidents(std::span<const VoidById> requests) {
  std::vector<bool> voided;
  if (requests.empty()) return voided;
  pg::ArrayLiteral ids;
  for (const VoidById& r : requests) ids.add(std::int64_t(r.id));
  pg::Params key_params;
  key_params.add(ids.str());
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // The records' months, their key rows locked in id order (no update moves
  // one meanwhile, and two importers lock alike): each UPDATE below then
  // names its partition by value and plans one partition, not all.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult keys,
                          c->exec("SELECT id, reported_at FROM incident_keys WHERE id = ANY($1::bigint[]) "
                                  "ORDER BY id FOR UPDATE",
                                  key_params, "locking incidents to void"));
  std::unordered_map<IncidentId, Timestamp> month_key;
  month_key.reserve(static_cast<size_t>(keys.rows()));
  for (int i = 0; i < keys.rows(); ++i) month_key.emplace(keys.int64(i, 0), keys.int64(i, 1));
  voided.reserve(requests.size());
  // One statement per request, in order: a record named twice is voided by
  // the first request that still matches it, as in SQLite.
  for (const VoidById& r : requests) {
    auto key = month_key.find(r.id);
    if (key == month_key.end()) {
      voided.push_back(false);
      continue;
    }
    pg::Params p;
    p.add(r.reason).add(r.id).add(key->second).add(r.case_number).add(r.original_code);
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult done,
                            c->exec("UPDATE incidents SET voided = 1, void_reason = $1 "
                                    "WHERE id = $2 AND reported_at = $3 AND voided = 0 "
                                    "AND case_number = $4 AND original_code = $5",
                                    p, "voiding incident"));
    voided.push_back(done.affected() > 0);
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return voided;
}

Status PgIncidentStore::scan_incidents(const std::function<void(const Incident&)>& visit) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(begin_read(tx, *c));
  // A cursor in one snapshot: writes go on meanwhile, unseen, and only one
  // FETCH's rows are in memory at a time.
  PINGAN_RETURN_IF_ERROR(c->exec_script(
      fmt::format("DECLARE pingan_scan NO SCROLL CURSOR FOR SELECT {} FROM incidents ORDER BY id", kIncidentColumns),
      "scanning incidents"));
  const std::string fetch = fmt::format("FETCH {} FROM pingan_scan", kScanFetchRows);
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec(fetch, "scanning incidents"));
    for (int i = 0; i < r.rows(); ++i) {
      Incident inc = read_incident(r, i);
      PINGAN_RETURN_IF_ERROR(personal_.open(inc));
      visit(inc);
    }
    if (r.rows() < kScanFetchRows) break;
  }
  return tx.commit();  // closes the cursor
}

Result<std::int64_t> PgIncidentStore::count_incidents() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // incident_keys has one row per incident, written in the incident's own
  // transaction: the same count from one narrow table, not every partition.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT COUNT(*) FROM incident_keys", "counting incidents"));
  return r.int64(0, 0);
}

}  // namespace pingan
