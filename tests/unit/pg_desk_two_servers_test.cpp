// Two `pingan serve` processes on one PostgreSQL database share the
// dispatch desk (issue 19): a unit registered and dispatched through A is
// en route in B's list of units and on B's live stream within a second,
// and B refuses to send it again with a 409 naming it.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server_process.h"
#include "stream_reader.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::pair<int, json> post_json(int port, const std::string& token, const std::string& path, const json& body) {
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  c.set_read_timeout(10);
  auto r = c.Post(path.c_str(), body.dump(), "application/json");
  if (!r) return {0, nullptr};
  return {r->status, json::parse(r->body, nullptr, false)};
}

template <typename Done>
std::chrono::milliseconds wait_until(Done done, std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  while (!done() && Clock::now() - start < limit) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// The unit as B lists it (GET /api/patrol-units), or null.
json listed(int port, const std::string& token, const std::string& call_sign) {
  json list = get_json(port, token, "/api/patrol-units");
  if (!list.is_object()) return nullptr;
  for (const json& u : list["items"])
    if (u["call_sign"] == call_sign) return u;
  return nullptr;
}

TEST(PostgresDeskTwoServers, AUnitDispatchedThroughOneIsEnRouteThroughTheOther) {
  TempDir dir;
  const std::string url = pg_test_schema_url(dir.file("desk-two-servers"));
  ASSERT_FALSE(url.empty());
  const std::string token = issue_tester_token(url, dir.file("cli.log"));
  ASSERT_FALSE(token.empty()) << read_log_file(dir.file("cli.log"));
  std::ofstream(dir.file("units.geojson")) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"JN","name":"济南市公安局","kind":"bureau"},"geometry":null},
    {"type":"Feature","properties":{"code":"JN-S01","name":"泉城路派出所","kind":"station","parent":"JN"},
     "geometry":{"type":"Polygon",
                 "coordinates":[[[117.10,36.60],[117.20,36.60],[117.20,36.70],[117.10,36.70],[117.10,36.60]]]}}
  ]})";
  ASSERT_EQ(run_pingan({"import", "units", dir.file("units.geojson"), "--db", url}, dir.file("import.out"),
                       dir.file("import.log")),
            0)
      << read_log_file(dir.file("import.log"));

  const int port_a = free_port(), port_b = free_port();
  ServerProcess a(url, port_a, dir.file("a.log"));
  ServerProcess b(url, port_b, dir.file("b.log"));
  ASSERT_TRUE(a.wait_healthy()) << read_log_file(dir.file("a.log"));
  ASSERT_TRUE(b.wait_healthy()) << read_log_file(dir.file("b.log"));
  StreamReader stream_b(port_b, "/api/stream", token);
  ASSERT_TRUE(stream_b.wait_for(": connected", 5s));

  // A unit registered through A joins B's desk.
  auto [added, added_body] = post_json(port_a, token, "/api/patrol-units",
                                       json::parse(R"([{"call_sign":"泉城-巡1","kind":"car","station":"JN-S01",
                                                        "status":"available"}])"));
  ASSERT_EQ(added, 200) << added_body.dump();
  auto waited = wait_until([&] { return listed(port_b, token, "泉城-巡1").is_object(); }, 5000ms);
  ASSERT_TRUE(listed(port_b, token, "泉城-巡1").is_object()) << read_log_file(dir.file("b.log"));
  EXPECT_LT(waited.count(), 1000) << "B listed A's new unit after " << waited.count() << " ms";

  auto [created, incident] = post_json(port_a, token, "/api/incidents",
                                       {{"type", "theft"}, {"location", {{"lat", 36.65}, {"lon", 117.15}}},
                                        {"description", "电动车被盗"}});
  ASSERT_EQ(created, 201) << incident.dump();
  const std::int64_t id = incident["id"];
  auto [sent, sent_body] =
      post_json(port_a, token, fmt::format("/api/incidents/{}/dispatch", id), {{"units", {"泉城-巡1"}}});
  ASSERT_EQ(sent, 200) << sent_body.dump();
  const auto dispatched = Clock::now();

  waited = wait_until([&] {
    json u = listed(port_b, token, "泉城-巡1");
    return u.is_object() && u["status"] == "en_route";
  }, 5000ms);
  std::cout << "B listed the unit en route " << waited.count() << " ms after A's dispatch\n";
  const json on_b = listed(port_b, token, "泉城-巡1");
  ASSERT_TRUE(on_b.is_object());
  EXPECT_EQ(on_b["status"], "en_route") << on_b.dump();
  EXPECT_EQ(on_b["assignment"], id) << on_b.dump();
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - dispatched).count(), 1000);
  EXPECT_TRUE(stream_b.wait_for("\"status\":\"en_route\"", 1s)) << stream_b.text();

  // Sent again through B: refused, naming the unit; A's dispatch stands.
  auto [again, again_body] = post_json(port_a, token, "/api/incidents",
                                       {{"type", "theft"}, {"location", {{"lat", 36.66}, {"lon", 117.16}}},
                                        {"description", "又一起"}});
  ASSERT_EQ(again, 201) << again_body.dump();
  auto [refused, refused_body] = post_json(port_b, token, fmt::format("/api/incidents/{}/dispatch",
                                                                      again_body["id"].get<std::int64_t>()),
                                           {{"units", {"泉城-巡1"}}});
  EXPECT_EQ(refused, 409) << refused_body.dump();
  EXPECT_NE(refused_body.dump().find("泉城-巡1"), std::string::npos) << refused_body.dump();
  json on_a = get_json(port_a, token, "/api/patrol-units/%E6%B3%89%E5%9F%8E-%E5%B7%A11");
  ASSERT_TRUE(on_a.is_object());
  EXPECT_EQ(on_a["assignment"], id) << on_a.dump();
}

}  // namespace
}  // namespace pingan::testing
