#include "core/registry_records.h"

#include <gtest/gtest.h>

#include "core/credit_code.h"

namespace pingan {
namespace {

constexpr const char* kCategories =
    "code,name_zh,group,key_place,inspect_every_days\n"
    "trade,特种行业,group,,\n"
    "nine_small,九小场所,group,,\n"
    "hotel,旅馆,trade,yes,30\n"
    "small_shop,小商店,nine_small,yes,180\n";

PlaceCategories categories() { return PlaceCategories::parse_csv(kCategories, "t.csv").value(); }

constexpr GeoPoint kJinan{36.6512, 117.1201};

Place good_place() {
  Place p;
  p.code = "P0001";
  p.name = "平安大酒店";
  p.category = "hotel";
  p.address = "山东省济南市市中区经十路1号";
  p.location = kJinan;
  p.unit_code = "370103-01";
  p.licence_number = "鲁公特旅字第0001号";
  p.contact_name = "王经理";
  p.contact_phone = "0531-8888 6666";
  p.opened = CivilDate{2015, 3, 1};
  return p;
}

RentalHouse good_house() {
  RentalHouse h;
  h.code = "R0001";
  h.address = "济南市市中区英雄山路2号3单元302";
  h.location = kJinan;
  h.unit_code = "370103-01";
  h.landlord_id = 10;
  h.rooms = 3;
  h.tenants = {{11, "A", {2023, 1, 1}, CivilDate{2023, 12, 31}}, {11, "B", {2023, 12, 31}, std::nullopt},
               {12, "C", {2024, 2, 1}, std::nullopt}};
  return h;
}

std::string field_of(const Status& s) { return s.ok() ? "(ok)" : s.error().field; }

TEST(RegistryCreditCode, RealCodesPassAndAMistypedCharacterIsCaught) {
  // Published codes of real enterprises (Tencent's Shenzhen company and
  // others), and the standard's example.
  for (const char* code : {"91440300708461136T", "91110000600037341L", "91350100M000100Y43"})
    EXPECT_TRUE(check_credit_code("credit_code", code).ok()) << code;
  EXPECT_EQ(credit_code_check_char("91440300708461136"), 'T');
  // One character changed, two swapped: the check character no longer fits.
  Status mistyped = check_credit_code("credit_code", "91440300708461137T");
  ASSERT_FALSE(mistyped.ok());
  EXPECT_EQ(mistyped.error().field, "credit_code");
  EXPECT_NE(mistyped.error().message.find("check character"), std::string::npos);
  EXPECT_FALSE(check_credit_code("credit_code", "91440300704861136T").ok());
  // I, O, Z, S and V are not in the set (they look like 1, 0, 2, 5 and U).
  Status letter = check_credit_code("credit_code", "9144030070846113OT");
  ASSERT_FALSE(letter.ok());
  EXPECT_NE(letter.error().message.find("character 17"), std::string::npos) << letter.error().message;
  EXPECT_FALSE(check_credit_code("credit_code", "91440300708461136t").ok());  // lower case
  EXPECT_FALSE(check_credit_code("credit_code", "9144030070846113").ok());    // length
  EXPECT_FALSE(check_credit_code("credit_code", "91A40300708461136T").ok());  // region not digits
  EXPECT_EQ(credit_code_check_char("9144030070846113O"), std::nullopt);
}

TEST(RegistryPlace, AGoodPlacePassesAndEachBadFieldIsNamed) {
  const PlaceCategories cats = categories();
  EXPECT_TRUE(validate_place(good_place(), cats).ok()) << validate_place(good_place(), cats).error().describe();
  Place p = good_place();
  p.category = "casino";
  Status s = validate_place(p, cats);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "category");
  EXPECT_NE(s.error().message.find("unknown place category 'casino'"), std::string::npos);
  p = good_place();
  p.category = "trade";  // a group
  EXPECT_EQ(field_of(validate_place(p, cats)), "category");
  p = good_place();
  p.closed = CivilDate{2015, 2, 28};
  s = validate_place(p, cats);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "closed");
  EXPECT_NE(s.error().message.find("before it opened 2015-03-01"), std::string::npos) << s.error().message;
  p.closed = CivilDate{2015, 3, 1};  // the same day: opened and closed
  EXPECT_TRUE(validate_place(p, cats).ok());
  p = good_place();
  p.opened = CivilDate{2023, 2, 29};
  EXPECT_EQ(field_of(validate_place(p, cats)), "opened");
  p = good_place();
  p.name = "  ";
  EXPECT_EQ(field_of(validate_place(p, cats)), "name");
  p = good_place();
  p.address = std::string(501, 'a');
  EXPECT_EQ(field_of(validate_place(p, cats)), "address");
  p = good_place();
  p.location = {0, 0};
  EXPECT_EQ(field_of(validate_place(p, cats)), "location");
  p.location = {91, 117};
  EXPECT_EQ(field_of(validate_place(p, cats)), "location.lat");
  p = good_place();
  p.unit_code = "";
  EXPECT_EQ(field_of(validate_place(p, cats)), "unit_code");
  p = good_place();
  p.contact_phone = "call me";
  EXPECT_EQ(field_of(validate_place(p, cats)), "contact_phone");
  p = good_place();
  p.licence_number.clear();
  p.contact_name.clear();
  p.contact_phone.clear();
  p.opened.reset();
  EXPECT_TRUE(validate_place(p, cats).ok()) << "the optional fields are optional";
}

TEST(RegistryRentalHouse, TenanciesAreDatedInOrderAndDoNotOverlap) {
  EXPECT_TRUE(validate_rental_house(good_house()).ok()) << validate_rental_house(good_house()).error().describe();
  RentalHouse h = good_house();
  h.tenants[0].to = CivilDate{2022, 12, 31};  // ends before it begins
  Status s = validate_rental_house(h);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "tenants[0].to");
  h = good_house();
  h.tenants[0].to.reset();  // still open when the second stay of the same person begins
  s = validate_rental_house(h);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "tenants[1].from");
  EXPECT_NE(s.error().message.find("person 11 already rents here"), std::string::npos) << s.error().message;
  h = good_house();
  h.tenants[0].to = CivilDate{2024, 1, 1};  // one day of overlap
  EXPECT_EQ(field_of(validate_rental_house(h)), "tenants[1].from");
  h = good_house();
  h.tenants[2].person_id = 10;  // the landlord
  EXPECT_EQ(field_of(validate_rental_house(h)), "tenants[2].person_id");
  h = good_house();
  h.tenants[2].person_id = 0;
  EXPECT_EQ(field_of(validate_rental_house(h)), "tenants[2].person_id");
  h = good_house();
  h.landlord_id = 0;
  EXPECT_EQ(field_of(validate_rental_house(h)), "landlord_id");
  h = good_house();
  h.rooms = 0;
  EXPECT_EQ(field_of(validate_rental_house(h)), "rooms");
  h = good_house();
  h.tenants[1].from = CivilDate{1899, 12, 31};
  EXPECT_EQ(field_of(validate_rental_house(h)), "tenants[1].from");
}

TEST(RegistryResident, KindsParseAndLeftIsNotBeforeRegistered) {
  Resident r{42, ResidentKind::kFloating, "济南市市中区英雄山路2号", "R0001", "370103-01", {2024, 3, 1}, std::nullopt};
  EXPECT_TRUE(validate_resident(r).ok());
  r.left = CivilDate{2024, 2, 29};
  Status s = validate_resident(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "left");
  r.left = CivilDate{2024, 3, 1};
  EXPECT_TRUE(validate_resident(r).ok());
  r.person_id = 0;
  EXPECT_EQ(field_of(validate_resident(r)), "person_id");
  EXPECT_EQ(*parse_resident_kind("floating"), ResidentKind::kFloating);
  EXPECT_STREQ(resident_kind_name_zh(ResidentKind::kRegistered), "户籍");
  auto bad = parse_resident_kind("transient", "resident.kind");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "resident.kind");
}

TEST(RegistryEnterprise, TheCreditCodeIsChecked) {
  Enterprise e{"E0001", "深圳市腾讯计算机系统有限公司", "91440300708461136T", "深圳市南山区", {22.54, 113.93}, "440305"};
  EXPECT_TRUE(validate_enterprise(e).ok());
  e.credit_code = "91440300708461136X";
  Status s = validate_enterprise(e);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "credit_code");
  EXPECT_NE(s.error().message.find("GB 32100"), std::string::npos);
  e.credit_code = "";
  EXPECT_EQ(field_of(validate_enterprise(e)), "credit_code");
}

}  // namespace
}  // namespace pingan
