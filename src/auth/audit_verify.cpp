// AuditLog::verify(): one walk of the log in seq order from the anchor,
// stopping at the first entry that does not hold; a second walk from there
// only to tell a reordering from a removal.

#include <fmt/format.h>

#include <optional>

#include "auth/audit_log.h"

namespace pingan::auth {
namespace {

// Where the chain's link broke at `bad`: an entry stored later that is
// `bad`'s predecessor in the chain, or the successor of the last good entry,
// means entries were reordered. Empty when neither exists.
Result<std::string> find_reordering(AuditStore& store, const AuditEntry& bad, const AuditVerification& good) {
  std::string found;
  AuditQuery rest;
  rest.after_seq = bad.seq;
  Status walk = store.search(rest, [&](const AuditEntry& e) -> Status {
    if (e.hash == bad.prev_hash)
      found = fmt::format("reordered: its predecessor in the chain (hash {}) is stored after it, at seq {}",
                          e.hash.substr(0, 16), e.seq);
    else if (e.prev_hash == good.head_hash)
      found = fmt::format("reordered: the entry that follows seq {} in the chain is stored at seq {}", good.head_seq,
                          e.seq);
    return found.empty() ? Status{} : Status(Error::conflict("seq", "found"));
  });
  if (!walk.ok() && found.empty()) return walk.error();
  return found;
}

// What is wrong with `e` following the entries verified so far; empty when
// it holds. The checks that can name a removal or a reordering run before
// the content hash, which fails for those too.
Result<std::string> first_problem(AuditStore& store, const AuditEntry& e, const AuditVerification& good) {
  const std::string after =
      good.head_seq == 0 ? std::string("the start of the log") : fmt::format("seq {}", good.head_seq);
  if (e.seq != good.head_seq + 1)
    return fmt::format("removed: seq {} expected after {}, found seq {} ({} entries missing)", good.head_seq + 1,
                       after, e.seq, e.seq - good.head_seq - 1);
  auto recomputed = audit_entry_hash(e);
  if (!recomputed.ok()) return fmt::format("unreadable: {}", recomputed.error().describe());
  const bool content_holds = *recomputed == e.hash;
  if (e.prev_hash != good.head_hash) {
    PINGAN_ASSIGN_OR_RETURN(std::string reordering, find_reordering(store, e, good));
    if (!reordering.empty()) return reordering;
    if (content_holds)
      return fmt::format("removed or replaced: its prev_hash is not the hash of {}", after);
    return std::string("edited: neither its prev_hash nor its hash matches (content changed, or entries removed and renumbered)");
  }
  if (!content_holds) return std::string("edited: its stored hash does not match its content");
  return std::string();
}

}  // namespace

Result<AuditVerification> AuditLog::verify() {
  PINGAN_ASSIGN_OR_RETURN(AuditAnchor anchor, store_.anchor());
  AuditVerification v;
  v.anchor_seq = anchor.last_seq;
  v.head_seq = anchor.last_seq;
  v.head_hash = anchor.last_hash;
  std::optional<AuditEntry> bad;
  Status walk = store_.search(AuditQuery{}, [&](const AuditEntry& e) -> Status {
    // The link of e to its predecessor is checked first; the diagnosis of a
    // broken one walks the rest of the log after this walk has ended (a
    // call holds one read lease at a time).
    const bool linked = e.seq == v.head_seq + 1 && e.prev_hash == v.head_hash;
    auto recomputed = linked ? audit_entry_hash(e) : Result<std::string>(std::string());
    if (!linked || !recomputed.ok() || *recomputed != e.hash) {
      bad = e;
      return Error::conflict("seq", "stop");
    }
    ++v.checked;
    v.head_seq = e.seq;
    v.head_hash = e.hash;
    return {};
  });
  if (!bad) {
    if (!walk.ok()) return walk.error();
    return v;
  }
  PINGAN_ASSIGN_OR_RETURN(std::string problem, first_problem(store_, *bad, v));
  v.ok = false;
  v.first_bad_seq = bad->seq;
  v.problem = problem;
  return v;
}

}  // namespace pingan::auth
