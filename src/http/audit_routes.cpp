// GET /api/audit: the audit log searched by user, unit, record, action and
// time (auth/audit_log.h), inside the caller's unit subtree: a leader sees
// the entries of their subtree's users, never another unit's.

#include <fmt/format.h>

#include "auth/audit_log.h"
#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/query_params.h"

namespace pingan {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

nlohmann::json entry_json(const AuditEntry& e, const TimeZone& zone) {
  return {{"seq", e.seq},       {"at", format_local(e.at, zone)}, {"user", e.user},     {"unit", e.unit_code},
          {"address", e.address}, {"action", e.action},          {"target", e.target}, {"outcome", e.outcome},
          {"reason", e.reason}};
}

Result<Reply> search_audit(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(
      refuse_unknown_params(r.http, ParamNames{"user", "unit", "record", "action", "from", "to", "limit"}));
  AuditQuery q;
  PINGAN_ASSIGN_OR_RETURN(auto user, single_param(r.http, "user"));
  PINGAN_ASSIGN_OR_RETURN(auto unit, single_param(r.http, "unit"));
  PINGAN_ASSIGN_OR_RETURN(auto record, single_param(r.http, "record"));
  PINGAN_ASSIGN_OR_RETURN(auto action, single_param(r.http, "action"));
  PINGAN_ASSIGN_OR_RETURN(auto from, time_param(r.http, "from", ctx.engine.time_zone()));
  PINGAN_ASSIGN_OR_RETURN(auto to, time_param(r.http, "to", ctx.engine.time_zone()));
  PINGAN_ASSIGN_OR_RETURN(auto limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > kMaxLimit))
    return Error::invalid("limit", fmt::format("must be 1..{}", kMaxLimit));
  q.user = user.value_or("");
  q.unit_code = unit.value_or("");
  q.target = record.value_or("");
  q.action = action.value_or("");
  q.from = from;
  q.until = to;
  const int wanted = limit.value_or(kDefaultLimit);

  auth::AuditLog log(ctx.engine.audit_store(), auth::AuditAlg::kSha256);
  auto tree = ctx.engine.units();
  nlohmann::json items = nlohmann::json::array();
  // Pages through the log until `wanted` entries of the caller's subtree are found.
  while (static_cast<int>(items.size()) < wanted) {
    q.limit = kMaxLimit;
    PINGAN_ASSIGN_OR_RETURN(std::vector<AuditEntry> page, log.search(q));
    for (const AuditEntry& e : page) {
      if (r.deadline->expired()) return Error::unavailable("the audit search ran past its time; narrow it");
      const bool visible = r.scope.all || (!e.unit_code.empty() && e.unit_code != "*" && tree &&
                                           scope_holds(r.scope, e.unit_code, *tree));
      if (visible && static_cast<int>(items.size()) < wanted) items.push_back(entry_json(e, ctx.engine.time_zone()));
    }
    if (static_cast<int>(page.size()) < kMaxLimit) break;
    q.after_seq = page.back().seq;
  }
  const std::size_t returned = items.size();
  return Reply{200, {{"entries", std::move(items)}, {"total", returned}}, {}};
}

}  // namespace

std::vector<Route> audit_routes(const ApiContext& ctx) {
  return {{"GET", "/api/audit", "audit.read", [&ctx](const RouteRequest& r) { return search_audit(ctx, r); }}};
}

}  // namespace pingan
