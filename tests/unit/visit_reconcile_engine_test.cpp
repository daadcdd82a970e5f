// A visit reconciled against the registry (issue 21), end to end on a real
// store with a real cipher: a rental-house check that recorded the people
// seen (a `people` field) against the house's tenants, a 云入户 visit
// against the residents at the household's address, the refusals (another
// unit's item, a type without people, a visit that recorded none), the
// people sealed in the stored row, and the HTTP answer masked without
// personal.reveal. On SQLite and, in the `pg.` run, on PostgreSQL.
//
// The masked values follow core/personal_masks.h's documented rules
// (王建国 -> 王**, 13800000001 -> 138****0001), written out by hand.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>

#include "core/id_number.h"
#include "core/ledger_people.h"
#include "core/ledger_values.h"
#include "core/personal_masks.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "engine/engine.h"
#include "engine/visit_reconciler.h"
#include "http_test_support.h"
#include "ledger_test_support.h"
#include "pg_test_inspect.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// A GB 11643 number from 17 digits and their check character.
std::string id_number(const std::string& first17) { return first17 + id_number_check_char(first17); }

const std::string kWang = id_number("37010219900101123");   // tenant, seen by ID number
const std::string kLi = id_number("37010219910202234");     // tenant, seen by name and phone
const std::string kZhang = id_number("37010219920303345");  // tenant, seen by a name without phone
const std::string kZhao = id_number("37010219930404456");   // tenant, not seen: left
const std::string kQian = id_number("37010219800505567");   // tenant whose stay ended before the visit
const std::string kChen = id_number("37010220000606678");   // seen, not a tenant: new
const std::string kLandlord = id_number("37010219600707789");

Person person(std::string name, std::string id, std::string phone) {
  Person p;
  p.name = std::move(name);
  p.id_number = std::move(id);
  p.phone = std::move(phone);
  return p;
}

// The house R-001 of JN-S1: four tenants living there on 2024-06-01, and one
// whose stay ended in March.
RentalHouseEntry a_house() {
  RentalHouseEntry e;
  e.house.code = "R-001";
  e.house.address = "济南市历下区泉城路18号2单元302";
  e.house.location = {36.66, 117.02};
  e.house.unit_code = "JN-S1";
  e.house.rooms = 4;
  e.landlord = person("孙房东", kLandlord, "13900000000");
  e.tenants = {person("王建国", kWang, "13800000001"), person("李秀英", kLi, "13800000002"),
               person("张伟", kZhang, "13800000003"), person("赵敏", kZhao, "13800000004"),
               person("钱多多", kQian, "13800000005")};
  const CivilDate from{2024, 1, 1};
  e.house.tenants = {{0, "A", from, std::nullopt},
                     {0, "B", from, std::nullopt},
                     {0, "C", from, std::nullopt},
                     {0, "D", from, std::nullopt},
                     {0, "A", CivilDate{2023, 1, 1}, CivilDate{2024, 3, 31}}};
  return e;
}

// What the officer saw: 王建国 by ID number (his name typed with a blank and
// no phone), 李秀英 by name and phone (no ID number), a 张伟 without a phone
// (ambiguous: names alone are not identities), and 陈小龙, not a tenant.
std::vector<LedgerPerson> seen_at_the_house() {
  return {{"王 建国", "", kWang}, {"李秀英", "13800000002", ""}, {"张伟", "", ""}, {"陈小龙", "13700000009", kChen}};
}

LedgerValue people_value(std::vector<LedgerPerson> people) {
  auto checked = check_ledger_people(std::move(people), "people_seen");
  EXPECT_TRUE(checked.ok()) << checked.error().describe();
  return ledger_people_text(checked.ok() ? *checked : std::vector<LedgerPerson>{});
}

NewLedgerItem a_check(std::optional<LedgerValue> people) {
  NewLedgerItem n;
  n.unit_code = "JN-S1";
  n.actor = "民警 周七";
  n.actor_grants = {"community"};
  n.at = kLedgerT0;  // 2024-06-01 08:00 in Asia/Shanghai
  n.fields = {{"house_ref", std::string("R-001")},
              {"address", std::string("济南市历下区泉城路18号2单元302")},
              {"rental_kind", std::string("shared")}};
  if (people) n.fields.emplace("people_seen", *people);
  return n;
}

// The names of `indices` of the listed or seen people.
template <typename People>
std::vector<std::string> names(const People& people, const std::vector<std::size_t>& indices) {
  std::vector<std::string> out;
  for (std::size_t i : indices) out.push_back(people.at(i).name);
  return out;
}

// One value of the store's own tables, as an administrator's SQL sees it.
std::string text_of(const std::string& location, const std::string& sql) {
  if (location.rfind("postgresql://", 0) == 0) return PgInspector(location).text(sql);
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(location.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(LedgerPeople, ChecksNormalisesAndRoundTrips) {
  auto good = parse_ledger_people(R"([{"name":" 王建国 ","phone":"13800000001","id_number":")" + kWang + R"("}])", "p");
  ASSERT_TRUE(good.ok()) << good.error().describe();
  EXPECT_EQ(good->at(0).name, "王建国");
  EXPECT_EQ(ledger_people_text(*good),
            R"([{"name":"王建国","phone":"13800000001","id_number":")" + kWang + R"("}])");
  std::string wrong = kWang;
  wrong[5] = wrong[5] == '9' ? '8' : '9';  // one digit mistyped: the check character no longer fits
  auto mistyped = parse_ledger_people(R"([{"name":"王建国","id_number":")" + wrong + R"("}])", "p");
  ASSERT_FALSE(mistyped.ok());
  EXPECT_EQ(mistyped.error().field, "p[0].id_number");
  EXPECT_EQ(parse_ledger_people(R"([{"phone":"1"}])", "p").error().field, "p[0].name");
  EXPECT_EQ(parse_ledger_people(R"([{"name":"a","age":3}])", "p").error().field, "p[0].age");
  EXPECT_FALSE(parse_ledger_people(R"({"name":"a"})", "p").ok());
  EXPECT_EQ(ledger_people_display(ledger_people_text(*good), true), "王** 138****0001 " + mask_id_number(kWang));
  // Through the field's check: a people field holds only such a list.
  const LedgerField* field = shipped_ledger("rental_check").field("people_seen");
  ASSERT_NE(field, nullptr);
  EXPECT_TRUE(check_ledger_value(*field, std::string("[]")).ok());
  Status bad = check_ledger_value(*field, std::string("王建国"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "fields.people_seen");
  EXPECT_NE(bad.error().message.find("在住人员 (people_seen)"), std::string::npos) << bad.error().message;
}

class VisitReconcileEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = test_store_location(dir_, "visits.db");
    auto cipher = crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305));
    ASSERT_TRUE(cipher.ok()) << cipher.error().describe();
    EngineConfig config{location_, "", "Asia/Shanghai"};
    config.personal_data = PersonalDataOptions{*cipher, false};
    auto engine = Engine::open(config);
    ASSERT_TRUE(engine.ok()) << engine.error().describe();
    engine_ = std::move(engine).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("JN-S2", "JN", UnitKind::kStation)})
                    .ok());
    auto houses = engine_->registry().upsert_rental_houses({a_house()}, UnitScope::everything());
    ASSERT_TRUE(houses.ok()) << houses.error().describe();
    ASSERT_TRUE(houses->refused.empty()) << houses->refused.front().error.describe();
  }

  LedgerItem create(const std::string& type, const NewLedgerItem& n) {
    auto item = engine_->ledgers().create(type, n, UnitScope::everything());
    EXPECT_TRUE(item.ok()) << item.error().describe();
    return item.ok() ? *item : LedgerItem{};
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(VisitReconcileEngineTest, AHouseOfFourTenantsSeenThreeAndANewcomerGivesEachSetExactly) {
  const LedgerItem item = create("rental_check", a_check(people_value(seen_at_the_house())));
  VisitReconciler reconciler(*engine_);
  auto report = reconciler.reconcile(item.id, UnitScope::subtree("JN-S1"));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->registry, "rental_house");
  EXPECT_EQ(report->ref, "R-001");
  EXPECT_EQ(report->visit_day, "2024-06-01");
  // The four tenants living there that day; 钱多多 moved out in March.
  std::vector<std::string> listed;
  for (const ListedPerson& p : report->listed) listed.push_back(p.name);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, (std::vector<std::string>{"张伟", "李秀英", "王建国", "赵敏"}));
  ASSERT_EQ(report->seen.size(), 4u);

  const VisitReconciliation& r = report->result;
  ASSERT_EQ(r.found.size(), 2u);
  std::vector<std::pair<std::string, MatchBasis>> found;
  for (const FoundPerson& f : r.found) {
    EXPECT_EQ(report->listed.at(f.listed).name, normalise_person_name(report->seen.at(f.seen).name));
    found.emplace_back(report->listed.at(f.listed).name, f.basis);
  }
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::pair<std::string, MatchBasis>>{{"李秀英", MatchBasis::kNamePhone},
                                                                    {"王建国", MatchBasis::kIdKey}}));
  EXPECT_EQ(names(report->seen, r.new_people), (std::vector<std::string>{"陈小龙"}));
  EXPECT_EQ(names(report->listed, r.left), (std::vector<std::string>{"赵敏"}));
  ASSERT_EQ(r.ambiguous.size(), 1u);
  EXPECT_EQ(r.ambiguous[0].reason, AmbiguityReason::kNameWithoutPhone);
  EXPECT_EQ(names(report->listed, r.ambiguous[0].listed), (std::vector<std::string>{"张伟"}));
  EXPECT_EQ(names(report->seen, r.ambiguous[0].seen), (std::vector<std::string>{"张伟"}));
  // The registry's people come opened from the sealed persons table.
  for (const ListedPerson& p : report->listed)
    if (p.name == "赵敏") {
      EXPECT_EQ(p.id_number, kZhao);
      EXPECT_EQ(p.phone, "13800000004");
      EXPECT_EQ(p.room, "D");
    }
}

TEST_F(VisitReconcileEngineTest, AnotherUnitsItemIsNotFoundAndAVisitWithoutPeopleIsAConflict) {
  const LedgerItem item = create("rental_check", a_check(people_value(seen_at_the_house())));
  VisitReconciler reconciler(*engine_);
  auto other = reconciler.reconcile(item.id, UnitScope::subtree("JN-S2"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(reconciler.reconcile(item.id + 1000, UnitScope::everything()).error().code, ErrorCode::kNotFound);

  const LedgerItem none = create("rental_check", a_check(std::nullopt));
  auto empty = reconciler.reconcile(none.id, UnitScope::everything());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kConflict);
  EXPECT_EQ(empty.error().field, "fields.people_seen");

  NewLedgerItem hazard;
  hazard.unit_code = "JN-S1";
  hazard.actor = "民警 周七";
  hazard.actor_grants = {"community"};
  hazard.at = kLedgerT0;
  hazard.fields = {{"kind", std::string("fire")},
                   {"level", std::string("general")},
                   {"description", std::string("安全出口被杂物堵塞")}};
  const LedgerItem h = create("hazard", hazard);
  auto no_people = reconciler.reconcile(h.id, UnitScope::everything());
  ASSERT_FALSE(no_people.ok());
  EXPECT_EQ(no_people.error().code, ErrorCode::kConflict);
  EXPECT_EQ(no_people.error().field, "type");

  // A house the registry does not hold.
  NewLedgerItem elsewhere = a_check(people_value(seen_at_the_house()));
  elsewhere.fields["house_ref"] = std::string("R-404");
  const LedgerItem missing = create("rental_check", elsewhere);
  auto unknown = reconciler.reconcile(missing.id, UnitScope::everything());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kConflict);
  EXPECT_EQ(unknown.error().field, "fields.house_ref");
}

TEST_F(VisitReconcileEngineTest, AHomeVisitIsReconciledWithTheResidentsAtTheHouseholdsAddress) {
  // Three residents at 泉城路1号 (one address typed with blanks), one who
  // left in 2023, one elsewhere.
  const auto resident = [](Person p, std::string address, std::optional<CivilDate> left = std::nullopt) {
    ResidentEntry e;
    e.person = std::move(p);
    e.resident.kind = ResidentKind::kRegistered;
    e.resident.address = std::move(address);
    e.resident.unit_code = "JN-S1";
    e.resident.registered = CivilDate{2010, 5, 1};
    e.resident.left = left;
    return e;
  };
  auto settled = engine_->registry().upsert_residents(
      {resident(person("周大福", id_number("37010219700101001"), "13600000001"), "历下区泉城路1号"),
       resident(person("周小福", id_number("37010220050101002"), "13600000002"), "历下区 泉城路1号"),
       resident(person("吴阿姨", id_number("37010219500101003"), "13600000003"), "历下区泉城路1号"),
       resident(person("郑先生", id_number("37010219750101004"), "13600000004"), "历下区泉城路1号",
                CivilDate{2023, 6, 30}),
       resident(person("冯女士", id_number("37010219800101005"), "13600000005"), "历下区泉城路2号")},
      UnitScope::everything());
  ASSERT_TRUE(settled.ok()) << settled.error().describe();
  ASSERT_TRUE(settled->refused.empty()) << settled->refused.front().error.describe();
  auto head = engine_->cases().find_person_by_id_number(id_number("37010219700101001"));
  ASSERT_TRUE(head.ok()) << head.error().describe();

  NewLedgerItem visit;
  visit.unit_code = "JN-S1";
  visit.actor = "民警 周七";
  visit.actor_grants = {"community"};
  visit.at = kLedgerT0;
  visit.fields = {{"household_ref", std::to_string(head->id)},
                  {"address", std::string("历下区泉城路1号")},
                  {"mode", std::string("door")},
                  {"people_seen", people_value({{"周大福", "", id_number("37010219700101001")},
                                                {"周小福", "13600000002", ""}})}};
  const LedgerItem item = create("home_visit", visit);
  auto report = VisitReconciler(*engine_).reconcile(item.id, UnitScope::everything());
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->registry, "household");
  ASSERT_EQ(report->listed.size(), 3u);  // not 郑先生 (left), not 冯女士 (another address)
  EXPECT_EQ(report->result.found.size(), 2u);
  EXPECT_TRUE(report->result.new_people.empty());
  EXPECT_EQ(names(report->listed, report->result.left), (std::vector<std::string>{"吴阿姨"}));
  EXPECT_TRUE(report->result.ambiguous.empty());
}

TEST_F(VisitReconcileEngineTest, ThePeopleSeenAreSealedInTheStoredRowAndOpenOnRead) {
  const LedgerItem item = create("rental_check", a_check(people_value(seen_at_the_house())));
  const std::string row = text_of(location_, fmt::format("SELECT fields FROM ledger_items WHERE id = {}", item.id));
  ASSERT_FALSE(row.empty());
  const json fields = json::parse(row);
  ASSERT_TRUE(fields.contains("people_seen")) << row;
  EXPECT_TRUE(fields["people_seen"].is_object() && fields["people_seen"].contains("sealed")) << row;
  for (const std::string& plain : {std::string("陈小龙"), std::string("李秀英"), kWang, std::string("13800000002")})
    EXPECT_EQ(row.find(plain), std::string::npos) << plain << " in " << row;
  EXPECT_EQ(fields["house_ref"], "R-001");  // not personal: plain
  auto read = engine_->ledgers().get(item.id, UnitScope::everything());
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_TRUE(same_ledger_value(read->fields.at("people_seen"), people_value(seen_at_the_house())));
}

// Over HTTP: masked for a station officer, plain for a caller who may
// reveal, 404 for another station's officer, 409 for a hazard.
class HttpVisitReconcileTest : public HttpServerTest {
 protected:
  std::unique_ptr<httplib::Client> user(const std::string& name, const std::string& unit, const std::string& role) {
    auto u = authority_->add_user({name, "民警" + name, unit, role}, "test");
    EXPECT_TRUE(u.ok()) << u.error().describe();
    auto token = authority_->issue_token(name, "visits", {}, "test");
    EXPECT_TRUE(token.ok()) << token.error().describe();
    auto c = anonymous_client();
    if (token.ok()) c->set_bearer_token_auth(token->secret);
    return c;
  }
};

TEST_F(HttpVisitReconcileTest, TheReconciliationIsMaskedWithoutRevealAndHiddenFromAnotherUnit) {
  load_units();
  RentalHouseEntry house = a_house();
  house.house.unit_code = "JN-S01";
  auto houses = engine_->registry().upsert_rental_houses({house}, UnitScope::everything());
  ASSERT_TRUE(houses.ok()) << houses.error().describe();
  ASSERT_TRUE(houses->refused.empty()) << houses->refused.front().error.describe();

  auto station = user("li.s", "JN-S01", "station");
  auto neighbour = user("qian.s2", "JN-S02", "station");
  json seen = json::array();
  for (const LedgerPerson& p : seen_at_the_house()) {
    json one = {{"name", p.name}};
    if (!p.phone.empty()) one["phone"] = p.phone;
    if (!p.id_number.empty()) one["id_number"] = p.id_number;
    seen.push_back(one);
  }
  const json body = {{"unit_code", "JN-S01"},
                     {"fields",
                      {{"house_ref", "R-001"},
                       {"address", "济南市历下区泉城路18号2单元302"},
                       {"rental_kind", "shared"},
                       {"people_seen", seen}}}};
  JsonResponse made = to_json_response(station->Post("/api/ledgers/rental_check", body.dump(), "application/json"));
  ASSERT_EQ(made.status, 201) << made.raw;
  // The item's own answer masks each person seen.
  const json shown = made.body["fields"]["people_seen"];
  ASSERT_TRUE(shown.is_array()) << made.raw;
  EXPECT_EQ(shown[1], (json{{"name", "李**"}, {"phone", "138****0002"}}));
  const std::string path = fmt::format("/api/ledger-items/{}/reconciliation", made.body["id"].get<std::int64_t>());

  JsonResponse masked = to_json_response(station->Get(path.c_str()));
  ASSERT_EQ(masked.status, 200) << masked.raw;
  EXPECT_EQ(masked.body["counts"], (json{{"found", 2}, {"new", 1}, {"left", 1}, {"ambiguous", 1}}));
  EXPECT_EQ(masked.body["listed_count"], 4);
  EXPECT_EQ(masked.body["seen_count"], 4);
  ASSERT_EQ(masked.body["left"].size(), 1u);
  EXPECT_EQ(masked.body["left"][0]["name"], "赵*");
  EXPECT_EQ(masked.body["left"][0]["phone"], "138****0004");
  EXPECT_EQ(masked.body["left"][0]["room"], "D");
  EXPECT_EQ(masked.body["new"][0]["name"], "陈**");
  EXPECT_EQ(masked.body["ambiguous"][0]["reason"], "name_without_phone");
  EXPECT_EQ(masked.body["ambiguous"][0]["reason_zh"], ambiguity_reason_zh(AmbiguityReason::kNameWithoutPhone));
  for (const std::string& plain : {std::string("赵敏"), std::string("陈小龙"), kZhao, std::string("13800000004")})
    EXPECT_EQ(masked.raw.find(plain), std::string::npos) << plain;

  JsonResponse plain = get(path);  // the tester holds personal.reveal
  ASSERT_EQ(plain.status, 200) << plain.raw;
  EXPECT_EQ(plain.body["left"][0]["name"], "赵敏");
  EXPECT_EQ(plain.body["left"][0]["id_number"], kZhao);

  JsonResponse hidden = to_json_response(neighbour->Get(path.c_str()));
  EXPECT_EQ(hidden.status, 404) << hidden.raw;

  const json hazard = {{"unit_code", "JN-S01"},
                       {"fields", {{"kind", "fire"}, {"level", "general"}, {"description", "安全出口被杂物堵塞"}}}};
  JsonResponse h = to_json_response(station->Post("/api/ledgers/hazard", hazard.dump(), "application/json"));
  ASSERT_EQ(h.status, 201) << h.raw;
  JsonResponse conflict = to_json_response(
      station->Get(fmt::format("/api/ledger-items/{}/reconciliation", h.body["id"].get<std::int64_t>()).c_str()));
  EXPECT_EQ(conflict.status, 409) << conflict.raw;
  EXPECT_EQ(conflict.body.value("/error/field"_json_pointer, std::string()), "type");
}

}  // namespace
}  // namespace pingan::testing
