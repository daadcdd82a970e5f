// A visit reconciled against the registry (issue 21; docs/api.md "Ledgers"):
//   GET /api/ledger-items/{id}/reconciliation
// For a rental-house check or a 云入户 visit that recorded the people seen,
// who of the registry's tenants or household was found, who is new (to
// register), who has left (to check and end), and what an officer must
// decide (engine/visit_reconciler.h). 404 for an item outside the caller's
// units; 409 for an item whose type records no people at a registry record,
// or that recorded none. Names, phones and ID numbers are masked unless the
// caller holds personal.reveal.

#include "core/personal_masks.h"
#include "engine/visit_reconciler.h"
#include "http/api_routes.h"
#include "http/query_params.h"

namespace pingan {
namespace {

constexpr const char* kRevealPermission = "personal.reveal";

bool may_reveal(const RouteRequest& r) { return r.principal && r.principal->allows(kRevealPermission); }

// One person as the answer shows them; empty members left out.
nlohmann::json person_json(PersonId person_id, const std::string& name, const std::string& phone,
                           const std::string& id_number, const std::string& room, bool reveal) {
  nlohmann::json out = nlohmann::json::object();
  if (person_id > 0) out["person_id"] = person_id;
  out["name"] = reveal ? name : mask_name(name);
  if (!phone.empty()) out["phone"] = reveal ? phone : mask_phone(phone);
  if (!id_number.empty()) out["id_number"] = reveal ? id_number : mask_id_number(id_number);
  if (!room.empty()) out["room"] = room;
  return out;
}

nlohmann::json listed_json(const VisitReport& v, std::size_t i, bool reveal) {
  const ListedPerson& p = v.listed.at(i);
  return person_json(p.person_id, p.name, p.phone, p.id_number, p.room, reveal);
}

nlohmann::json seen_json(const VisitReport& v, std::size_t i, bool reveal) {
  const LedgerPerson& p = v.seen.at(i);
  return person_json(0, p.name, p.phone, p.id_number, "", reveal);
}

nlohmann::json report_json(const VisitReport& v, bool reveal) {
  const VisitReconciliation& r = v.result;
  nlohmann::json found = nlohmann::json::array(), fresh = nlohmann::json::array(),
                 left = nlohmann::json::array(), ambiguous = nlohmann::json::array();
  for (const FoundPerson& f : r.found) {
    nlohmann::json one = listed_json(v, f.listed, reveal);
    one["seen"] = seen_json(v, f.seen, reveal);
    one["basis"] = match_basis_name(f.basis);
    found.push_back(std::move(one));
  }
  for (std::size_t i : r.new_people) fresh.push_back(seen_json(v, i, reveal));
  for (std::size_t i : r.left) left.push_back(listed_json(v, i, reveal));
  for (const VisitAmbiguity& a : r.ambiguous) {
    nlohmann::json listed = nlohmann::json::array(), seen = nlohmann::json::array();
    for (std::size_t i : a.listed) listed.push_back(listed_json(v, i, reveal));
    for (std::size_t i : a.seen) seen.push_back(seen_json(v, i, reveal));
    ambiguous.push_back({{"reason", ambiguity_reason_name(a.reason)},
                         {"reason_zh", ambiguity_reason_zh(a.reason)},
                         {"listed", std::move(listed)},
                         {"seen", std::move(seen)}});
  }
  return {{"item_id", v.item.id},
          {"type", v.item.type_code},
          {"registry", v.registry},
          {"ref_field", v.ref_field},
          {"ref", v.ref},
          {"people_field", v.people_field},
          {"visit_day", v.visit_day},
          {"listed_count", v.listed.size()},
          {"seen_count", v.seen.size()},
          {"counts",
           {{"found", r.found.size()}, {"new", r.new_people.size()}, {"left", r.left.size()},
            {"ambiguous", r.ambiguous.size()}}},
          {"found", std::move(found)},
          {"new", std::move(fresh)},
          {"left", std::move(left)},
          {"ambiguous", std::move(ambiguous)}};
}

Result<Reply> reconciliation(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t id, parse_id_param(r.path_params.at(0), "id"));
  VisitReconciler reconciler(ctx.engine);
  PINGAN_ASSIGN_OR_RETURN(VisitReport report, reconciler.reconcile(id, r.scope));
  return Reply{200, report_json(report, may_reveal(r)), {}};
}

}  // namespace

std::vector<Route> visit_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/ledger-items/{id}/reconciliation", "ledgers.read",
       [&ctx](const RouteRequest& r) { return reconciliation(ctx, r); }},
  };
}

}  // namespace pingan
