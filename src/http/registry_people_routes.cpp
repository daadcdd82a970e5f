// The registry's enterprises, rental houses and residents (issue 21;
// docs/api.md "Registry and cameras"), as places are served:
//   GET  /api/enterprises?unit=&after=&limit=               a page, in code order
//   POST /api/enterprises                                   upsert a batch by code
//   GET  /api/rental-houses?unit=&after=&limit=             a page, with landlord and tenants
//   POST /api/rental-houses                                 upsert a batch by code
//   GET  /api/residents?unit=&after=&limit=&floating=       a page, in person id order
//   POST /api/residents                                     upsert a batch by person
// Each parses the request, calls Engine::registry() and serialises the
// answer; the rules are core's and the engine's (engine/registry_records.h).
//
// Personal data (the persons a house or a resident names, a resident's
// address) is masked in every answer, as place contacts and ledger items
// are, except for a signed-in caller holding personal.reveal: they see it
// in plain text, and each such answer writes an audit entry ("reveal", what
// was listed, how many records), as the incident reveal does.

#include <fmt/format.h>

#include <map>
#include <string>

#include "auth/principal.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "http/registry_route_support.h"
#include "json/json_fields.h"
#include "json/registry_people_json.h"

namespace pingan {
namespace {

constexpr const char* kRevealPermission = "personal.reveal";
// A filtered resident list reads at most this many residents for one page:
// a page may then hold fewer than `limit` (only a null next_after ends the list).
constexpr std::size_t kMaxResidentsScanned = 10'000;

bool may_reveal(const RouteRequest& r) { return r.principal && r.principal->allows(kRevealPermission); }

// Who saw which list unmasked: one entry per answer that showed personal data.
void audit_reveal(const ApiContext& ctx, const RouteRequest& r, const std::string& what, std::size_t records) {
  if (records == 0 || !r.principal) return;
  const auto& audit = ctx.audit_deferred ? ctx.audit_deferred : ctx.audit;
  if (!audit) return;
  audit({r.principal->username, r.principal->unit_code, r.http.remote_address, "reveal", what, "ok",
         fmt::format("{} records listed unmasked ({})", records, kRevealPermission)});
}

// The stored persons `ids` name (a person that cannot be read is left out:
// the answer then names it by id alone).
Result<PersonsById> persons_of(const ApiContext& ctx, const std::vector<PersonId>& ids) {
  PersonsById persons;
  for (PersonId id : ids) {
    if (persons.count(id)) continue;
    Result<Person> p = ctx.engine.registry().get_person(id);
    if (p.ok()) {
      persons.emplace(id, std::move(*p));
    } else if (p.error().code != ErrorCode::kNotFound) {
      return p.error();
    }
  }
  return persons;
}

// The shape of every upsert: parse the batch, hand the parsed rows to the
// engine only when every row parsed, and name every refused row by its
// index in the request.
template <typename Row, typename Parse, typename Upsert>
Result<Reply> upsert_batch(const RouteRequest& r, const std::string& what, Parse&& parse, Upsert&& upsert) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(RegistryBatch<Row> batch, parse(body));
  std::vector<RefusedRow> refused = std::move(batch.refused);
  BatchOutcome outcome;
  if (refused.empty()) {
    PINGAN_ASSIGN_OR_RETURN(outcome, upsert(std::move(batch.records), r.scope));
    merge_refusals(refused, std::move(outcome.refused), batch.rows);
  }
  return registry_batch_reply(refused, outcome, what);
}

Result<Reply> list_enterprises(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "after", "limit"}));
  PINGAN_ASSIGN_OR_RETURN(RegistryFilter filter, registry_filter_of(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(RegistryPage<Enterprise> page, ctx.engine.registry().list_enterprises(filter));
  nlohmann::json items = nlohmann::json::array();
  for (const Enterprise& e : page.records) items.push_back(enterprise_to_json(e));
  nlohmann::json next;
  if (page.more && !page.records.empty()) next = page.records.back().code;
  return registry_page_reply(std::move(items), filter.limit, std::move(next));
}

Result<Reply> upsert_enterprises(const ApiContext& ctx, const RouteRequest& r) {
  return upsert_batch<Enterprise>(r, "enterprises", enterprise_batch_from_json,
                                  [&](std::vector<Enterprise> rows, const UnitScope& scope) {
                                    return ctx.engine.registry().upsert_enterprises(std::move(rows), scope);
                                  });
}

Result<Reply> list_rental_houses(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "after", "limit"}));
  PINGAN_ASSIGN_OR_RETURN(RegistryFilter filter, registry_filter_of(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(RegistryPage<RentalHouse> page, ctx.engine.registry().list_rental_houses(filter));
  std::vector<PersonId> ids;
  for (const RentalHouse& h : page.records) {
    ids.push_back(h.landlord_id);
    for (const Tenancy& t : h.tenants) ids.push_back(t.person_id);
  }
  PINGAN_ASSIGN_OR_RETURN(PersonsById persons, persons_of(ctx, ids));
  const bool reveal = may_reveal(r);
  nlohmann::json items = nlohmann::json::array();
  for (const RentalHouse& h : page.records) items.push_back(rental_house_to_json(h, persons, reveal));
  if (reveal) audit_reveal(ctx, r, "rental_houses", page.records.size());
  nlohmann::json next;
  if (page.more && !page.records.empty()) next = page.records.back().code;
  return registry_page_reply(std::move(items), filter.limit, std::move(next));
}

Result<Reply> upsert_rental_houses(const ApiContext& ctx, const RouteRequest& r) {
  return upsert_batch<RentalHouseEntry>(r, "rental_houses", rental_house_batch_from_json,
                                        [&](std::vector<RentalHouseEntry> rows, const UnitScope& scope) {
                                          return ctx.engine.registry().upsert_rental_houses(std::move(rows), scope);
                                        });
}

// ?floating=true: floating residents (流动人口) only; false: registered ones.
Result<std::optional<ResidentKind>> kind_param(const HttpRequest& http) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> v, single_param(http, "floating"));
  if (!v.has_value()) return std::optional<ResidentKind>();
  static const std::map<std::string, ResidentKind, std::less<>> kValues = {
      {"true", ResidentKind::kFloating}, {"1", ResidentKind::kFloating},
      {"false", ResidentKind::kRegistered}, {"0", ResidentKind::kRegistered}};
  auto it = kValues.find(v.value());
  if (it == kValues.end()) return Error::invalid("floating", "must be true or false");
  return std::optional<ResidentKind>(it->second);
}

// A page of residents; with a kind, the store's pages are read (in person
// id order) until `limit` residents of that kind or kMaxResidentsScanned
// residents were read. next_after is the last resident read when more may follow.
Result<RegistryPage<Resident>> residents_page(const ApiContext& ctx, const RegistryFilter& filter,
                                              std::optional<ResidentKind> kind, std::string* next_after) {
  next_after->clear();
  if (!kind) {
    PINGAN_ASSIGN_OR_RETURN(RegistryPage<Resident> page, ctx.engine.registry().list_residents(filter));
    if (page.more && !page.records.empty()) *next_after = std::to_string(page.records.back().person_id);
    return page;
  }
  RegistryPage<Resident> out;
  RegistryFilter scan = filter;
  scan.limit = 1000;
  std::size_t scanned = 0;
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(RegistryPage<Resident> page, ctx.engine.registry().list_residents(scan));
    for (std::size_t i = 0; i < page.records.size(); ++i) {
      Resident& res = page.records[i];
      ++scanned;
      const std::string key = std::to_string(res.person_id);
      if (res.kind == *kind) out.records.push_back(std::move(res));
      const bool rest = i + 1 < page.records.size() || page.more;
      if (int(out.records.size()) == filter.limit || scanned >= kMaxResidentsScanned) {
        out.more = rest;
        if (rest) *next_after = key;
        return out;
      }
    }
    if (!page.more || page.records.empty()) return out;
    scan.after = std::to_string(page.records.back().person_id);
  }
}

Result<Reply> list_residents(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"unit", "after", "limit", "floating"}));
  PINGAN_ASSIGN_OR_RETURN(RegistryFilter filter, registry_filter_of(ctx, r));
  if (!filter.after.empty() &&
      (filter.after.size() > 18 || filter.after.find_first_not_of("0123456789") != std::string::npos))
    return Error::invalid("after", fmt::format("'{}' is not a person id (the next_after of the previous page)",
                                               filter.after.substr(0, 40)));
  PINGAN_ASSIGN_OR_RETURN(std::optional<ResidentKind> kind, kind_param(r.http));
  std::string next_after;
  PINGAN_ASSIGN_OR_RETURN(RegistryPage<Resident> page, residents_page(ctx, filter, kind, &next_after));
  std::vector<PersonId> ids;
  for (const Resident& res : page.records) ids.push_back(res.person_id);
  PINGAN_ASSIGN_OR_RETURN(PersonsById persons, persons_of(ctx, ids));
  const bool reveal = may_reveal(r);
  nlohmann::json items = nlohmann::json::array();
  for (const Resident& res : page.records) items.push_back(resident_to_json(res, persons, reveal));
  if (reveal) audit_reveal(ctx, r, "residents", page.records.size());
  return registry_page_reply(std::move(items), filter.limit,
                             next_after.empty() ? nlohmann::json() : nlohmann::json(next_after));
}

Result<Reply> upsert_residents(const ApiContext& ctx, const RouteRequest& r) {
  return upsert_batch<ResidentEntry>(r, "residents", resident_batch_from_json,
                                     [&](std::vector<ResidentEntry> rows, const UnitScope& scope) {
                                       return ctx.engine.registry().upsert_residents(std::move(rows), scope);
                                     });
}

}  // namespace

std::vector<Route> registry_people_routes(const ApiContext& ctx) {
  auto bind = [&ctx](Result<Reply> (*fn)(const ApiContext&, const RouteRequest&)) {
    return [&ctx, fn](const RouteRequest& r) { return fn(ctx, r); };
  };
  return {
      {"GET", "/api/enterprises", "registry.read", bind(list_enterprises)},
      {"POST", "/api/enterprises", "registry.write", bind(upsert_enterprises)},
      {"GET", "/api/rental-houses", "registry.read", bind(list_rental_houses)},
      {"POST", "/api/rental-houses", "registry.write", bind(upsert_rental_houses)},
      {"GET", "/api/residents", "registry.read", bind(list_residents)},
      {"POST", "/api/residents", "registry.write", bind(upsert_residents)},
  };
}

}  // namespace pingan
