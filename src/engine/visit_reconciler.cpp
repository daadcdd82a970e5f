#include "engine/visit_reconciler.h"

#include <fmt/format.h>

#include <charconv>

#include "core/id_number_facts.h"
#include "core/registry_records.h"
#include "engine/engine.h"

namespace pingan {
namespace {

// The address a household is recognised by: blanks (also U+3000) removed.
std::string address_key(std::string_view address) {
  std::string out;
  for (std::size_t i = 0; i < address.size(); ++i) {
    const char c = address[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (address.compare(i, 3, "\xE3\x80\x80") == 0) {  // U+3000 ideographic space
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

// On `day`, inclusive of a stay's or residence's first day and of its last.
bool covers(const CivilDate& from, const std::optional<CivilDate>& to, const CivilDate& day) {
  return compare_dates(from, day) <= 0 && (!to || compare_dates(*to, day) >= 0);
}

}  // namespace

VisitReconciler::VisitReconciler(LedgerRecords& ledgers, RegistryRecords& registry, CaseRecords& persons,
                                 const TimeZone& zone)
    : ledgers_(ledgers), registry_(registry), persons_(persons), zone_(zone) {}

VisitReconciler::VisitReconciler(Engine& engine)
    : VisitReconciler(engine.ledgers(), engine.registry(), engine.cases(), engine.time_zone()) {}

bool VisitReconciler::reconcilable_registry(const std::string& registry) {
  return registry == "rental_house" || registry == "household";
}

Result<std::string> VisitReconciler::key_of(const std::string& id_number) {
  if (id_number.empty()) return std::string();
  return persons_.id_number_key(id_number);
}

Result<ListedPerson> VisitReconciler::listed_person(PersonId id) {
  PINGAN_ASSIGN_OR_RETURN(Person p, persons_.get_person(id));
  return ListedPerson{p.id, p.name, p.phone, p.id_number, ""};
}

Result<std::vector<ListedPerson>> VisitReconciler::tenants(const std::string& code, const CivilDate& day,
                                                           const UnitScope& scope, const std::string& field) {
  Result<RentalHouse> house = registry_.get_rental_house(code, scope);
  if (!house.ok()) {
    if (house.error().code != ErrorCode::kNotFound) return house.error();
    return Error::conflict(field, fmt::format("'{}' names no rental house of the registry in your units; "
                                              "nothing to reconcile the visit with", code));
  }
  std::vector<ListedPerson> out;
  for (const Tenancy& t : house->tenants) {
    if (!covers(t.from, t.to, day)) continue;
    PINGAN_ASSIGN_OR_RETURN(ListedPerson p, listed_person(t.person_id));
    p.room = t.room;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<ListedPerson>> VisitReconciler::household(const std::string& ref, const CivilDate& day,
                                                             const UnitScope& scope, const std::string& field) {
  PersonId anchor_id = 0;
  const auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), anchor_id);
  if (ec != std::errc() || end != ref.data() + ref.size() || anchor_id <= 0)
    return Error::conflict(field, fmt::format("'{}' is not a resident's person id; nothing to reconcile the visit with",
                                              ref));
  Result<Resident> anchor = registry_.get_resident(anchor_id, scope);
  if (!anchor.ok()) {
    if (anchor.error().code != ErrorCode::kNotFound) return anchor.error();
    return Error::conflict(field, fmt::format("'{}' names no resident of the registry in your units; "
                                              "nothing to reconcile the visit with", ref));
  }
  const std::string address = address_key(anchor->address);
  // The anchor is inside `scope`, so its unit's subtree is too.
  RegistryFilter filter;
  filter.scope = UnitScope::subtree(anchor->unit_code);
  filter.limit = 1000;
  std::vector<ListedPerson> out;
  for (;;) {
    PINGAN_ASSIGN_OR_RETURN(RegistryPage<Resident> page, registry_.list_residents(filter));
    for (const Resident& r : page.records) {
      if (r.unit_code != anchor->unit_code || address_key(r.address) != address) continue;
      if (!covers(r.registered, r.left, day)) continue;
      PINGAN_ASSIGN_OR_RETURN(ListedPerson p, listed_person(r.person_id));
      out.push_back(std::move(p));
    }
    if (!page.more || page.records.empty()) break;
    filter.after = std::to_string(page.records.back().person_id);
  }
  return out;
}

Result<VisitReport> VisitReconciler::reconcile(std::int64_t item_id, const UnitScope& scope) {
  VisitReport report;
  PINGAN_ASSIGN_OR_RETURN(report.item, ledgers_.get(item_id, scope));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* type, ledgers_.type(report.item.type_code));
  const LedgerField* people = nullptr;
  const LedgerField* ref = nullptr;
  for (const LedgerField& f : type->fields()) {
    if (!people && f.kind == LedgerFieldKind::kPeople) people = &f;
    if (!ref && f.kind == LedgerFieldKind::kRegistryRef && reconcilable_registry(f.registry)) ref = &f;
  }
  if (!people || !ref)
    return Error::conflict("type", fmt::format("{} ({}) records no people seen at a rental house or household; "
                                               "only such a visit is reconciled with the registry",
                                               type->label(), type->code()));
  report.people_field = people->code;
  report.ref_field = ref->code;
  report.registry = ref->registry;

  const auto seen = report.item.fields.find(people->code);
  if (seen == report.item.fields.end() || !std::holds_alternative<std::string>(seen->second))
    return Error::conflict("fields." + people->code,
                           fmt::format("{} {} recorded no {} ({}); nothing to reconcile", type->label(), item_id,
                                       people->label, people->code));
  PINGAN_ASSIGN_OR_RETURN(report.seen, parse_ledger_people(std::get<std::string>(seen->second),
                                                           "fields." + people->code));
  const auto referenced = report.item.fields.find(ref->code);
  if (referenced == report.item.fields.end() || !std::holds_alternative<std::string>(referenced->second))
    return Error::conflict("fields." + ref->code, fmt::format("{} {} names no {} ({})", type->label(), item_id,
                                                              ref->label, ref->code));
  report.ref = std::get<std::string>(referenced->second);

  const CivilTime local = zone_.to_local(report.item.created_at);
  const CivilDate day{local.year, local.month, local.day};
  report.visit_day = format_date(day);
  const std::string field = "fields." + ref->code;
  if (ref->registry == "rental_house") {
    PINGAN_ASSIGN_OR_RETURN(report.listed, tenants(report.ref, day, scope, field));
  } else {
    PINGAN_ASSIGN_OR_RETURN(report.listed, household(report.ref, day, scope, field));
  }

  std::vector<VisitPerson> listed, observed;
  for (const ListedPerson& p : report.listed) {
    PINGAN_ASSIGN_OR_RETURN(std::string key, key_of(p.id_number));
    listed.push_back(VisitPerson{p.person_id, std::move(key), p.name, p.phone});
  }
  for (const LedgerPerson& p : report.seen) {
    PINGAN_ASSIGN_OR_RETURN(std::string key, key_of(p.id_number));
    observed.push_back(VisitPerson{0, std::move(key), p.name, p.phone});
  }
  report.result = reconcile_visit(listed, observed);
  return report;
}

}  // namespace pingan
