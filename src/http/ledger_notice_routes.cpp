// The ledger scheduler's notices (issue 21; docs/api.md "Ledgers"):
//   GET /api/ledger-notices?unit=&kind=&limit=
// the open reminders (催办) and escalations (督办, 挂牌督办) of the caller's
// units, newest due first: those whose deadline still runs in the run they
// warned of (engine/ledger_notices.h). `unit` narrows to a unit's subtree
// inside the caller's scope; `kind` is remind or escalate.

#include <fmt/format.h>

#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/request_scope.h"

namespace pingan {
namespace {

nlohmann::json notice_to_json(const LedgerNotices& notices, const LedgerNotice& n, const TimeZone& zone) {
  return {{"id", n.id},
          {"item_id", n.item_id},
          {"type_code", n.type_code},
          {"unit_code", n.unit_code},
          {"deadline", n.deadline},
          {"deadline_label", notices.deadline_label(n)},
          {"kind", ledger_notice_kind_name(n.kind)},
          {"level", n.level},
          {"level_label", notices.level_label(n)},
          {"started_at", format_local(n.started_at, zone)},
          {"due_at", format_local(n.due_at, zone)},
          {"noticed_at", format_local(n.noticed_at, zone)}};
}

Result<Reply> list_notices(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "kind", "limit"}));
  LedgerNoticeFilter filter;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  auto units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(filter.scope, narrow_scope(r.scope, unit.value_or(""), *units));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> kind, single_param(r.http, "kind"));
  if (kind) {
    filter.kind = ledger_notice_kind_of(*kind);
    if (!filter.kind)
      return Error::invalid("kind", fmt::format("'{}' is not a kind of notice: remind or escalate", *kind));
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > 1000)) return Error::invalid("limit", "must be from 1 to 1000");
  filter.limit = limit.value_or(200);
  LedgerNotices& notices = ctx.engine.ledger_notices();
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerNotice> open, notices.list(filter, now_utc()));
  nlohmann::json items = nlohmann::json::array();
  for (const LedgerNotice& n : open) items.push_back(notice_to_json(notices, n, ctx.engine.time_zone()));
  return Reply{200, {{"items", std::move(items)}, {"limit", filter.limit}}, {}};
}

}  // namespace

std::vector<Route> ledger_notice_routes(const ApiContext& ctx) {
  return {{"GET", "/api/ledger-notices", "ledgers.read",
           [&ctx](const RouteRequest& r) { return list_notices(ctx, r); }}};
}

}  // namespace pingan
