// Read replicas (issue 19): `pingan serve --read-replica` answers incident
// lists from a streaming standby and states how stale the page may be; the
// statement is checked against the writes the test made (a write
// acknowledged longer ago than the bound must be in the page). A standby
// that stops, or falls further behind than --replica-max-lag, leaves the
// lists to the primary; one that is back takes them again. The test has a
// primary and a replica of its own (scripts/pg-test-cluster.sh start and
// replica; stopping the primary stops the replica).

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

using Clock = std::chrono::steady_clock;
const std::string kScript = std::string(PINGAN_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";

std::string line_of(const std::string& file, int n) {
  std::ifstream in(file);
  std::string line;
  for (int i = 0; i < n && std::getline(in, line);) ++i;
  return line;
}

// A primary and a hot standby streaming from it, of the test's own.
class ClusterWithReplica {
 public:
  explicit ClusterWithReplica(const TempDir& dir)
      : primary_state_(dir.file("primary.state")), replica_state_(dir.file("replica.state")) {
    ok_ =
        std::system((kScript + " start " + primary_state_ + " >/dev/null").c_str()) == 0 &&
        std::system((kScript + " replica " + primary_state_ + " " + replica_state_ + " >/dev/null")
                        .c_str()) == 0;
  }
  ~ClusterWithReplica() {
    (void)std::system((kScript + " stop " + replica_state_ + " >/dev/null").c_str());
    (void)std::system((kScript + " stop " + primary_state_ + " >/dev/null").c_str());
  }
  bool ok() const { return ok_; }
  std::string primary_url() const { return line_of(primary_state_, 2); }
  std::string replica_url() const { return line_of(replica_state_, 2); }
  bool halt_replica() { return std::system((kScript + " halt " + replica_state_).c_str()) == 0; }
  bool resume_replica() {
    return std::system((kScript + " resume " + replica_state_).c_str()) == 0;
  }

 private:
  std::string primary_state_;
  std::string replica_state_;
  bool ok_ = false;
};

// One answer of GET /api/incidents, with when it was asked for.
struct ListAnswer {
  bool answered = false;
  Clock::time_point sent;
  std::optional<double> stale_by_at_most_s;  // the body's replica.stale_by_at_most_s
  std::string lag_header;                    // X-Pingan-Replica-Lag
  std::vector<std::int64_t> ids;
  std::int64_t total = -1;
  bool has(std::int64_t id) const { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
};

class Api {
 public:
  Api(int port, const std::string& token) : c_("127.0.0.1", port) {
    c_.set_bearer_token_auth(token);
    c_.set_read_timeout(15);
  }
  // The new incident's id, and when its creation was acknowledged (at
  // latest); 0 when it was refused.
  std::pair<std::int64_t, Clock::time_point> create(int n) {
    nlohmann::json body = {{"type", "theft"},
                           {"reported_at", "2026-07-15T08:00:00+08:00"},
                           {"source", "replica"},
                           {"source_id", fmt::format("r{}", n)}};
    auto r = c_.Post("/api/incidents", body.dump(), "application/json");
    const Clock::time_point acknowledged = Clock::now();
    if (!r || r->status != 201) {
      ADD_FAILURE() << "creating incident " << n << ": " << (r ? r->body : "no answer");
      return {0, acknowledged};
    }
    return {nlohmann::json::parse(r->body)["id"].get<std::int64_t>(), acknowledged};
  }
  ListAnswer list() {
    ListAnswer a;
    a.sent = Clock::now();
    auto r = c_.Get("/api/incidents?source=replica&limit=1000");
    if (!r || r->status != 200) {
      ADD_FAILURE() << "GET /api/incidents: " << (r ? r->body : "no answer");
      return a;
    }
    a.answered = true;
    const nlohmann::json body = nlohmann::json::parse(r->body);
    for (const auto& item : body["items"]) a.ids.push_back(item["id"].get<std::int64_t>());
    a.total = body["total"].get<std::int64_t>();
    if (body.contains("replica"))
      a.stale_by_at_most_s = body["replica"]["stale_by_at_most_s"].get<double>();
    if (r->has_header("X-Pingan-Replica-Lag"))
      a.lag_header = r->get_header_value("X-Pingan-Replica-Lag");
    return a;
  }

 private:
  httplib::Client c_;
};

// What a page from the replica promises: every write acknowledged more
// than stale_by_at_most_s before the answer is in it. The test knows each
// write's acknowledgement (at latest) and the request's sending (at
// earliest before the answer): a write acknowledged before
// sent - stale_by_at_most_s must be listed.
void expect_bound_kept(const ListAnswer& a, std::int64_t id, Clock::time_point acknowledged) {
  if (!a.stale_by_at_most_s) {
    EXPECT_TRUE(a.has(id)) << "the primary answered without incident " << id;
    EXPECT_TRUE(a.lag_header.empty()) << "a primary's answer names no replica lag";
    return;
  }
  EXPECT_EQ(a.lag_header, fmt::format("{:.3f}", *a.stale_by_at_most_s));
  EXPECT_GE(*a.stale_by_at_most_s, 0.0);
  const auto bound = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(*a.stale_by_at_most_s));
  if (acknowledged + bound < a.sent) {
    EXPECT_TRUE(a.has(id)) << "incident " << id << " was acknowledged "
                           << std::chrono::duration<double>(a.sent - acknowledged).count()
                           << " s before the list, which claims to be stale by at most "
                           << *a.stale_by_at_most_s << " s, and is not in it";
  }
}

struct Started {
  TempDir dir;
  ClusterWithReplica cluster{dir};
  std::string token;
  int port = 0;
  std::unique_ptr<ServerProcess> server;
};

// A primary, its replica and `pingan serve --read-replica` on them.
void start(Started& s, const std::string& max_lag) {
  ASSERT_TRUE(s.cluster.ok()) << "scripts/pg-test-cluster.sh start/replica failed";
  s.token = issue_tester_token(s.cluster.primary_url(), s.dir.file("cli.log"));
  ASSERT_FALSE(s.token.empty()) << read_log_file(s.dir.file("cli.log"));
  s.port = free_port();
  s.server = std::make_unique<ServerProcess>(
      s.cluster.primary_url(), s.port, s.dir.file("server.log"),
      std::vector<std::string>{"--read-replica", s.cluster.replica_url(), "--replica-max-lag",
                               max_lag});
  ASSERT_TRUE(s.server->wait_healthy()) << read_log_file(s.dir.file("server.log"));
}

// Lists until `id` is in an answer from the replica, checking each answer's
// bound; the answers seen.
std::vector<ListAnswer> list_until_replica_has(Api& api, std::int64_t id,
                                               Clock::time_point acknowledged,
                                               std::chrono::seconds limit) {
  std::vector<ListAnswer> seen;
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    seen.push_back(api.list());
    const ListAnswer& a = seen.back();
    if (!a.answered) break;
    expect_bound_kept(a, id, acknowledged);
    if (a.stale_by_at_most_s && a.has(id)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return seen;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

TEST(PostgresReplica, ListsAreReadOnTheReplicaWithTheirBoundAndOnThePrimaryWhileItIsDown) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s, "5"));
  Api api(s.port, s.token);

  // Each new incident: listed again and again until the replica's page has
  // it; every page keeps its bound.
  std::vector<double> bounds, visible_after;
  std::vector<std::int64_t> ids;
  constexpr int kIncidents = 20;
  for (int n = 0; n < kIncidents; ++n) {
    auto [id, acknowledged] = api.create(n);
    ASSERT_GT(id, 0);
    ids.push_back(id);
    auto seen = list_until_replica_has(api, id, acknowledged, std::chrono::seconds(10));
    ASSERT_FALSE(seen.empty());
    ASSERT_TRUE(seen.back().stale_by_at_most_s && seen.back().has(id))
        << "incident " << id << " never listed from the replica\n"
        << s.server->log();
    for (const ListAnswer& a : seen)
      if (a.stale_by_at_most_s) bounds.push_back(*a.stale_by_at_most_s);
    visible_after.push_back(std::chrono::duration<double>(seen.back().sent - acknowledged).count());
    EXPECT_EQ(seen.back().total, n + 1);
  }
  ASSERT_FALSE(bounds.empty());
  EXPECT_LE(*std::max_element(bounds.begin(), bounds.end()), 5.0) << "--replica-max-lag 5";
  std::cout << fmt::format(
      "replica: {} lists, stale_by_at_most_s median {:.3f} p95 {:.3f} max {:.3f}; a new incident "
      "listed from the "
      "replica after median {:.2f} ms, max {:.2f} ms\n",
      bounds.size(), percentile(bounds, 0.5), percentile(bounds, 0.95), percentile(bounds, 1.0),
      1000 * percentile(visible_after, 0.5), 1000 * percentile(visible_after, 1.0));

  // The replica stops: lists are still answered, by the primary, in full.
  ASSERT_TRUE(s.cluster.halt_replica());
  for (int i = 0; i < 5; ++i) {
    ListAnswer a = api.list();
    ASSERT_TRUE(a.answered);
    EXPECT_FALSE(a.stale_by_at_most_s) << "answer " << i << " claims a replica that is down";
    EXPECT_TRUE(a.lag_header.empty());
    EXPECT_EQ(a.total, kIncidents);
  }
  auto [late, late_acknowledged] = api.create(kIncidents);
  ASSERT_GT(late, 0);
  ListAnswer while_down = api.list();
  EXPECT_FALSE(while_down.stale_by_at_most_s);
  EXPECT_TRUE(while_down.has(late))
      << "the primary lists what was written while the replica was down";

  // Back: the replica catches up and takes the lists again.
  ASSERT_TRUE(s.cluster.resume_replica());
  auto seen = list_until_replica_has(api, late, late_acknowledged, std::chrono::seconds(15));
  ASSERT_TRUE(!seen.empty() && seen.back().stale_by_at_most_s && seen.back().has(late))
      << s.server->log();
  EXPECT_NE(s.server->log().find("read replica"), std::string::npos)
      << "the switch to the primary is logged";
}

TEST(PostgresReplica, AReplicaFurtherBehindThanTheMaximumLeavesTheListToThePrimary) {
  Started s;
  ASSERT_NO_FATAL_FAILURE(start(s, "1"));
  Api api(s.port, s.token);
  auto [first, first_acknowledged] = api.create(0);
  ASSERT_GT(first, 0);
  auto seen = list_until_replica_has(api, first, first_acknowledged, std::chrono::seconds(10));
  ASSERT_TRUE(!seen.empty() && seen.back().stale_by_at_most_s && seen.back().has(first))
      << s.server->log();

  // Replay stops (the standby still answers): a write now stays off it.
  pg_test_exec(s.cluster.replica_url(), "SELECT pg_wal_replay_pause()");
  auto [held_back, acknowledged] = api.create(1);
  ASSERT_GT(held_back, 0);
  int from_replica_without_it = 0;
  double largest_bound = 0;
  std::optional<double> primary_after;  // seconds from the write to the first answer of the primary
  ListAnswer a;
  const auto until = acknowledged + std::chrono::milliseconds(2500);
  while (Clock::now() < until) {
    a = api.list();
    ASSERT_TRUE(a.answered);
    expect_bound_kept(a, held_back, acknowledged);
    if (a.stale_by_at_most_s && !a.has(held_back)) ++from_replica_without_it;
    if (a.stale_by_at_most_s) largest_bound = std::max(largest_bound, *a.stale_by_at_most_s);
    if (!a.stale_by_at_most_s && !primary_after)
      primary_after = std::chrono::duration<double>(a.sent - acknowledged).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // More than a second behind by now: the primary answers, with the write.
  EXPECT_FALSE(a.stale_by_at_most_s)
      << "stale by at most " << a.stale_by_at_most_s.value_or(-1) << " s";
  EXPECT_TRUE(a.has(held_back));
  // --replica-max-lag 1 decides before the read; the bound stated after it
  // adds the list's own time (milliseconds; a loaded test machine, more).
  EXPECT_LE(largest_bound, 1.25) << "--replica-max-lag 1";
  std::cout << fmt::format(
      "replica paused: {} answers from it without the held-back write, each within its bound (up "
      "to {:.3f} s); "
      "the primary answered from {:.2f} s after the write\n",
      from_replica_without_it, largest_bound, primary_after.value_or(-1));

  pg_test_exec(s.cluster.replica_url(), "SELECT pg_wal_replay_resume()");
  seen = list_until_replica_has(api, held_back, acknowledged, std::chrono::seconds(10));
  ASSERT_TRUE(!seen.empty() && seen.back().stale_by_at_most_s && seen.back().has(held_back))
      << s.server->log();
}

TEST(PostgresReplica, AReplicaUrlThatIsNoStandbyIsNotRead) {
  // The primary named as its own replica (a slip in a deployment file): it
  // is not in recovery, so the lists are the primary's, stated as such.
  Started s;
  ASSERT_TRUE(s.cluster.ok());
  s.token = issue_tester_token(s.cluster.primary_url(), s.dir.file("cli.log"));
  ASSERT_FALSE(s.token.empty()) << read_log_file(s.dir.file("cli.log"));
  s.port = free_port();
  ServerProcess server(s.cluster.primary_url(), s.port, s.dir.file("server.log"),
                       {"--read-replica", s.cluster.primary_url()});
  ASSERT_TRUE(server.wait_healthy()) << server.log();
  Api api(s.port, s.token);
  auto [id, acknowledged] = api.create(0);
  ASSERT_GT(id, 0);
  ListAnswer a = api.list();
  ASSERT_TRUE(a.answered);
  EXPECT_FALSE(a.stale_by_at_most_s);
  EXPECT_TRUE(a.has(id));
  EXPECT_NE(server.log().find("not a standby"), std::string::npos) << server.log();
}

TEST(PostgresReplica, AReadReplicaWithASqliteDatabaseIsRefusedWithOneLine) {
  TempDir dir;
  const std::string db = dir.file("county.db");
  const std::string log = dir.file("serve.log");
  // A server process, not run_pingan(): were the option ignored, serve would
  // serve, and the test end instead of waiting for ever.
  ServerProcess server(db, free_port(), log,
                       {"--read-replica", "postgresql://pingan:s3cret@127.0.0.1:1/postgres"});
  EXPECT_FALSE(server.wait_healthy()) << "serve must stop";
  const std::string text = read_log_file(log);
  EXPECT_NE(text.find("read-replica"), std::string::npos) << text;
  EXPECT_NE(text.find("SQLite"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(db)) << "nothing is created before the refusal";
}

}  // namespace
}  // namespace pingan::testing
