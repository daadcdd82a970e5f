// Every operation of docs/openapi.json names the one permission it needs
// (x-pingan-permission, issue 17): a permission of data/auth/roles.json, or
// "public" (no sign-in) or "session" (any signed-in user). Its security
// requirement says the same: none for a public route; a session cookie or an
// API token otherwise, with the CSRF header beside the cookie on a write; and
// a route that needs sign-in documents 401, and 403 unless any signed-in user
// may read it. A new operation without a declaration, or one naming a
// permission the role file does not define, fails here before the permission
// matrix of the HTTP tests is even asked.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace pingan::testing {
namespace {

using nlohmann::json;

json load(const std::string& relative) {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/" + relative);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The permissions data/auth/roles.json defines (the keys of its "permissions").
std::set<std::string> known_permissions(const json& roles) {
  std::set<std::string> out;
  const json permissions = roles.value("permissions", json::object());
  for (const auto& [name, meaning] : permissions.items()) out.insert(name);
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool has_scheme(const json& requirement, const char* scheme) {
  return requirement.is_object() && requirement.contains(scheme);
}

// One line per operation whose declaration is missing or does not hold,
// naming the operation and what is wrong.
std::vector<std::string> permission_problems(const json& doc, const std::set<std::string>& known) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};
  const json schemes = doc.value(json::json_pointer("/components/securitySchemes"), json::object());
  std::vector<std::string> problems;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, op] : item.items()) {
      if (!kMethods.count(method)) continue;
      const std::string where = upper(method) + " " + path;
      if (!op.contains("x-pingan-permission") || !op["x-pingan-permission"].is_string()) {
        problems.push_back(where + ": no x-pingan-permission");
        continue;
      }
      const std::string permission = op["x-pingan-permission"];
      const bool is_public = permission == "public";
      if (!is_public && permission != "session" && !known.count(permission)) {
        problems.push_back(fmt::format("{}: x-pingan-permission '{}' is not a permission of data/auth/roles.json "
                                       "(nor public or session)",
                                       where, permission));
        continue;
      }
      if (!op.contains("security") || !op["security"].is_array()) {
        problems.push_back(where + ": no security requirement");
        continue;
      }
      const json& security = op["security"];
      if (is_public) {
        if (!security.empty()) problems.push_back(where + ": public, but its security asks for sign-in");
        continue;
      }
      if (security.empty()) problems.push_back(fmt::format("{}: needs {}, but its security is empty", where, permission));
      for (const json& requirement : security) {
        for (const auto& [scheme, scopes] : requirement.items())
          if (!schemes.contains(scheme))
            problems.push_back(fmt::format("{}: security scheme '{}' is not declared", where, scheme));
        if (method != "get" && has_scheme(requirement, "session") && !has_scheme(requirement, "csrf"))
          problems.push_back(where + ": a write signed in by the session cookie without the csrf requirement");
      }
      // 401: not signed in. 403: the permission is missing, or a write's CSRF
      // token; a read any signed-in user may make (GET /api/auth/me) has none.
      const json responses = op.value("responses", json::object());
      if (!responses.contains("401")) problems.push_back(where + ": needs sign-in but does not document 401");
      if (!responses.contains("403") && (permission != "session" || method != "get"))
        problems.push_back(where + ": needs a permission or a CSRF token but does not document 403");
    }
  }
  return problems;
}

TEST(OpenApiPermissions, EveryOperationNamesAKnownPermissionAndASecurityToMatch) {
  const json doc = load("docs/openapi.json");
  const json roles = load("data/auth/roles.json");
  ASSERT_TRUE(doc.is_object()) << "docs/openapi.json missing or not JSON";
  ASSERT_TRUE(roles.is_object()) << "data/auth/roles.json missing or not JSON";
  const std::set<std::string> known = known_permissions(roles);
  ASSERT_GE(known.size(), 10u);
  std::vector<std::string> problems = permission_problems(doc, known);
  EXPECT_TRUE(problems.empty()) << fmt::format("{}", fmt::join(problems, "\n"));
}

TEST(OpenApiPermissions, TheCheckFindsEachKindOfWrongDeclaration) {
  // The check must be able to fail, or the test above proves nothing: each
  // change to a copy of the real document is one problem, named.
  json doc = load("docs/openapi.json");
  ASSERT_TRUE(doc.is_object());
  const std::set<std::string> known = known_permissions(load("data/auth/roles.json"));
  json& paths = doc["paths"];
  paths["/api/incidents"]["get"].erase("x-pingan-permission");
  paths["/api/units"]["post"]["x-pingan-permission"] = "units.delete";
  paths["/api/health"]["get"]["security"] = json::parse(R"([{"session": []}])");
  paths["/api/taxonomy"]["get"]["security"] = json::array();
  paths["/api/units"]["get"]["responses"].erase("403");
  paths["/api/positions"]["post"]["security"] = json::parse(R"([{"session": []}, {"token": []}])");
  paths["/api/stream"]["get"]["security"] = json::parse(R"([{"apikey": []}])");
  std::vector<std::string> problems = permission_problems(doc, known);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"GET /api/incidents:", "no x-pingan-permission"},
      {"POST /api/units:", "'units.delete' is not a permission"},
      {"GET /api/health:", "public, but its security asks for sign-in"},
      {"GET /api/taxonomy:", "its security is empty"},
      {"GET /api/units:", "does not document 403"},
      {"POST /api/positions:", "without the csrf requirement"},
      {"GET /api/stream:", "scheme 'apikey' is not declared"}};
  ASSERT_EQ(problems.size(), expected.size()) << fmt::format("{}", fmt::join(problems, "\n"));
  for (const auto& [where, what] : expected) {
    bool found = false;
    for (const std::string& p : problems) found = found || (p.starts_with(where) && p.find(what) != std::string::npos);
    EXPECT_TRUE(found) << where << " " << what << " not reported; got:\n" << fmt::format("{}", fmt::join(problems, "\n"));
  }
}

}  // namespace
}  // namespace pingan::testing
