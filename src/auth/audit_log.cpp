// AuditLog's appends, searches and retention; verify() is in
// audit_verify.cpp, the exports in audit_export.cpp.

#include "auth/audit_log.h"

#include <fmt/format.h>

namespace pingan::auth {
namespace {

constexpr std::int64_t kDefaultSearchLimit = 1000;

Status check_event(const AuditEvent& e) {
  if (e.action.empty()) return Error::invalid("action", "an audit entry needs an action");
  if (e.outcome != "ok" && e.outcome != "refused" && e.outcome != "failed")
    return Error::invalid("outcome", fmt::format("audit outcome '{}' is none of ok, refused, failed", e.outcome));
  if (e.at < 0) return Error::invalid("at", fmt::format("audit time {} is before 1970", e.at));
  return {};
}

}  // namespace

namespace {

AuditEntry entry_of(const AuditEvent& event, AuditAlg alg) {
  AuditEntry entry;
  entry.at = event.at;
  entry.user = event.user;
  entry.unit_code = event.unit_code;
  entry.address = event.address;
  entry.action = event.action;
  entry.target = event.target;
  entry.outcome = event.outcome;
  entry.reason = event.reason;
  entry.alg = audit_alg_name(alg);
  return entry;
}

}  // namespace

Result<AuditEntry> AuditLog::append(const AuditEvent& event) {
  PINGAN_RETURN_IF_ERROR(check_event(event));
  // The store fills seq and prev_hash inside its write transaction, then
  // asks for the hash: the head cannot move between the two.
  return store_.append(entry_of(event, alg_), [](const AuditEntry& sealed) { return audit_entry_hash(sealed); });
}

Result<std::vector<AuditEntry>> AuditLog::append_all(const std::vector<AuditEvent>& events) {
  std::vector<AuditEntry> entries;
  entries.reserve(events.size());
  for (const AuditEvent& event : events) {
    PINGAN_RETURN_IF_ERROR(check_event(event));
    entries.push_back(entry_of(event, alg_));
  }
  return store_.append_all(std::move(entries), [](const AuditEntry& sealed) { return audit_entry_hash(sealed); });
}

Result<std::vector<AuditEntry>> AuditLog::search(AuditQuery query) {
  if (query.limit <= 0) query.limit = kDefaultSearchLimit;
  std::vector<AuditEntry> out;
  PINGAN_RETURN_IF_ERROR(store_.search(query, [&](const AuditEntry& e) -> Status {
    out.push_back(e);
    return {};
  }));
  return out;
}

Result<std::int64_t> AuditLog::prune(Timestamp before, Timestamp now) {
  if (before > now - kAuditRetentionSeconds)
    return Error::invalid("before", fmt::format("audit entries are kept at least {} days: {} is less than that before {}",
                                                kAuditRetentionSeconds / 86400, format_utc(before), format_utc(now)));
  return store_.prune(before, now);
}

}  // namespace pingan::auth
