// The permission matrix of issue 17 and what unit scope must hide.
//
// 1. Every operation of docs/openapi.json × every role of data/auth/roles.json
//    × {a record of the caller's own unit, a record of another unit}: a role
//    holding the operation's x-pingan-permission gets past the gate, any other
//    role gets the gate's 403; and the permission the server enforces is found
//    by calling each operation with API tokens that hold ONE permission each
//    (the server's behaviour is the observable, not a list of Route structs):
//    it must be the one the document declares.
// 2. IDOR: a user of station JN-S01 handed an id or call sign of a JN-S02
//    record gets the same 404 as for one that never existed, and the record
//    is unchanged; lists, statistics and the live stream show nothing of JN-S02.
// 3. Injection and XSS payloads in every free-text field come back byte for
//    byte as inert JSON (or a 400 naming the field), never a 500, and the
//    tables are still there afterwards.
//
// Every caller is a user of JN-S01 (the tree of load_units(): JN, JN-S01,
// JN-S01-C01, JN-S02); "own" records are made in JN-S01, "other" in JN-S02,
// by the tester (every permission, every unit).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "auth/totp.h"
#include "core/id_number.h"
#include "http_test_support.h"
#include "visit_test_support.h"
#include "stream_reader.h"
#include "raw_socket.h"

namespace pingan::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kOwn = "JN-S01";
constexpr const char* kOther = "JN-S02";

json load_source_json(const std::string& relative) {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/" + relative);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// One operation of the document; permission empty when it declares none.
struct Operation {
  std::string method;  // "GET"
  std::string path;    // "/api/incidents/{id}"
  std::string permission;
  std::string key() const { return method + " " + path; }
  bool takes_record() const { return path.find('{') != std::string::npos; }
};

std::vector<Operation> documented_operations() {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch"};
  const json doc = load_source_json("docs/openapi.json");
  EXPECT_TRUE(doc.is_object()) << "docs/openapi.json missing or not JSON";
  std::vector<Operation> out;
  if (!doc.is_object()) return out;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, op] : item.items()) {
      if (!kMethods.count(method)) continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const json permission = op.value("x-pingan-permission", json());
      out.push_back({upper, path, permission.is_string() ? permission.get<std::string>() : ""});
    }
  return out;
}

struct RoleDef {
  std::string name;
  std::set<std::string> permissions;
  bool grants(const std::string& permission) const {
    return permission == "public" || permission == "session" || permissions.count(permission) > 0;
  }
};

std::vector<RoleDef> shipped_roles() {
  const json file = load_source_json("data/auth/roles.json");
  EXPECT_TRUE(file.is_object()) << "data/auth/roles.json missing or not JSON";
  std::vector<RoleDef> out;
  if (!file.is_object()) return out;
  for (const json& r : file.at("roles")) out.push_back({r.at("name").get<std::string>(), r.at("permissions").get<std::set<std::string>>()});
  return out;
}

std::vector<std::string> shipped_permissions() {
  std::vector<std::string> out;
  const json file = load_source_json("data/auth/roles.json");
  if (file.is_object())
    for (const auto& [name, what] : file.at("permissions").items()) out.push_back(name);
  return out;
}

// "2026-05-01T08:00:00Z", `offset_s` from now (real time: what the engine checks against).
std::string iso_utc(std::int64_t offset_s = 0) {
  const std::time_t t = std::time(nullptr) + offset_s;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A point inside each station's boundary (load_units()), outside the community.
json point_in(const std::string& unit) {
  if (unit == kOwn) return {{"lat", 36.67}, {"lon", 117.17}};
  return {{"lat", 36.65}, {"lon", 117.25}};
}

// A concrete request. `login` marks POST /api/auth/login (the per-address
// limit: the test's clock moves past its window first).
struct Call {
  std::string method;
  std::string path;
  std::string body;
};

// What a caller allowed by the gate must get when the record is another unit's.
enum class OtherUnit {
  kSame,      // no record of a unit involved (health, me, taxonomy, ...): as for the own unit
  kHidden,    // an id or call sign in the path: 404, as if it did not exist
  kRefused,   // a write naming another unit in its body: refused (403 for scope, or 404), nothing written
  kEmpty,     // a list or figure narrowed to the other unit: 200 and nothing in it
  kNotTaken,  // POST /api/positions, a ledger import: 200, the rows reported, none taken
};

class AuthMatrixTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& config) override { config.stream_heartbeat_s = 1; }

  void SetUp() override {
    HttpServerTest::SetUp();
    if (HasFatalFailure()) return;
    load_units();
    if (HasFatalFailure()) return;
    roles_ = shipped_roles();
    ASSERT_GE(roles_.size(), 6u);
    for (const RoleDef& role : roles_) {
      const std::string user = role.name + ".s01";
      auto created = authority_->add_user({user, "用户" + role.name, kOwn, role.name}, "test");
      ASSERT_TRUE(created.ok()) << created.error().describe();
      auto token = authority_->issue_token(user, "matrix", {}, "test");
      ASSERT_TRUE(token.ok()) << role.name << ": " << token.error().describe();
      tokens_[role.name] = token->secret;
    }
    // Tokens of one permission each, for a user of a role holding them all.
    ASSERT_TRUE(authority_->add_user({"probe.s01", "探针", kOwn, "tester"}, "test").ok());
    for (const std::string& permission : shipped_permissions()) {
      auto token = authority_->issue_token("probe.s01", "only " + permission, {permission}, "test");
      ASSERT_TRUE(token.ok()) << permission << ": " << token.error().describe();
      single_[permission] = token->secret;
    }
    // The user POST /api/auth/login signs in as (any caller may).
    for (const char* unit : {kOwn, kOther}) {
      const std::string name = fmt::format("signin.{}", unit == std::string(kOwn) ? "s01" : "s02");
      ASSERT_TRUE(authority_->add_user({name, "签到", unit, "station"}, "test").ok());
      ASSERT_TRUE(authority_->set_password(name, kPassword, false, "test").ok());
    }
  }

  static constexpr const char* kPassword = "correct horse battery";

  // --- records, made by the tester ---
  std::string new_incident(const std::string& unit, const std::string& address = "经十路 1 号") {
    JsonResponse r = post("/api/incidents", json{{"type", "theft"}, {"location", point_in(unit)}, {"address", address}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body.value("unit", json()), unit) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<long long>()) : "0";
  }
  std::string new_patrol_unit(const std::string& unit) {
    const std::string call_sign = fmt::format("{}-P{}", unit, ++serial_);
    JsonResponse r = post("/api/patrol-units",
                          json::array({{{"call_sign", call_sign}, {"kind", "car"}, {"station", unit}, {"status", "available"}}}));
    EXPECT_EQ(r.status, 200) << r.raw;
    return call_sign;
  }
  // A patrol unit on its way to a new incident of its unit.
  std::string dispatched_unit(const std::string& unit) {
    const std::string call_sign = new_patrol_unit(unit);
    JsonResponse r = post("/api/incidents/" + new_incident(unit) + "/dispatch", json{{"units", {call_sign}}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return call_sign;
  }

  // Cases, fugitive listings and dissuasion tasks (issue 20).
  std::string new_case_body(const std::string& unit) {
    return json{{"case_number", fmt::format("{}-AJ{}", unit, ++serial_)}, {"type", "other_theft"}, {"unit", unit},
                {"summary", "电动车电瓶被盗"}, {"opened_at", iso_utc(-3600)}}
        .dump();
  }
  std::string new_case(const std::string& unit) {
    JsonResponse r = post("/api/cases", new_case_body(unit));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<long long>()) : "0";
  }
  // A suspect without an ID number (never matched with another) in the case; their person id.
  long long new_suspect(const std::string& case_id) {
    JsonResponse r = post("/api/cases/" + case_id + "/parties", json{{"person", {{"name", "嫌疑人甲"}}}, {"role", "suspect"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("person_id", 0LL);
  }
  // A new person of the registry: a fresh ID number (born 1985-01-01) each call.
  json registry_person(const std::string& name) {
    const std::string first17 = fmt::format("37010219850101{:03}", ++serial_ % 1000);
    return json{{"name", name}, {"id_number", first17 + id_number_check_char(first17)}};
  }
  // Every listing names the same person: one check finds them all.
  static constexpr const char* kWantedId = "370103199203045612";
  std::string new_fugitive_body(const std::string& unit) {
    return json{{"listing_number", fmt::format("{}-ZT{}", unit, ++serial_)},
                {"person", {{"name", "赵刚"}, {"id_number", kWantedId}}},
                {"listed_at", iso_utc(-86400)},
                {"listing_unit", unit}}
        .dump();
  }
  std::string new_fugitive(const std::string& unit) {
    JsonResponse r = post("/api/fugitives", new_fugitive_body(unit));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<long long>()) : "0";
  }
  std::string new_dissuasion_body(const std::string& unit) {
    return json{{"warning_number", fmt::format("{}-YJ{}", unit, ++serial_)}, {"unit", unit},
                {"issued_at", iso_utc(-600)}, {"target_phone", "13600001234"}}
        .dump();
  }
  std::string new_dissuasion(const std::string& unit) {
    JsonResponse r = post("/api/dissuasions", new_dissuasion_body(unit));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<long long>()) : "0";
  }

  // Ledger items (issue 21), opened by a command user over every unit: the
  // tester's role is named in no type's who_may_create.
  static std::string dispute_body(const std::string& unit) {
    return json{{"unit_code", unit}, {"fields", {{"kind", "neighbour"}, {"summary", "楼上漏水引发邻里纠纷"}}}}.dump();
  }
  std::string new_dispute(const std::string& unit) {
    if (ledger_writer_.empty()) {
      EXPECT_TRUE(authority_->add_user({"ledger.all", "台账录入", "*", "command"}, "test").ok());
      auto token = authority_->issue_token("ledger.all", "matrix", {}, "test");
      EXPECT_TRUE(token.ok()) << token.error().describe();
      if (token.ok()) ledger_writer_ = token->secret;
    }
    JsonResponse r = send(ledger_writer_, {"POST", "/api/ledgers/dispute", dispute_body(unit)});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.contains("id") ? std::to_string(r.body["id"].get<long long>()) : "0";
  }

  // The request for `op` on records of `unit`; nullopt (and a failure) when
  // the test has no request for it: a new operation must be added here.
  std::optional<Call> request_for(const Operation& op, const std::string& unit) {
    const std::string k = op.key();
    const std::string q = "?unit=" + unit;
    if (k == "GET /api/health" || k == "GET /api/auth/me" || k == "GET /api/units" || k == "GET /api/taxonomy" ||
        k == "GET /api/openapi.json" || k == "GET /api/users")
      return Call{op.method, op.path, ""};
    if (k == "POST /api/auth/login")
      return Call{"POST", op.path,
                  json{{"username", unit == kOwn ? "signin.s01" : "signin.s02"}, {"password", kPassword}}.dump()};
    if (k == "POST /api/auth/logout" || k == "POST /api/admin/reload-config") return Call{"POST", op.path, "{}"};
    if (k == "POST /api/incidents")
      return Call{"POST", op.path,
                  json{{"type", "theft"}, {"location", point_in(unit)}, {"address", "历下区 2 号"}}.dump()};
    // Lists and figures, narrowed to the unit (the other: nothing, not a refusal).
    for (const char* path : {"/api/incidents", "/api/stats/rising", "/api/hotspots", "/api/forecast",
                             "/api/patrol/suggestions", "/api/stats", "/api/stats/overview", "/api/stats/export.xlsx",
                             "/api/stats/overview/export.xlsx", "/api/patrol-units",
                             "/api/stats/response", "/api/posts", "/api/shifts", "/api/stats/patrol", "/api/audit",
                             "/api/stream", "/api/cases"})
      if (op.method == "GET" && op.path == path) return Call{"GET", op.path + q, ""};
    if (op.path.rfind("/api/incidents/{id}", 0) == 0) {
      const std::string id = new_incident(unit);
      const std::string path = "/api/incidents/" + id + op.path.substr(std::string("/api/incidents/{id}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/incidents/{id}/transition") return Call{"POST", path, R"({"to":"dispatched"})"};
      if (k == "POST /api/incidents/{id}/merge")  // into a call of the caller's own unit
        return Call{"POST", path, json{{"into", std::stoll(new_incident(kOwn))}}.dump()};
      if (k == "POST /api/incidents/{id}/reveal") return Call{"POST", path, R"({"reason":"回访报警人核实案情"})"};
      if (k == "POST /api/incidents/{id}/dispatch")
        return Call{"POST", path, json{{"units", {new_patrol_unit(unit)}}}.dump()};
    }
    if (op.path.rfind("/api/patrol-units/{call_sign}", 0) == 0) {
      const bool moving = k == "POST /api/patrol-units/{call_sign}/arrive" || k == "POST /api/patrol-units/{call_sign}/clear";
      const std::string call_sign = moving ? dispatched_unit(unit) : new_patrol_unit(unit);
      const std::string path = "/api/patrol-units/" + call_sign + op.path.substr(std::string("/api/patrol-units/{call_sign}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/patrol-units/{call_sign}/duty") return Call{"POST", path, R"({"on_duty":true})"};
      return Call{"POST", path, "{}"};
    }
    if (k == "POST /api/units")
      return Call{"POST", op.path,
                  json::array({{{"code", fmt::format("{}-C{}", unit, ++serial_)}, {"name", "新社区"},
                                {"kind", "community"}, {"parent", unit}}})
                      .dump()};
    if (k == "POST /api/patrol-units")
      return Call{"POST", op.path,
                  json::array({{{"call_sign", fmt::format("{}-N{}", unit, ++serial_)}, {"kind", "car"},
                                {"station", unit}}})
                      .dump()};
    if (k == "POST /api/positions") {
      json report = point_in(unit);
      report["call_sign"] = new_patrol_unit(unit);
      report["at"] = iso_utc(-5);
      return Call{"POST", op.path, json{{"reports", {report}}}.dump()};
    }
    if (k == "POST /api/posts")
      return Call{"POST", op.path,
                  json::array({{{"code", fmt::format("{}-D{}", unit, ++serial_)}, {"name", "夜巡点"},
                                {"kind", "night"}, {"station", unit}, {"location", point_in(unit)},
                                {"hours", {{"start", "20:00"}, {"end", "02:00"}}}}})
                      .dump()};
    if (k == "POST /api/shifts")
      return Call{"POST", op.path,
                  json{{"call_sign", new_patrol_unit(unit)}, {"start", iso_utc(-2 * 86400)},
                       {"end", iso_utc(-2 * 86400 + 8 * 3600)}, {"crew", 2}}
                      .dump()};
    if (k == "POST /api/users")
      return Call{"POST", op.path,
                  json{{"username", fmt::format("new.user{}", ++serial_)}, {"name", "新用户"}, {"unit", unit},
                       {"role", "community"}}
                      .dump()};
    if (k == "POST /api/auth/password") return Call{"POST", op.path, ""};  // by cookie: see send()
    if (k == "POST /api/cases") return Call{"POST", op.path, new_case_body(unit)};
    if (op.path.rfind("/api/cases/{id}", 0) == 0) {
      const std::string id = new_case(unit);
      const std::string path = "/api/cases/" + id + op.path.substr(std::string("/api/cases/{id}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/cases/{id}/steps") return Call{"POST", path, R"({"to":"investigating"})"};
      if (k == "POST /api/cases/{id}/parties")
        return Call{"POST", path, json{{"person", {{"name", "王芳"}}}, {"role", "victim"}}.dump()};
      if (k == "POST /api/cases/{id}/measures")
        return Call{"POST", path, json{{"person_id", new_suspect(id)}, {"kind", "caught"}, {"unit", unit}}.dump()};
      if (k == "POST /api/cases/{id}/money")
        return Call{"POST", path, json{{"kind", "stopped"}, {"amount_fen", 120000}, {"unit", unit}}.dump()};
    }
    // The wanted list is the whole force's: another unit's listing is as one's own.
    if (k == "POST /api/fugitives") return Call{"POST", op.path, new_fugitive_body(unit)};
    if (k == "POST /api/fugitives/check") return Call{"POST", op.path, json{{"id_number", kWantedId}}.dump()};
    if (op.path.rfind("/api/fugitives/{id}", 0) == 0) {
      const std::string path =
          "/api/fugitives/" + new_fugitive(unit) + op.path.substr(std::string("/api/fugitives/{id}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/fugitives/{id}/steps")  // caught by the caller's own unit
        return Call{"POST", path, json{{"to", "caught"}, {"unit", kOwn}}.dump()};
    }
    if (k == "POST /api/dissuasions") return Call{"POST", op.path, new_dissuasion_body(unit)};
    if (op.path.rfind("/api/dissuasions/{id}", 0) == 0) {
      const std::string path =
          "/api/dissuasions/" + new_dissuasion(unit) + op.path.substr(std::string("/api/dissuasions/{id}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/dissuasions/{id}/steps") return Call{"POST", path, R"({"to":"contacted"})"};
    }
    if (k == "GET /api/case-figures") return Call{"GET", "/api/case-figures?name=cases_opened&unit=" + unit, ""};
    if (k == "GET /api/case-figures/catalogue") return Call{"GET", op.path, ""};
    if (k == "GET /api/case-figures/records")
      return Call{"GET", "/api/case-figures/records?name=cases_opened&unit=" + unit, ""};
    // The registry's cameras (issue 21): the layer narrowed to the unit, the
    // call-up around a point of it, a camera of it upserted.
    if (k == "GET /api/cameras" || k == "GET /api/places") return Call{"GET", op.path + q, ""};
    if (k == "POST /api/places") {
      json place = point_in(unit);
      place.update({{"code", fmt::format("{}-CS{}", unit, ++serial_)}, {"name", "平安旅馆"}, {"category", "hotel"},
                    {"address", "经十路 1 号"}, {"unit", unit}, {"contact_name", "王强"}});
      return Call{"POST", op.path, json{{"places", {place}}}.dump()};
    }
    // Enterprises, rental houses and residents (issue 21): the list narrowed
    // to the unit; a record of it upserted, its persons new (a fresh ID number).
    if (k == "GET /api/enterprises" || k == "GET /api/rental-houses" || k == "GET /api/residents")
      return Call{"GET", op.path + q, ""};
    if (k == "POST /api/enterprises") {
      json e = point_in(unit);
      e.update({{"code", fmt::format("{}-QY{}", unit, ++serial_)}, {"name", "平安物流有限公司"},
                {"credit_code", "91440300708461136T"}, {"address", "经十路 8 号"}, {"unit", unit}});
      return Call{"POST", op.path, json{{"enterprises", {e}}}.dump()};
    }
    if (k == "POST /api/rental-houses") {
      json h = point_in(unit);
      h.update({{"code", fmt::format("{}-CZ{}", unit, ++serial_)}, {"address", "经十路 22 号"}, {"unit", unit},
                {"landlord", registry_person("张建国")}});
      return Call{"POST", op.path, json{{"rental_houses", {h}}}.dump()};
    }
    if (k == "POST /api/residents")
      return Call{"POST", op.path,
                  json{{"residents", {{{"person", registry_person("王芳")}, {"kind", "floating"},
                                       {"address", "经十路 22 号"}, {"unit", unit}, {"registered", "2023-03-01"}}}}}
                      .dump()};
    if (k == "GET /api/cameras/nearest") {
      const json p = point_in(unit);
      return Call{"GET", fmt::format("{}?lat={}&lon={}", op.path, p["lat"].get<double>(), p["lon"].get<double>()), ""};
    }
    if (k == "POST /api/cameras") {
      json camera = point_in(unit);
      camera.update({{"code", fmt::format("{}-SXT{}", unit, ++serial_)}, {"name", "路口枪机"}, {"owner_name", "分局"},
                     {"unit", unit}, {"stream_url", "rtsp://10.0.0.1/live"}});
      return Call{"POST", op.path, json{{"cameras", {camera}}}.dump()};
    }
    // The ledgers (issue 21): a dispute of the unit, listed, read, assigned.
    if (k == "GET /api/ledger-types") return Call{"GET", op.path, ""};
    if (k == "GET /api/ledgers/{type}") return Call{"GET", "/api/ledgers/dispute" + q, ""};
    if (k == "POST /api/ledgers/{type}") return Call{"POST", "/api/ledgers/dispute", dispute_body(unit)};
    // A rental-house check that saw the house's tenant (issue 21).
    if (k == "GET /api/ledger-items/{id}/reconciliation")
      return Call{"GET", "/api/ledger-items/" + seed_visit_item(*engine_, unit, fmt::format("R-MX-{}", ++serial_)) +
                             "/reconciliation", ""};
    if (op.path.rfind("/api/ledger-items/{id}", 0) == 0) {
      const std::string path =
          "/api/ledger-items/" + new_dispute(unit) + op.path.substr(std::string("/api/ledger-items/{id}").size());
      if (op.method == "GET") return Call{"GET", path, ""};
      if (k == "POST /api/ledger-items/{id}/steps")
        return Call{"POST", path, json{{"step", "assign"}, {"unit_code", unit}, {"officer_id", "P001"}}.dump()};
    }
    // A one-row CSV import for the unit (its file is the body), the figures
    // of the unit's disputes, the unit's reminders.
    if (k == "POST /api/ledgers/{type}/import")
      return Call{"POST", "/api/ledgers/dispute/import?name=matrix.csv",
                  fmt::format("单位代码,纠纷类别,纠纷简要情况,当事人数\n{},邻里,楼上漏水引发纠纷 {},2\n", unit, ++serial_)};
    // A one-row CSV of places of the unit (issue 21), a fresh code each call.
    if (k == "POST /api/registry/{kind}/import") {
      const json p = point_in(unit);
      return Call{"POST", "/api/registry/places/import?name=matrix.csv",
                  fmt::format("场所编号,场所名称,场所类别,地址,经度,纬度,所属单位\n{}-DR{},平安旅馆,hotel,经十路 1 号,{},{},{}\n",
                              unit, ++serial_, p["lon"].get<double>(), p["lat"].get<double>(), unit)};
    }
    if (k == "GET /api/ledgers/{type}/export.xlsx") return Call{"GET", "/api/ledgers/dispute/export.xlsx" + q, ""};
    if (k == "GET /api/incidents/export.xlsx" || k == "GET /api/cases/export.xlsx") return Call{"GET", op.path + q, ""};
    if (k == "GET /api/ledger-figures") return Call{"GET", "/api/ledger-figures?type=dispute&name=found&unit=" + unit, ""};
    if (k == "GET /api/ledger-figures/catalogue") return Call{"GET", op.path, ""};
    if (k == "GET /api/ledger-notices") return Call{"GET", op.path + q, ""};
    if (k == "GET /api/bulletins") return Call{"GET", "/api/bulletins" + q + "&from=2026-01-01&to=2026-01-31", ""};
    ADD_FAILURE() << k << ": the matrix has no request for this operation; add one to request_for()";
    return std::nullopt;
  }

  static OtherUnit other_unit_rule(const Operation& op) {
    const std::string k = op.key();
    if (op.path.rfind("/api/fugitives", 0) == 0) return OtherUnit::kSame;  // a shared list; the check takes no record
    // A ledger type in the path names no record: the list narrowed to another
    // unit is empty, an item opened there refused (403 as a case).
    if (k == "GET /api/ledger-types") return OtherUnit::kSame;
    if (k == "GET /api/ledgers/{type}") return OtherUnit::kEmpty;
    if (k == "GET /api/ledgers/{type}/export.xlsx") return OtherUnit::kEmpty;  // a workbook of no rows
    // The incident and case lists' workbooks: another unit is refused, since an
    // empty file would read as a quiet period (http/list_export_routes.h).
    if (k == "GET /api/incidents/export.xlsx" || k == "GET /api/cases/export.xlsx") return OtherUnit::kRefused;
    if (k == "POST /api/ledgers/{type}") return OtherUnit::kRefused;
    // An import's rows for another unit are reported, not taken.
    if (k == "POST /api/ledgers/{type}/import") return OtherUnit::kNotTaken;
    if (k == "POST /api/registry/{kind}/import") return OtherUnit::kNotTaken;
    if (k == "GET /api/ledger-figures") return OtherUnit::kRefused;
    if (k == "GET /api/bulletins") return OtherUnit::kRefused;  // a bulletin of another unit: 403 as a figure
    // The statistics as workbooks: another unit's refused (the JSON answers
    // nothing; a file of zeros handed on would read as a quiet period).
    if (k == "GET /api/stats/export.xlsx" || k == "GET /api/stats/overview/export.xlsx") return OtherUnit::kRefused;
    if (k == "GET /api/ledger-figures/catalogue") return OtherUnit::kSame;
    if (op.takes_record()) return OtherUnit::kHidden;
    // A case or dissuasion task opened for another unit: 403 as an incident
    // there is (engine/case_records.cpp check_unit).
    if (k == "POST /api/cases" || k == "POST /api/dissuasions") return OtherUnit::kRefused;
    // A figure of another unit is refused rather than answered 0 (a zero reads as a fact).
    if (k == "GET /api/case-figures") return OtherUnit::kRefused;
    if (k == "GET /api/case-figures/catalogue") return OtherUnit::kSame;
    if (k == "GET /api/case-figures/records") return OtherUnit::kRefused;  // as the figure it lists
    // The cameras around a point are every unit's (a call-up at a station's
    // border needs its neighbour's); a camera written for another unit: 403.
    if (k == "GET /api/cameras/nearest") return OtherUnit::kSame;
    if (k == "POST /api/cameras" || k == "POST /api/places") return OtherUnit::kRefused;
    if (k == "POST /api/enterprises" || k == "POST /api/rental-houses" || k == "POST /api/residents")
      return OtherUnit::kRefused;
    if (k == "POST /api/positions") return OtherUnit::kNotTaken;
    if (op.method == "POST" && (k == "POST /api/incidents" || k == "POST /api/units" || k == "POST /api/patrol-units" ||
                                k == "POST /api/posts" || k == "POST /api/shifts" || k == "POST /api/users"))
      return OtherUnit::kRefused;
    if (op.method == "GET" && k != "GET /api/health" && k != "GET /api/auth/me" && k != "GET /api/units" &&
        k != "GET /api/taxonomy" && k != "GET /api/openapi.json" && k != "GET /api/users")
      return OtherUnit::kEmpty;
    return OtherUnit::kSame;
  }

  // --- sending ---
  JsonResponse send(const std::string& token, const Call& call) {
    if (call.path.rfind("/api/stream", 0) == 0) return stream_status(token, call.path);
    if (call.path == "/api/auth/login") clock_.advance(authority_->policy().address_window_s + 1);
    auto c = anonymous_client();
    if (!token.empty()) c->set_bearer_token_auth(token);
    if (call.method == "GET") return to_json_response(c->Get(call.path.c_str()));
    return to_json_response(c->Post(call.path.c_str(), call.body, "application/json"));
  }
  // GET /api/stream does not end: read its status line (and error body) only.
  JsonResponse stream_status(const std::string& token, const std::string& path) const {
    RawSocket s(server_->port());
    EXPECT_TRUE(s.connected());
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    s.send(req + "\r\n");
    const std::string head = s.read(5000ms, "\r\n\r\n");
    JsonResponse out;
    if (head.size() > 12 && head.rfind("HTTP/1.1 ", 0) == 0) out.status = std::stoi(head.substr(9, 3));
    if (out.status != 200) {  // an error answer is JSON; read its body
      const std::string rest = s.read(2000ms, "}}");
      const std::string all = head + rest;
      const auto brace = all.find('{');
      if (brace != std::string::npos) out.body = json::parse(all.substr(brace, all.rfind('}') - brace + 1), nullptr, false);
      out.raw = all;
    }
    return out;
  }

  // Signs a new user of `role` in by password (and TOTP when the role asks it);
  // the cookie ("pingan_session=...") and CSRF token.
  std::pair<std::string, std::string> cookie_session(const std::string& role, const std::string& unit = kOwn) {
    const std::string name = fmt::format("{}.cookie{}", role, ++serial_);
    auto created = authority_->add_user({name, "会话" + role, unit, role}, "test");
    EXPECT_TRUE(created.ok()) << created.error().describe();
    if (!created.ok()) return {};
    EXPECT_TRUE(authority_->set_password(name, kPassword, false, "test").ok());
    json body = {{"username", name}, {"password", kPassword}};
    clock_.advance(authority_->policy().address_window_s + 1);
    if (!created->totp_secret.empty()) body["totp"] = *auth::totp_code(created->totp_secret, clock_.now->load());
    auto r = anonymous_client()->Post("/api/auth/login", body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << role << ": " << (r ? r->body : "no answer");
    if (!r || r->status != 200) return {};
    const std::string set_cookie = r->get_header_value("Set-Cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), json::parse(r->body).value("csrf_token", "")};
  }
  JsonResponse send_by_cookie(const std::pair<std::string, std::string>& session, const Call& call) const {
    httplib::Headers h{{"Cookie", session.first}};
    if (call.method != "GET") h.emplace("X-CSRF-Token", session.second);
    auto c = anonymous_client();
    if (call.method == "GET") return to_json_response(c->Get(call.path.c_str(), h));
    return to_json_response(c->Post(call.path.c_str(), h, call.body, "application/json"));
  }
  // POST /api/auth/password is a session's own (a token has no password):
  // sent by cookie for a new user of the role, refused (403) to a token.
  JsonResponse password_change(const std::string& role) {
    auto session = cookie_session(role);
    return send_by_cookie(session, Call{"POST", "/api/auth/password",
                                        json{{"old_password", kPassword}, {"new_password", "泉城路巡逻二〇二六年夏季"}}.dump()});
  }

  // The gate's refusal of a missing permission, as opposed to a handler's
  // 403 (a unit outside the caller's subtree).
  static bool gate_refused(const JsonResponse& r, const std::string& permission) {
    if (r.status != 403 || !r.body.is_object()) return false;
    const std::string message = r.body.value("/error/message"_json_pointer, std::string());
    return message.find("may not use '" + permission + "'") != std::string::npos;
  }
  // The permission the gate refused for, if the answer is the gate's refusal.
  static std::optional<std::string> refused_for(const JsonResponse& r) {
    if (r.status != 403 || !r.body.is_object()) return std::nullopt;
    const std::string message = r.body.value("/error/message"_json_pointer, std::string());
    const std::string head = "may not use '";
    const auto at = message.find(head);
    if (at == std::string::npos) return std::nullopt;
    const auto end = message.find('\'', at + head.size());
    return message.substr(at + head.size(), end - at - head.size());
  }
  static bool is_2xx(int status) { return status >= 200 && status < 300; }
  // A ledger type's own rule (data/ledgers: who may open an item, who may
  // take a step) refusing a caller the gate let through: the handler's 403
  // naming the roles, not the gate's. ledgers.write lets a role in; the type
  // says which of its steps that role may take.
  static bool refused_by_ledger_rule(const Operation& op, const JsonResponse& r) {
    if (r.status != 403 || (op.path != "/api/ledgers/{type}" && op.path != "/api/ledger-items/{id}/steps" &&
                            op.path != "/api/ledgers/{type}/import"))
      return false;
    const std::string message = r.body.value("/error/message"_json_pointer, std::string());
    return message.find(" may not open a ") != std::string::npos || message.find(" may not create ") != std::string::npos ||
           message.find(" may not take step ") != std::string::npos;
  }

  std::vector<RoleDef> roles_;
  std::map<std::string, std::string> tokens_;  // role -> API token of its JN-S01 user
  std::map<std::string, std::string> single_;  // permission -> token holding only it
  std::string ledger_writer_;                   // token of a command user over every unit (new_dispute)
  int serial_ = 0;
};

// --- 1. the matrix ---

TEST_F(AuthMatrixTest, EveryOperationTimesEveryRoleTimesOwnAndOtherUnitIsAllowedOrRefusedAsDeclared) {
  const std::vector<Operation> ops = documented_operations();
  ASSERT_GE(ops.size(), 40u);
  int allowed = 0, refused = 0;
  for (const Operation& op : ops) {
    ASSERT_FALSE(op.permission.empty()) << op.key() << ": no x-pingan-permission in docs/openapi.json";
    for (const RoleDef& role : roles_) {
      for (const char* unit : {kOwn, kOther}) {
        SCOPED_TRACE(fmt::format("{} as {} on a record of {}", op.key(), role.name, unit));
        std::optional<Call> call = request_for(op, unit);
        if (!call) continue;  // already a failure
        const bool own = unit == std::string(kOwn);
        JsonResponse r = op.key() == "POST /api/auth/password" && role.grants(op.permission)
                             ? password_change(role.name)
                             : send(tokens_.at(role.name), *call);
        ASSERT_NE(r.status, 0) << "no answer";
        EXPECT_LT(r.status, 500) << r.raw;
        if (!role.grants(op.permission)) {
          ++refused;
          EXPECT_TRUE(gate_refused(r, op.permission)) << "expected the gate's 403 for '" << op.permission
                                                      << "', got " << r.status << " " << r.raw;
          continue;
        }
        ++allowed;
        EXPECT_NE(r.status, 401) << r.raw;
        EXPECT_FALSE(gate_refused(r, op.permission)) << r.raw;
        const OtherUnit rule = own ? OtherUnit::kSame : other_unit_rule(op);
        switch (rule) {
          case OtherUnit::kSame:
            EXPECT_TRUE(is_2xx(r.status) || refused_by_ledger_rule(op, r)) << r.status << " " << r.raw;
            break;
          case OtherUnit::kHidden:
            EXPECT_EQ(r.status, 404) << r.raw;
            break;
          case OtherUnit::kRefused:
            // 403 (outside your subtree), or the answer for a record nobody
            // has (a shift's call sign: 400 naming it); the own unit's twin passed.
            EXPECT_TRUE(r.status == 403 || r.status == 404 ||
                        (r.status == 400 && r.body.value("/error/field"_json_pointer, std::string()) == "call_sign"))
                << r.status << " " << r.raw;
            break;
          case OtherUnit::kEmpty:
            // Nothing, or a model with nothing to map (400 on the scope, which says no more).
            EXPECT_TRUE(is_2xx(r.status) ||
                        (r.status == 400 && r.body.value("/error/field"_json_pointer, std::string()) == "scope"))
                << r.status << " " << r.raw;
            if (r.body.is_object() && r.body.contains("items")) {
              EXPECT_TRUE(r.body["items"].empty()) << r.raw;
            }
            break;
          case OtherUnit::kNotTaken:
            if (refused_by_ledger_rule(op, r)) break;  // the role may not open the type at all
            EXPECT_EQ(r.status, 200) << r.raw;
            EXPECT_EQ(r.body.value("accepted", r.body.value("taken", -1)), 0) << r.raw;
            break;
        }
      }
    }
  }
  // 44 operations × 6 roles × 2 units when this was written.
  EXPECT_EQ(allowed + refused, static_cast<int>(ops.size() * roles_.size() * 2));
  std::printf("[ matrix ] %zu operations x %zu roles x 2 units: %d allowed, %d refused\n", ops.size(), roles_.size(),
              allowed, refused);
}

TEST_F(AuthMatrixTest, TheServerEnforcesExactlyThePermissionEachOperationDeclares) {
  // Each operation is called with no credentials and with tokens holding one
  // permission each; the tokens it lets through name the permission the
  // served route declares. A route missing from the server (404 to all), one
  // declaring another permission, or one declaring none fails here.
  const std::vector<Operation> ops = documented_operations();
  ASSERT_GE(ops.size(), 40u);
  int calls = 0;
  for (const Operation& op : ops) {
    SCOPED_TRACE(op.key());
    EXPECT_FALSE(op.permission.empty()) << "no x-pingan-permission in docs/openapi.json";
    std::optional<Call> call = request_for(op, kOwn);
    if (!call) continue;
    if (op.key() == "POST /api/auth/password") {
      // A token may not change a password (403 from the handler), so the
      // session routes' "any signed-in caller" is shown by cookie instead.
      EXPECT_EQ(op.permission, "session");
      EXPECT_EQ(send("", *call).status, 401);
      for (const RoleDef& role : roles_) EXPECT_EQ(password_change(role.name).status, 204) << role.name;
      continue;
    }
    JsonResponse anonymous = send("", *call);
    ++calls;
    std::set<std::string> let_through;
    for (const auto& [permission, token] : single_) {
      JsonResponse r = send(token, *call);
      ++calls;
      EXPECT_NE(r.status, 404) << "with only " << permission << ": the server does not serve it? " << r.raw;
      EXPECT_LT(r.status, 500) << r.raw;
      EXPECT_NE(r.status, 401) << r.raw;
      if (std::optional<std::string> needed = refused_for(r)) {
        // The gate names what the route needs: the same permission each time.
        EXPECT_EQ(*needed, op.permission) << "the gate asks another permission than the document";
      } else {
        if (!refused_by_ledger_rule(op, r)) {
          EXPECT_NE(r.status, 403) << "a 403 that is not the gate's: " << r.raw;
        }
        let_through.insert(permission);
      }
    }
    std::string served;
    if (anonymous.status != 401) served = "public";
    else if (let_through.size() == single_.size()) served = "session";
    else if (let_through.size() == 1) served = *let_through.begin();
    else served = fmt::format("unclear (let through: {})", fmt::join(let_through, ", "));
    EXPECT_EQ(served, op.permission) << "the served route's permission differs from the document";
  }
  std::printf("[ matrix ] %d calls with single-permission tokens\n", calls);
}

TEST_F(AuthMatrixTest, CookieSessionsWithTheCsrfHeaderMeetTheSameMatrix) {
  // The token path above, again by cookie for a few operations and roles
  // (admin signs in with its TOTP code).
  const std::vector<Operation> ops = documented_operations();
  const std::set<std::string> chosen = {"GET /api/incidents", "POST /api/incidents", "POST /api/units",
                                        "GET /api/users", "POST /api/patrol-units", "POST /api/admin/reload-config",
                                        "GET /api/stats/overview"};
  int cases = 0;
  for (const RoleDef& role : roles_) {
    auto session = cookie_session(role.name);
    ASSERT_FALSE(session.first.empty()) << role.name;
    for (const Operation& op : ops) {
      if (!chosen.count(op.key())) continue;
      SCOPED_TRACE(fmt::format("{} as {} by cookie", op.key(), role.name));
      std::optional<Call> call = request_for(op, kOwn);
      if (!call) continue;
      JsonResponse r = send_by_cookie(session, *call);
      ++cases;
      if (role.grants(op.permission)) {
        EXPECT_TRUE(is_2xx(r.status)) << r.status << " " << r.raw;
      } else {
        EXPECT_TRUE(gate_refused(r, op.permission)) << r.status << " " << r.raw;
      }
      // Without the CSRF header a cookie write is refused whatever the role.
      if (op.method == "POST") {
        std::optional<Call> again = request_for(op, kOwn);
        auto no_csrf = to_json_response(
            anonymous_client()->Post(again->path.c_str(), {{"Cookie", session.first}}, again->body, "application/json"));
        EXPECT_EQ(no_csrf.status, 403) << no_csrf.raw;
      }
    }
  }
  EXPECT_EQ(cases, static_cast<int>(roles_.size() * chosen.size()));
}

// --- 2. IDOR ---

TEST_F(AuthMatrixTest, AnIdOfAnotherUnitIsNotFoundInEveryRouteThatTakesOneAndNothingChanges) {
  const std::vector<Operation> ops = documented_operations();
  int cases = 0;
  for (const Operation& op : ops) {
    // Fugitive listings are shared by every unit (other_unit_rule): not hidden.
    if (!op.takes_record() || other_unit_rule(op) != OtherUnit::kHidden) continue;
    for (const RoleDef& role : roles_) {
      if (!role.grants(op.permission)) continue;
      SCOPED_TRACE(fmt::format("{} as {} of {}", op.key(), role.name, kOwn));
      std::optional<Call> call = request_for(op, kOther);
      ASSERT_TRUE(call);
      // The record as the tester sees it before and after, with its history
      // where it keeps one.
      const std::string collection = op.path.substr(0, op.path.find('{'));  // "/api/incidents/"
      const bool incident = collection == "/api/incidents/";
      const bool numbered = collection != "/api/patrol-units/";
      const std::string id_or_sign = call->path.substr(collection.size());
      const std::string record = id_or_sign.substr(0, id_or_sign.find('/'));
      const std::string record_path = collection + record;
      const std::string history_path = incident ? record_path + "/events"
                                       : collection == "/api/cases/" || collection == "/api/dissuasions/"
                                           ? record_path + "/history"
                                           : "";
      JsonResponse before = get(record_path);
      JsonResponse history_before = history_path.empty() ? JsonResponse{} : get(history_path);
      ASSERT_EQ(before.status, 200) << before.raw;

      JsonResponse r = send(tokens_.at(role.name), *call);
      ++cases;
      EXPECT_EQ(r.status, 404) << r.raw;
      EXPECT_EQ(r.body.value("/error/code"_json_pointer, std::string()), "not_found") << r.raw;
      // Indistinguishable from a record that never existed.
      const std::string missing = numbered ? "987654321" : "NO-SUCH-UNIT";
      Call ghost = *call;
      ghost.path.replace(ghost.path.find(record), record.size(), missing);
      JsonResponse g = send(tokens_.at(role.name), ghost);
      std::string a = r.raw, b = g.raw;
      if (auto at = a.find(record); at != std::string::npos) a.replace(at, record.size(), "#");
      if (auto at = b.find(missing); at != std::string::npos) b.replace(at, missing.size(), "#");
      EXPECT_EQ(a, b) << "another unit's record answers differently from a missing one";

      JsonResponse after = get(record_path);
      // The live position and timestamps of a unit do not move on their own here.
      EXPECT_EQ(after.body, before.body) << "the record changed";
      if (!history_path.empty()) {
        EXPECT_EQ(get(history_path).body, history_before.body) << "the record's history changed";
      }
    }
  }
  std::printf("[ idor ] %d calls with another unit's id or call sign\n", cases);
  EXPECT_GE(cases, 13);
}

TEST_F(AuthMatrixTest, WritesNamingAnotherUnitInTheirBodyChangeNothingThere) {
  // Dispatching another unit's patrol unit to one's own incident, reporting
  // its position, giving it a shift, adding posts, patrol units or units
  // under another station, creating an incident, a case or a dissuasion
  // task there, linking its case to one's own task.
  const std::string own_incident = new_incident(kOwn);
  const std::string their_unit = new_patrol_unit(kOther);
  const std::string command = tokens_.at("command");
  const std::string station = tokens_.at("station");
  const std::string machine = tokens_.at("machine");
  const std::string admin = tokens_.at("admin");

  JsonResponse d = send(command, {"POST", "/api/incidents/" + own_incident + "/dispatch",
                                  json{{"units", {their_unit}}}.dump()});
  EXPECT_EQ(d.status, 404) << d.raw;
  EXPECT_EQ(get("/api/patrol-units/" + their_unit).body.value("status", ""), "available");

  json report = point_in(kOther);
  report["call_sign"] = their_unit;
  report["at"] = iso_utc(-5);
  JsonResponse p = send(machine, {"POST", "/api/positions", json{{"reports", {report}}}.dump()});
  EXPECT_EQ(p.status, 200) << p.raw;
  EXPECT_EQ(p.body.value("accepted", -1), 0) << p.raw;
  EXPECT_EQ(get("/api/patrol-units/" + their_unit + "/track").body.value("items", json::array()).size(), 0u);

  JsonResponse s = send(station, {"POST", "/api/shifts",
                                  json{{"call_sign", their_unit}, {"start", iso_utc(-86400)},
                                       {"end", iso_utc(-86400 + 3600)}, {"crew", 2}}
                                      .dump()});
  EXPECT_TRUE(s.status == 400 || s.status == 404 || s.status == 403) << s.raw;
  EXPECT_EQ(get("/api/shifts?unit=JN-S02").body.value("total", -1), 0);

  // Taking over another station's patrol unit by naming it with one's own station.
  JsonResponse u = send(station, {"POST", "/api/patrol-units",
                                  json::array({{{"call_sign", their_unit}, {"kind", "foot"}, {"station", kOwn}}}).dump()});
  EXPECT_TRUE(u.status == 403 || u.status == 404) << u.raw;
  EXPECT_EQ(get("/api/patrol-units/" + their_unit).body.value("station", ""), kOther);

  // Renaming another station (admin of JN-S01 only).
  JsonResponse n = send(admin, {"POST", "/api/units",
                                json::array({{{"code", kOther}, {"name", "被改名"}, {"kind", "station"}, {"parent", "JN"}}}).dump()});
  EXPECT_TRUE(n.status == 403 || n.status == 404) << n.raw;
  bool renamed = false;
  const json listed = get("/api/units").body["items"];  // a copy: the answer is a temporary
  for (const json& unit : listed) renamed = renamed || unit.value("name", "") == "被改名";
  EXPECT_FALSE(renamed);
  // Nor the bureau above it.
  JsonResponse up = send(admin, {"POST", "/api/units",
                                 json::array({{{"code", "JN"}, {"name", "被改名"}, {"kind", "bureau"}}}).dump()});
  EXPECT_TRUE(up.status == 403 || up.status == 404) << up.raw;

  const int before = get("/api/incidents?unit=JN-S02").body.value("total", -1);
  JsonResponse c = send(station, {"POST", "/api/incidents",
                                  json{{"type", "theft"}, {"location", point_in(kOther)}}.dump()});
  EXPECT_EQ(c.status, 403) << c.raw;
  JsonResponse c2 = send(station, {"POST", "/api/incidents",
                                   json{{"type", "theft"}, {"unit", kOther}, {"location", point_in(kOwn)}}.dump()});
  EXPECT_EQ(c2.status, 403) << c2.raw;
  EXPECT_EQ(get("/api/incidents?unit=JN-S02").body.value("total", -1), before);

  // Opening a case or issuing a dissuasion task there: 403 as for an
  // incident, nothing written.
  const std::string their_case = new_case(kOther);
  JsonResponse oc = send(station, {"POST", "/api/cases", new_case_body(kOther)});
  EXPECT_EQ(oc.status, 403) << oc.raw;
  EXPECT_EQ(get("/api/cases?unit=JN-S02").body.value("items", json::array()).size(), 1u);
  JsonResponse od = send(station, {"POST", "/api/dissuasions", new_dissuasion_body(kOther)});
  EXPECT_EQ(od.status, 403) << od.raw;
  // Linking another unit's case to one's own task: as a case that does not exist.
  const std::string own_task = new_dissuasion(kOwn);
  JsonResponse link = send(station, {"POST", "/api/dissuasions/" + own_task + "/steps",
                                     json{{"to", "defrauded"}, {"case_id", std::stoll(their_case)}}.dump()});
  EXPECT_EQ(link.status, 404) << link.raw;
  EXPECT_EQ(get("/api/dissuasions/" + own_task).body.value("status", ""), "issued");
}

// Records in both stations, for the list and figure checks.
TEST_F(AuthMatrixTest, ListsAndFiguresOfAStationUserHoldNothingOfTheOtherStation) {
  for (int i = 0; i < 3; ++i) new_incident(kOwn);
  for (int i = 0; i < 5; ++i) new_incident(kOther);
  new_patrol_unit(kOwn);
  new_patrol_unit(kOther);
  new_patrol_unit(kOther);
  new_case(kOwn);
  new_case(kOther);
  new_case(kOther);
  for (const char* unit : {kOwn, kOther}) {
    Operation posts{"POST", "/api/posts", "patrol.write"}, shifts{"POST", "/api/shifts", "patrol.write"};
    ASSERT_EQ(send(token_, *request_for(posts, unit)).status, 200);
    ASSERT_EQ(send(token_, *request_for(shifts, unit)).status, 201);
  }
  ASSERT_TRUE(authority_->add_user({"peer.s02", "邻所", kOther, "station"}, "test").ok());

  const std::string station = tokens_.at("station");
  const std::string admin = tokens_.at("admin");
  auto as = [&](const std::string& token, const std::string& path) { return send(token, {"GET", path, ""}); };
  // Lists: the station user's list equals the tester's list of JN-S01, and the tester sees more.
  for (const char* path : {"/api/incidents", "/api/patrol-units", "/api/posts", "/api/shifts", "/api/users", "/api/cases"}) {
    SCOPED_TRACE(path);
    const std::string& token = std::string(path) == "/api/users" ? admin : station;
    JsonResponse mine = as(token, path);
    JsonResponse everything = get(path);
    ASSERT_EQ(mine.status, 200) << mine.raw;
    ASSERT_EQ(everything.status, 200) << everything.raw;
    EXPECT_LT(mine.body["items"].size(), everything.body["items"].size()) << "the tester sees JN-S02 too";
    for (const json& item : mine.body["items"]) {
      const std::string unit = item.contains("unit") && item["unit"].is_string() ? item["unit"].get<std::string>()
                               : item.contains("station")                         ? item["station"].get<std::string>()
                                                                                  : "";
      EXPECT_EQ(unit.rfind(kOwn, 0), 0u) << item.dump();
    }
    if (std::string(path) != "/api/users") {
      JsonResponse s01 = get(std::string(path) + "?unit=JN-S01");
      EXPECT_EQ(mine.body["items"].size(), s01.body["items"].size()) << mine.raw << "\n" << s01.raw;
    }
  }
  // Figures: the station user's equal the tester's narrowed to JN-S01, and differ from the whole tree's.
  for (const char* path : {"/api/stats?group_by=unit", "/api/stats/overview", "/api/hotspots"}) {
    SCOPED_TRACE(path);
    const std::string sep = std::string(path).find('?') == std::string::npos ? "?" : "&";
    JsonResponse mine = as(station, path);
    JsonResponse s01 = get(std::string(path) + sep + "unit=JN-S01");
    JsonResponse everything = get(path);
    ASSERT_EQ(mine.status, 200) << mine.raw;
    ASSERT_EQ(s01.status, 200) << s01.raw;
    EXPECT_EQ(mine.body.dump().find(kOther), std::string::npos) << mine.raw;
    EXPECT_NE(mine.body, everything.body) << "the figures of the whole tree: " << mine.raw;
    json a = mine.body, b = s01.body;
    for (json* j : {&a, &b})
      for (const char* volatile_key : {"generated_at", "elapsed_ms", "unit", "scope", "computed_at"}) j->erase(volatile_key);
    EXPECT_EQ(a, b);
  }
}

TEST_F(AuthMatrixTest, AStationUsersStreamHearsNothingOfTheOtherStation) {
  StreamReader stream(server_->port(), "/api/stream", tokens_.at("station"));
  ASSERT_TRUE(stream.wait_for(": connected")) << stream.text();
  const std::string theirs = new_incident(kOther, "大明湖路 99 号 其他所");
  const std::string their_unit = new_patrol_unit(kOther);
  ASSERT_EQ(post("/api/patrol-units/" + their_unit + "/duty", json{{"on_duty", true}}).status, 200);
  const std::string mine = new_incident(kOwn, "泉城路 7 号 本所");
  // Events arrive in order: once ours is in, theirs would have been too.
  ASSERT_TRUE(stream.wait_for("本所")) << stream.text();
  EXPECT_EQ(stream.text().find("其他所"), std::string::npos) << stream.text();
  EXPECT_EQ(stream.text().find(their_unit), std::string::npos) << stream.text();
  EXPECT_EQ(stream.text().find(kOther), std::string::npos) << stream.text();
  (void)theirs;
  (void)mine;
}

// --- 3. injection and XSS ---

const std::vector<std::string>& payloads() {
  static const std::vector<std::string> p = {
      "'; DROP TABLE incidents; --",
      "\" OR 1=1 --",
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "{{7*7}}",
      "e\xCC\x81 \xE2\x80\xAE\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xF0\x9D\x95\x8F \xEF\xB7\xBD \xE2\x80\x8B",  // combining, RTL override, astral, zero width
  };
  return p;
}

// A free-text field of a write and where its value comes back.
struct TextField {
  std::string where;                                    // "POST /api/incidents address"
  std::string field;                                    // the error's field when refused
  std::function<JsonResponse(const std::string&)> write;  // sends the payload
  std::function<std::optional<std::string>(const JsonResponse&)> read_back;  // the stored value, fetched again
};

TEST_F(AuthMatrixTest, InjectionAndScriptPayloadsInEveryTextFieldAreStoredAndAnsweredInert) {
  auto string_at = [](const json& j, const json::json_pointer& p) -> std::optional<std::string> {
    if (!j.contains(p) || !j[p].is_string()) return std::nullopt;
    return j[p].get<std::string>();
  };
  auto incident_field = [&](const char* name) {
    return TextField{std::string("POST /api/incidents ") + name, name,
                     [this, name](const std::string& v) {
                       json body = {{"type", "theft"}, {"location", point_in(kOwn)}};
                       body[name] = v;
                       return post("/api/incidents", body);
                     },
                     [this, string_at, name](const JsonResponse& r) {
                       return string_at(get("/api/incidents/" + std::to_string(r.body["id"].get<long long>())).body,
                                        json::json_pointer("/" + std::string(name)));
                     }};
  };
  std::vector<TextField> fields = {incident_field("address"), incident_field("description"),
                                   incident_field("case_number"), incident_field("original_code"),
                                   incident_field("source_id"), incident_field("source")};
  // Personal data reads back masked everywhere but the audited reveal.
  fields.push_back({"POST /api/incidents reporter_name", "reporter_name",
                    [this](const std::string& v) {
                      return post("/api/incidents", json{{"type", "theft"}, {"location", point_in(kOwn)}, {"reporter_name", v}});
                    },
                    [this, string_at](const JsonResponse& r) {
                      const std::string id = std::to_string(r.body["id"].get<long long>());
                      return string_at(post("/api/incidents/" + id + "/reveal", json{{"reason", "核实"}}).body,
                                       "/reporter_name"_json_pointer);
                    }});
  for (const char* name : {"note", "assignee"}) {
    fields.push_back({std::string("POST /api/incidents/{id}/transition ") + name, name,
                      [this, name](const std::string& v) {
                        const std::string id = new_incident(kOwn);
                        // received -> handled -> followup (the task carries note and assignee)
                        EXPECT_EQ(post("/api/incidents/" + id + "/transition", json{{"to", "handled"}}).status, 200);
                        json body = {{"to", "followup"}, {"note", "x"}, {"assignee", "李警官"}, {"deadline", iso_utc(86400)}};
                        body[name] = v;
                        JsonResponse r = post("/api/incidents/" + id + "/transition", body);
                        r.location = id;
                        return r;
                      },
                      [this, name](const JsonResponse& r) -> std::optional<std::string> {
                        // The note lives on the event; the assignee on the follow-up.
                        const json events = get("/api/incidents/" + r.location + "/events").body;
                        const std::string field = name;
                        if (field == "note") {
                          if (!events.contains("items") || events["items"].empty()) return std::nullopt;
                          return events["items"].back().value("note", std::string());
                        }
                        const json inc = get("/api/incidents/" + r.location).body;
                        return inc.value("/followup/assignee"_json_pointer, std::string());
                      }});
  }
  fields.push_back({"POST /api/units name", "name",
                    [this](const std::string& v) {
                      JsonResponse r = post("/api/units", json::array({{{"code", fmt::format("JN-S01-C{}", ++serial_)},
                                                                        {"name", v}, {"kind", "community"}, {"parent", kOwn}}}));
                      r.location = fmt::format("JN-S01-C{}", serial_);
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json listed = get("/api/units").body["items"];  // a copy: the answer is a temporary
                      for (const json& u : listed)
                        if (u.value("code", "") == r.location) return u.value("name", std::string());
                      return std::nullopt;
                    }});
  fields.push_back({"POST /api/units code", "code",
                    [this](const std::string& v) {
                      JsonResponse r = post("/api/units", json::array({{{"code", v}, {"name", "x"}, {"kind", "community"}, {"parent", kOwn}}}));
                      r.location = v;
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json listed = get("/api/units").body["items"];  // a copy: the answer is a temporary
                      for (const json& u : listed)
                        if (u.value("code", "") == r.location) return u.value("code", std::string());
                      return std::nullopt;
                    }});
  fields.push_back({"POST /api/posts name", "name",
                    [this](const std::string& v) {
                      const std::string code = fmt::format("JN-S01-D{}", ++serial_);
                      JsonResponse r = post("/api/posts", json::array({{{"code", code}, {"name", v}, {"kind", "night"}, {"station", kOwn},
                                                                        {"location", point_in(kOwn)},
                                                                        {"hours", {{"start", "20:00"}, {"end", "02:00"}}}}}));
                      r.location = code;
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json listed = get("/api/posts").body["items"];  // a copy: the answer is a temporary
                      for (const json& p : listed)
                        if (p.value("code", "") == r.location) return p.value("name", std::string());
                      return std::nullopt;
                    }});
  fields.push_back({"POST /api/patrol-units call_sign", "call_sign",
                    [this](const std::string& v) {
                      JsonResponse r = post("/api/patrol-units", json::array({{{"call_sign", v}, {"kind", "car"}, {"station", kOwn}}}));
                      r.location = v;
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json listed = get("/api/patrol-units").body["items"];  // a copy: the answer is a temporary
                      for (const json& p : listed)
                        if (p.value("call_sign", "") == r.location) return r.location;
                      return std::nullopt;
                    }});
  fields.push_back({"POST /api/patrol-units roles", "roles",
                    [this](const std::string& v) {
                      const std::string cs = fmt::format("JN-S01-R{}", ++serial_);
                      JsonResponse r = post("/api/patrol-units", json::array({{{"call_sign", cs}, {"kind", "car"}, {"station", kOwn}, {"roles", {v}}}}));
                      r.location = cs;
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json u = get("/api/patrol-units/" + r.location).body;
                      if (!u.contains("roles") || u["roles"].empty()) return std::nullopt;
                      return u["roles"][0].get<std::string>();
                    }});
  fields.push_back({"POST /api/shifts post", "post",
                    [this](const std::string& v) {
                      return post("/api/shifts", json{{"call_sign", new_patrol_unit(kOwn)}, {"start", iso_utc(-86400)},
                                                      {"end", iso_utc(-86400 + 3600)}, {"crew", 2}, {"post", v}});
                    },
                    [](const JsonResponse& r) { return std::optional<std::string>(r.body.value("post", std::string())); }});
  fields.push_back({"POST /api/users name", "name",
                    [this](const std::string& v) {
                      const std::string name = fmt::format("xss.user{}", ++serial_);
                      JsonResponse r = post("/api/users", json{{"username", name}, {"name", v}, {"unit", kOwn}, {"role", "community"}});
                      r.location = name;
                      return r;
                    },
                    [this](const JsonResponse& r) -> std::optional<std::string> {
                      const json listed = get("/api/users").body["items"];  // a copy: the answer is a temporary
                      for (const json& u : listed)
                        if (u.value("username", "") == r.location) return u.value("name", std::string());
                      return std::nullopt;
                    }});
  fields.push_back({"POST /api/users username", "username",
                    [this](const std::string& v) {
                      return post("/api/users", json{{"username", v}, {"name", "x"}, {"unit", kOwn}, {"role", "community"}});
                    },
                    [](const JsonResponse& r) { return std::optional<std::string>(r.body.value("username", std::string())); }});

  int stored = 0, refused = 0;
  for (const TextField& f : fields) {
    for (const std::string& payload : payloads()) {
      SCOPED_TRACE(f.where + " = " + payload);
      JsonResponse r = f.write(payload);
      ASSERT_NE(r.status, 0);
      EXPECT_LT(r.status, 500) << r.raw;
      EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u) << r.content_type;
      if (r.status == 400) {
        ++refused;
        EXPECT_EQ(r.body.value("/error/field"_json_pointer, std::string()).find(f.field) != std::string::npos, true)
            << "a refusal must name the field: " << r.raw;
        continue;
      }
      ASSERT_TRUE(r.status == 200 || r.status == 201) << r.raw;
      ++stored;
      std::optional<std::string> back = f.read_back(r);
      ASSERT_TRUE(back.has_value()) << "not found again after writing: " << r.raw;
      EXPECT_EQ(*back, payload) << "not stored byte for byte";
    }
  }
  // Inert: answered as JSON that a browser will not sniff into HTML.
  auto raw = client()->Get("/api/incidents?limit=1000");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->get_header_value("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_EQ(raw->get_header_value("X-Content-Type-Options"), "nosniff");
  const json list = json::parse(raw->body, nullptr, false);
  ASSERT_TRUE(list.is_object()) << "the list is still valid JSON";
  bool found = false;
  for (const json& inc : list["items"]) found = found || inc.value("address", "") == "<script>alert(1)</script>";
  EXPECT_TRUE(found);
  // The tables are still there.
  for (const char* path : {"/api/incidents", "/api/units", "/api/posts", "/api/patrol-units", "/api/shifts", "/api/users",
                           "/api/stats/overview"}) {
    EXPECT_EQ(get(path).status, 200) << path;
  }
  std::printf("[ injection ] %zu fields x %zu payloads: %d stored byte for byte, %d refused with 400\n", fields.size(),
              payloads().size(), stored, refused);
  EXPECT_GT(stored, 0);
}

}  // namespace
}  // namespace pingan::testing
