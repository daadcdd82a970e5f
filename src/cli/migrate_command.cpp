// pingan migrate --from pingan.db --to postgresql://…: moves a database to
// another store, either way between SQLite and PostgreSQL (issue 19). The
// records keep their ids, lifecycle histories, merges and voids; personal
// data is opened with the key ring and sealed again by the target. Each
// batch is one transaction that skips what the target holds already, so a
// migration stopped halfway is run again with the same command and goes on.
// At the end both sides are read again and compared: counts of every
// domain and a checksum over every incident and event.

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/data_keys.h"

namespace pingan::cli {
namespace {

struct MigrateOptions {
  DatabaseOptions from;
  std::string to;
  int batch = 5'000;
};

// A running BLAKE2b digest and a count of what went into it.
class Tally {
 public:
  Tally() { crypto_generichash_init(&state_, nullptr, 0, 32); }
  void add(std::string_view field) {
    const std::uint64_t n = field.size();
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(&n), sizeof n);
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(field.data()), field.size());
  }
  void add(std::int64_t v) { add(std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); }
  void add(const std::optional<std::int64_t>& v) { v ? add(*v) : add(std::string_view("-")); }
  std::string hex() {
    unsigned char out[32];
    crypto_generichash_final(&state_, out, sizeof out);
    std::string h;
    for (unsigned char c : out) h += fmt::format("{:02x}", c);
    return h;
  }
  std::int64_t count = 0;

 private:
  crypto_generichash_state state_;
};

void tally_incident(Tally& t, const Incident& inc) {
  ++t.count;
  t.add(std::int64_t(inc.id));
  for (const std::string* s : {&inc.source, &inc.source_id, &inc.case_number, &inc.original_code, &inc.address,
                               &inc.type_code, &inc.class_code, &inc.unit_code, &inc.description, &inc.void_reason,
                               &inc.reporter_phone, &inc.reporter_name, &inc.reporter_id_number})
    t.add(*s);
  t.add(std::string_view(status_name(inc.status)));
  t.add(inc.reported_at);
  t.add(inc.location ? fmt::format("{:.7f},{:.7f}", inc.location->lat, inc.location->lon) : std::string("-"));
  const LifecycleTimes& x = inc.times;
  for (const auto* v : {&x.dispatched_at, &x.arrived_at, &x.handled_at, &x.followup_at, &x.fed_back_at,
                        &x.verified_at, &x.closed_at})
    t.add(*v);
  t.add(std::int64_t(inc.voided));
  t.add(inc.merged_into ? std::optional<std::int64_t>(*inc.merged_into) : std::nullopt);
  if (inc.followup) {
    t.add(inc.followup->assignee);
    t.add(inc.followup->deadline);
    t.add(inc.followup->assessment);
  }
}

void tally_event(Tally& t, const IncidentEvent& e) {
  ++t.count;
  t.add(std::int64_t(e.incident_id));
  t.add(std::int64_t(e.seq));
  t.add(std::string_view(e.from ? status_name(*e.from) : "-"));
  t.add(std::string_view(status_name(e.to)));
  t.add(e.at);
  t.add(e.actor);
  t.add(e.note);
}

// Every incident id of `engine`, ascending.
Result<std::vector<IncidentId>> all_ids(Engine& engine) {
  std::vector<IncidentId> ids;
  PINGAN_RETURN_IF_ERROR(engine.scan_incidents([&](const Incident& inc) { ids.push_back(inc.id); }));
  return ids;
}

struct Digest {
  std::int64_t incidents = 0, events = 0;
  std::string incidents_hash, events_hash;
};

// Reads every incident and event of `engine` in id order, in batches.
Result<Digest> digest(Engine& engine, int batch, const std::string& label) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentId> ids, all_ids(engine));
  Tally incidents, events;
  ProgressLine progress(label);
  for (std::size_t i = 0; i < ids.size(); i += static_cast<std::size_t>(batch)) {
    std::span<const IncidentId> chunk(ids.data() + i, std::min<std::size_t>(batch, ids.size() - i));
    PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> got, engine.incidents_by_id(chunk));
    for (const Incident& inc : got) tally_incident(incidents, inc);
    PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentEvent> evs, engine.events_of(chunk));
    for (const IncidentEvent& e : evs) tally_event(events, e);
    progress.update(static_cast<std::int64_t>(i + chunk.size()), static_cast<std::int64_t>(ids.size()), "incidents");
  }
  progress.finish();
  return Digest{incidents.count, events.count, incidents.hex(), events.hex()};
}

Status copy_incidents(Engine& from, Engine& to, int batch) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentId> ids, all_ids(from));
  ProgressLine progress("incidents");
  std::int64_t stored = 0;
  for (std::size_t i = 0; i < ids.size(); i += static_cast<std::size_t>(batch)) {
    std::span<const IncidentId> chunk(ids.data() + i, std::min<std::size_t>(batch, ids.size() - i));
    PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> incidents, from.incidents_by_id(chunk));
    PINGAN_ASSIGN_OR_RETURN(std::vector<IncidentEvent> events, from.events_of(chunk));
    PINGAN_ASSIGN_OR_RETURN(std::int64_t n, to.copy_in(incidents, events));
    stored += n;
    progress.update(static_cast<std::int64_t>(i + chunk.size()), static_cast<std::int64_t>(ids.size()), "incidents");
  }
  progress.finish();
  fmt::print("incidents: {} read, {} stored now ({} there already)\n", ids.size(), stored,
             static_cast<std::int64_t>(ids.size()) - stored);
  return {};
}

// Users (with their TOTP secrets opened and sealed again) and API tokens.
Status copy_users(Engine& from, Engine& to) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<User> users, from.user_store().list_users());
  int added = 0, tokens = 0;
  for (const User& u : users) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<User> there, to.user_store().find_user(u.username));
    if (!there) {
      PINGAN_RETURN_IF_ERROR(to.user_store().add_user(u));
      ++added;
    }
    PINGAN_ASSIGN_OR_RETURN(std::vector<ApiToken> theirs, to.user_store().list_tokens(u.username));
    std::set<std::string> present;
    for (const ApiToken& t : theirs) present.insert(t.token_hash);
    PINGAN_ASSIGN_OR_RETURN(std::vector<ApiToken> mine, from.user_store().list_tokens(u.username));
    for (const ApiToken& t : mine)
      if (!present.count(t.token_hash)) {
        PINGAN_RETURN_IF_ERROR(to.user_store().add_token(t));
        ++tokens;
      }
  }
  fmt::print("users: {} read, {} stored now; API tokens: {} stored now\n", users.size(), added, tokens);
  return {};
}

// The audit log entry by entry, each keeping its hash: the target's chain
// is the source's. Entries the target holds already (a run stopped
// halfway) are skipped by seq.
Status copy_audit(Engine& from, Engine& to) {
  AuditStore& source = from.audit_store();
  AuditStore& target = to.audit_store();
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor anchor, source.anchor());
  if (anchor.last_seq != 0)
    return Error::invalid("from", fmt::format("the audit log was pruned up to entry {}; migrating a pruned log is not "
                                              "supported (its anchor would have to move too)",
                                              anchor.last_seq));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t there, target.count(AuditQuery{}));
  std::int64_t copied = 0;
  AuditQuery all;
  all.after_seq = there;
  PINGAN_RETURN_IF_ERROR(source.search(all, [&](const AuditEntry& e) -> Status {
    PINGAN_ASSIGN_OR_RETURN(AuditEntry stored, target.append(e, [&](const AuditEntry& placed) -> Result<std::string> {
      if (placed.seq != e.seq || placed.prev_hash != e.prev_hash)
        return Error::conflict("to", fmt::format("the target's audit log does not continue the source's at entry {}",
                                                 e.seq));
      return e.hash;
    }));
    (void)stored;
    ++copied;
    return {};
  }));
  fmt::print("audit log: {} entries stored now ({} there already)\n", copied, there);
  return {};
}

// Patrol units and every assignment, posts, shifts and track points.
Status copy_patrol(Engine& from, Engine& to) {
  constexpr Timestamp kAllTime = std::numeric_limits<Timestamp>::max();
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolUnit> units, from.list_patrol_units());
  PINGAN_ASSIGN_OR_RETURN(std::vector<Assignment> assignments, from.list_assignments(0, kAllTime));
  PINGAN_RETURN_IF_ERROR(to.save_patrol_state(units, assignments));
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolPost> posts, from.list_posts());
  PINGAN_RETURN_IF_ERROR(to.upsert_posts(posts));
  // Shifts have no key but their id: those of the target are matched by
  // (call sign, start) so that a second run adds none twice.
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolShift> shifts, from.list_shifts(0, kAllTime));
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolShift> present, to.list_shifts(0, kAllTime));
  std::set<std::pair<std::string, Timestamp>> have;
  for (const PatrolShift& s : present) have.insert({s.call_sign, s.starts_at});
  int shifts_added = 0;
  for (const PatrolShift& s : shifts)
    if (!have.count({s.call_sign, s.starts_at})) {
      PINGAN_RETURN_IF_ERROR(to.add_shift(s));
      ++shifts_added;
    }
  PINGAN_ASSIGN_OR_RETURN(std::vector<UnitPosition> track, from.list_track_points("", 0, kAllTime));
  constexpr std::size_t kPoints = 20'000;
  for (std::size_t i = 0; i < track.size(); i += kPoints)
    PINGAN_RETURN_IF_ERROR(to.append_track_points(std::span(track).subspan(i, std::min(kPoints, track.size() - i))));
  fmt::print("patrol: {} units, {} assignments, {} posts, {} shifts stored now, {} track points\n", units.size(),
             assignments.size(), posts.size(), shifts_added, track.size());
  return {};
}

Status migrate(const MigrateOptions& o) {
  if (o.from.db == o.to) return Error::invalid("to", "--from and --to name the same database");
  if (o.batch < 1 || o.batch > 100'000) return Error::invalid("batch", "between 1 and 100000 incidents");
  std::unique_ptr<Engine> from = open_engine_or_report(o.from);
  if (!from) return {};
  DatabaseOptions to_options = o.from;
  to_options.db = o.to;
  std::unique_ptr<Engine> to = open_engine_or_report(to_options);
  if (!to) return {};
  if (from->schema_version() != to->schema_version())
    return Error::invalid("to", fmt::format("schema versions differ: {} has {}, {} has {}", o.from.db,
                                            from->schema_version(), o.to, to->schema_version()));
  fmt::print("migrating {} -> {} (schema version {})\n", o.from.db, o.to, from->schema_version());
  PINGAN_RETURN_IF_ERROR(to->upsert_units(from->units()->units()));
  fmt::print("units: {}\n", from->units()->units().size());
  PINGAN_RETURN_IF_ERROR(copy_incidents(*from, *to, o.batch));
  PINGAN_RETURN_IF_ERROR(copy_patrol(*from, *to));
  PINGAN_RETURN_IF_ERROR(copy_users(*from, *to));
  PINGAN_RETURN_IF_ERROR(copy_audit(*from, *to));

  // Both sides read again, independently of what was copied.
  PINGAN_ASSIGN_OR_RETURN(Digest a, digest(*from, o.batch, "checking the source"));
  PINGAN_ASSIGN_OR_RETURN(Digest b, digest(*to, o.batch, "checking the target"));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t audit_a, from->audit_store().count(AuditQuery{}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t audit_b, to->audit_store().count(AuditQuery{}));
  PINGAN_ASSIGN_OR_RETURN(std::vector<User> users_a, from->user_store().list_users());
  PINGAN_ASSIGN_OR_RETURN(std::vector<User> users_b, to->user_store().list_users());
  fmt::print("{:<10} {:>12} {:>12}  {}\n", "", "source", "target", "checksum (BLAKE2b) source / target");
  fmt::print("{:<10} {:>12} {:>12}  {} / {}\n", "incidents", a.incidents, b.incidents, a.incidents_hash.substr(0, 16),
             b.incidents_hash.substr(0, 16));
  fmt::print("{:<10} {:>12} {:>12}  {} / {}\n", "events", a.events, b.events, a.events_hash.substr(0, 16),
             b.events_hash.substr(0, 16));
  fmt::print("{:<10} {:>12} {:>12}\n", "units", from->units()->units().size(), to->units()->units().size());
  fmt::print("{:<10} {:>12} {:>12}\n", "users", users_a.size(), users_b.size());
  fmt::print("{:<10} {:>12} {:>12}\n", "audit", audit_a, audit_b);
  const bool same = a.incidents == b.incidents && a.events == b.events && a.incidents_hash == b.incidents_hash &&
                    a.events_hash == b.events_hash && audit_a == audit_b && users_a.size() == users_b.size();
  if (!same)
    return Error::conflict("to", "the target differs from the source (above): it held other records before, or was "
                                 "written during the migration");
  fmt::print("the same: {} incidents, {} events, {} audit entries\n", a.incidents, a.events, audit_a);
  return {};
}

}  // namespace

void add_migrate_command(CLI::App& app) {
  auto opts = std::make_shared<MigrateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "migrate", "move a database to another store (SQLite <-> PostgreSQL), resumable, compared at the end");
  cmd->add_option("--from", opts->from.db, "database to read: a SQLite file or a postgresql:// URL")->required();
  cmd->add_option("--to", opts->to, "database to write (created and migrated if new)")->required();
  cmd->add_option("--batch", opts->batch, "incidents per transaction (default 5000)");
  cmd->add_option("--data-dir", opts->from.data_dir, "configuration folder (default: the shipped data/)");
  add_key_file_option(*cmd, opts->from.key_file);
  cmd->callback([opts] {
    Status s = migrate(*opts);
    if (!s.ok()) report_error(s.error());
  });
}

}  // namespace pingan::cli
