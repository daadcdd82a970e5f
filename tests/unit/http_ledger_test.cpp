// The ledgers (台账, issue 21; docs/api.md "Ledgers") through the HTTP API,
// end to end on a real server and store, with users of the shipped roles:
// a dispute taken from 发现 to 化解 and its history and deadlines; a step
// the type does not allow now (409 naming the allowed ones); a hazard not
// closed (销号) without 验收, and 验收 by someone other than who 整改; another
// unit's item hidden and creating for another unit refused; personal fields
// masked without personal.reveal; paging; a step that opens another type;
// and a type only the data folder defines, served without code.
//
// The masked values below follow core/personal_masks.h's documented rules
// (13912345678 -> 139****5678, 王小明 -> 王**, an address up to its 区 then
// ****), written out by hand.

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/taxonomy.h"
#include "core/time.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

JsonResponse get_as(httplib::Client& c, const std::string& path) { return to_json_response(c.Get(path.c_str())); }
JsonResponse post_as(httplib::Client& c, const std::string& path, const json& body) {
  return to_json_response(c.Post(path.c_str(), body.dump(), "application/json"));
}

std::string field_of(const JsonResponse& r) { return r.body.value("/error/field"_json_pointer, std::string()); }
std::string message_of(const JsonResponse& r) { return r.body.value("/error/message"_json_pointer, std::string()); }
std::string id_of(const json& item) { return std::to_string(item.value("id", std::int64_t{0})); }

// Seconds between two ISO 8601 times of an answer.
std::int64_t seconds_between(const json& from, const json& to) {
  auto a = parse_iso8601(from.get<std::string>());
  auto b = parse_iso8601(to.get<std::string>());
  EXPECT_TRUE(a.ok() && b.ok()) << from << " " << to;
  return a.ok() && b.ok() ? *b - *a : -1;
}

json a_dispute(const std::string& unit) {
  return {{"unit_code", unit},
          {"fields", {{"kind", "neighbour"}, {"summary", "楼上漏水引发邻里纠纷"}, {"parties", 2}}}};
}

class HttpLedgerTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
    if (HasFatalFailure()) return;
    community_ = role_client("zhang.c", "JN-S01", "community");
    station_ = role_client("li.s", "JN-S01", "station");
    station2_ = role_client("wang.s", "JN-S01", "station");
    leader_ = role_client("zhao.l", "JN-S01", "leader");
    command_ = role_client("sun.c", "JN", "command");
    neighbour_ = role_client("qian.s2", "JN-S02", "station");
  }

  json create(httplib::Client& c, const std::string& type, const json& body) {
    JsonResponse r = post_as(c, "/api/ledgers/" + type, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  JsonResponse step(httplib::Client& c, const std::string& id, const json& body) {
    return post_as(c, "/api/ledger-items/" + id + "/steps", body);
  }
  // A step that must succeed; the item after it.
  json must_step(httplib::Client& c, const std::string& id, const json& body) {
    JsonResponse r = step(c, id, body);
    EXPECT_EQ(r.status, 200) << body.dump() << ": " << r.raw;
    return r.body.value("item", json());
  }

  std::unique_ptr<httplib::Client> community_, station_, station2_, leader_, command_, neighbour_;
};

TEST_F(HttpLedgerTest, ADisputeIsFoundAssignedMediatedAndResolvedAndItsHistoryKeepsEachStep) {
  JsonResponse made = post_as(*community_, "/api/ledgers/dispute", a_dispute("JN-S01"));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = id_of(made.body);
  EXPECT_EQ(made.location, "/api/ledger-items/" + id);
  EXPECT_EQ(made.body["type"], "dispute");
  EXPECT_EQ(made.body["type_zh"], "矛盾纠纷");
  EXPECT_EQ(made.body["state"], "found");
  EXPECT_EQ(made.body["state_zh"], "已发现");
  EXPECT_EQ(made.body["unit_code"], "JN-S01");
  EXPECT_EQ(made.body["unit_zh"], "泉城路派出所");
  EXPECT_EQ(made.body["fields"], (json{{"kind", "neighbour"}, {"summary", "楼上漏水引发邻里纠纷"}, {"parties", 2}}));
  EXPECT_EQ(made.body["steps_allowed"],
            json::parse(R"([{"code":"assign","label":"指派"},{"code":"escalate","label":"移交"}])"));

  // 开始调解 before 指派: 409 naming what may be done now.
  JsonResponse early = step(*community_, id, {{"step", "mediate"}});
  EXPECT_EQ(early.status, 409) << early.raw;
  EXPECT_EQ(field_of(early), "step");
  EXPECT_NE(message_of(early).find("assign (指派), escalate (移交)"), std::string::npos) << early.raw;
  // 指派 is the station's, not the community officer's.
  JsonResponse not_theirs = step(*community_, id, {{"step", "assign"}, {"unit_code", "JN-S01"}, {"officer_id", "P001"}});
  EXPECT_EQ(not_theirs.status, 403) << not_theirs.raw;

  json assigned = must_step(*station_, id, {{"step", "assign"}, {"unit_code", "JN-S01"}, {"officer_id", "P001"}});
  EXPECT_EQ(assigned["state"], "assigned");
  EXPECT_EQ(assigned["officer_id"], "P001");
  EXPECT_EQ(must_step(*community_, id, {{"step", "mediate"}, {"note", "约双方到警务室"}})["state"], "mediating");
  // 化解 needs 化解方式 and 调解经过.
  JsonResponse bare = step(*community_, id, {{"step", "resolve"}});
  EXPECT_EQ(bare.status, 400) << bare.raw;
  EXPECT_EQ(field_of(bare).rfind("fields.", 0), 0u) << bare.raw;
  JsonResponse resolved =
      step(*community_, id,
           {{"step", "resolve"},
            {"fields", {{"resolution", "agreement"}, {"mediation_summary", "楼上住户赔偿维修费"}, {"agreement_amount_fen", 80000}}}});
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_TRUE(resolved.body["opened"].is_null());
  EXPECT_EQ(resolved.body["item"]["state_zh"], "已化解");
  EXPECT_EQ(resolved.body["item"]["steps_allowed"], json::array());  // final

  JsonResponse got = get_as(*station_, "/api/ledger-items/" + id);
  ASSERT_EQ(got.status, 200) << got.raw;
  const json& history = got.body["history"];
  ASSERT_EQ(history.size(), 4u) << got.raw;
  const std::vector<std::array<std::string, 5>> expected = {
      {"create", "登记", "", "found", "zhang.c (token tests)"},
      {"assign", "指派", "found", "assigned", "li.s (token tests)"},
      {"mediate", "开始调解", "assigned", "mediating", "zhang.c (token tests)"},
      {"resolve", "化解", "mediating", "resolved", "zhang.c (token tests)"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(history[i]["step"], expected[i][0]);
    EXPECT_EQ(history[i]["step_zh"], expected[i][1]);
    EXPECT_EQ(history[i]["from"], expected[i][2].empty() ? json() : json(expected[i][2]));
    EXPECT_EQ(history[i]["to"], expected[i][3]);
    EXPECT_EQ(history[i]["actor"], expected[i][4]);
  }
  EXPECT_EQ(history[1]["officer_id"], "P001");
  EXPECT_EQ(history[2]["note"], "约双方到警务室");
  std::set<std::string> changed;
  for (const json& c : history[3]["changes"]) {
    changed.insert(c["field"].get<std::string>());
    EXPECT_TRUE(c["before"].is_null()) << c;
  }
  EXPECT_EQ(changed, (std::set<std::string>{"agreement_amount_fen", "mediation_summary", "resolution"}));

  // Both clocks of the type started at 发现 and stopped at 指派 and 化解, in time.
  const json& dues = got.body["dues"];
  ASSERT_EQ(dues.size(), 2u) << got.raw;
  EXPECT_EQ(dues[0]["deadline"], "assign");
  EXPECT_EQ(dues[0]["state"], "met");
  EXPECT_EQ(seconds_between(dues[0]["started_at"], dues[0]["due_at"]), 24 * 3600);
  EXPECT_EQ(seconds_between(dues[0]["remind_at"], dues[0]["due_at"]), 4 * 3600);
  EXPECT_EQ(dues[1]["deadline"], "resolve");
  EXPECT_EQ(dues[1]["label"], "化解期限");
  EXPECT_EQ(dues[1]["state"], "met");
  EXPECT_EQ(seconds_between(dues[1]["started_at"], dues[1]["due_at"]), 15 * 86400);
  EXPECT_TRUE(dues[1]["escalation"].is_null());

  // Every write is in the audit trail, by its signed-in actor.
  JsonResponse audit = get("/api/audit?record=ledger-item:" + id);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  std::multiset<std::string> outcomes;
  for (const json& e : audit.body["entries"])
    outcomes.insert(e.value("user", "") + " " + e.value("outcome", ""));
  EXPECT_EQ(outcomes, (std::multiset<std::string>{"li.s ok", "zhang.c failed", "zhang.c failed", "zhang.c ok",
                                                   "zhang.c ok", "zhang.c refused"}))
      << audit.raw;
}

TEST_F(HttpLedgerTest, AHazardIsNotClosedWithoutVerificationAndNotVerifiedByWhoRectifiedIt) {
  const json hazard = create(*community_, "hazard",
                             {{"unit_code", "JN-S01"},
                              {"fields", {{"kind", "fire"}, {"level", "general"}, {"description", "安全出口被杂物堵塞"}}}});
  const std::string id = id_of(hazard);
  must_step(*station_, id,
            {{"step", "order_rectify"}, {"unit_code", "JN-S01"}, {"officer_id", "P002"},
             {"fields", {{"rectify_measures", "三日内清理安全出口"}, {"rectify_by", "2026-12-31"}}}});
  EXPECT_EQ(must_step(*station_, id, {{"step", "rectify"}, {"fields", {{"rectified_summary", "已清理"}}}})["state"],
            "rectified");

  // 销号 straight after 整改: refused, naming the steps open now.
  JsonResponse closing = step(*leader_, id, {{"step", "close"}});
  EXPECT_EQ(closing.status, 409) << closing.raw;
  EXPECT_NE(message_of(closing).find("verify (验收), reject (退回整改)"), std::string::npos) << closing.raw;
  // 验收 by the officer who recorded the 整改.
  JsonResponse self = step(*station_, id, {{"step", "verify"}, {"fields", {{"verify_result", "合格"}}}});
  EXPECT_EQ(self.status, 409) << self.raw;
  EXPECT_EQ(field_of(self), "actor");
  EXPECT_NE(message_of(self).find("li.s (token tests)"), std::string::npos) << self.raw;
  EXPECT_EQ(get_as(*station_, "/api/ledger-items/" + id).body["state"], "rectified");

  EXPECT_EQ(must_step(*station2_, id, {{"step", "verify"}, {"fields", {{"verify_result", "合格"}}}})["state"],
            "verified");
  json closed = must_step(*leader_, id, {{"step", "close"}});
  EXPECT_EQ(closed["state"], "closed");
  EXPECT_EQ(closed["state_zh"], "已销号");
  EXPECT_EQ(closed["fields"]["rectify_by"], "2026-12-31");
  EXPECT_EQ(closed["history"].back()["actor"], "zhao.l (token tests)");
}

TEST_F(HttpLedgerTest, AnotherUnitsItemIsNotFoundAndOpeningOneForAnotherUnitIsRefused) {
  const std::string id = id_of(create(*station_, "dispute", a_dispute("JN-S01")));
  JsonResponse seen = get_as(*neighbour_, "/api/ledger-items/" + id);
  EXPECT_EQ(seen.status, 404) << seen.raw;
  // The same answer as for an item nobody has.
  JsonResponse ghost = get_as(*neighbour_, "/api/ledger-items/987654321");
  EXPECT_EQ(ghost.status, 404);
  JsonResponse stepped = step(*neighbour_, id, {{"step", "escalate"},
                                               {"fields", {{"escalated_to", "court"}, {"escalation_reason", "x"}}}});
  EXPECT_EQ(stepped.status, 404) << stepped.raw;
  EXPECT_EQ(get_as(*station_, "/api/ledger-items/" + id).body["state"], "found");
  EXPECT_EQ(get_as(*neighbour_, "/api/ledgers/dispute").body["items"], json::array());

  // Opening one for JN-S01 from JN-S02: 403, nothing written.
  JsonResponse theirs = post_as(*neighbour_, "/api/ledgers/dispute", a_dispute("JN-S01"));
  EXPECT_EQ(theirs.status, 403) << theirs.raw;
  EXPECT_EQ(get("/api/ledgers/dispute").body["items"].size(), 1u);
  // Assigning one's own item into the other station: 403 too.
  JsonResponse away = step(*station_, id, {{"step", "assign"}, {"unit_code", "JN-S02"}, {"officer_id", "P9"}});
  EXPECT_EQ(away.status, 403) << away.raw;

  // Unknown type, unit, field and value: named.
  JsonResponse no_type = get_as(*station_, "/api/ledgers/lost_property");
  EXPECT_EQ(no_type.status, 404) << no_type.raw;
  EXPECT_NE(message_of(no_type).find("dispute"), std::string::npos) << "names the known types: " << no_type.raw;
  JsonResponse no_unit = post_as(*station_, "/api/ledgers/dispute", a_dispute("JN-S09"));
  EXPECT_EQ(no_unit.status, 400);
  EXPECT_EQ(field_of(no_unit), "unit_code");
  json bad = a_dispute("JN-S01");
  bad["fields"]["kind"] = "quarrel";
  JsonResponse bad_value = post_as(*station_, "/api/ledgers/dispute", bad);
  EXPECT_EQ(bad_value.status, 400);
  EXPECT_EQ(field_of(bad_value), "fields.kind") << bad_value.raw;
  bad = a_dispute("JN-S01");
  bad["fields"]["colour"] = "red";
  JsonResponse unknown = post_as(*station_, "/api/ledgers/dispute", bad);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(field_of(unknown), "fields.colour") << unknown.raw;
  bad = a_dispute("JN-S01");
  bad["fields"]["parties"] = "two";
  JsonResponse wrong_type = post_as(*station_, "/api/ledgers/dispute", bad);
  EXPECT_EQ(field_of(wrong_type), "fields.parties") << wrong_type.raw;
  bad = a_dispute("JN-S01");
  bad["actor"] = "someone else";
  EXPECT_EQ(field_of(post_as(*station_, "/api/ledgers/dispute", bad)), "actor");
  EXPECT_EQ(get("/api/ledgers/dispute").body["items"].size(), 1u);
}

TEST_F(HttpLedgerTest, PersonalFieldsAreMaskedUnlessTheReaderMayRevealThem) {
  json body = a_dispute("JN-S01");
  body["fields"]["party_name"] = "王小明";
  body["fields"]["party_phone"] = "13912345678";
  body["fields"]["address"] = "历下区泉城路 1 号";
  JsonResponse made = post_as(*community_, "/api/ledgers/dispute", body);
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = id_of(made.body);
  const json masked = {{"party_name", "王**"}, {"party_phone", "139****5678"}, {"address", "历下区****"}};
  const json plain = {{"party_name", "王小明"}, {"party_phone", "13912345678"}, {"address", "历下区泉城路 1 号"}};
  auto personal = [](const json& fields) {
    return json{{"party_name", fields["party_name"]}, {"party_phone", fields["party_phone"]},
                {"address", fields["address"]}};
  };
  EXPECT_EQ(personal(made.body["fields"]), masked);  // the writer holds no personal.reveal either
  for (auto* c : {station_.get(), leader_.get()}) {
    JsonResponse r = get_as(*c, "/api/ledger-items/" + id);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(personal(r.body["fields"]), masked);
    for (const char* secret : {"13912345678", "王小明", "泉城路 1 号"})
      EXPECT_EQ(r.raw.find(secret), std::string::npos) << secret << " in " << r.raw;  // the history's changes too
    JsonResponse listed = get_as(*c, "/api/ledgers/dispute");
    EXPECT_EQ(listed.raw.find("13912345678"), std::string::npos) << listed.raw;
  }
  // 指挥中心 holds personal.reveal.
  JsonResponse shown = get_as(*command_, "/api/ledger-items/" + id);
  ASSERT_EQ(shown.status, 200) << shown.raw;
  EXPECT_EQ(personal(shown.body["fields"]), plain);
  bool in_changes = false;
  for (const json& c : shown.body["history"][0]["changes"])
    in_changes = in_changes || (c["field"] == "party_phone" && c["after"] == "13912345678");
  EXPECT_TRUE(in_changes) << shown.raw;
}

TEST_F(HttpLedgerTest, PagesFollowTheCursorNewestFirstWithoutRepeatsOrGaps) {
  std::vector<std::string> made;
  for (int i = 0; i < 7; ++i) made.push_back(id_of(create(*station_, "dispute", a_dispute("JN-S01"))));
  create(*neighbour_, "dispute", a_dispute("JN-S02"));  // not the station's to see
  for (int i : {1, 4})
    must_step(*station_, made[i], {{"step", "assign"}, {"unit_code", "JN-S01"}, {"officer_id", "P1"}});

  std::vector<std::string> seen;
  std::string path = "/api/ledgers/dispute?limit=3";
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 5; ++page) {
    JsonResponse r = get_as(*station_, path);
    ASSERT_EQ(r.status, 200) << r.raw;
    sizes.push_back(r.body["items"].size());
    for (const json& item : r.body["items"]) seen.push_back(id_of(item));
    if (!r.body["more"].get<bool>()) {
      EXPECT_TRUE(r.body["next"].is_null());
      break;
    }
    path = "/api/ledgers/dispute?limit=3&before=" + r.body["next"].get<std::string>();
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
  // Created within the same seconds: newest first is the ids descending.
  EXPECT_EQ(seen, std::vector<std::string>(made.rbegin(), made.rend()));

  JsonResponse assigned = get_as(*station_, "/api/ledgers/dispute?state=assigned");
  std::set<std::string> ids;
  for (const json& item : assigned.body["items"]) ids.insert(id_of(item));
  EXPECT_EQ(ids, (std::set<std::string>{made[1], made[4]}));
  EXPECT_EQ(get_as(*station_, "/api/ledgers/dispute?state=found").body["items"].size(), 5u);
  JsonResponse bad_state = get_as(*station_, "/api/ledgers/dispute?state=closd");
  EXPECT_EQ(bad_state.status, 400);
  EXPECT_EQ(field_of(bad_state), "state");
  EXPECT_EQ(field_of(get_as(*station_, "/api/ledgers/dispute?before=x")), "before");
  EXPECT_EQ(field_of(get_as(*station_, "/api/ledgers/dispute?limit=0")), "limit");
  // The whole tree sees the eighth.
  EXPECT_EQ(get("/api/ledgers/dispute?limit=100").body["items"].size(), 8u);
  // A window that ends before them holds none.
  EXPECT_EQ(get("/api/ledgers/dispute?to=2020-01-01T00:00:00Z").body["items"], json::array());
}

TEST_F(HttpLedgerTest, AnInspectionsFindingOpensAHazardInTheSameStep) {
  const json inspection = create(*community_, "inspection",
                                 {{"unit_code", "JN-S01"},
                                  {"fields", {{"place_ref", "CS-0001"}, {"place_name", "平安旅馆"}, {"place_kind", "hotel"},
                                              {"inspection_kind", "routine"}, {"location", {{"lat", 36.66}, {"lon", 117.12}}}}}});
  JsonResponse r = step(*community_, id_of(inspection),
                        {{"step", "open_hazard"},
                         {"fields", {{"hazard_kind", "fire"}, {"hazard_level", "major"}, {"hazard_description", "灭火器过期"}}}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["item"]["state"], "recorded");
  const json& opened = r.body["opened"];
  ASSERT_TRUE(opened.is_object()) << r.raw;
  EXPECT_EQ(opened["type"], "hazard");
  EXPECT_EQ(opened["state"], "found");
  EXPECT_EQ(opened["fields"]["kind"], "fire");
  EXPECT_EQ(opened["fields"]["level"], "major");
  EXPECT_EQ(opened["fields"]["place_name"], "平安旅馆");
  EXPECT_EQ(opened["fields"]["location"], (json{{"lat", 36.66}, {"lon", 117.12}}));
  EXPECT_EQ(opened["fields"]["source"], "inspection");
  EXPECT_EQ(opened["fields"]["source_item"], id_of(inspection));
  EXPECT_EQ(get_as(*station_, "/api/ledger-items/" + id_of(opened)).status, 200);
}

TEST_F(HttpLedgerTest, TheTypesListEveryShippedFileWithItsFieldsStatesAndSteps) {
  JsonResponse r = get_as(*leader_, "/api/ledger-types");
  ASSERT_EQ(r.status, 200) << r.raw;
  std::set<std::string> codes, files;
  for (const json& t : r.body["types"]) codes.insert(t["code"].get<std::string>());
  for (const auto& e : fs::directory_iterator(shipped_data_dir() + "/ledgers"))
    if (e.path().extension() == ".json") files.insert(e.path().stem().string());
  EXPECT_EQ(codes, files);
  for (const json& t : r.body["types"]) {
    if (t["code"] != "hazard") continue;
    EXPECT_EQ(t["label"], "隐患");
    const json& close = t["steps"][4];
    EXPECT_EQ(close["code"], "close");
    EXPECT_EQ(close["from"], json::array({"verified"}));
    EXPECT_EQ(close["who"], json::array({"station", "leader"}));
    EXPECT_EQ(t["steps"][2]["verifies"], "rectify");
    EXPECT_EQ(t["deadlines"][0]["due_s"], 15 * 86400);
    EXPECT_EQ(t["deadlines"][0]["escalations"][1]["label"], "挂牌督办");
    for (const json& f : t["fields"]) {
      if (f["code"] == "responsible_phone") {
        EXPECT_EQ(f["personal"], "phone");
      }
      if (f["code"] == "kind") {
        EXPECT_EQ(f["values"][0], (json{{"code", "fire"}, {"label", "消防"}}));
      }
      if (f["code"] == "description") {
        EXPECT_EQ(f["required"], true);
      }
    }
  }
}

// A type only a bureau's data folder defines: the server runs it with no code.
TEST(HttpLedgerDataTest, ATypeOnlyTheDataFolderDefinesIsServedEndToEnd) {
  TempDir data, store;
  fs::copy(shipped_data_dir(), data.path(), fs::copy_options::recursive);
  std::ofstream(data.file("ledgers/lost_property.json")) << R"({
  "code": "lost_property",
  "label": "拾遗物品",
  "version": 2,
  "who_may_create": ["community"],
  "fields": [
    {"code": "item", "label": "物品", "kind": "text", "required": true, "max_chars": 200},
    {"code": "found_at", "label": "拾得时间", "kind": "datetime"},
    {"code": "owner", "label": "失主", "kind": "person", "personal": "name"}
  ],
  "states": [
    {"code": "held", "label": "保管中", "initial": true, "counts_as": ["received"]},
    {"code": "returned", "label": "已发还", "final": true, "counts_as": ["received", "returned"]}
  ],
  "steps": [
    {"code": "return", "label": "发还", "from": ["held"], "to": "returned", "who": ["community"], "fields": ["owner"]}
  ]
})";
  auto opened = Engine::open(EngineConfig{test_store_location(store, "h.db"), data.path().string(), "Asia/Shanghai"});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  std::unique_ptr<Engine> engine = std::move(opened).value();
  ASSERT_TRUE(engine->upsert_units({test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation)})
                  .ok());
  HttpConfig config;
  config.port = 0;
  config.threads = 2;
  TestClock clock;
  HttpServer server(*engine, config);
  server.use_authority(test_authority(*engine, clock));
  ASSERT_TRUE(server.start().ok());
  auto community = signed_in_client(*server.authority(), server.port(), "zhou.c", "JN-S1", "community");

  JsonResponse types = get_as(*community, "/api/ledger-types");
  ASSERT_EQ(types.status, 200) << types.raw;
  json lost;
  for (const json& t : types.body["types"])
    if (t["code"] == "lost_property") lost = t;
  ASSERT_TRUE(lost.is_object()) << types.raw;
  EXPECT_EQ(lost["version"], 2);
  EXPECT_EQ(lost["fields"][1]["kind"], "datetime");
  EXPECT_EQ(lost["fields"][2]["personal"], "name");

  JsonResponse made = post_as(*community, "/api/ledgers/lost_property",
                              {{"unit_code", "JN-S1"},
                               {"fields", {{"item", "黑色钱包"}, {"found_at", "2026-05-01 09:30"}}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["type_zh"], "拾遗物品");
  EXPECT_EQ(made.body["type_version"], 2);
  EXPECT_EQ(made.body["fields"]["found_at"], "2026-05-01T09:30:00+08:00");  // naive: read in the bureau's zone
  JsonResponse returned = post_as(*community, "/api/ledger-items/" + id_of(made.body) + "/steps",
                                  {{"step", "return"}, {"fields", {{"owner", "钱多多"}}}});
  ASSERT_EQ(returned.status, 200) << returned.raw;
  EXPECT_EQ(returned.body["item"]["state_zh"], "已发还");
  EXPECT_EQ(returned.body["item"]["fields"]["owner"], "钱**");
  server.stop();
}

}  // namespace
}  // namespace pingan::testing
