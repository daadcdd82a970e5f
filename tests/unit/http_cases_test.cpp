// Cases, persons, measures, fraud money, fugitive listings and dissuasion
// tasks through the HTTP API (issue 20; docs/api.md "Cases"), end to end on
// a real server and store: what each write stores, what each refusal leaves
// untouched, and the audit entry of every fugitive check.
//
// The ID numbers below were computed by hand with the GB 11643 weights
// (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder -> "10X98765432"), not with
// the code under test; the wrong one differs only in its check character.

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

constexpr const char* kSuspectId = "370102198807151239";   // 李强, male, born 1988-07-15
constexpr const char* kFugitiveId = "370103199203045612";  // 赵刚, male, born 1992-03-04
constexpr const char* kWithX = "37010419800101107X";       // check character X
constexpr const char* kNeverListed = "370124197506110023";
constexpr const char* kWrongCheck = "370102198807151230";  // kSuspectId with 0 for its check character 9
// The actor of the tester's API token (auth::Principal::actor).
constexpr const char* kActor = "tester (token tests)";

class HttpCasesTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
  }

  static std::string id_of(const json& record) {
    return record.contains("id") ? std::to_string(record["id"].get<std::int64_t>()) : "0";
  }

  // Opens a telecom fraud case of JN-S01 on 1 May 2026; fails the test unless 201.
  json open_case(const std::string& number) {
    JsonResponse r = post("/api/cases", json{{"case_number", number},
                                             {"type", "telecom_fraud_case"},
                                             {"unit", "JN-S01"},
                                             {"summary", "受害人王某接到冒充客服电话, 转账 5 万元"},
                                             {"opened_at", "2026-05-01T09:00:00+08:00"},
                                             {"money_involved_fen", 5000000}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  JsonResponse add_party(const std::string& case_id, const json& person, const std::string& role) {
    return post("/api/cases/" + case_id + "/parties", json{{"person", person}, {"role", role}});
  }
  // Names 李强 a suspect of the case; returns his person id.
  std::int64_t add_suspect(const std::string& case_id) {
    JsonResponse r = add_party(case_id, json{{"name", "李强"}, {"id_number", kSuspectId}}, "suspect");
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("person_id", std::int64_t{0});
  }
  JsonResponse measure(const std::string& case_id, std::int64_t person_id, const std::string& kind,
                       const std::string& at) {
    return post("/api/cases/" + case_id + "/measures",
                json{{"person_id", person_id}, {"kind", kind}, {"at", at}, {"unit", "JN-S01"}});
  }
  JsonResponse money(const std::string& case_id, json body) {
    body["unit"] = "JN-S01";
    return post("/api/cases/" + case_id + "/money", body);
  }
  JsonResponse check(const std::string& id_number) {
    return post("/api/fugitives/check", json{{"id_number", id_number}});
  }
  static std::string field_of(const JsonResponse& r) {
    return r.body.value("/error/field"_json_pointer, std::string());
  }
  static std::string message_of(const JsonResponse& r) {
    return r.body.value("/error/message"_json_pointer, std::string());
  }
  // The "why" of the rule of data/cases/measure_rules.json that `measure` breaks.
  static std::string rule_why(const std::string& measure, const std::string& kind_of_rule) {
    std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/data/cases/measure_rules.json");
    const json rules = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!rules.is_object()) return "(data/cases/measure_rules.json unreadable)";
    for (const json& r : rules["rules"])
      if (r.value("measure", "") == measure && r.contains(kind_of_rule)) return r.value("why", "");
    return "(no such rule)";
  }
};

TEST_F(HttpCasesTest, ACaseIsOpenedInvestigatedAndSolvedAndItsHistoryKeepsEachStep) {
  const json opened = open_case("A3701025300002026050001");
  const std::string id = id_of(opened);
  EXPECT_EQ(opened["status"], "opened");
  EXPECT_EQ(opened["status_zh"], "立案");
  EXPECT_EQ(opened["type_zh"], "电信网络诈骗");
  EXPECT_EQ(opened["class"], "criminal");  // from the type, not the request
  EXPECT_EQ(opened["class_zh"], "刑事");
  EXPECT_EQ(opened["times"]["opened_at"], "2026-05-01T09:00:00+08:00");
  EXPECT_TRUE(opened["times"]["solved_at"].is_null());
  EXPECT_EQ(opened["money_involved_fen"], 5000000);

  JsonResponse investigating =
      post("/api/cases/" + id + "/steps", json{{"to", "investigating"}, {"at", "2026-05-02 09:00"}, {"note", "调取转账记录"}});
  ASSERT_EQ(investigating.status, 200) << investigating.raw;
  EXPECT_EQ(investigating.body["status"], "investigating");
  EXPECT_EQ(investigating.body["times"]["investigating_at"], "2026-05-02T09:00:00+08:00");
  JsonResponse solved = post("/api/cases/" + id + "/steps", json{{"to", "solved"}, {"at", "2026-05-03T01:30:00Z"}});
  ASSERT_EQ(solved.status, 200) << solved.raw;
  EXPECT_EQ(solved.body["status_zh"], "破案");
  EXPECT_EQ(solved.body["times"]["solved_at"], "2026-05-03T09:30:00+08:00");

  JsonResponse history = get("/api/cases/" + id + "/history");
  ASSERT_EQ(history.status, 200) << history.raw;
  EXPECT_EQ(history.body["case_id"], opened["id"]);
  const json expected = json::parse(R"json([
    {"from":null,"to":"opened","at":"2026-05-01T09:00:00+08:00","actor":"tester (token tests)","note":""},
    {"from":"opened","to":"investigating","at":"2026-05-02T09:00:00+08:00","actor":"tester (token tests)","note":"调取转账记录"},
    {"from":"investigating","to":"solved","at":"2026-05-03T09:30:00+08:00","actor":"tester (token tests)","note":""}])json");
  EXPECT_EQ(history.body["items"], expected);

  JsonResponse got = get("/api/cases/" + id);
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body["status"], "solved");
  EXPECT_EQ(got.body["parties"], json::array());
  // The list finds it by its status and by its type's group, and not by another status.
  auto listed = [this](const std::string& query) {
    std::set<std::string> ids;
    JsonResponse r = get("/api/cases?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.raw;
    for (const json& c : r.body.value("items", json::array())) ids.insert(id_of(c));
    return ids;
  };
  EXPECT_EQ(listed("status=solved"), std::set<std::string>{id});
  EXPECT_EQ(listed("type=telecom_fraud&unit=JN-S01"), std::set<std::string>{id});
  EXPECT_TRUE(listed("status=investigating").empty());
  EXPECT_TRUE(listed("unit=JN-S02").empty());
}

TEST_F(HttpCasesTest, AStepTheTableForbidsIsAConflictNamingTheAllowedStepsAndChangesNothing) {
  const std::string id = id_of(open_case("A3701025300002026050002"));
  JsonResponse r = post("/api/cases/" + id + "/steps", json{{"to", "closed_unsolved"}, {"note", "线索中断"}});
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(r.body["error"]["code"], "conflict");
  EXPECT_EQ(field_of(r), "to");
  EXPECT_NE(message_of(r).find("allowed: investigating, solved, withdrawn"), std::string::npos) << r.raw;
  EXPECT_EQ(get("/api/cases/" + id).body["status"], "opened");
  EXPECT_EQ(get("/api/cases/" + id + "/history").body["items"].size(), 1u);

  // Withdrawing needs its reason; a final case moves no more.
  JsonResponse no_reason = post("/api/cases/" + id + "/steps", json{{"to", "withdrawn"}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.raw;
  EXPECT_EQ(field_of(no_reason), "note");
  ASSERT_EQ(post("/api/cases/" + id + "/steps", json{{"to", "withdrawn"}, {"note", "经查不构成犯罪"}}).status, 200);
  JsonResponse after_final = post("/api/cases/" + id + "/steps", json{{"to", "investigating"}});
  EXPECT_EQ(after_final.status, 409) << after_final.raw;
  EXPECT_NE(message_of(after_final).find("allowed: none"), std::string::npos) << after_final.raw;
}

TEST_F(HttpCasesTest, ASuspectInTwoCasesWithOneIdNumberIsOnePersonMaskedInTheDetail) {
  const std::string first = id_of(open_case("A3701025300002026050003"));
  const std::string second = id_of(open_case("A3701025300002026050004"));
  JsonResponse a = add_party(first, json{{"name", "李强"}, {"id_number", kSuspectId}, {"phone", "13912345678"},
                                         {"address", "济南市历下区泉城路 12 号"}},
                             "suspect");
  ASSERT_EQ(a.status, 201) << a.raw;
  EXPECT_TRUE(a.body["person_created"].get<bool>());
  const std::int64_t person = a.body["person_id"].get<std::int64_t>();
  // The same number with spaces around it is the same person.
  JsonResponse b = add_party(second, json{{"name", "李强"}, {"id_number", std::string(" ") + kSuspectId + " "}}, "suspect");
  ASSERT_EQ(b.status, 201) << b.raw;
  EXPECT_FALSE(b.body["person_created"].get<bool>());
  EXPECT_EQ(b.body["person_id"], person);

  JsonResponse detail = get("/api/cases/" + second);
  ASSERT_EQ(detail.status, 200) << detail.raw;
  ASSERT_EQ(detail.body["parties"].size(), 1u) << detail.raw;
  const json& party = detail.body["parties"][0];
  EXPECT_EQ(party["person_id"], person);
  EXPECT_EQ(party["role"], "suspect");
  EXPECT_EQ(party["role_zh"], "犯罪嫌疑人");
  EXPECT_EQ(party["actor"], kActor);
  EXPECT_EQ(party["person"]["id"], person);
  EXPECT_EQ(party["person"]["name"], "李*");
  EXPECT_EQ(party["person"]["id_number"], "370102********1239");
  // The phone given in the first case, masked; the sex from the number.
  EXPECT_EQ(party["person"]["phone"], "139****5678");
  EXPECT_EQ(party["person"]["sex"], "male");
  for (const char* plain : {kSuspectId, "13912345678", "李强", "泉城路 12 号"})
    EXPECT_EQ(detail.raw.find(plain), std::string::npos) << plain << " in " << detail.raw;

  // Both cases name the person.
  JsonResponse named = get("/api/cases?person_id=" + std::to_string(person));
  ASSERT_EQ(named.status, 200) << named.raw;
  std::set<std::string> ids;
  for (const json& c : named.body["items"]) ids.insert(id_of(c));
  EXPECT_EQ(ids, (std::set<std::string>{first, second}));
}

TEST_F(HttpCasesTest, AWrongCheckCharacterIsRefusedNamingTheFieldAndNothingIsStored) {
  const std::string id = id_of(open_case("A3701025300002026050005"));
  JsonResponse r = add_party(id, json{{"name", "王芳"}, {"id_number", kWrongCheck}}, "victim");
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(field_of(r), "id_number");
  EXPECT_NE(message_of(r).find("check character"), std::string::npos) << r.raw;
  EXPECT_EQ(get("/api/cases/" + id).body["parties"], json::array());
  // Nor was the person stored: the right number later is a new person.
  JsonResponse right = add_party(id, json{{"name", "李强"}, {"id_number", kSuspectId}}, "suspect");
  ASSERT_EQ(right.status, 201) << right.raw;
  EXPECT_TRUE(right.body["person_created"].get<bool>());
  // A final lower-case x is the same number as X.
  JsonResponse x = add_party(id, json{{"name", "孙丽"}, {"id_number", "37010419800101107x"}}, "witness");
  ASSERT_EQ(x.status, 201) << x.raw;
  JsonResponse upper = add_party(id, json{{"name", "孙丽"}, {"id_number", kWithX}}, "victim");
  ASSERT_EQ(upper.status, 201) << upper.raw;
  EXPECT_FALSE(upper.body["person_created"].get<bool>());
  EXPECT_EQ(upper.body["person_id"], x.body["person_id"]);
  EXPECT_EQ(upper.body["parties"].size(), 3u) << upper.raw;  // one person may hold two roles
}

TEST_F(HttpCasesTest, MeasuresFollowTheOrderRulesOfTheDataFile) {
  const std::string id = id_of(open_case("A3701025300002026050006"));
  const std::int64_t suspect = add_suspect(id);
  ASSERT_GT(suspect, 0);
  // 逮捕 before 抓获 or 刑事拘留.
  JsonResponse early = measure(id, suspect, "arrest", "2026-05-03T10:00:00+08:00");
  ASSERT_EQ(early.status, 409) << early.raw;
  EXPECT_EQ(field_of(early), "kind");
  EXPECT_NE(message_of(early).find(rule_why("arrest", "requires_any")), std::string::npos) << early.raw;
  EXPECT_EQ(get("/api/cases/" + id).body["measures"], json::array());

  JsonResponse caught = measure(id, suspect, "caught", "2026-05-03T14:20:00+08:00");
  ASSERT_EQ(caught.status, 201) << caught.raw;
  EXPECT_EQ(caught.body["kind_zh"], "抓获");
  EXPECT_EQ(caught.body["actor"], kActor);
  JsonResponse arrest = measure(id, suspect, "arrest", "2026-05-20T10:00:00+08:00");
  ASSERT_EQ(arrest.status, 201) << arrest.raw;
  // 刑事拘留 cannot follow 逮捕.
  JsonResponse detention = measure(id, suspect, "criminal_detention", "2026-05-21T10:00:00+08:00");
  EXPECT_EQ(detention.status, 409) << detention.raw;
  EXPECT_NE(message_of(detention).find(rule_why("criminal_detention", "not_after")), std::string::npos)
      << detention.raw;

  const json measures = get("/api/cases/" + id).body["measures"];
  ASSERT_EQ(measures.size(), 2u) << measures.dump();
  EXPECT_EQ(measures[0]["kind"], "caught");
  EXPECT_EQ(measures[1]["kind"], "arrest");
  EXPECT_EQ(measures[1]["at"], "2026-05-20T10:00:00+08:00");
}

TEST_F(HttpCasesTest, AMeasureOnAPersonWhoIsNotASuspectIsRefused) {
  const std::string id = id_of(open_case("A3701025300002026050007"));
  JsonResponse victim = add_party(id, json{{"name", "王芳"}, {"id_number", kNeverListed}}, "victim");
  ASSERT_EQ(victim.status, 201) << victim.raw;
  JsonResponse r = measure(id, victim.body["person_id"].get<std::int64_t>(), "caught", "2026-05-03T14:20:00+08:00");
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(field_of(r), "person_id");
  EXPECT_EQ(get("/api/cases/" + id).body["measures"], json::array());
}

TEST_F(HttpCasesTest, AReturnBeyondWhatWasStoppedAndFrozenNeedsAnOverrideWithItsReason) {
  const std::string id = id_of(open_case("A3701025300002026050008"));
  ASSERT_EQ(money(id, json{{"kind", "stopped"}, {"amount_fen", 3000000}, {"at", "2026-05-01T10:30:00+08:00"}}).status, 201);
  ASSERT_EQ(money(id, json{{"kind", "frozen"}, {"amount_fen", 1000000}, {"at", "2026-05-02T10:30:00+08:00"}}).status, 201);
  // 40,000 yuan stopped and frozen: 40,000.01 may not go back.
  JsonResponse beyond = money(id, json{{"kind", "returned"}, {"amount_fen", 4000001}, {"at", "2026-05-10T10:00:00+08:00"}});
  ASSERT_EQ(beyond.status, 400) << beyond.raw;
  EXPECT_EQ(field_of(beyond), "amount_fen");
  JsonResponse no_reason = money(id, json{{"kind", "returned"}, {"amount_fen", 4000001}, {"override_limit", true}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.raw;
  EXPECT_EQ(field_of(no_reason), "override_reason");
  JsonResponse negative = money(id, json{{"kind", "stopped"}, {"amount_fen", -500}});
  EXPECT_EQ(negative.status, 400) << negative.raw;
  EXPECT_EQ(field_of(negative), "amount_fen");
  JsonResponse fraction = money(id, json{{"kind", "stopped"}, {"amount_fen", 10.5}});
  EXPECT_EQ(fraction.status, 400) << fraction.raw;
  EXPECT_EQ(field_of(fraction), "amount_fen");
  EXPECT_EQ(get("/api/cases/" + id).body["money"]["entries"].size(), 2u);

  JsonResponse overridden = money(id, json{{"kind", "returned"},
                                           {"amount_fen", 4500000},
                                           {"at", "2026-05-10T10:00:00+08:00"},
                                           {"override_limit", true},
                                           {"override_reason", "嫌疑人退赔 5 千元"}});
  ASSERT_EQ(overridden.status, 201) << overridden.raw;
  EXPECT_EQ(overridden.body["override_reason"], "嫌疑人退赔 5 千元");
  EXPECT_EQ(overridden.body["kind_zh"], "返还");
  const json totals = get("/api/cases/" + id).body["money"];
  EXPECT_EQ(totals["stopped_fen"], 3000000);
  EXPECT_EQ(totals["frozen_fen"], 1000000);
  EXPECT_EQ(totals["returned_fen"], 4500000);
  EXPECT_EQ(totals["entries"].size(), 3u);
}

TEST_F(HttpCasesTest, AListedFugitiveIsWantedUntilCaughtAndEveryCheckIsAudited) {
  const std::string case_id = id_of(open_case("A3701025300002026050009"));
  JsonResponse listed = post("/api/fugitives", json{{"listing_number", "T3701022026050001"},
                                                    {"person", {{"name", "赵刚"}, {"id_number", kFugitiveId}}},
                                                    {"listed_at", "2026-05-05T10:00:00+08:00"},
                                                    {"listing_unit", "JN-S02"},
                                                    {"case_id", std::stoll(case_id)}});
  ASSERT_EQ(listed.status, 201) << listed.raw;
  const std::string id = id_of(listed.body);
  EXPECT_EQ(listed.location, "/api/fugitives/" + id);
  EXPECT_EQ(listed.body["status"], "listed");
  JsonResponse got = get("/api/fugitives/" + id);
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body["person"]["id_number"], "370103********5612");
  EXPECT_EQ(got.raw.find(kFugitiveId), std::string::npos) << got.raw;

  JsonResponse wanted = check(kFugitiveId);
  ASSERT_EQ(wanted.status, 200) << wanted.raw;
  EXPECT_EQ(wanted.body["wanted"], true);
  ASSERT_EQ(wanted.body["listings"].size(), 1u) << wanted.raw;
  EXPECT_EQ(wanted.body["listings"][0]["listing_number"], "T3701022026050001");
  EXPECT_EQ(wanted.body["listings"][0]["listing_unit"], "JN-S02");
  EXPECT_EQ(wanted.body["listings"][0]["fugitive_id"], listed.body["id"]);
  EXPECT_EQ(wanted.body["listings"][0]["case_id"], std::stoll(case_id));
  JsonResponse never = check(kNeverListed);
  ASSERT_EQ(never.status, 200) << never.raw;
  EXPECT_EQ(never.body, (json{{"wanted", false}, {"listings", json::array()}}));

  JsonResponse caught = post("/api/fugitives/" + id + "/steps",
                             json{{"to", "caught"}, {"at", "2026-06-01T21:30:00+08:00"}, {"unit", "JN-S01"}});
  ASSERT_EQ(caught.status, 200) << caught.raw;
  EXPECT_EQ(caught.body["status_zh"], "已抓获");
  EXPECT_EQ(caught.body["caught_by_unit"], "JN-S01");
  JsonResponse after = check(kFugitiveId);
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["wanted"], false);
  EXPECT_EQ(after.body["listings"], json::array());
  // The listing's own entry first: who listed the person, and when.
  JsonResponse history = get("/api/fugitives/" + id + "/history");
  ASSERT_EQ(history.status, 200) << history.raw;
  ASSERT_EQ(history.body["items"].size(), 2u) << history.raw;
  EXPECT_TRUE(history.body["items"][0]["from"].is_null()) << history.raw;
  EXPECT_EQ(history.body["items"][0]["to"], "listed");
  EXPECT_EQ(history.body["items"][0]["at"], "2026-05-05T10:00:00+08:00");
  EXPECT_EQ(history.body["items"][0]["actor"], kActor);
  EXPECT_EQ(history.body["items"][1]["from"], "listed");
  EXPECT_EQ(history.body["items"][1]["to"], "caught");
  EXPECT_EQ(history.body["items"][1]["actor"], kActor);
  // Caught is final.
  EXPECT_EQ(post("/api/fugitives/" + id + "/steps", json{{"to", "revoked"}, {"note", "x"}}).status, 409);

  // A mistyped number is refused, not answered "not wanted".
  JsonResponse bad = check(kWrongCheck);
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(field_of(bad), "id_number");

  // One entry per check, in the order of the checks, the number masked. The
  // check's entry is written just after its answer (auth/audit_queue.h):
  // wait for the last one.
  JsonResponse audit;
  for (int i = 0; i < 250; ++i) {
    audit = get("/api/audit?action=fugitive.check");
    if (audit.status != 200 || audit.body["entries"].size() >= 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["entries"].size(), 4u) << audit.raw;
  std::map<std::int64_t, json> by_seq;
  for (const json& e : audit.body["entries"]) by_seq[e["seq"].get<std::int64_t>()] = e;
  std::vector<std::vector<std::string>> seen;
  for (const auto& [seq, e] : by_seq) {
    seen.push_back({e["target"].get<std::string>(), e["outcome"].get<std::string>(), e["reason"].get<std::string>()});
    EXPECT_EQ(e["user"], "tester");
    EXPECT_EQ(e["address"], "127.0.0.1");
  }
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (std::vector<std::string>{"id_number:370103********5612", "ok", "wanted: 1 open listing(s)"}));
  EXPECT_EQ(seen[1], (std::vector<std::string>{"id_number:370124********0023", "ok", "not wanted"}));
  EXPECT_EQ(seen[2], (std::vector<std::string>{"id_number:370103********5612", "ok", "not wanted"}));
  EXPECT_EQ(seen[3][0], "id_number:370102********1230");
  EXPECT_EQ(seen[3][1], "refused");
  EXPECT_NE(seen[3][2].find("check character"), std::string::npos) << seen[3][2];
  for (const char* plain : {kFugitiveId, kNeverListed, kWrongCheck})
    EXPECT_EQ(audit.raw.find(plain), std::string::npos) << plain << " in the audit log";
}

TEST_F(HttpCasesTest, ACheckOfTextThatIsNoNumberIsRefusedAndAuditedWithWholeCharactersMasked) {
  // Twelve Chinese characters typed where the number goes: refused, and
  // audited like any check. The mask keeps whole characters: a byte cut out
  // of one is invalid UTF-8, which PostgreSQL refuses to store (the entry
  // lost) and SQLite stores as is (answered as U+FFFD).
  JsonResponse bad = check("张三李四王五赵六钱七孙八");
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(field_of(bad), "id_number");
  JsonResponse audit;
  for (int i = 0; i < 250; ++i) {
    audit = get("/api/audit?action=fugitive.check");
    if (audit.status != 200 || audit.body["entries"].size() >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["entries"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["entries"][0]["outcome"], "refused");
  const std::string target = audit.body["entries"][0]["target"].get<std::string>();
  EXPECT_EQ(target.rfind("id_number:", 0), 0u) << target;
  EXPECT_EQ(target.find("\xEF\xBF\xBD"), std::string::npos) << "a character cut by the mask: " << target;
}

TEST_F(HttpCasesTest, ABodyNamingNoSuchCaseOrPersonIsA400AndStoresNothing) {
  // A listing for a case that does not exist: refused before the person is saved.
  JsonResponse listing = post("/api/fugitives", json{{"listing_number", "T-NO-CASE"},
                                                     {"person", {{"name", "周某"}, {"id_number", "110105194912310062"}}},
                                                     {"listed_at", "2026-06-02T09:00:00+08:00"},
                                                     {"listing_unit", "JN-S01"},
                                                     {"case_id", 999999}});
  ASSERT_EQ(listing.status, 400) << listing.raw;
  EXPECT_EQ(field_of(listing), "case_id");
  JsonResponse after = check("110105194912310062");
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_FALSE(after.body["wanted"].get<bool>());
  // A warning for a person nobody recorded.
  JsonResponse task = post("/api/dissuasions", json{{"warning_number", "YJ-NO-PERSON"},
                                                    {"unit", "JN-S01"},
                                                    {"person_id", 999999}});
  ASSERT_EQ(task.status, 400) << task.raw;
  EXPECT_EQ(field_of(task), "person_id");
}

TEST_F(HttpCasesTest, ADissuasionTaskRunsIssuedContactedDissuadedThenDefraudedWithItsCase) {
  const std::string case_id = id_of(open_case("A3701025300002026050010"));
  JsonResponse issued = post("/api/dissuasions", json{{"warning_number", "YJ-20260601-0001"},
                                                      {"unit", "JN-S01"},
                                                      {"issued_at", "2026-06-01T10:00:00+08:00"},
                                                      {"target_phone", "13600001234"}});
  ASSERT_EQ(issued.status, 201) << issued.raw;
  const std::string id = id_of(issued.body);
  EXPECT_EQ(issued.location, "/api/dissuasions/" + id);
  EXPECT_EQ(issued.body["status"], "issued");
  EXPECT_EQ(issued.body["target_phone"], "136****1234");
  const std::string steps = "/api/dissuasions/" + id + "/steps";
  ASSERT_EQ(post(steps, json{{"to", "contacted"}, {"at", "2026-06-01T10:05:00+08:00"}, {"note", "电话联系本人"}}).status, 200);
  JsonResponse dissuaded = post(steps, json{{"to", "dissuaded"}, {"at", "2026-06-01T10:20:00+08:00"}});
  ASSERT_EQ(dissuaded.status, 200) << dissuaded.raw;
  EXPECT_EQ(dissuaded.body["status_zh"], "劝阻成功");
  // Persuaded, then defrauded all the same: the loss is reported in a case.
  JsonResponse defrauded =
      post(steps, json{{"to", "defrauded"}, {"at", "2026-06-03T15:00:00+08:00"}, {"case_id", std::stoll(case_id)}});
  ASSERT_EQ(defrauded.status, 200) << defrauded.raw;
  EXPECT_EQ(defrauded.body["status"], "defrauded");
  EXPECT_EQ(defrauded.body["case_id"], std::stoll(case_id));
  EXPECT_EQ(defrauded.body["times"]["dissuaded_at"], "2026-06-01T10:20:00+08:00");
  EXPECT_EQ(defrauded.body["times"]["defrauded_at"], "2026-06-03T15:00:00+08:00");

  JsonResponse history = get("/api/dissuasions/" + id + "/history");
  ASSERT_EQ(history.status, 200) << history.raw;
  std::vector<std::string> walk;
  for (const json& s : history.body["items"])
    walk.push_back((s["from"].is_null() ? "" : s["from"].get<std::string>()) + ">" + s["to"].get<std::string>());
  EXPECT_EQ(walk, (std::vector<std::string>{">issued", "issued>contacted", "contacted>dissuaded",
                                            "dissuaded>defrauded"}));
  // The issue's own entry: who recorded the warning, at its time.
  EXPECT_EQ(history.body["items"][0]["actor"], kActor);
  EXPECT_EQ(history.body["items"][0]["at"], "2026-06-01T10:00:00+08:00");
  EXPECT_EQ(get("/api/dissuasions/" + id).body["status"], "defrauded");
}

TEST_F(HttpCasesTest, ADissuasionStepTheTableForbidsIsAConflictNamingTheAllowedSteps) {
  const std::string case_id = id_of(open_case("A3701025300002026050011"));
  JsonResponse issued = post("/api/dissuasions", json{{"warning_number", "YJ-20260601-0002"}, {"unit", "JN-S01"},
                                                      {"target_phone", "13600005678"}});
  ASSERT_EQ(issued.status, 201) << issued.raw;
  const std::string id = id_of(issued.body);
  JsonResponse r = post("/api/dissuasions/" + id + "/steps", json{{"to", "dissuaded"}});
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(field_of(r), "to");
  EXPECT_NE(message_of(r).find("allowed: contacted, defrauded"), std::string::npos) << r.raw;
  EXPECT_EQ(get("/api/dissuasions/" + id).body["status"], "issued");
  // Nothing appended to the history but the issue's entry.
  const json items = get("/api/dissuasions/" + id + "/history").body["items"];
  ASSERT_EQ(items.size(), 1u) << items.dump();
  EXPECT_EQ(items[0]["to"], "issued");
  // A case is linked only to a loss.
  JsonResponse linked =
      post("/api/dissuasions/" + id + "/steps", json{{"to", "contacted"}, {"case_id", std::stoll(case_id)}});
  EXPECT_EQ(linked.status, 400) << linked.raw;
  EXPECT_EQ(field_of(linked), "case_id");
}

// A case or task for a unit outside the caller's subtree is refused as an
// incident there is (403); a unit nobody has is a bad field (400 "unit").
// Nothing is stored either way.
TEST_F(HttpCasesTest, ACaseOrTaskForAUnitOutsideTheCallersScopeIs403AndAnUnknownUnitIs400) {
  auto user = authority_->add_user({"wang.s01", "王警官", "JN-S01", "station"}, "test");
  ASSERT_TRUE(user.ok()) << user.error().describe();
  auto token = authority_->issue_token("wang.s01", "cases", {}, "test");
  ASSERT_TRUE(token.ok()) << token.error().describe();
  const auto as_station = [&](const std::string& path, const json& body) {
    auto c = anonymous_client();
    c->set_bearer_token_auth(token->secret);
    return to_json_response(c->Post(path.c_str(), body.dump(), "application/json"));
  };
  const auto a_case_of = [](const std::string& number, const std::string& unit) {
    return json{{"case_number", number},
                {"type", "telecom_fraud_case"},
                {"unit", unit},
                {"opened_at", "2026-05-01T09:00:00+08:00"}};
  };
  JsonResponse other = as_station("/api/cases", a_case_of("A-OTHER-UNIT", "JN-S02"));
  ASSERT_EQ(other.status, 403) << other.raw;
  EXPECT_EQ(other.body.value("/error/code"_json_pointer, std::string()), "permission_denied") << other.raw;
  EXPECT_NE(message_of(other).find("JN-S02"), std::string::npos) << other.raw;
  EXPECT_EQ(engine_->cases().get_case_by_number("A-OTHER-UNIT", UnitScope::everything()).error().code,
            ErrorCode::kNotFound);

  JsonResponse unknown = as_station("/api/cases", a_case_of("A-NO-UNIT", "JN-S99"));
  ASSERT_EQ(unknown.status, 400) << unknown.raw;
  EXPECT_EQ(field_of(unknown), "unit");
  EXPECT_EQ(engine_->cases().get_case_by_number("A-NO-UNIT", UnitScope::everything()).error().code,
            ErrorCode::kNotFound);

  // Below the caller's own unit (its community) and the unit itself: stored.
  EXPECT_EQ(as_station("/api/cases", a_case_of("A-OWN-UNIT", "JN-S01")).status, 201);
  EXPECT_EQ(as_station("/api/cases", a_case_of("A-OWN-COMMUNITY", "JN-S01-C01")).status, 201);

  JsonResponse task = as_station("/api/dissuasions", json{{"warning_number", "YJ-OTHER-UNIT"},
                                                          {"unit", "JN-S02"},
                                                          {"target_phone", "13600009999"}});
  ASSERT_EQ(task.status, 403) << task.raw;
  JsonResponse own_task = as_station("/api/dissuasions", json{{"warning_number", "YJ-OWN-UNIT"},
                                                              {"unit", "JN-S01"},
                                                              {"target_phone", "13600009999"}});
  ASSERT_EQ(own_task.status, 201) << own_task.raw;
  // The one stored is the own unit's: the refused number is free.
  JsonResponse retaken = post("/api/dissuasions", json{{"warning_number", "YJ-OTHER-UNIT"},
                                                       {"unit", "JN-S02"},
                                                       {"target_phone", "13600009999"}});
  EXPECT_EQ(retaken.status, 201) << retaken.raw;
}

// Adding a party stores the person and the role in one transaction: a
// party for a case that does not exist stores no person.
TEST_F(HttpCasesTest, APartyOfNoCaseStoresNoPerson) {
  JsonResponse r = add_party("999999", json{{"name", "孙某"}, {"id_number", kNeverListed}}, "victim");
  ASSERT_EQ(r.status, 404) << r.raw;
  EXPECT_EQ(engine_->cases().find_person_by_id_number(kNeverListed).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pingan::testing
