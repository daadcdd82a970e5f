// Fugitive listings, the handheld check, and dissuasion tasks (issue 20;
// docs/api.md "Cases"):
//   POST /api/fugitives, GET /api/fugitives/{id}, POST /api/fugitives/{id}/steps,
//   GET /api/fugitives/{id}/history, POST /api/fugitives/check,
//   POST /api/dissuasions, GET /api/dissuasions/{id},
//   POST /api/dissuasions/{id}/steps, GET /api/dissuasions/{id}/history.

#include <fmt/format.h>

#include "case/fugitive_watch.h"
#include "core/personal_masks.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/case_json.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

Result<std::int64_t> id_of(const RouteRequest& r) { return parse_id_param(r.path_params.at(0), "id"); }

Result<Reply> create_fugitive(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(FugitiveRequest req, fugitive_from_json(body, ctx.engine.time_zone()));
  PINGAN_ASSIGN_OR_RETURN(Fugitive created,
                          ctx.engine.cases().list_fugitive(std::move(req.listing), std::move(req.person), r.actor));
  Reply reply{201, fugitive_to_json(created, ctx.engine.time_zone()), {}};
  reply.headers.emplace_back("Location", fmt::format("/api/fugitives/{}", created.id));
  return reply;
}

Result<Reply> get_fugitive(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(Fugitive f, ctx.engine.cases().get_fugitive(id));
  nlohmann::json body = fugitive_to_json(f, ctx.engine.time_zone());
  PINGAN_ASSIGN_OR_RETURN(Person person, ctx.engine.cases().get_person(f.person_id));
  body["person"] = person_masked_json(person);
  return Reply{200, std::move(body), {}};
}

Result<Reply> step_fugitive(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(FugitiveStepRequest req, fugitive_step_from_json(body, ctx.engine.time_zone(), r.actor));
  PINGAN_ASSIGN_OR_RETURN(Fugitive f, ctx.engine.cases().step_fugitive(id, req));
  return Reply{200, fugitive_to_json(f, ctx.engine.time_zone()), {}};
}

Result<Reply> fugitive_history(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(std::vector<FugitiveStep> steps, ctx.engine.cases().fugitive_history(id));
  nlohmann::json items = nlohmann::json::array();
  for (const FugitiveStep& s : steps) items.push_back(step_to_json(s, &fugitive_status_name, ctx.engine.time_zone()));
  return Reply{200, {{"fugitive_id", id}, {"items", std::move(items)}}, {}};
}

// The number travels in the body, not the URL: URLs end up in logs.
Result<std::string> check_request(const std::string& body_text) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(body_text));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::string id_number;
  PINGAN_RETURN_IF_ERROR(in.read_string("id_number", &id_number, true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return id_number;
}

Result<Reply> check_fugitive(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::string id_number, check_request(r.body));
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<cases::FugitiveWatch> watch, ctx.fugitive_watch());
  Result<std::vector<Fugitive>> wanted = cases::check_fugitive(ctx.engine, *watch, id_number);
  // Every check is audited, hit, miss or refused: who looked whom up, from
  // where. The entry names the number masked, as every list does.
  // Written after the answer (ctx.audit_deferred): a check must not wait for
  // the disk; see auth/audit_queue.h for what that costs.
  const auto& audit = ctx.audit_deferred ? ctx.audit_deferred : ctx.audit;
  if (audit && r.principal)
    audit({r.principal->username, r.principal->unit_code, r.http.remote_address, "fugitive.check",
               // Masked (a mistyped number too); longer text that is no number
               // is not copied at all: it may be anything up to the body's limit.
               id_number.size() <= 32 ? fmt::format("id_number:{}", mask_id_number(normalise_id_number(id_number)))
                                      : fmt::format("id_number:({} bytes, not a number)", id_number.size()),
               wanted.ok() ? "ok" : "refused",
               !wanted.ok()       ? wanted.error().message
               : wanted->empty() ? std::string("not wanted")
                                 : fmt::format("wanted: {} open listing(s)", wanted->size())});
  if (!wanted.ok()) return wanted.error();
  nlohmann::json listings = nlohmann::json::array();
  for (const Fugitive& f : *wanted)
    listings.push_back({{"listing_number", f.listing_number},
                        {"listing_unit", f.listing_unit},
                        {"listed_at", format_local(f.listed_at, ctx.engine.time_zone())},
                        {"case_id", f.case_id ? nlohmann::json(*f.case_id) : nlohmann::json()},
                        {"fugitive_id", f.id}});
  return Reply{200,
               {{"wanted", !wanted->empty()}, {"listings", std::move(listings)}},
               {{"Cache-Control", "no-store"}}};
}

Result<Reply> create_dissuasion(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask task, dissuasion_from_json(body, ctx.engine.time_zone(), now_utc()));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask created,
                          ctx.engine.cases().open_dissuasion(std::move(task), r.scope, r.actor));
  Reply reply{201, dissuasion_to_json(created, ctx.engine.time_zone()), {}};
  reply.headers.emplace_back("Location", fmt::format("/api/dissuasions/{}", created.id));
  return reply;
}

Result<Reply> get_dissuasion(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask t, ctx.engine.cases().get_dissuasion(id, r.scope));
  return Reply{200, dissuasion_to_json(t, ctx.engine.time_zone()), {}};
}

Result<Reply> step_dissuasion(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(DissuasionStepRequest req,
                          dissuasion_step_from_json(body, ctx.engine.time_zone(), r.actor));
  PINGAN_ASSIGN_OR_RETURN(DissuasionTask t, ctx.engine.cases().step_dissuasion(id, r.scope, req));
  return Reply{200, dissuasion_to_json(t, ctx.engine.time_zone()), {}};
}

Result<Reply> dissuasion_history(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, id_of(r));
  PINGAN_ASSIGN_OR_RETURN(std::vector<DissuasionStep> steps, ctx.engine.cases().dissuasion_history(id, r.scope));
  nlohmann::json items = nlohmann::json::array();
  for (const DissuasionStep& s : steps)
    items.push_back(step_to_json(s, &dissuasion_status_name, ctx.engine.time_zone()));
  return Reply{200, {{"dissuasion_id", id}, {"items", std::move(items)}}, {}};
}

}  // namespace

std::vector<Route> fugitive_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"POST", "/api/fugitives", "cases.write", bind(create_fugitive)},
      {"POST", "/api/fugitives/check", "fugitives.check", bind(check_fugitive), /*audits_itself=*/true},
      {"GET", "/api/fugitives/{id}", "cases.read", bind(get_fugitive)},
      {"POST", "/api/fugitives/{id}/steps", "cases.write", bind(step_fugitive)},
      {"GET", "/api/fugitives/{id}/history", "cases.read", bind(fugitive_history)},
      {"POST", "/api/dissuasions", "cases.write", bind(create_dissuasion)},
      {"GET", "/api/dissuasions/{id}", "cases.read", bind(get_dissuasion)},
      {"POST", "/api/dissuasions/{id}/steps", "cases.write", bind(step_dissuasion)},
      {"GET", "/api/dissuasions/{id}/history", "cases.read", bind(dissuasion_history)},
  };
}

}  // namespace pingan
