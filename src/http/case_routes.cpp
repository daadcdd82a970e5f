// Cases and what hangs on them (issue 20; docs/api.md "Cases"):
//   POST/GET /api/cases, GET /api/cases/{id}, POST /api/cases/{id}/steps,
//   GET /api/cases/{id}/history, POST /api/cases/{id}/parties,
//   POST /api/cases/{id}/measures, POST /api/cases/{id}/money.
// Each parses the request, calls Engine::cases() and serialises the answer;
// the rules are core's and the engine's.

#include <fmt/format.h>

#include <map>

#include "http/api_routes.h"
#include "http/case_query.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/case_json.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

Result<CaseId> case_id_of(const RouteRequest& r) { return parse_id_param(r.path_params.at(0), "id"); }

// The persons a case names, for the detail's masked parties.
Result<std::map<PersonId, Person>> persons_of(Engine& engine, const CaseBundle& bundle) {
  std::map<PersonId, Person> persons;
  for (const CaseParty& p : bundle.parties) {
    if (persons.count(p.person_id)) continue;
    PINGAN_ASSIGN_OR_RETURN(Person person, engine.cases().get_person(p.person_id));
    persons.emplace(p.person_id, std::move(person));
  }
  return persons;
}

Result<Reply> case_detail_reply(const ApiContext& ctx, CaseId id, const UnitScope& scope, int status) {
  PINGAN_ASSIGN_OR_RETURN(CaseBundle bundle, ctx.engine.cases().case_detail(id, scope));
  PINGAN_ASSIGN_OR_RETURN(auto persons, persons_of(ctx.engine, bundle));
  return Reply{status,
               case_detail_json(bundle, persons, ctx.engine.cases().rules(), ctx.engine.time_zone()),
               {}};
}

Result<Reply> create_case(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord record, new_case_from_json(body, ctx.engine.time_zone()));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord created, ctx.engine.cases().open_case(std::move(record), r.scope, r.actor));
  Reply reply{201, case_to_json(created, ctx.engine.cases().rules(), ctx.engine.time_zone()), {}};
  reply.headers.emplace_back("Location", fmt::format("/api/cases/{}", created.id));
  return reply;
}

// Keyset paging: the cursor is "<opened_at>:<id>" of the last case shown.
Result<std::optional<std::pair<Timestamp, CaseId>>> read_cursor(const HttpRequest& http) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> text, single_param(http, "before"));
  if (!text) return std::optional<std::pair<Timestamp, CaseId>>();
  long long at = 0, id = 0;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%lld:%lld%c", &at, &id, &tail) != 2 || id <= 0)
    return Error::invalid("before", "must be the next_before of a previous page (<opened_at>:<id>)");
  return std::optional<std::pair<Timestamp, CaseId>>(std::make_pair(at, id));
}

Result<Reply> list_cases(const ApiContext& ctx, const RouteRequest& r) {
  ParamNames known = kCaseQueryParams;
  known.insert({"limit", "before"});
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, known));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(CaseListQuery query, case_query_from_request(r.http, ctx.engine.cases().rules().types, zone));
  CaseFilter& filter = query.filter;
  auto units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(filter.scope, narrow_scope(r.scope, query.unit_code, *units));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > 1000)) return Error::invalid("limit", "must be from 1 to 1000");
  filter.limit = limit.value_or(50);
  PINGAN_ASSIGN_OR_RETURN(filter.before, read_cursor(r.http));
  PINGAN_ASSIGN_OR_RETURN(CasePage page, ctx.engine.cases().list_cases(filter));
  nlohmann::json items = nlohmann::json::array();
  for (const CaseRecord& c : page.cases) items.push_back(case_to_json(c, ctx.engine.cases().rules(), zone));
  nlohmann::json next;
  if (page.more && !page.cases.empty())
    next = fmt::format("{}:{}", page.cases.back().opened_at, page.cases.back().id);
  return Reply{200, {{"items", std::move(items)}, {"limit", filter.limit}, {"next_before", next}}, {}};
}

Result<Reply> get_case(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  return case_detail_reply(ctx, id, r.scope, 200);
}

Result<Reply> step_case(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(CaseStepRequest request, case_step_from_json(body, ctx.engine.time_zone(), r.actor));
  PINGAN_ASSIGN_OR_RETURN(CaseRecord updated, ctx.engine.cases().step_case(id, r.scope, request));
  return Reply{200, case_to_json(updated, ctx.engine.cases().rules(), ctx.engine.time_zone()), {}};
}

Result<Reply> case_history(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(std::vector<CaseStep> steps, ctx.engine.cases().case_history(id, r.scope));
  nlohmann::json items = nlohmann::json::array();
  for (const CaseStep& s : steps) items.push_back(step_to_json(s, &case_status_name, ctx.engine.time_zone()));
  return Reply{200, {{"case_id", id}, {"items", std::move(items)}}, {}};
}

Result<Reply> add_party(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(PartyRequest req, party_from_json(body));
  PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved,
                          ctx.engine.cases().add_party(id, r.scope, std::move(req.person), req.role, r.actor));
  PINGAN_ASSIGN_OR_RETURN(Reply reply, case_detail_reply(ctx, id, r.scope, 201));
  // Whether the person was known from another case (matched on the ID number).
  reply.body["person_id"] = saved.person.id;
  reply.body["person_created"] = saved.created;
  return reply;
}

Result<Reply> add_measure(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(Measure m, measure_from_json(body, ctx.engine.time_zone(), id, r.actor, now_utc()));
  PINGAN_ASSIGN_OR_RETURN(Measure stored, ctx.engine.cases().add_measure(std::move(m), r.scope));
  return Reply{201, measure_to_json(stored, ctx.engine.time_zone()), {}};
}

Result<Reply> add_money(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(CaseId id, case_id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry e, money_from_json(body, ctx.engine.time_zone(), id, r.actor, now_utc()));
  PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry stored, ctx.engine.cases().add_money(std::move(e), r.scope));
  return Reply{201, money_to_json(stored, ctx.engine.time_zone()), {}};
}

}  // namespace

std::vector<Route> case_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"POST", "/api/cases", "cases.write", bind(create_case)},
      {"GET", "/api/cases", "cases.read", bind(list_cases)},
      {"GET", "/api/cases/{id}", "cases.read", bind(get_case)},
      {"POST", "/api/cases/{id}/steps", "cases.write", bind(step_case)},
      {"GET", "/api/cases/{id}/history", "cases.read", bind(case_history)},
      {"POST", "/api/cases/{id}/parties", "cases.write", bind(add_party)},
      {"POST", "/api/cases/{id}/measures", "cases.write", bind(add_measure)},
      {"POST", "/api/cases/{id}/money", "cases.write", bind(add_money)},
  };
}

}  // namespace pingan
