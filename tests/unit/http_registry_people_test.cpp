// The registry's enterprises, rental houses and residents through the HTTP
// API (issue 21; docs/api.md "Registry and cameras"), end to end on a real
// server and store (and on PostgreSQL in the `pg.` run): batches upserted by
// key with created/updated/unchanged counts, lists paged in the caller's
// scope, every bad row named by index and field with nothing written, a
// unit outside the caller's subtree refused, and persons masked except for
// a caller holding personal.reveal, whose answers are audited.

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "core/id_number.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// An ID number with its check character (GB 11643).
std::string id_number(const std::string& first17) { return first17 + id_number_check_char(first17); }

class HttpRegistryPeopleTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
  }
  // A user of `unit` with a shipped role, by API token.
  std::unique_ptr<httplib::Client> user_client(const std::string& name, const std::string& unit,
                                               const std::string& role) {
    auto user = authority_->add_user({name, "民警", unit, role}, "test");
    EXPECT_TRUE(user.ok()) << user.error().describe();
    auto token = authority_->issue_token(name, "registry", {}, "test");
    EXPECT_TRUE(token.ok()) << token.error().describe();
    auto c = anonymous_client();
    if (token.ok()) c->set_bearer_token_auth(token->secret);
    return c;
  }
  static JsonResponse get_as(httplib::Client& c, const std::string& path) { return to_json_response(c.Get(path.c_str())); }
  static JsonResponse post_as(httplib::Client& c, const std::string& path, const json& body) {
    return to_json_response(c.Post(path.c_str(), body.dump(), "application/json"));
  }
  static std::string field_of(const JsonResponse& r) { return r.body.value("/error/field"_json_pointer, std::string()); }
  static json counts(int created, int updated, int unchanged) {
    return json{{"created", created}, {"updated", updated}, {"unchanged", unchanged}};
  }

  static json enterprise(const std::string& code, const std::string& unit) {
    return json{{"code", code},   {"name", "平安物流有限公司" + code}, {"credit_code", "91440300708461136T"},
                {"address", "经十路 8 号"}, {"lat", 36.65}, {"lon", 117.15}, {"unit", unit}};
  }
  static json person(const std::string& name, const std::string& id, const std::string& phone) {
    return json{{"name", name}, {"id_number", id}, {"phone", phone}, {"address", "济南市历下区经十路 9 号"}};
  }
  static json resident(const json& who, const std::string& kind, const std::string& unit) {
    return json{{"person", who},  {"kind", kind},           {"address", "济南市历下区泉城路 12 号 3 单元"},
                {"unit", unit},   {"registered", "2020-05-01"}};
  }
};

TEST_F(HttpRegistryPeopleTest, EnterprisesAreUpsertedByCodeAndPagedInTheCallersScope) {
  JsonResponse written = post("/api/enterprises", json{{"enterprises", {enterprise("E1", "JN-S01"),
                                                                         enterprise("E2", "JN-S01-C01"),
                                                                         enterprise("E3", "JN-S02")}}});
  ASSERT_EQ(written.status, 200) << written.raw;
  EXPECT_EQ(written.body, counts(3, 0, 0));
  // Sent again, nothing changes; one name changed is one update.
  json changed = enterprise("E2", "JN-S01-C01");
  changed["name"] = "平安快递有限公司";
  EXPECT_EQ(post("/api/enterprises", json{{"enterprises", {enterprise("E1", "JN-S01"), enterprise("E3", "JN-S02")}}})
                .body,
            counts(0, 0, 2));
  EXPECT_EQ(post("/api/enterprises", json{{"enterprises", {enterprise("E1", "JN-S01"), changed}}}).body,
            counts(0, 1, 1));

  auto station = user_client("wang.s01", "JN-S01", "station");
  JsonResponse first = get_as(*station, "/api/enterprises?limit=1");
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["items"].size(), 1u) << first.raw;
  EXPECT_EQ(first.body["items"][0], enterprise("E1", "JN-S01"));
  EXPECT_EQ(first.body["next_after"], "E1");
  JsonResponse second = get_as(*station, "/api/enterprises?limit=1&after=E1");
  ASSERT_EQ(second.status, 200) << second.raw;
  ASSERT_EQ(second.body["items"].size(), 1u) << second.raw;
  EXPECT_EQ(second.body["items"][0]["name"], "平安快递有限公司");
  EXPECT_TRUE(second.body["next_after"].is_null()) << second.raw;  // E3 is the other station's
  JsonResponse beside = get_as(*station, "/api/enterprises?unit=JN-S02");
  ASSERT_EQ(beside.status, 200) << beside.raw;
  EXPECT_TRUE(beside.body["items"].empty()) << beside.raw;
  EXPECT_EQ(get("/api/enterprises").body["items"].size(), 3u);

  // Another station's unit: 403 for the whole batch, nothing stored.
  JsonResponse theirs = post_as(*station, "/api/enterprises",
                                json{{"enterprises", {enterprise("E4", "JN-S01"), enterprise("E5", "JN-S02")}}});
  EXPECT_EQ(theirs.status, 403) << theirs.raw;
  EXPECT_EQ(get("/api/enterprises").body["items"].size(), 3u);

  // Every bad row named; nothing written; then the good row alone is taken.
  // Rows that do not parse (a bad type, an unknown member) are named first;
  // the engine's refusals (core's rules, the unit) once every row parsed.
  json bad_code = enterprise("E7", "JN-S01");
  bad_code["credit_code"] = "91440300708461136A";
  json extra = enterprise("E8", "JN-S01");
  extra["owner"] = "王强";
  json text_lat = enterprise("E9", "JN-S01");
  text_lat["lat"] = "36.65";
  JsonResponse unparsed =
      post("/api/enterprises", json{{"enterprises", {enterprise("E6", "JN-S01"), extra, text_lat}}});
  ASSERT_EQ(unparsed.status, 400) << unparsed.raw;
  EXPECT_EQ(field_of(unparsed), "enterprises[1].owner") << unparsed.raw;
  ASSERT_EQ(unparsed.body["error"]["rows"].size(), 2u) << unparsed.raw;
  EXPECT_EQ(unparsed.body["error"]["rows"][1]["field"], "enterprises[2].lat");
  JsonResponse bad = post("/api/enterprises", json{{"enterprises", {enterprise("E6", "JN-S01"), bad_code,
                                                                     enterprise("E10", "JN-S99")}}});
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(field_of(bad), "enterprises[1].credit_code") << bad.raw;
  const json& rows = bad.body["error"]["rows"];
  ASSERT_EQ(rows.size(), 2u) << bad.raw;
  EXPECT_EQ(rows[0]["index"], 1);
  EXPECT_EQ(rows[1]["field"], "enterprises[2].unit");
  EXPECT_EQ(get("/api/enterprises").body["items"].size(), 3u);
  EXPECT_EQ(post("/api/enterprises", json{{"enterprises", {enterprise("E6", "JN-S01")}}}).body, counts(1, 0, 0));
}

TEST_F(HttpRegistryPeopleTest, RentalHousesCarryTheirPersonsMaskedUnlessTheCallerMayRevealThem) {
  const std::string landlord_id = id_number("37010219700203123");
  const std::string tenant_id = id_number("37010219950708456");
  const std::string other_id = id_number("41010219980911002");
  json house = {{"code", "H1"},
                {"address", "泉城路 12 号 3 单元 302"},
                {"lat", 36.64},
                {"lon", 117.12},
                {"unit", "JN-S01-C01"},
                {"rooms", 3},
                {"landlord", person("张建国", landlord_id, "13800001111")},
                {"tenants",
                 {{{"person", person("李娜", tenant_id, "13900002222")}, {"room", "A"}, {"from", "2023-03-01"}},
                  {{"person", person("欧阳明", other_id, "13700003333")},
                   {"room", "B"},
                   {"from", "2022-01-10"},
                   {"to", "2023-01-09"}}}}};
  JsonResponse written = post("/api/rental-houses", json{{"rental_houses", {house}}});
  ASSERT_EQ(written.status, 200) << written.raw;
  EXPECT_EQ(written.body, counts(1, 0, 0));
  EXPECT_EQ(post("/api/rental-houses", json{{"rental_houses", {house}}}).body, counts(0, 0, 1));

  // A station officer sees the persons masked.
  auto station = user_client("wang.s01", "JN-S01", "station");
  JsonResponse masked = get_as(*station, "/api/rental-houses");
  ASSERT_EQ(masked.status, 200) << masked.raw;
  ASSERT_EQ(masked.body["items"].size(), 1u) << masked.raw;
  const json& h = masked.body["items"][0];
  EXPECT_EQ(h["code"], "H1");
  EXPECT_EQ(h["rooms"], 3);
  EXPECT_EQ(h["landlord"]["name"], "张**");
  EXPECT_EQ(h["landlord"]["id_number"], landlord_id.substr(0, 6) + "********" + landlord_id.substr(14));
  EXPECT_EQ(h["landlord"]["phone"], "138****1111");
  EXPECT_EQ(h["landlord"]["sex"], "male");  // the 17th digit 3 is odd
  ASSERT_EQ(h["tenants"].size(), 2u) << masked.raw;
  EXPECT_EQ(h["tenants"][0]["person"]["name"], "李*");
  EXPECT_EQ(h["tenants"][0]["room"], "A");
  EXPECT_EQ(h["tenants"][0]["from"], "2023-03-01");
  EXPECT_TRUE(h["tenants"][0]["to"].is_null());
  EXPECT_EQ(h["tenants"][1]["person"]["name"], "欧**");
  EXPECT_EQ(h["tenants"][1]["to"], "2023-01-09");
  EXPECT_EQ(masked.raw.find(landlord_id), std::string::npos) << masked.raw;
  EXPECT_EQ(masked.raw.find("13900002222"), std::string::npos) << masked.raw;

  // The command centre holds personal.reveal: plain text, and an audit entry.
  auto command = user_client("zhao.cmd", "JN", "command");
  JsonResponse plain = get_as(*command, "/api/rental-houses?unit=JN-S01");
  ASSERT_EQ(plain.status, 200) << plain.raw;
  ASSERT_EQ(plain.body["items"].size(), 1u) << plain.raw;
  const json& landlord = plain.body["items"][0]["landlord"];
  EXPECT_EQ(landlord["name"], "张建国");
  EXPECT_EQ(landlord["id_number"], landlord_id);
  EXPECT_EQ(plain.body["items"][0]["tenants"][0]["person"]["phone"], "13900002222");
  JsonResponse audit;
  for (int i = 0; i < 250; ++i) {  // the entry may be written just after the answer
    audit = get("/api/audit?action=reveal");
    if (audit.status != 200 || !audit.body["entries"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["entries"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["entries"][0]["user"], "zhao.cmd");
  EXPECT_EQ(audit.body["entries"][0]["target"], "rental_houses");

  // The landlord referenced by the id a list gives: the same house, unchanged.
  json by_id = house;
  by_id["landlord"] = json{{"id", landlord["id"]}};
  EXPECT_EQ(post("/api/rental-houses", json{{"rental_houses", {by_id}}}).body, counts(0, 0, 1));
  // An id beside a name and a tenancy without its start do not parse; a
  // tenant's second stay overlapping the first and a bad check character
  // are the engine's refusals. Each is named.
  json overlap = house;
  overlap["code"] = "H2";
  overlap["tenants"][1]["person"] = person("李娜", tenant_id, "13900002222");
  overlap["tenants"][1]["to"] = "2023-06-01";
  json bad_id = house;
  bad_id["code"] = "H3";
  bad_id["landlord"]["id_number"] = landlord_id.substr(0, 17) + (landlord_id[17] == '1' ? "2" : "1");
  json both = house;
  both["code"] = "H4";
  both["landlord"]["id"] = landlord["id"];
  json no_from = house;
  no_from["code"] = "H5";
  no_from["tenants"][0].erase("from");
  JsonResponse unparsed = post("/api/rental-houses", json{{"rental_houses", {both, no_from}}});
  ASSERT_EQ(unparsed.status, 400) << unparsed.raw;
  ASSERT_EQ(unparsed.body["error"]["rows"].size(), 2u) << unparsed.raw;
  // The first member beside the id is named ("address", "id_number", "name", ...).
  EXPECT_EQ(unparsed.body["error"]["rows"][0]["field"].get<std::string>().rfind("rental_houses[0].landlord.", 0), 0u)
      << unparsed.raw;
  EXPECT_EQ(unparsed.body["error"]["rows"][0]["message"], "is not a known field") << unparsed.raw;
  EXPECT_EQ(unparsed.body["error"]["rows"][1]["field"], "rental_houses[1].tenants[0].from") << unparsed.raw;
  JsonResponse bad = post("/api/rental-houses", json{{"rental_houses", {overlap, bad_id}}});
  ASSERT_EQ(bad.status, 400) << bad.raw;
  const json& rows = bad.body["error"]["rows"];
  ASSERT_EQ(rows.size(), 2u) << bad.raw;
  EXPECT_EQ(rows[0]["field"], "rental_houses[0].tenants[1].from") << bad.raw;
  EXPECT_EQ(rows[1]["field"], "rental_houses[1].landlord.id_number") << bad.raw;
  EXPECT_EQ(get("/api/rental-houses").body["items"].size(), 1u);
  // Written for another station: 403.
  json theirs = house;
  theirs["code"] = "H6";
  theirs["unit"] = "JN-S02";
  EXPECT_EQ(post_as(*station, "/api/rental-houses", json{{"rental_houses", {theirs}}}).status, 403);
}

TEST_F(HttpRegistryPeopleTest, ResidentsArePagedByPersonAndFilteredByKind) {
  // Five residents, the floating ones at 1, 2 and 4; the last of another station.
  json rows = json::array();
  const char* kinds[] = {"registered", "floating", "floating", "registered", "floating"};
  for (int i = 0; i < 5; ++i)
    rows.push_back(resident(person(fmt::format("居民{}", i), id_number(fmt::format("3701021985011{}123", i)),
                                   "1380000111" + std::to_string(i)),
                            kinds[i], i == 4 ? "JN-S02" : "JN-S01"));
  rows[1]["house"] = "H1";
  JsonResponse written = post("/api/residents", json{{"residents", rows}});
  ASSERT_EQ(written.status, 200) << written.raw;
  EXPECT_EQ(written.body, counts(5, 0, 0));
  EXPECT_EQ(post("/api/residents", json{{"residents", rows}}).body, counts(0, 0, 5));
  json left = rows[0];
  left["left"] = "2024-01-31";
  EXPECT_EQ(post("/api/residents", json{{"residents", {left}}}).body, counts(0, 1, 0));

  auto station = user_client("wang.s01", "JN-S01", "station");
  JsonResponse all = get_as(*station, "/api/residents");
  ASSERT_EQ(all.status, 200) << all.raw;
  ASSERT_EQ(all.body["items"].size(), 4u) << all.raw;
  EXPECT_EQ(all.body["items"][0]["person"]["name"], "居**");
  EXPECT_EQ(all.body["items"][0]["address"], "济南市历下区****");
  EXPECT_EQ(all.body["items"][0]["left"], "2024-01-31");
  EXPECT_EQ(all.body["items"][1]["kind_zh"], "流动");
  EXPECT_EQ(all.body["items"][1]["house"], "H1");
  EXPECT_TRUE(all.body["items"][0]["house"].is_null());

  // Floating ones only, a page of one: residents 1 and 2 of this station.
  JsonResponse first = get_as(*station, "/api/residents?floating=true&limit=1");
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["items"].size(), 1u) << first.raw;
  EXPECT_EQ(first.body["items"][0]["person"]["name"], "居**");
  EXPECT_EQ(first.body["items"][0]["kind"], "floating");
  const json next = first.body["next_after"];
  ASSERT_TRUE(next.is_string()) << first.raw;
  EXPECT_EQ(next.get<std::string>(), std::to_string(first.body["items"][0]["person"]["id"].get<std::int64_t>()));
  JsonResponse second = get_as(*station, "/api/residents?floating=true&limit=1&after=" + next.get<std::string>());
  ASSERT_EQ(second.status, 200) << second.raw;
  ASSERT_EQ(second.body["items"].size(), 1u) << second.raw;
  EXPECT_EQ(second.body["items"][0]["kind"], "floating");
  EXPECT_EQ(second.body["items"][0]["person"]["phone"], "138****1112");
  // Resident 3 (registered) may follow in the store: a short last page is allowed.
  if (second.body["next_after"].is_string()) {
    JsonResponse third =
        get_as(*station, "/api/residents?floating=true&after=" + second.body["next_after"].get<std::string>());
    ASSERT_EQ(third.status, 200) << third.raw;
    EXPECT_TRUE(third.body["items"].empty()) << third.raw;
    EXPECT_TRUE(third.body["next_after"].is_null()) << third.raw;
  }
  JsonResponse registered = get_as(*station, "/api/residents?floating=false");
  ASSERT_EQ(registered.status, 200) << registered.raw;
  ASSERT_EQ(registered.body["items"].size(), 2u) << registered.raw;
  EXPECT_EQ(registered.body["items"][1]["person"]["phone"], "138****1113");
  EXPECT_EQ(get("/api/residents?floating=true").body["items"].size(), 3u);

  EXPECT_EQ(field_of(get("/api/residents?floating=maybe")), "floating");
  EXPECT_EQ(field_of(get("/api/residents?after=P1")), "after");
  EXPECT_EQ(field_of(get("/api/residents?limit=0")), "limit");
  EXPECT_EQ(field_of(get("/api/residents?colour=red")), "colour");

  // Bad rows named, nothing written.
  json bad_check = resident(person("钱七", id_number("37010219900101123").substr(0, 17) + "Y", "13800009999"),
                            "floating", "JN-S01");
  json no_date = resident(person("孙八", id_number("37010219900101124"), "13800009998"), "floating", "JN-S01");
  no_date.erase("registered");
  json bad_kind = resident(person("周九", id_number("37010219900101125"), "13800009997"), "visitor", "JN-S01");
  json nowhere = resident(person("吴十", id_number("37010219900101126"), "13800009996"), "floating", "JN-S99");
  JsonResponse unparsed = post("/api/residents", json{{"residents", {no_date, bad_kind}}});
  ASSERT_EQ(unparsed.status, 400) << unparsed.raw;
  ASSERT_EQ(unparsed.body["error"]["rows"].size(), 2u) << unparsed.raw;
  EXPECT_EQ(unparsed.body["error"]["rows"][0]["field"], "residents[0].registered");
  EXPECT_EQ(unparsed.body["error"]["rows"][1]["field"], "residents[1].kind");
  JsonResponse bad = post("/api/residents", json{{"residents", {rows[0], bad_check, nowhere}}});
  ASSERT_EQ(bad.status, 400) << bad.raw;
  const json& named = bad.body["error"]["rows"];
  ASSERT_EQ(named.size(), 2u) << bad.raw;
  EXPECT_EQ(named[0]["field"], "residents[1].person.id_number");
  EXPECT_EQ(named[1]["field"], "residents[2].unit");
  EXPECT_EQ(get("/api/residents").body["items"].size(), 5u);
  // Another station's resident: 403.
  EXPECT_EQ(post_as(*station, "/api/residents", json{{"residents", {rows[4]}}}).status, 403);
}

}  // namespace
}  // namespace pingan::testing
