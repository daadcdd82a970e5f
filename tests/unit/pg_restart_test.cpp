// A database that goes away under a running server (issue 19, "Bad input
// and faults"): while PostgreSQL is down every write answers 503 with
// Retry-After and nothing acknowledged is lost; once it is back the same
// server answers again without a restart. The test has a cluster of its own
// (it stops it), started and stopped by scripts/pg-test-cluster.sh.

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server_process.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

const std::string kScript = std::string(PINGAN_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";

// A cluster of the test's own, stopped and removed when the object dies.
class OwnCluster {
 public:
  explicit OwnCluster(const TempDir& dir) : state_(dir.file("cluster.state")) {
    ok_ = std::system((kScript + " start " + state_ + " >/dev/null").c_str()) == 0;
  }
  ~OwnCluster() { (void)std::system((kScript + " stop " + state_ + " >/dev/null").c_str()); }
  bool ok() const { return ok_; }
  bool halt() { return std::system((kScript + " halt " + state_).c_str()) == 0; }
  bool resume() { return std::system((kScript + " resume " + state_).c_str()) == 0; }
  std::string url() const {
    std::ifstream in(state_);
    std::string dir, url;
    std::getline(in, dir);
    std::getline(in, url);
    return url;
  }

 private:
  std::string state_;
  bool ok_ = false;
};

TEST(PostgresRestart, ADatabaseDownAnswers503WithRetryAfterAndTheServerRecoversWhenItIsBack) {
  TempDir dir;
  OwnCluster cluster(dir);
  ASSERT_TRUE(cluster.ok());
  const std::string url = cluster.url();
  const std::string token = issue_tester_token(url, dir.file("cli.log"));
  ASSERT_FALSE(token.empty()) << read_log_file(dir.file("cli.log"));
  const int port = free_port();
  ServerProcess server(url, port, dir.file("server.log"));
  ASSERT_TRUE(server.wait_healthy()) << read_log_file(dir.file("server.log"));

  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  c.set_read_timeout(15);
  auto post = [&](int n) {
    nlohmann::json body = {{"type", "theft"}, {"reported_at", "2026-07-15T08:00:00+08:00"}, {"source", "restart"},
                           {"source_id", fmt::format("r{}", n)}};
    return c.Post("/api/incidents", body.dump(), "application/json");
  };
  std::vector<std::int64_t> acknowledged;
  for (int n = 0; n < 5; ++n) {
    auto r = post(n);
    ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    acknowledged.push_back(nlohmann::json::parse(r->body)["id"]);
  }

  ASSERT_TRUE(cluster.halt());
  auto down = post(100);
  ASSERT_TRUE(down) << "the server itself must still answer";
  EXPECT_EQ(down->status, 503) << down->body;
  EXPECT_TRUE(down->has_header("Retry-After")) << down->body;
  EXPECT_NE(down->body.find("unavailable"), std::string::npos) << down->body;

  ASSERT_TRUE(cluster.resume());
  // The pool replaces its broken connections: the next calls are served.
  std::shared_ptr<httplib::Response> back;
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto r = post(200 + attempt);
    if (r && r->status == 201) {
      back = std::make_shared<httplib::Response>(*r);
      acknowledged.push_back(nlohmann::json::parse(r->body)["id"]);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(back) << read_log_file(dir.file("server.log"));
  for (std::int64_t id : acknowledged) {
    auto r = c.Get(fmt::format("/api/incidents/{}", id).c_str());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "acknowledged incident " << id << " is missing";
  }
  // The write refused while the database was down was not stored.
  auto list = c.Get("/api/incidents?limit=1");
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(nlohmann::json::parse(list->body)["total"], static_cast<std::int64_t>(acknowledged.size()));
}

TEST(PostgresRestart, AWrongAddressOrPasswordStopsServeAtStartWithOneLine) {
  TempDir dir;
  const int port = free_port();
  const std::string log = dir.file("serve.log");
  ServerProcess server("postgresql://pingan:s3cret@127.0.0.1:1/postgres", port, log);
  EXPECT_FALSE(server.wait_healthy());
  const std::string text = read_log_file(log);
  EXPECT_NE(text.find("cannot reach PostgreSQL at postgresql://pingan:***@127.0.0.1:1/postgres"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << "the password must not be printed: " << text;
}

}  // namespace
}  // namespace pingan::testing
