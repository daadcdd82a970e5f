// Every GET route refuses a query parameter it does not know (issue 16's
// list): a typo must not silently widen or change an answer. The routes are
// taken from the server itself, so a new route is covered without an edit.

#include <gtest/gtest.h>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

class UnknownParamsTest : public HttpServerTest {};

TEST_F(UnknownParamsTest, EveryGetRouteRefusesAnUnknownParameterNamingIt) {
  load_units();
  JsonResponse created = post("/api/incidents", json{{"type", "theft"}, {"location", {{"lat", 36.62}, {"lon", 117.12}}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = std::to_string(created.body["id"].get<std::int64_t>());
  ASSERT_EQ(post("/api/patrol-units", json::parse(R"([{"call_sign":"P1","kind":"car","station":"JN-S01"}])")).status,
            200);
  int checked = 0;
  for (const auto& [method, path] : server_->routes()) {
    if (method != "GET" || path == "/api/stream") continue;  // the stream is not a JSON route
    std::string url = path;
    if (auto at = url.find("{id}"); at != std::string::npos) url.replace(at, 4, id);
    if (auto at = url.find("{call_sign}"); at != std::string::npos) url.replace(at, 11, "P1");
    JsonResponse r = get(url + "?bogus=1");
    EXPECT_EQ(r.status, 400) << url << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], "bogus") << url << ": " << r.raw;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST_F(UnknownParamsTest, AnUnknownPostKindIsRefused) {
  JsonResponse r = get("/api/posts?kind=bogus");
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["field"], "kind");
  EXPECT_EQ(get("/api/posts?kind=night").status, 200);
}

}  // namespace
}  // namespace pingan::testing
