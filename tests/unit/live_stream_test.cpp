// GET /api/stream: server-sent events of incidents and patrol units, filtered
// by the client's unit scope, with heartbeats; and the hub's bounded queue
// that sheds old unit events from a slow client without blocking writers.

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "dispatch/dispatch_service.h"
#include "http/live_hub.h"
#include "http_test_support.h"
#include "stream_reader.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

using namespace std::chrono_literals;

// The JSON of the first `event: <name>` in an SSE text, or null.
nlohmann::json first_event(const std::string& text, const std::string& name) {
  const std::string head = "event: " + name + "\n";
  auto at = text.find(head);
  if (at == std::string::npos) return nullptr;
  auto data = text.find("data: ", at);
  auto end = text.find('\n', data);
  return nlohmann::json::parse(text.substr(data + 6, end - data - 6), nullptr, false);
}

class LiveStreamTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& config) override { config.stream_heartbeat_s = 1; }
  void add_extra_routes(HttpServer& server) override {
    auto desk = dispatch::DispatchService::open(*engine_, dispatch::DispatchConfig{},
                                                dispatch::RunCards::from_cards({}));
    ASSERT_TRUE(desk.ok()) << desk.error().describe();
    desk_ = std::move(desk).value();
    server.use_dispatch(desk_.get());
  }
  std::unique_ptr<dispatch::DispatchService> desk_;
};

TEST_F(LiveStreamTest, ClientReceivesIncidentAndUnitEventsOfItsScopeOnly) {
  load_units();
  PatrolUnit car;
  car.call_sign = "JN-S01-巡1";
  car.station_code = "JN-S01";
  car.status = PatrolStatus::kAvailable;
  ASSERT_TRUE(desk_->upsert_units({car}).ok());

  StreamReader own(server_->port(), "/api/stream?unit=JN-S01", token_);
  StreamReader other(server_->port(), "/api/stream?unit=JN-S02", token_);
  ASSERT_TRUE(own.wait_for(": connected"));
  ASSERT_TRUE(other.wait_for(": connected"));

  JsonResponse created = post("/api/incidents", nlohmann::json{{"type", "theft"},
                                                              {"location", {{"lat", 36.62}, {"lon", 117.12}}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  PositionReport report{"JN-S01-巡1", now_utc(), GeoPoint{36.63, 117.13}, std::nullopt};
  ASSERT_EQ(desk_->report_positions(std::span(&report, 1)).accepted, 1);

  ASSERT_TRUE(own.wait_for("event: incident")) << own.text();
  ASSERT_TRUE(own.wait_for("event: unit")) << own.text();
  nlohmann::json incident = first_event(own.text(), "incident");
  EXPECT_EQ(incident["id"], created.body["id"]);
  EXPECT_EQ(incident["unit"], "JN-S01-C01");
  nlohmann::json unit = first_event(own.text(), "unit");
  EXPECT_EQ(unit["call_sign"], "JN-S01-巡1");
  EXPECT_EQ(unit["station"], "JN-S01");
  EXPECT_DOUBLE_EQ(unit["position"]["lat"].get<double>(), 36.63);

  // The other station's client hears heartbeats only.
  ASSERT_TRUE(other.wait_for(": heartbeat", 3000ms)) << other.text();
  EXPECT_EQ(other.text().find("event:"), std::string::npos) << other.text();
  EXPECT_EQ(server_->live_hub()->counters().clients, 2);
}

TEST_F(LiveStreamTest, UnknownUnitIsRefusedAsJson) {
  JsonResponse r = get("/api/stream?unit=NOPE");
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["field"], "unit");
}

TEST_F(LiveStreamTest, ServerStopsPromptlyWithAStreamOpen) {
  StreamReader reader(server_->port(), "/api/stream", token_);
  ASSERT_TRUE(reader.wait_for(": connected"));
  const auto t0 = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST(LiveHubTest, FullQueueShedsOldestUnitEventsAndKeepsIncidents) {
  TempDir dir;
  auto engine = Engine::open(EngineConfig{testing::test_store_location(dir, "hub.db"), "", "Asia/Shanghai"});
  ASSERT_TRUE(engine.ok());
  Unit bureau{0, "PA", "分局", UnitKind::kBureau, "", {}};
  Unit station{0, "PA-S01", "一所", UnitKind::kStation, "PA", {}};
  ASSERT_TRUE((*engine)->upsert_units({bureau, station}).ok());
  auto hub = LiveHub::create(**engine, LiveHub::Options{4});
  auto client = hub->connect(UnitScope::subtree("PA-S01"));

  Incident inc;
  inc.id = 7;
  inc.type_code = "theft";
  inc.unit_code = "PA-S01";
  hub->publish_incident(IncidentChange{inc, std::nullopt});
  for (int i = 0; i < 10; ++i) {
    dispatch::UnitChange change;
    change.unit.call_sign = "PA-S01-巡1";
    change.unit.station_code = "PA-S01";
    change.position = UnitPosition{"PA-S01-巡1", 1000 + i, GeoPoint{36.6, 100.0 + i}};
    hub->publish_unit(change);
  }
  const std::string text = client->take(0ms);
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("event: incident"), 1) << text;
  EXPECT_EQ(count("event: unit"), 3) << text;
  // The newest positions survive: 109 is the last, 106 was shed.
  EXPECT_NE(text.find("\"lon\":109.0"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"lon\":106.0"), std::string::npos) << text;
  EXPECT_EQ(client->dropped(), 7);
  EXPECT_EQ(hub->counters().dropped, 7);
  EXPECT_EQ(hub->counters().sent, 11);
  hub->disconnect(client);
  EXPECT_EQ(hub->counters().clients, 0);
  EXPECT_EQ(hub->counters().dropped, 7);
}

}  // namespace
}  // namespace pingan::testing
