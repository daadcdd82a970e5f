// The ledgers (台账, issue 21; docs/api.md "Ledgers"):
//   GET  /api/ledger-types                      every type: fields, states, steps, deadlines
//   GET  /api/ledgers/{type}?unit=&state=&from=&to=&limit=&before=   a page of items
//   POST /api/ledgers/{type}                    a new item
//   GET  /api/ledger-items/{id}                 the item, its history and its deadlines now
//   POST /api/ledger-items/{id}/steps           a step (and the item it opens, if any)
// Each parses the request, calls Engine::ledgers() and serialises the
// answer; the rules are core's (core/ledger_item.h) and the engine's. The
// actor of every write is the signed-in caller, whose role and permissions
// are the grants a type's `who` lists are checked against. Personal fields
// are masked unless the caller holds personal.reveal.

#include <fmt/format.h>

#include <cstdio>

#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/json_fields.h"
#include "json/ledger_json.h"

namespace pingan {
namespace {

constexpr const char* kRevealPermission = "personal.reveal";

// The role and the permissions of the caller: a step's `who` names either.
LedgerGrants grants_of(const RouteRequest& r) {
  LedgerGrants grants;
  if (!r.principal) return grants;
  grants.push_back(r.principal->role);
  for (const std::string& p : r.principal->permissions) grants.push_back(p);
  return grants;
}

// Personal fields in plain text only for a signed-in caller who may reveal
// them; a server without sign-in shows them masked.
bool may_reveal(const RouteRequest& r) { return r.principal && r.principal->allows(kRevealPermission); }

Result<const LedgerDefinition*> type_of(const ApiContext& ctx, const RouteRequest& r) {
  return ctx.engine.ledgers().type(r.path_params.at(0));
}

Result<std::int64_t> item_id_of(const RouteRequest& r) { return parse_id_param(r.path_params.at(0), "id"); }

nlohmann::json item_json(const ApiContext& ctx, const RouteRequest& r, const LedgerItem& item,
                         const UnitTree* units) {
  const LedgerDefinition* type = ctx.engine.ledgers().catalogue().find(item.type_code);
  // The engine refuses items of unknown types, so this holds for stored ones.
  if (!type) return {{"id", item.id}, {"type", item.type_code}};
  return ledger_item_to_json(item, *type, LedgerJsonView{ctx.engine.time_zone(), may_reveal(r), units});
}

Result<Reply> list_types(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  nlohmann::json types = nlohmann::json::array();
  for (const LedgerDefinition& d : ctx.engine.ledgers().types()) types.push_back(ledger_type_to_json(d));
  return Reply{200, {{"types", std::move(types)}}, {}};
}

// Keyset paging: the cursor is "<created_at>:<id>" of the last item shown.
Result<std::optional<std::pair<Timestamp, std::int64_t>>> read_cursor(const HttpRequest& http) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> text, single_param(http, "before"));
  if (!text) return std::optional<std::pair<Timestamp, std::int64_t>>();
  long long at = 0, id = 0;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%lld:%lld%c", &at, &id, &tail) != 2 || id <= 0)
    return Error::invalid("before", "must be the next of a previous page (<created_at>:<id>)");
  return std::optional<std::pair<Timestamp, std::int64_t>>(std::make_pair(at, id));
}

Result<Reply> list_items(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "state", "from", "to", "limit", "before"}));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, type_of(ctx, r));
  const TimeZone& zone = ctx.engine.time_zone();
  std::shared_ptr<const UnitTree> units = ctx.engine.units();
  LedgerFilter filter;
  filter.type_code = type->code();
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  PINGAN_ASSIGN_OR_RETURN(filter.scope, narrow_scope(r.scope, unit.value_or(""), *units));
  PINGAN_ASSIGN_OR_RETURN(filter.state, single_param(r.http, "state"));
  if (filter.state && !type->state(*filter.state)) {
    std::string known;
    for (const LedgerState& s : type->states()) known += (known.empty() ? "" : ", ") + s.code;
    return Error::invalid("state", fmt::format("{} has no state '{}' (known: {})", type->code(), *filter.state, known));
  }
  PINGAN_ASSIGN_OR_RETURN(filter.created_from, time_param(r.http, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(filter.created_to, time_param(r.http, "to", zone));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > 1000)) return Error::invalid("limit", "must be from 1 to 1000");
  filter.limit = limit.value_or(50);
  PINGAN_ASSIGN_OR_RETURN(filter.before, read_cursor(r.http));
  PINGAN_ASSIGN_OR_RETURN(LedgerPage page, ctx.engine.ledgers().list(filter));
  const LedgerJsonView view{zone, may_reveal(r), units.get()};
  nlohmann::json items = nlohmann::json::array();
  for (const LedgerItem& item : page.items) items.push_back(ledger_item_to_json(item, *type, view));
  nlohmann::json next;
  if (page.more && !page.items.empty())
    next = fmt::format("{}:{}", page.items.back().created_at, page.items.back().id);
  return Reply{200, {{"items", std::move(items)}, {"more", page.more}, {"next", next}}, {}};
}

Result<Reply> create_item(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, type_of(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(NewLedgerItem request, new_ledger_item_from_json(body, *type, ctx.engine.time_zone()));
  request.actor = r.actor;
  request.actor_grants = grants_of(r);
  request.at = now_utc();
  request.now = request.at;
  PINGAN_ASSIGN_OR_RETURN(LedgerItem created, ctx.engine.ledgers().create(type->code(), request, r.scope));
  std::shared_ptr<const UnitTree> units = ctx.engine.units();
  Reply reply{201, item_json(ctx, r, created, units.get()), {}};
  reply.headers.emplace_back("Location", fmt::format("/api/ledger-items/{}", created.id));
  return reply;
}

Result<Reply> get_item(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, item_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem item, ctx.engine.ledgers().get(id, r.scope));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, ctx.engine.ledgers().type(item.type_code));
  const Timestamp now = now_utc();
  std::shared_ptr<const UnitTree> units = ctx.engine.units();
  nlohmann::json body = ledger_item_to_json(item, *type, LedgerJsonView{ctx.engine.time_zone(), may_reveal(r), units.get()});
  body["dues"] = ledger_dues_to_json(ledger_dues(*type, item, now), ctx.engine.time_zone());
  return Reply{200, std::move(body), {}};
}

Result<Reply> step_item(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, item_id_of(r));
  // The item's type says how its fields read; another unit's item is not found.
  PINGAN_ASSIGN_OR_RETURN(LedgerItem current, ctx.engine.ledgers().get(id, r.scope));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, ctx.engine.ledgers().type(current.type_code));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(StepRequest request, ledger_step_from_json(body, *type, ctx.engine.time_zone()));
  request.actor = r.actor;
  request.actor_grants = grants_of(r);
  request.at = now_utc();
  request.now = request.at;
  PINGAN_ASSIGN_OR_RETURN(LedgerStepped stepped, ctx.engine.ledgers().step(id, request, r.scope));
  std::shared_ptr<const UnitTree> units = ctx.engine.units();
  nlohmann::json opened;
  if (stepped.opened) opened = item_json(ctx, r, *stepped.opened, units.get());
  return Reply{200, {{"item", item_json(ctx, r, stepped.item, units.get())}, {"opened", std::move(opened)}}, {}};
}

}  // namespace

std::vector<Route> ledger_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"GET", "/api/ledger-types", "ledgers.read", bind(list_types)},
      {"GET", "/api/ledgers/{type}", "ledgers.read", bind(list_items)},
      {"POST", "/api/ledgers/{type}", "ledgers.write", bind(create_item)},
      {"GET", "/api/ledger-items/{id}", "ledgers.read", bind(get_item)},
      {"POST", "/api/ledger-items/{id}/steps", "ledgers.write", bind(step_item)},
  };
}

}  // namespace pingan
