#include "store/postgres/pg_change_log.h"

#include <fmt/format.h>
#include <poll.h>

#include "store/postgres/pg_migrations.h"

namespace pingan {
namespace {

constexpr std::int64_t kKeepSeconds = 7 * 86'400;

// The kinds the table's CHECK allows (migrations 10, 11, 13, 15).
ChangeKind change_kind(std::string_view kind) {
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

PgChangeLog::~PgChangeLog() = default;

Status PgChangeLog::prune() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(kKeepSeconds);
  // The newest row stays whatever its age: it holds the position (a
  // sequence would too, but this keeps last_position() one index probe).
  return c->run("DELETE FROM changes WHERE at < extract(epoch FROM now())::bigint - $1 "
                 "AND seq < (SELECT MAX(seq) FROM changes)",
                 p, "pruning the change log");
}

Result<std::int64_t> PgChangeLog::last_position() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT COALESCE(MAX(seq), 0) FROM changes",
                                                  "reading the change log's position"));
  return r.int64(0, 0);
}

Result<std::int64_t> PgChangeLog::first_position() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  // prune() keeps the newest row, so the log is empty only when nothing
  // was ever written: then the first position is 1.
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r, c->exec("SELECT COALESCE(MIN(seq), 1) FROM changes",
                                                  "reading the change log's first position"));
  return r.int64(0, 0);
}

Result<std::vector<ChangeRecord>> PgChangeLog::changes_by_others(std::int64_t after, int limit) {
  if (limit < 1) return Error::invalid("limit", "at least one change");
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Params p;
  p.add(after).add(pool_.writer()).add(limit);
  PINGAN_ASSIGN_OR_RETURN(pg::PgResult r,
                          c->exec("SELECT seq, kind, incident_id, call_sign, record_id FROM changes WHERE seq > $1 "
                                  "AND writer <> $2 ORDER BY seq LIMIT $3",
                                  p, "reading the change log"));
  std::vector<ChangeRecord> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    ChangeRecord rec;
    rec.seq = r.int64(i, 0);
    rec.kind = change_kind(r.view(i, 1));
    if (!r.is_null(i, 2)) rec.incident_id = r.int64(i, 2);
    if (!r.is_null(i, 3)) rec.call_sign = r.text(i, 3);
    if (!r.is_null(i, 4)) rec.record_id = r.int64(i, 4);
    out.push_back(std::move(rec));
  }
  return out;
}

Status PgChangeLog::listen_locked() {
  PINGAN_ASSIGN_OR_RETURN(listener_, pg::Connection::open(pool_.url(), pool_.writer()));
  Status s = listener_->exec_script("LISTEN pingan_changes", "listening for changes");
  if (!s.ok()) listener_.reset();
  return s;
}

Status PgChangeLog::wait_for_changes(std::chrono::milliseconds timeout) {
  std::lock_guard lock(listen_mutex_);
  if (!listener_ || !listener_->healthy()) {
    listener_.reset();
    if (Status s = listen_locked(); !s.ok()) return s;
  }
  PGconn* conn = listener_->raw();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (PQconsumeInput(conn) == 0) {
      listener_.reset();  // the server went away: listen again next time
      return pg::connection_error(pool_.url(), "the change listener lost its connection");
    }
    bool ours = false;
    while (PGnotify* n = PQnotifies(conn)) {
      // Every schema's stores notify the one channel; the payload tells whose.
      if (schema_ == n->extra) ours = true;
      PQfreemem(n);
    }
    if (ours) return {};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
      return Error::internal("waiting for change notifications: poll failed");
  }
}

}  // namespace pingan
