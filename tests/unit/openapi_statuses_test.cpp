// docs/openapi.json lists every status a route gives (issue 16). Each route
// the server serves is called with what a client gets wrong — a malformed or
// unknown path parameter, an unknown query parameter, a malformed, empty or
// mistyped body, strings far over their limits — and every status answered
// must be one the document lists for that route; none may be a 500. And every
// string a request body may carry states its maxLength, so a new field
// without a limit fails here. The routes come from the server itself, so a new
// route is covered without an edit.
//
// Statuses of the connection layer (408, 413, 414, 431, 503 when the server
// is full) are the server's, listed once in docs/api.md, not probed here.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <set>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

json load_document() {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/docs/openapi.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const json& resolve(const json& doc, const json& schema) {
  if (!schema.is_object() || !schema.contains("$ref")) return schema;
  return doc.at(json::json_pointer(schema["$ref"].get<std::string>().substr(1)));
}

// Every string schema reachable from `schema` (through $ref, allOf, oneOf,
// anyOf, properties, items, additionalProperties) that states no maxLength,
// or one shorter than a value of its own enum; one line each, naming the path.
void find_unlimited_strings(const json& doc, const json& schema, const std::string& path,
                            std::vector<std::string>& problems, int depth = 0) {
  ASSERT_LT(depth, 32) << path << ": the schema nests too deeply (a $ref cycle?)";
  const json& s = resolve(doc, schema);
  if (!s.is_object()) return;
  for (const char* key : {"allOf", "oneOf", "anyOf"})
    if (s.contains(key))
      for (std::size_t i = 0; i < s[key].size(); ++i)
        find_unlimited_strings(doc, s[key][i], fmt::format("{}/{}[{}]", path, key, i), problems, depth + 1);
  if (s.value("type", "") == "string") {
    if (!s.contains("maxLength")) {
      problems.push_back(path + ": a string without maxLength");
    } else if (s.contains("enum")) {
      for (const json& v : s["enum"])
        if (v.is_string() && v.get<std::string>().size() > s["maxLength"].get<std::size_t>())
          problems.push_back(fmt::format("{}: maxLength {} is shorter than its value '{}'", path,
                                         s["maxLength"].get<std::size_t>(), v.get<std::string>()));
    }
  }
  if (s.contains("properties"))
    for (const auto& [key, sub] : s["properties"].items())
      find_unlimited_strings(doc, sub, path + "." + key, problems, depth + 1);
  if (s.contains("items")) find_unlimited_strings(doc, s["items"], path + "[]", problems, depth + 1);
  if (s.contains("additionalProperties") && s["additionalProperties"].is_object())
    find_unlimited_strings(doc, s["additionalProperties"], path + ".*", problems, depth + 1);
}

std::vector<std::string> unlimited_request_strings(const json& doc) {
  std::vector<std::string> problems;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      if (op.is_object() && op.contains("requestBody"))
        for (const auto& [type, content] : op["requestBody"]["content"].items())
          find_unlimited_strings(doc, content["schema"], fmt::format("{} {} {}", method, path, type), problems);
  return problems;
}

TEST(OpenApiLimits, EveryStringOfEveryRequestBodyHasAMaxLength) {
  const json doc = load_document();
  ASSERT_TRUE(doc.is_object());
  std::vector<std::string> problems = unlimited_request_strings(doc);
  EXPECT_TRUE(problems.empty()) << fmt::format("{}", fmt::join(problems, "\n"));
}

TEST(OpenApiLimits, TheCheckFindsAStringWithoutALimitHoweverDeep) {
  // The check must be able to fail, or the test above proves nothing.
  const json doc = json::parse(R"({
    "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {"schema":
      {"oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                 {"type": "object", "properties": {"kind": {"type": "string", "enum": ["short", "longer"], "maxLength": 5}}}]}}}}}}},
    "components": {"schemas": {"Item": {"type": "object", "properties": {
      "code": {"type": "string", "maxLength": 64},
      "tags": {"type": "array", "items": {"type": "string"}}}}}}})");
  std::vector<std::string> problems = unlimited_request_strings(doc);
  ASSERT_EQ(problems.size(), 2u) << fmt::format("{}", fmt::join(problems, "\n"));
  EXPECT_NE(problems[0].find(".tags[]"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("'longer'"), std::string::npos) << problems[1];
}

// A copy of `value` with every string replaced by 5000 characters.
json with_long_strings(const json& value) {
  if (value.is_string()) return std::string(5000, 'x');
  json out = value;
  if (value.is_object() || value.is_array())
    for (auto it = out.begin(); it != out.end(); ++it) *it = with_long_strings(*it);
  return out;
}

class OpenApiStatusesTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
    JsonResponse created =
        post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 36.62}, {"lon", 117.12}}}});
    ASSERT_EQ(created.status, 201) << created.raw;
    id_ = std::to_string(created.body["id"].get<std::int64_t>());
    JsonResponse unit = post("/api/patrol-units", json::parse(R"([{"call_sign":"P1","kind":"car","station":"JN-S01","status":"available"}])"));
    ASSERT_EQ(unit.status, 200) << unit.raw;
  }

  // The values a path parameter is probed with: a real one, malformed ones
  // and one that names nothing.
  std::vector<std::string> path_values(const std::string& path) const {
    if (path.find("{id}") != std::string::npos) return {id_, "abc", "0", "-1", "1.5", "99999999999999999999", "424242"};
    if (path.find("{call_sign}") != std::string::npos) return {"P1", "NOPE", "%E8%A5%BF", "%01"};
    return {""};
  }

  static std::string fill(std::string path, const std::string& value) {
    for (const std::string name : {"{id}", "{call_sign}"})
      if (auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
    return path;
  }

  // Calls the route with every probe; one line per answer that `doc` does not
  // list for the route, or that is a 500 (bad input is never an internal error).
  std::vector<std::string> probe(const json& doc, const std::string& method, const std::string& path,
                                 int* probes) const {
    const json& op = doc["paths"][path][lower(method)];
    std::vector<std::pair<std::string, JsonResponse>> answers;
    if (path == "/api/stream") {
      // A stream that opened would not end: only requests it refuses.
      answers.emplace_back("?bogus=1", get(path + "?bogus=1"));
      answers.emplace_back("?unit=NOPE", get(path + "?unit=NOPE"));
    } else {
      for (const std::string& value : path_values(path)) {
        const std::string url = fill(path, value);
        if (method == "GET") {
          for (const std::string query : {"", "?bogus=1", "?unit=NOPE"}) answers.emplace_back(url + query, get(url + query));
          continue;
        }
        std::vector<std::string> bodies = {"", "{", "[]", "{}", "null", "42", "\"x\"", R"({"bogus":1})",
                                           R"([{"bogus":1}])", "[1]", R"({"a":1e999})"};
        // A file upload (a ledger import) takes the malformed bodies above as
        // its file; only a JSON body has an example to stretch.
        const json& contents = op["requestBody"]["content"];
        if (contents.contains("application/json") && contents["application/json"].contains("example")) {
          const json& example = contents["application/json"]["example"];
          bodies.push_back(example.dump());
          bodies.push_back(with_long_strings(example).dump());
        }
        for (const std::string& body : bodies) answers.emplace_back(url + " " + body.substr(0, 60), post(url, body));
      }
    }
    std::set<std::string> listed;
    for (const auto& [status, response] : op["responses"].items()) listed.insert(status);
    std::vector<std::string> problems;
    for (const auto& [what, r] : answers) {
      ++*probes;
      if (r.status != 0 && r.status != 500 && listed.count(std::to_string(r.status))) continue;
      problems.push_back(fmt::format("{} {}: answered {} ({}); {} {} documents {}", method, what, r.status,
                                     r.raw.substr(0, 200), method, path, fmt::join(listed, ", ")));
    }
    return problems;
  }

  const json doc_ = load_document();
  std::string id_;
};

TEST_F(OpenApiStatusesTest, EveryStatusARouteAnswersIsDocumentedForIt) {
  int probes = 0;
  for (const auto& [method, path] : server_->routes()) {
    ASSERT_TRUE(doc_["paths"].contains(path) && doc_["paths"][path].contains(lower(method)))
        << method << " " << path << " is not in docs/openapi.json";
    std::vector<std::string> problems = probe(doc_, method, path, &probes);
    EXPECT_TRUE(problems.empty()) << fmt::format("{}", fmt::join(problems, "\n"));
  }
  EXPECT_GE(probes, 300);
}

TEST_F(OpenApiStatusesTest, AStatusMissingFromTheDocumentIsFound) {
  // The probes must be able to fail, or the test above proves nothing: the
  // 400 of a malformed id, struck from a copy of the document, is missed.
  json doc = doc_;
  doc["paths"]["/api/incidents/{id}/duplicates"]["get"]["responses"].erase("400");
  int probes = 0;
  std::vector<std::string> problems = probe(doc, "GET", "/api/incidents/{id}/duplicates", &probes);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems.front().find("answered 400"), std::string::npos) << problems.front();
  EXPECT_TRUE(probe(doc_, "GET", "/api/incidents/{id}/duplicates", &probes).empty());
}

}  // namespace
}  // namespace pingan::testing
