// Crash durability of the real server: 4 clients post incidents as fast as
// they can, the `pingan serve` process is killed with SIGKILL while they
// write, and after a restart on the same database every incident that was
// acknowledged with 201 must be there with identical fields. An
// acknowledgement is a promise: the store's synchronous=FULL WAL commit has
// to happen before the reply is sent.

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kWriters = 4;
constexpr auto kWriteBeforeKill = std::chrono::milliseconds(1500);
constexpr auto kWritersTimeout = std::chrono::seconds(30);

struct Ack {
  std::string source_id;
  json incident;  // the 201 body
};

// Posts incidents until the server stops answering (after the kill) or
// the time limit passes. Returns every acknowledged incident.
void write_until_dead(int writer, int port, const std::string& token, const std::atomic<bool>& killed,
                      std::vector<Ack>& acks, std::atomic<std::int64_t>& last_ack_ns, std::atomic<int>& failures) {
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  c.set_connection_timeout(2);
  c.set_read_timeout(5);
  c.set_write_timeout(5);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  const char* types[] = {"theft", "burglary", "family_dispute", "traffic_accident",
                         "noise", "fraud"};
  const auto deadline = Clock::now() + kWritersTimeout;
  for (int n = 0; Clock::now() < deadline; ++n) {
    std::string source_id = fmt::format("w{}-{}", writer, n);
    json body = {
        {"type", types[n % 6]},
        {"reported_at", fmt::format("2024-06-{:02}T{:02}:{:02}:{:02}+08:00", 1 + n % 28,
                                    writer * 5 + n % 5, n % 60, (n / 60) % 60)},
        {"location",
         {{"lat", 36.6 + writer * 0.01 + (n % 100) * 1e-5}, {"lon", 117.1 + (n % 997) * 1e-6}}},
        {"address", fmt::format("经十路 {} 号", n)},
        {"reporter_phone", fmt::format("1380013{:04}", n % 10000)},
        {"description", fmt::format("第 {} 号写入者的第 {} 条警情", writer, n)},
        {"source", "durability"},
        {"source_id", source_id}};
    auto r = c.Post("/api/incidents", body.dump(), "application/json");
    if (r && r->status == 201) {
      acks.push_back({source_id, json::parse(r->body)});
      last_ack_ns = Clock::now().time_since_epoch().count();
      continue;
    }
    if (killed) return;  // the server is gone: the unacknowledged tail is allowed to be lost
    ++failures;          // an error while the server was alive
    if (r) ADD_FAILURE() << "writer " << writer << ": HTTP " << r->status << " " << r->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "writer " << writer << " still running after the time limit";
}

TEST(DurabilityTest, EveryAcknowledgedIncidentSurvivesSigkill) {
  TempDir dir;
  const std::string db = dir.file("durable.db");
  const std::string log = dir.file("server.log");
  const int port = free_port();
  const std::string token = issue_tester_token(db, log);
  ASSERT_FALSE(token.empty()) << "cannot issue an API token:\n" << read_log_file(log);

  ServerProcess first(db, port, log);
  ASSERT_TRUE(first.spawned()) << "cannot run " << PINGAN_BINARY;
  ASSERT_TRUE(first.wait_healthy()) << "server did not become healthy:\n" << first.log();

  std::atomic<bool> killed{false};
  std::atomic<std::int64_t> last_ack_ns{0};
  std::atomic<int> failures{0};
  std::vector<std::vector<Ack>> acks(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back(write_until_dead, w, port, std::cref(token), std::cref(killed), std::ref(acks[w]),
                         std::ref(last_ack_ns), std::ref(failures));
  std::this_thread::sleep_for(kWriteBeforeKill);
  killed = true;
  const auto kill_time = Clock::now();
  first.kill_now();
  for (auto& t : writers) t.join();

  size_t total_acks = 0;
  for (const auto& a : acks) total_acks += a.size();
  EXPECT_EQ(failures.load(), 0);
  // Enough writes to mean something, and still flowing when the kill came.
  ASSERT_GE(total_acks, 20u) << first.log();
  const auto since_last_ack = kill_time - Clock::time_point(Clock::duration(last_ack_ns.load()));
  EXPECT_LT(since_last_ack, std::chrono::milliseconds(500)) << "writes had stopped before the kill";

  const int port2 = free_port();
  ServerProcess second(db, port2, log);
  ASSERT_TRUE(second.spawned());
  ASSERT_TRUE(second.wait_healthy()) << "server did not restart on the killed database:\n"
                                     << second.log();

  httplib::Client c("127.0.0.1", port2);
  c.set_bearer_token_auth(token);
  c.set_connection_timeout(2);
  c.set_read_timeout(10);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  size_t checked = 0;
  for (const auto& per_writer : acks) {
    for (const Ack& ack : per_writer) {
      auto r =
          c.Get(fmt::format("/api/incidents/{}", ack.incident["id"].get<std::int64_t>()).c_str());
      ASSERT_TRUE(r) << "no answer after restart";
      ASSERT_EQ(r->status, 200) << ack.source_id << " was acknowledged but is gone: " << r->body;
      // The create answer adds the duplicate candidates of that moment to the record.
      json acknowledged = ack.incident;
      acknowledged.erase("possible_duplicates");
      EXPECT_EQ(json::parse(r->body), acknowledged) << ack.source_id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, total_acks);

  // Ids are unique and the store holds at least what was acknowledged (a
  // write committed but killed before its reply may be there too).
  std::set<std::int64_t> ids;
  for (const auto& per_writer : acks)
    for (const Ack& ack : per_writer) ids.insert(ack.incident["id"].get<std::int64_t>());
  EXPECT_EQ(ids.size(), total_acks);
  auto list = c.Get("/api/incidents?source=durability&limit=1");
  ASSERT_TRUE(list && list->status == 200);
  const auto stored = json::parse(list->body)["total"].get<std::int64_t>();
  EXPECT_GE(stored, std::int64_t(total_acks));
  EXPECT_LE(stored, std::int64_t(total_acks) + kWriters)
      << "more unacknowledged writes than requests in flight";

  // The dedupe key survived too: re-posting an acknowledged source_id is refused.
  const Ack& sample = acks[0].front();
  json again = {{"type", sample.incident["type"]["code"]},
                {"source", "durability"},
                {"source_id", sample.source_id}};
  auto dup = c.Post("/api/incidents", again.dump(), "application/json");
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->status, 409) << dup->body;

  RecordProperty("acknowledged", std::to_string(total_acks));
  RecordProperty("stored", std::to_string(stored));
  std::printf("durability: %zu acknowledged in %lld ms by %d writers, %lld stored after SIGKILL\n",
              total_acks, static_cast<long long>(kWriteBeforeKill.count()), kWriters,
              static_cast<long long>(stored));
}

// SIGTERM while clients hold kept-alive connections and write: the server
// finishes, says so and exits 0, whichever thread the kernel picks for the
// signal.
TEST(DurabilityTest, SigtermStopsTheServerCleanlyUnderLoad) {
  TempDir dir;
  const int port = free_port();
  const std::string token = issue_tester_token(dir.file("term.db"), dir.file("server.log"));
  ASSERT_FALSE(token.empty()) << "cannot issue an API token:\n" << read_log_file(dir.file("server.log"));
  ServerProcess server(dir.file("term.db"), port, dir.file("server.log"));
  ASSERT_TRUE(server.spawned());
  ASSERT_TRUE(server.wait_healthy()) << server.log();
  {
    std::atomic<bool> stop{false};
    std::atomic<int> acked{0};
    std::vector<std::thread> clients;
    for (int w = 0; w < kWriters; ++w)
      clients.emplace_back([&, w] {
        httplib::Client c("127.0.0.1", port);
        c.set_bearer_token_auth(token);
        c.set_connection_timeout(2);
        c.set_read_timeout(5);
        c.set_keep_alive(true);
        c.set_tcp_nodelay(true);
        for (int n = 0; !stop; ++n) {
          auto r = c.Post("/api/incidents", json{{"type", "noise"}}.dump(), "application/json");
          if (r && r->status == 201) ++acked;
          if (!r) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const int status = server.signal_and_wait(SIGTERM, std::chrono::seconds(15));
    stop = true;
    for (auto& t : clients) t.join();
    ASSERT_NE(status, -1) << "pingan serve did not exit within 15 s of SIGTERM:\n" << server.log();
    EXPECT_TRUE(WIFEXITED(status))
        << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    EXPECT_NE(server.log().find("pingan stopped"), std::string::npos) << server.log();
    EXPECT_GT(acked.load(), 0);
  }
}

}  // namespace
}  // namespace pingan::testing
