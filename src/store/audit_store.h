#pragma once
// The audit log's entries, durably and append-only (issue 17): who did what,
// when, from where, with what outcome. The store keeps the order (seq) and
// the chain's links; what a hash is, and whether the chain holds, is
// auth/audit_log.h's business. Only the engine holds the store; the audit
// log reaches it through Engine::audit_store().

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace pingan {

struct AuditEntry {
  std::int64_t seq = 0;    // 1, 2, 3…, assigned by the store
  Timestamp at = 0;        // UTC seconds, given by the caller
  std::string user;        // username or token name; "" for anonymous
  std::string unit_code;   // the user's unit, "" when none
  std::string address;     // the client's IP address
  std::string action;      // "login", "login.failed", "POST /api/incidents", "reveal", "export", "refused"
  std::string target;      // a record such as "incident:123"; may be empty
  std::string outcome;     // "ok", "refused", "failed"
  std::string reason;      // free text: a stated reveal reason, a refusal's reason
  std::string prev_hash;   // hash of entry seq-1 (or of the anchor); "" for the first entry ever
  std::string hash;        // lowercase hex digest over everything above and alg
  std::string alg;         // "sha256" or "sm3"
};

// Which entries a search returns, always in seq order. Empty strings and
// unset times match everything.
struct AuditQuery {
  std::string user;
  std::string unit_code;
  std::string target;
  std::string action;
  std::optional<Timestamp> from;   // at >= from
  std::optional<Timestamp> until;  // at < until
  std::int64_t after_seq = 0;      // seq > after_seq: paging, or resuming a walk
  std::int64_t limit = 0;          // 0: every match
};

// Where the chain starts after a prune: the last removed entry's seq and
// hash. {0, ""} when nothing was ever pruned.
struct AuditAnchor {
  std::int64_t last_seq = 0;
  std::string last_hash;
};

// Computes an entry's hash once the store has given it its seq and
// prev_hash; an error refuses the append.
using AuditSeal = std::function<Result<std::string>(const AuditEntry&)>;

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Gives `entry` the next seq and the head's hash as prev_hash, asks `seal`
  // for its hash and appends it, all in one write transaction: appends are
  // serialised by the store (also across processes sharing the file), so
  // the chain has no forks. Durable when it returns. Returns the entry as
  // stored.
  virtual Result<AuditEntry> append(AuditEntry entry, const AuditSeal& seal) = 0;
  // The same for several entries in one transaction (one durable commit),
  // chained in the order given: auth/audit_queue.h's batches.
  virtual Result<std::vector<AuditEntry>> append_all(std::vector<AuditEntry> entries, const AuditSeal& seal) = 0;

  // Calls `visit` for each matching entry in seq order, inside one read
  // snapshot; an error from `visit` stops the walk and is returned.
  virtual Status search(const AuditQuery& query, const std::function<Status(const AuditEntry&)>& visit) = 0;
  // Matching entries (query.limit and query.after_seq are ignored).
  virtual Result<std::int64_t> count(const AuditQuery& query) = 0;

  virtual Result<AuditAnchor> anchor() = 0;

  // Removes the oldest entries: every entry before the first one with
  // at >= `before` (a prefix in seq order, so the chain stays whole), and
  // records the last removed one as the anchor, in one transaction. `now`
  // is recorded with the anchor. The retention rule (how old an entry must
  // be) is the caller's (auth/audit_log.h). Returns how many were removed.
  virtual Result<std::int64_t> prune(Timestamp before, Timestamp now) = 0;
};

}  // namespace pingan
