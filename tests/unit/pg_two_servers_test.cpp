// Two `pingan serve` processes on one PostgreSQL database (issue 19, "Must
// show"): a write through one is read through the other within a second —
// the incident, its lifecycle, the statistics and the live stream event;
// one SIGKILLed in the middle of writes loses no acknowledged write, and
// restarted it counts every incident once.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "stream_reader.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

using Clock = std::chrono::steady_clock;

// POSTs `body` to `path`; the answer's status (0 when none came) and JSON.
std::pair<int, nlohmann::json> post_json(int port, const std::string& token, const std::string& path,
                                         const nlohmann::json& body) {
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  c.set_read_timeout(10);
  auto r = c.Post(path.c_str(), body.dump(), "application/json");
  if (!r) return {0, nullptr};
  return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
}

// Polls `done` until true or `limit` passes; the time it took.
template <typename Done>
std::chrono::milliseconds wait_until(Done done, std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  while (!done() && Clock::now() - start < limit) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::int64_t stats_total(int port, const std::string& token) {
  nlohmann::json s = get_json(port, token, "/api/stats?from=2026-01-01&to=2027-01-01");
  return s.is_object() ? s["total"].get<std::int64_t>() : -1;
}

class PostgresTwoServers : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = pg_test_schema_url(dir_.file("two-servers"));
    ASSERT_FALSE(url_.empty());
    token_ = issue_tester_token(url_, dir_.file("cli.log"));
    ASSERT_FALSE(token_.empty()) << read_log_file(dir_.file("cli.log"));
  }
  nlohmann::json call(int n) const {
    return {{"type", "theft"}, {"reported_at", fmt::format("2026-07-15T{:02}:{:02}:00+08:00", 8 + n / 60 % 12, n % 60)},
            {"source", "two-servers"}, {"source_id", fmt::format("call-{}", n)}, {"description", "群众报警称电动车被盗"}};
  }
  TempDir dir_;
  std::string url_;
  std::string token_;
};

TEST_F(PostgresTwoServers, AWriteThroughOneIsReadThroughTheOtherWithinASecond) {
  const int port_a = free_port(), port_b = free_port();
  ServerProcess a(url_, port_a, dir_.file("a.log"));
  ServerProcess b(url_, port_b, dir_.file("b.log"));
  ASSERT_TRUE(a.wait_healthy()) << read_log_file(dir_.file("a.log"));
  ASSERT_TRUE(b.wait_healthy()) << read_log_file(dir_.file("b.log"));
  ASSERT_EQ(stats_total(port_b, token_), 0);
  StreamReader stream_b(port_b, "/api/stream", token_);
  ASSERT_TRUE(stream_b.wait_for(": connected", 5s));

  auto [status, created] = post_json(port_a, token_, "/api/incidents", call(1));
  ASSERT_EQ(status, 201) << created.dump();
  const auto written = Clock::now();
  const std::int64_t id = created["id"];
  const std::string path = fmt::format("/api/incidents/{}", id);

  // The record, the statistics and the stream event, through the other server.
  auto waited = wait_until([&] { return get_json(port_b, token_, path).is_object(); }, 5000ms);
  EXPECT_LT(waited.count(), 1000) << "B read A's incident after " << waited.count() << " ms";
  waited = wait_until([&] { return stats_total(port_b, token_) == 1; }, 5000ms);
  std::cout << "B's statistics counted A's write " << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - written).count() << " ms after it\n";
  EXPECT_EQ(stats_total(port_b, token_), 1);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - written).count(), 1000);
  EXPECT_TRUE(stream_b.wait_for(fmt::format("\"id\":{}", id), 1s)) << stream_b.text();

  // A step of its life through A: B's answer, history and stream show it.
  auto [moved, after] = post_json(port_a, token_, path + "/transition", {{"to", "dispatched"}, {"note", "派 1 号巡逻车"}});
  ASSERT_EQ(moved, 200) << after.dump();
  const auto stepped = Clock::now();
  waited = wait_until([&] {
    nlohmann::json got = get_json(port_b, token_, path);
    return got.is_object() && got["status"] == "dispatched";
  }, 5000ms);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - stepped).count(), 1000);
  nlohmann::json events = get_json(port_b, token_, path + "/events");
  ASSERT_TRUE(events.is_object() || events.is_array()) << events.dump();
  EXPECT_NE(events.dump().find("派 1 号巡逻车"), std::string::npos) << events.dump();
  EXPECT_TRUE(stream_b.wait_for("\"status\":\"dispatched\"", 1s)) << stream_b.text();
}

TEST_F(PostgresTwoServers, AServerKilledMidWriteLosesNoAcknowledgedWriteAndCatchesUpOnce) {
  const int port_a = free_port(), port_b = free_port();
  auto a = std::make_unique<ServerProcess>(url_, port_a, dir_.file("a.log"));
  ServerProcess b(url_, port_b, dir_.file("b.log"));
  ASSERT_TRUE(a->wait_healthy()) << read_log_file(dir_.file("a.log"));
  ASSERT_TRUE(b.wait_healthy()) << read_log_file(dir_.file("b.log"));

  // Four writers on A until it dies; every 201 is an acknowledged write.
  std::mutex mutex;
  std::vector<std::int64_t> acknowledged;
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&] {
      while (!stop) {
        auto [status, body] = post_json(port_a, token_, "/api/incidents", call(next++));
        if (status == 201) {
          std::lock_guard lock(mutex);
          acknowledged.push_back(body["id"].get<std::int64_t>());
        } else if (status == 0) {
          return;  // the server is gone
        }
      }
    });
  wait_until([&] {
    std::lock_guard lock(mutex);
    return acknowledged.size() >= 200;
  }, 20000ms);
  EXPECT_NE(a->signal_and_wait(SIGKILL, std::chrono::seconds(5)), -1);
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acknowledged.size(), 200u);

  // Every acknowledged write is there through B.
  for (std::int64_t id : acknowledged)
    EXPECT_TRUE(get_json(port_b, token_, fmt::format("/api/incidents/{}", id)).is_object()) << "lost incident " << id;
  // Writes while A is down, then A back: it counts each incident once.
  for (int n = 0; n < 20; ++n) ASSERT_EQ(post_json(port_b, token_, "/api/incidents", call(100'000 + n)).first, 201);
  nlohmann::json list = get_json(port_b, token_, "/api/incidents?limit=1");
  ASSERT_TRUE(list.is_object());
  const std::int64_t stored = list["total"];
  EXPECT_GE(stored, static_cast<std::int64_t>(acknowledged.size()) + 20);
  wait_until([&] { return stats_total(port_b, token_) == stored; }, 5000ms);
  EXPECT_EQ(stats_total(port_b, token_), stored);

  a = std::make_unique<ServerProcess>(url_, port_a, dir_.file("a2.log"));
  ASSERT_TRUE(a->wait_healthy()) << read_log_file(dir_.file("a2.log"));
  EXPECT_EQ(stats_total(port_a, token_), stored);
  // And goes on following: a write through B after the restart reaches A once.
  ASSERT_EQ(post_json(port_b, token_, "/api/incidents", call(200'000)).first, 201);
  wait_until([&] { return stats_total(port_a, token_) == stored + 1; }, 5000ms);
  EXPECT_EQ(stats_total(port_a, token_), stored + 1);
  EXPECT_EQ(stats_total(port_b, token_), stored + 1);
}

}  // namespace
}  // namespace pingan::testing
