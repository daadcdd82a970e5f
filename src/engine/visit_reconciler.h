#pragma once
// A visit reconciled against the registry (issue 21): for one ledger item
// whose type records the people seen (a field of kind `people`) at a
// registry record it references (a registry_ref to a `rental_house` or a
// `household`), the people the registry holds there, the people the
// officer saw, and core's reconciliation (core/visit_reconcile.h) of the two:
// who was found, who is new, who has left, what an officer must decide.
//
// Who the registry holds there, on the day of the visit (the item's
// creation, in the engine's time zone):
//  - rental_house: the house's tenants whose stay covers that day
//    (from <= day, no end or an end on or after it);
//  - household: the reference is a resident's person id (as the demo and
//    the web form write it); the household is every resident living at that
//    resident's address on that day (registered on or before it, not left
//    before it), in that resident's unit. Addresses are compared with blanks
//    removed. The registry has no household table: this is the meaning the
//    data carries, and the scan reads the unit's residents page by page.
// Names, phones and ID numbers come opened from the persons table (the
// store's cipher opens them); the ID numbers are matched on the store's
// keyed hash (CaseRecords::id_number_key), never compared in plain text.
//
// The report holds plain personal data: masking is the caller's (the HTTP
// answer masks without personal.reveal).
//
// Reads only; calls may come from any thread (the records it uses are).

#include <cstdint>
#include <string>
#include <vector>

#include "core/ledger_item.h"
#include "core/ledger_people.h"
#include "core/person.h"
#include "core/time.h"
#include "core/unit.h"
#include "core/visit_reconcile.h"
#include "engine/case_records.h"
#include "engine/ledger_records.h"
#include "engine/registry_records.h"

namespace pingan {

class Engine;

// One person the registry lists at the visited place.
struct ListedPerson {
  PersonId person_id = 0;
  std::string name;
  std::string phone;
  std::string id_number;
  std::string room;  // a tenant's room, when the house letting names one
};

struct VisitReport {
  LedgerItem item;
  std::string people_field;  // the type's people field ("people_seen")
  std::string ref_field;     // the type's registry reference ("house_ref")
  std::string registry;      // "rental_house" or "household"
  std::string ref;           // the reference's value
  std::string visit_day;     // "2024-06-01", the day the registry is read at
  std::vector<ListedPerson> listed;
  std::vector<LedgerPerson> seen;
  VisitReconciliation result;  // indices into listed and seen
};

class VisitReconciler {
 public:
  VisitReconciler(LedgerRecords& ledgers, RegistryRecords& registry, CaseRecords& persons, const TimeZone& zone);
  // The engine's records and time zone.
  explicit VisitReconciler(Engine& engine);

  // The report for item `item_id` as `scope` sees it. Errors:
  //  - kNotFound: no such item, or one outside `scope`;
  //  - Error::conflict("type", ...): the item's type records no people or
  //    references no rental house or household;
  //  - Error::conflict("fields.<people field>", ...): the item recorded no
  //    people seen (nothing to reconcile: every tenant would seem gone);
  //  - Error::conflict("fields.<ref field>", ...): the reference names no
  //    registry record inside `scope`;
  //  - a store error reading the registry or a person.
  Result<VisitReport> reconcile(std::int64_t item_id, const UnitScope& scope);

  // The registries a reference field may name to be reconciled.
  static bool reconcilable_registry(const std::string& registry);

 private:
  Result<std::vector<ListedPerson>> tenants(const std::string& code, const CivilDate& day, const UnitScope& scope,
                                            const std::string& field);
  Result<std::vector<ListedPerson>> household(const std::string& ref, const CivilDate& day,
                                              const UnitScope& scope, const std::string& field);
  Result<ListedPerson> listed_person(PersonId id);
  Result<std::string> key_of(const std::string& id_number);

  LedgerRecords& ledgers_;
  RegistryRecords& registry_;
  CaseRecords& persons_;
  const TimeZone& zone_;
};

}  // namespace pingan
