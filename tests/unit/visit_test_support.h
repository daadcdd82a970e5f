#pragma once
// A visit the reconciliation route (GET /api/ledger-items/{id}/reconciliation,
// issue 21) answers 200 for: a rental house of `unit` in the registry with
// one tenant, and a rental-house check of it that saw her. Written through
// the engine (the route tests need the item, not its making).

#include <gtest/gtest.h>

#include <string>

#include "core/id_number.h"
#include "core/ledger_people.h"
#include "engine/engine.h"

namespace pingan::testing {

inline std::string seed_visit_item(Engine& engine, const std::string& unit, const std::string& house_code) {
  const auto id_number = [](const std::string& first17) { return first17 + id_number_check_char(first17); };
  RentalHouseEntry e;
  e.house.code = house_code;
  e.house.address = "济南市历下区泉城路18号";
  e.house.location = {36.62, 117.12};
  e.house.unit_code = unit;
  e.landlord.name = "孙房东";
  e.landlord.id_number = id_number("37010219600707789");
  Person tenant;
  tenant.name = "李秀英";
  tenant.id_number = id_number("37010219910202234");
  tenant.phone = "13800000002";
  e.tenants = {tenant};
  e.house.tenants = {{0, "A", CivilDate{2020, 1, 1}, std::nullopt}};
  auto houses = engine.registry().upsert_rental_houses({e}, UnitScope::everything());
  EXPECT_TRUE(houses.ok() && houses->refused.empty())
      << (houses.ok() ? houses->refused.front().error.describe() : houses.error().describe());
  NewLedgerItem n;
  n.unit_code = unit;
  n.actor = "民警 周七";
  n.actor_grants = {"station"};
  n.at = now_utc();
  n.fields = {{"house_ref", house_code},
              {"address", std::string("济南市历下区泉城路18号")},
              {"rental_kind", std::string("whole")},
              {"people_seen", ledger_people_text({{"李秀英", "13800000002", ""}})}};
  auto item = engine.ledgers().create("rental_check", n, UnitScope::everything());
  EXPECT_TRUE(item.ok()) << item.error().describe();
  return item.ok() ? std::to_string(item->id) : "0";
}

}  // namespace pingan::testing
