#pragma once
// The append-only, hash-chained audit log (issue 17): logins (ok and
// failed), every write, every reveal, every export and every refusal — who,
// when, from which address, what, with what outcome and why. Each entry
// carries the hash of the one before, so verify() finds an edited, a
// removed or a reordered entry. docs/audit.md describes it for operators.
//
// The HTTP layer calls append(AuditEvent) once per audited request; the CLI
// calls verify(), search() and the exports (`pingan audit`).
//
// Thread safety: every method may be called from several threads. Appends
// are serialised by the store (one write transaction each, reading the head
// inside it), so the chain has no forks, also when a second process (the
// CLI) appends to the same database.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "auth/audit_hash.h"
#include "core/status.h"
#include "core/time.h"
#include "store/audit_store.h"

namespace pingan::auth {

// What happened, as the caller knows it; the log adds seq and the hashes.
struct AuditEvent {
  Timestamp at = 0;          // UTC seconds (the caller's clock, so tests control it)
  std::string user;          // username or token name; "" for anonymous
  std::string unit_code;
  std::string address;       // client IP address
  std::string action;        // "login", "login.failed", "POST /api/incidents", "reveal", "export", "refused"
  std::string target;        // "incident:123", or empty
  std::string outcome = "ok";  // "ok", "refused", "failed"
  std::string reason;        // a stated reveal reason, a refusal's reason
};

// verify()'s finding. When !ok, first_bad_seq is the first entry that does
// not hold and problem says what is wrong with it.
struct AuditVerification {
  bool ok = true;
  std::int64_t checked = 0;        // entries that held, before the first bad one
  std::int64_t first_bad_seq = 0;
  std::string problem;
  std::int64_t head_seq = 0;       // the last entry that held (or the anchor)
  std::string head_hash;
  std::int64_t anchor_seq = 0;     // entries up to this seq were pruned
};

// Entries are kept at least this long: the Network Security Law (网络安全法,
// article 21) asks six months, issue 17 a year.
inline constexpr Timestamp kAuditRetentionSeconds = 365 * 86400;

enum class AuditExportFormat { kJsonLines, kCsv };

class AuditLog {
 public:
  // `alg` hashes the entries appended from now on (chosen per
  // installation); entries keep the alg they were hashed with, so a log may
  // mix both and still verify.
  AuditLog(AuditStore& store, AuditAlg alg) : store_(store), alg_(alg) {}

  // Appends one entry, durably. Refused: no action, an outcome other than
  // ok/refused/failed, a time before 1970; unavailable when the store is.
  Result<AuditEntry> append(const AuditEvent& event);
  // Several entries in one durable commit, in order (auth/audit_queue.h).
  // An event refused by the checks above refuses the whole batch.
  Result<std::vector<AuditEntry>> append_all(const std::vector<AuditEvent>& events);

  // Walks the whole log in seq order from the anchor and reports the first
  // entry that does not hold: a seq gap (entries removed), a prev_hash that
  // is not the previous entry's hash (removed or reordered entries), a hash
  // that does not match the entry's content (an edited entry). An error only
  // when the log cannot be read.
  Result<AuditVerification> verify();

  // Matching entries in seq order; query.limit caps them (0: at most 1000).
  Result<std::vector<AuditEntry>> search(AuditQuery query);

  // Every matching entry (query.limit honoured when set) as JSON Lines or
  // CSV (UTF-8, a header row), in seq order; returns how many were written.
  Result<std::int64_t> export_entries(const AuditQuery& query, AuditExportFormat format, std::ostream& out);

  // Removes the entries before `before` (a prefix of the log, recording the
  // last removed hash as the chain's anchor). Refused when `before` is less
  // than kAuditRetentionSeconds before `now`.
  Result<std::int64_t> prune(Timestamp before, Timestamp now);

 private:
  AuditStore& store_;
  const AuditAlg alg_;
};

}  // namespace pingan::auth
