// Keeps docs/openapi.json true: every served route is documented, every
// documented route is served, each has an example, and a real response of
// each documented route carries what its schema marks required, with the
// declared JSON types.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <map>
#include <set>

#include "http_test_support.h"
#include "visit_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

json load_document() {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/docs/openapi.json");
  EXPECT_TRUE(in.good()) << "docs/openapi.json missing";
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// A small checker for the part of JSON Schema the document uses: $ref, type,
// nullable, required, properties, items, enum, allOf, oneOf. Appends one line
// per violation to `problems`, naming the JSON path.
class SchemaChecker {
 public:
  explicit SchemaChecker(const json& doc) : doc_(doc) {}

  void check(const json& schema, const json& value, const std::string& path,
             std::vector<std::string>& problems) const {
    const json& s = resolve(schema);
    if (value.is_null()) {
      if (!s.value("nullable", false) && s.contains("type"))
        problems.push_back(fmt::format("{}: null but the schema does not allow null", path));
      return;
    }
    if (s.contains("allOf")) {
      for (const json& part : s["allOf"]) check(part, value, path, problems);
    }
    if (s.contains("oneOf")) {
      int matches = 0;
      for (const json& part : s["oneOf"]) {
        std::vector<std::string> sub;
        check(part, value, path, sub);
        if (sub.empty()) ++matches;
      }
      if (matches != 1)
        problems.push_back(
            fmt::format("{}: matches {} of the oneOf schemas, not 1", path, matches));
    }
    if (s.contains("type") && !has_type(value, s["type"].get<std::string>())) {
      problems.push_back(fmt::format("{}: expected {}, got {}", path, s["type"].get<std::string>(),
                                     value.type_name()));
      return;
    }
    if (s.contains("enum")) {
      bool found = false;
      for (const json& e : s["enum"]) found = found || e == value;
      if (!found)
        problems.push_back(
            fmt::format("{}: {} is not one of {}", path, value.dump(), s["enum"].dump()));
    }
    if (value.is_object()) {
      for (const json& key : s.value("required", json::array()))
        if (!value.contains(key.get<std::string>()))
          problems.push_back(
              fmt::format("{}: required property '{}' missing", path, key.get<std::string>()));
      if (s.contains("properties"))
        for (const auto& [key, sub] : s["properties"].items())
          if (value.contains(key)) check(sub, value[key], path + "." + key, problems);
    }
    if (value.is_array() && s.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i)
        check(s["items"], value[i], fmt::format("{}[{}]", path, i), problems);
    }
  }

 private:
  const json& resolve(const json& schema) const {
    if (!schema.contains("$ref")) return schema;
    std::string ref = schema["$ref"];  // "#/components/schemas/Name"
    return doc_.at(json::json_pointer(ref.substr(1)));
  }
  static bool has_type(const json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    return false;
  }
  const json& doc_;
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Whether the operation answers with server-sent events rather than JSON
// (GET /api/stream, tested in live_stream_test.cpp).
bool is_event_stream(const json& op) {
  for (const auto& [status, response] : op["responses"].items())
    if (status.front() == '2' && response.contains("content") &&
        response["content"].contains("text/event-stream"))
      return true;
  return false;
}

std::set<std::pair<std::string, std::string>> documented_routes(const json& doc,
                                                                 bool json_only = false) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      if (method != "parameters" && !(json_only && is_event_stream(op))) out.emplace(upper(method), path);
  return out;
}

class HttpOpenApiTest : public HttpServerTest {};

TEST_F(HttpOpenApiTest, DocumentIsOpenApi3AndServedAtItsRoute) {
  json doc = load_document();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  JsonResponse served = get("/api/openapi.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, doc);
}

TEST_F(HttpOpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteIsServed) {
  json doc = load_document();
  auto documented = documented_routes(doc);
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& r : server_->routes()) served.insert(r);
  for (const auto& r : served)
    EXPECT_TRUE(documented.count(r))
        << r.first << " " << r.second << " is not in docs/openapi.json";
  for (const auto& r : documented)
    EXPECT_TRUE(served.count(r)) << r.first << " " << r.second << " is documented but not served";
  EXPECT_GE(served.size(), 10u);
}

TEST_F(HttpOpenApiTest, EveryOperationHasAnExampleAndEveryPathParameterIsDeclared) {
  json doc = load_document();
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      const std::string where = upper(method) + " " + path;
      EXPECT_TRUE(op.contains("summary")) << where;
      bool has_example = false;
      for (const auto& [status, response] : op["responses"].items()) {
        if (status == "204" && !response.contains("content")) has_example = true;  // nothing to show
        const json contents = response.value("content", json::object());  // outlives the loop
        if (status.front() == '2')
          for (const auto& [type, content] : contents.items())
            // A file download (an .xlsx export) is bytes: the schema says so, no example can.
            has_example = has_example || content.contains("example") ||
                          content.value(json::json_pointer("/schema/format"), std::string()) == "binary";
      }
      EXPECT_TRUE(has_example) << where << " has no success example";
      if (op.contains("requestBody")) {
        // A file upload (a ledger import) documents its example under its own type.
        bool body_example = false;
        for (const auto& [type, content] : op["requestBody"]["content"].items())
          body_example = body_example || content.contains("example");
        EXPECT_TRUE(body_example) << where << " body example";
      }
      std::set<std::string> declared;
      for (const json& p : op.value("parameters", json::array())) {
        const json& param = p.contains("$ref")
                                ? doc.at(json::json_pointer(p["$ref"].get<std::string>().substr(1)))
                                : p;
        if (param["in"] == "path") declared.insert(param["name"]);
      }
      for (size_t open = path.find('{'); open != std::string::npos;
           open = path.find('{', open + 1)) {
        std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
        EXPECT_TRUE(declared.count(name)) << where << " does not declare path parameter " << name;
      }
    }
  }
}

// Sends each documented request (the body is the document's own example) and
// checks the real response against the documented success schema.
TEST_F(HttpOpenApiTest, RealResponsesCarryTheRequiredPropertiesOfTheirSchemas) {
  json doc = load_document();
  SchemaChecker checker(doc);
  // The order matters: units first (the incident example lies inside the
  // example station), then an incident for the {id} routes.
  const std::vector<std::pair<std::string, std::string>> order = {
      {"GET", "/api/health"},
      {"POST", "/api/admin/reload-config"},
      {"POST", "/api/units"},
      {"GET", "/api/units"},
      // Sign-in: the example's user is made first (auth routes need a unit).
      {"POST", "/api/auth/login"},
      {"POST", "/api/auth/password"},
      {"GET", "/api/auth/me"},
      {"POST", "/api/users"},
      {"GET", "/api/users"},
      {"POST", "/api/incidents"},
      // The registry's cameras (issue 21): the example camera, then the map
      // layer and the call-ups around a point and around the incident.
      {"POST", "/api/cameras"},
      {"GET", "/api/cameras"},
      {"GET", "/api/cameras/nearest"},
      {"GET", "/api/incidents/{id}/cameras"},
      {"POST", "/api/places"},
      {"GET", "/api/places"},
      {"GET", "/api/incidents"},
      {"GET", "/api/incidents/export.xlsx"},
      {"GET", "/api/incidents/{id}"},
      {"POST", "/api/incidents/{id}/transition"},
      {"GET", "/api/incidents/{id}/events"},
      {"GET", "/api/incidents/{id}/duplicates"},
      // Dispatch: units and positions, then the incident's recommendation,
      // its dispatch, the unit's arrival, clearing and going off duty.
      {"POST", "/api/patrol-units"},
      // Posts and shifts need the example's station and patrol unit.
      {"POST", "/api/posts"},
      {"GET", "/api/posts"},
      {"POST", "/api/shifts"},
      {"GET", "/api/shifts"},
      {"GET", "/api/stats/patrol"},
      {"POST", "/api/positions"},
      {"GET", "/api/patrol-units"},
      {"GET", "/api/patrol-units/{call_sign}"},
      {"GET", "/api/patrol-units/{call_sign}/track"},
      {"GET", "/api/incidents/{id}/recommendation"},
      {"POST", "/api/incidents/{id}/dispatch"},
      {"POST", "/api/patrol-units/{call_sign}/arrive"},
      {"POST", "/api/patrol-units/{call_sign}/clear"},
      {"POST", "/api/patrol-units/{call_sign}/duty"},
      {"GET", "/api/taxonomy"},
      {"GET", "/api/openapi.json"},
      {"GET", "/api/stats/rising"},
      {"GET", "/api/hotspots"},
      {"GET", "/api/forecast"},
      {"GET", "/api/patrol/suggestions"},
      {"GET", "/api/stats"},
      {"GET", "/api/stats/overview"},
      // The same two answers as workbooks (issue 22).
      {"GET", "/api/stats/export.xlsx"},
      {"GET", "/api/stats/overview/export.xlsx"},
      {"GET", "/api/stats/response"},
      {"POST", "/api/incidents/{id}/reveal"},
      {"GET", "/api/audit"},
      {"POST", "/api/incidents/{id}/merge"},
      // Cases (issue 20): a case of the example station linking incident 1,
      // its suspect (person 1) and measure, money, a step; a listing of
      // another person (person 2) for case 1, checked before it is caught; a
      // dissuasion task.
      {"POST", "/api/cases"},
      {"GET", "/api/cases"},
      {"GET", "/api/cases/export.xlsx"},
      {"POST", "/api/cases/{id}/parties"},
      {"POST", "/api/cases/{id}/measures"},
      {"POST", "/api/cases/{id}/money"},
      {"GET", "/api/cases/{id}"},
      {"POST", "/api/cases/{id}/steps"},
      {"GET", "/api/cases/{id}/history"},
      {"POST", "/api/fugitives"},
      {"GET", "/api/fugitives/{id}"},
      {"POST", "/api/fugitives/check"},
      {"POST", "/api/fugitives/{id}/steps"},
      {"GET", "/api/fugitives/{id}/history"},
      {"POST", "/api/dissuasions"},
      {"GET", "/api/dissuasions/{id}"},
      {"POST", "/api/dissuasions/{id}/steps"},
      {"GET", "/api/dissuasions/{id}/history"},
      // The figures of the cases above (a figure by name needs its name).
      {"GET", "/api/case-figures"},
      {"GET", "/api/case-figures/catalogue"},
      {"GET", "/api/case-figures/records"},
      // The registry's people (issue 21), after the cases: the cases' example
      // names person 1, the first person stored.
      {"POST", "/api/enterprises"},
      {"GET", "/api/enterprises"},
      {"POST", "/api/rental-houses"},
      {"GET", "/api/rental-houses"},
      {"POST", "/api/residents"},
      {"GET", "/api/residents"},
      // The ledgers (issue 21): the example dispute opened in the example
      // station, listed, read and assigned, by a station officer there (a
      // type's who_may_create and steps[].who name roles, not the tester's).
      {"GET", "/api/ledger-types"},
      {"POST", "/api/ledgers/{type}"},
      {"GET", "/api/ledgers/{type}"},
      {"GET", "/api/ledger-items/{id}"},
      {"POST", "/api/ledger-items/{id}/steps"},
      {"GET", "/api/ledger-items/{id}/reconciliation"},  // a rental-house check of the example station (issue 21)
      {"POST", "/api/ledgers/{type}/import"},
      // A registry list from a CSV file (issue 21), by the same station officer.
      {"POST", "/api/registry/{kind}/import"},
      {"GET", "/api/ledgers/{type}/export.xlsx"},
      {"GET", "/api/ledger-figures"},
      {"GET", "/api/ledger-figures/catalogue"},
      {"GET", "/api/ledger-notices"},
      // A bulletin of the example station over the records above (issue 22).
      {"GET", "/api/bulletins"},
      {"POST", "/api/auth/logout"}};
  EXPECT_EQ(std::set(order.begin(), order.end()), documented_routes(doc, /*json_only=*/true))
      << "a documented route has no request in this test";
  std::string id = "0";
  // The id {id} stands for outside incidents: the record the route's
  // collection ("/api/cases") created last.
  std::map<std::string, std::string> created;
  // A station officer of the example station, made once the units are (the ledger routes).
  auto station = anonymous_client();
  bool station_signed_in = false;
  for (const auto& [method, path] : order) {
    const json& op = doc["paths"][path][method == "GET" ? "get" : "post"];
    std::string url = path;
    if (auto pos = url.find("{call_sign}"); pos != std::string::npos) url.replace(pos, 11, "JN-S01-P01");
    std::string path_id = id;
    if (auto brace = path.find("/{id}"); brace != std::string::npos && path.rfind("/api/incidents/", 0) != 0)
      path_id = created[path.substr(0, brace)];
    if (path == "/api/incidents/{id}/merge") {
      // The example merges a second call into the first incident (id 1 of this fresh database).
      JsonResponse second = post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 36.6512}, {"lon", 117.1201}}}});
      ASSERT_EQ(second.status, 201) << second.raw;
      ASSERT_EQ(id, "1");
      path_id = std::to_string(second.body["id"].get<std::int64_t>());
    }
    if (path == "/api/ledger-items/{id}/reconciliation") path_id = seed_visit_item(*engine_, "JN-S01", "R-OPENAPI");
    if (auto pos = url.find("{id}"); pos != std::string::npos) url.replace(pos, 4, path_id);
    if (auto pos = url.find("{type}"); pos != std::string::npos) url.replace(pos, 6, "dispute");
    if (auto pos = url.find("{kind}"); pos != std::string::npos) url.replace(pos, 6, "places");
    const bool ledger = path.rfind("/api/ledger", 0) == 0;
    if (ledger && !station_signed_in) {
      ASSERT_TRUE(authority_->add_user({"ledger.s01", "民警", "JN-S01", "station"}, "test").ok());
      auto token = authority_->issue_token("ledger.s01", "openapi", {}, "test");
      ASSERT_TRUE(token.ok()) << token.error().describe();
      station->set_bearer_token_auth(token->secret);
      station_signed_in = true;
    }
    JsonResponse r;
    if (path == "/api/auth/login") {
      const json& example = op["requestBody"]["content"]["application/json"]["example"];
      auto made = authority_->add_user({example["username"], "张伟", "JN-S01", "command"}, "test");
      ASSERT_TRUE(made.ok()) << made.error().describe();
      ASSERT_TRUE(authority_->set_password(example["username"], example["password"], false, "test").ok());
    }
    if (path == "/api/auth/password") {
      // A session's own route (a token has no password): signed in by cookie.
      const json& example = op["requestBody"]["content"]["application/json"]["example"];
      auto login = anonymous_client()->Post(
          "/api/auth/login", json{{"username", "zhang.wei"}, {"password", example["old_password"]}}.dump(),
          "application/json");
      ASSERT_TRUE(login && login->status == 200);
      const std::string cookie = login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));
      const std::string csrf = json::parse(login->body)["csrf_token"];
      r = to_json_response(anonymous_client()->Post(url.c_str(), {{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                                                     example.dump(), "application/json"));
      EXPECT_EQ(r.status, 204) << r.raw;
      continue;
    }
    if (path == "/api/case-figures") url += "?name=cases_opened&from=2020-01-01&to=2030-01-01&rank=true";
    if (path == "/api/case-figures/records") url += "?name=cases_opened&from=2020-01-01&to=2030-01-01";
    if (path == "/api/cameras/nearest") url += "?lat=36.6512&lon=117.1201";
    if (path == "/api/ledger-figures") url += "?type=dispute&name=rate&from=2020-01-01&to=2030-01-01&rank=true";
    if (path == "/api/bulletins") url += "?unit=JN-S01&from=2020-01-01&to=2030-01-01";
    if (method == "GET") {
      r = ledger ? to_json_response(station->Get(url.c_str())) : get(url);
    } else {
      ASSERT_TRUE(op.contains("requestBody")) << path;
      const json& content = op["requestBody"]["content"];
      if (content.contains("text/csv")) {  // a file upload: the example is the file's text
        const std::string file = content["text/csv"]["example"].get<std::string>();
        r = to_json_response(station->Post(url.c_str(), file, "text/csv"));
      } else {
        const json& example = content["application/json"]["example"];
        r = ledger ? to_json_response(station->Post(url.c_str(), example.dump(), "application/json"))
                   : post(url, example);
      }
    }
    std::string success;
    for (const auto& [status, response] : op["responses"].items())
      if (status.front() == '2') success = status;
    ASSERT_EQ(std::to_string(r.status), success) << method << " " << url << ": " << r.raw;
    if (success == "204") continue;  // no body to check
    if (!op["responses"][success]["content"].contains("application/json")) {
      // A file download: served with the documented type, and a workbook is a zip.
      const auto& documented = op["responses"][success]["content"];
      const std::string media_type = r.content_type.substr(0, r.content_type.find(';'));
      EXPECT_TRUE(documented.contains(media_type)) << method << " " << path << " served " << r.content_type;
      if (r.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
        EXPECT_EQ(r.raw.substr(0, 4), std::string("PK\x03\x04", 4)) << method << " " << path;
      }
      continue;
    }
    const json& content = op["responses"][success]["content"]["application/json"];
    std::vector<std::string> problems;
    checker.check(content["schema"], r.body, "$", problems);
    EXPECT_TRUE(problems.empty()) << method << " " << path << ":\n"
                                  << fmt::format("{}", fmt::join(problems, "\n"));
    // The example must itself satisfy the schema it illustrates.
    std::vector<std::string> example_problems;
    checker.check(content["schema"], content["example"], "example", example_problems);
    EXPECT_TRUE(example_problems.empty()) << method << " " << path << " example:\n"
                                          << fmt::format("{}", fmt::join(example_problems, "\n"));
    if (method == "POST" && path == "/api/incidents")
      id = std::to_string(r.body["id"].get<std::int64_t>());
    if (method == "POST" && (path == "/api/cases" || path == "/api/fugitives" || path == "/api/dissuasions"))
      created[path] = std::to_string(r.body["id"].get<std::int64_t>());
    if (method == "POST" && path == "/api/ledgers/{type}")
      created["/api/ledger-items"] = std::to_string(r.body["id"].get<std::int64_t>());
  }
  // With geometry the unit boundaries also follow the schema.
  JsonResponse units = get("/api/units?geometry=1");
  std::vector<std::string> problems;
  checker.check(doc["paths"]["/api/units"]["get"]["responses"]["200"]["content"]["application/json"]
                   ["schema"],
                units.body, "$", problems);
  EXPECT_TRUE(problems.empty()) << fmt::format("{}", fmt::join(problems, "\n"));
}

TEST_F(HttpOpenApiTest, ErrorResponsesFollowTheErrorSchema) {
  json doc = load_document();
  SchemaChecker checker(doc);
  for (const auto& r :
       {get("/api/incidents/999"), get("/api/nowhere"), post("/api/incidents", std::string("{")),
        post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 95}, {"lon", 1}}}})}) {
    std::vector<std::string> problems;
    checker.check(doc["components"]["schemas"]["Error"], r.body, "$", problems);
    EXPECT_TRUE(problems.empty()) << r.raw << "\n" << fmt::format("{}", fmt::join(problems, "\n"));
  }
}

TEST_F(HttpOpenApiTest, CheckerCatchesMissingPropertiesAndWrongTypes) {
  // The checker must be able to fail, or the tests above prove nothing.
  json doc = load_document();
  SchemaChecker checker(doc);
  json health = {{"status", "ok"},
                 {"version", "1"},
                 {"schema_version", "one"},
                 {"time_zone", "Asia/Shanghai"}};
  std::vector<std::string> problems;
  checker.check(json{{"$ref", "#/components/schemas/Health"}}, health, "$", problems);
  ASSERT_EQ(problems.size(), 2u) << fmt::format("{}", fmt::join(problems, "\n"));
  EXPECT_NE(problems[0].find("incidents"), std::string::npos);
  EXPECT_NE(problems[1].find("schema_version"), std::string::npos);
  problems.clear();
  checker.check(json{{"$ref", "#/components/schemas/Incident"}}, json{{"status", "lost"}}, "$",
                problems);
  EXPECT_GT(problems.size(), 10u);
}

}  // namespace
}  // namespace pingan::testing
