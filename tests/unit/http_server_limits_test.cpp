// The server under the loads a command centre and an attacker on its network
// put on it: open streams, slow and idle sockets, oversized and ambiguous
// requests, foreign Host names, one address taking every connection. Each
// case is answered with its status and costs no worker thread.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "http_test_support.h"
#include "raw_socket.h"

namespace pingan::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ServerLimitsTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& c) override {
    c.threads = 4;
    c.header_timeout_ms = 800;
    c.body_timeout_ms = 800;
    c.idle_timeout_s = 2;
    c.max_header_count = 50;
    c.max_header_bytes = 8 * 1024;
    c.max_uri_bytes = 2 * 1024;
    c.max_connections_per_address = 64;
    c.max_streams_per_address = 24;
    c.allowed_hosts = {"pingan.example"};
  }

  // A computation that runs until its deadline expires (at most 10 s) and
  // says why it stopped: how the server's cancel on a hang-up is observed.
  void add_extra_routes(HttpServer& server) override {
    server.add_routes({{"GET", "/test/spin", auth::kPublic, [this](const RouteRequest& r) -> Result<Reply> {
                          const auto end = Clock::now() + 10s;
                          while (!r.deadline->expired() && Clock::now() < end) std::this_thread::sleep_for(5ms);
                          spin_cancelled_ = r.deadline->cancelled();
                          spin_done_ = true;
                          PINGAN_RETURN_IF_ERROR(r.deadline->check("the test computation"));
                          return Reply{200, {{"ok", true}}, {}};
                        }}});
  }
  std::atomic<bool> spin_done_{false};
  std::atomic<bool> spin_cancelled_{false};

  std::string host() const { return fmt::format("Host: 127.0.0.1:{}\r\n", server_->port()); }

  // One request on its own connection; the whole answer.
  std::string exchange(const std::string& request, std::chrono::milliseconds timeout = 3s) const {
    RawSocket s(server_->port());
    EXPECT_TRUE(s.connected());
    s.send(request);
    return s.read(timeout, "\r\n\r\n{");  // every answer here has a JSON body
  }

  // Milliseconds for GET /api/health on a fresh connection (-1: no answer in 3 s).
  long health_ms() const {
    auto c = client();
    c->set_read_timeout(3);
    const auto t0 = Clock::now();
    auto r = c->Get("/api/health");
    if (!r || r->status != 200) return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  }
};

TEST_F(ServerLimitsTest, OpenStreamsHoldNoWorkerAndAllReceiveEvents) {
  std::vector<RawSocket> streams;
  for (int i = 0; i < 20; ++i) {  // five times the worker threads
    streams.emplace_back(server_->port());
    streams.back().send("GET /api/stream HTTP/1.1\r\n" + host() + bearer() + "\r\n");
    ASSERT_NE(streams.back().read(3s, ": connected").find(": connected"), std::string::npos) << "stream " << i;
  }
  const long ms = health_ms();
  EXPECT_GE(ms, 0) << "health did not answer with 20 streams open";
  EXPECT_LT(ms, 1000);
  JsonResponse created = post("/api/incidents", nlohmann::json::parse(
      R"({"type":"theft","location":{"lat":36.66,"lon":117.02},"address":"经十路 88 号"})"));
  ASSERT_EQ(created.status, 201) << created.raw;
  for (size_t i = 0; i < streams.size(); ++i)
    EXPECT_NE(streams[i].read(3s, "event: incident").find("event: incident"), std::string::npos) << "stream " << i;
}

TEST_F(ServerLimitsTest, SlowHeadersAreAnswered408AndHoldNoWorker) {
  std::vector<RawSocket> slow;
  for (int i = 0; i < 12; ++i) {
    slow.emplace_back(server_->port());
    slow.back().send("GET /api/health HTTP/1.1\r\n" + host());
  }
  // A header line now and then keeps each one "busy" sending.
  for (int round = 0; round < 3; ++round) {
    for (auto& s : slow) s.send(fmt::format("X-Slow-{}: 1\r\n", round));
    const long ms = health_ms();
    EXPECT_GE(ms, 0) << "health did not answer beside slow senders";
    EXPECT_LT(ms, 1000);
    std::this_thread::sleep_for(150ms);
  }
  for (auto& s : slow) {
    const std::string answer = s.read(3s);
    EXPECT_EQ(status_of(answer), 408) << answer;
    EXPECT_NE(answer.find("did not arrive in time"), std::string::npos) << answer;
    EXPECT_TRUE(s.closed());
  }
}

TEST_F(ServerLimitsTest, IdleSocketsDelayNothingAndAreClosedAfterTheIdleTime) {
  std::vector<RawSocket> idle;
  for (int i = 0; i < 30; ++i) idle.emplace_back(server_->port());
  const long ms = health_ms();
  EXPECT_GE(ms, 0);
  EXPECT_LT(ms, 500);
  const auto t0 = Clock::now();
  for (auto& s : idle) {
    EXPECT_EQ(s.read(5s), "");
    EXPECT_TRUE(s.closed());
  }
  EXPECT_LT(Clock::now() - t0, 4s);
}

TEST_F(ServerLimitsTest, HeadsOverTheLimitsAre431And414) {
  std::string many = "GET /api/health HTTP/1.1\r\n" + host();
  for (int i = 0; i < 60; ++i) many += fmt::format("X-H{}: v\r\n", i);
  const std::string too_many = exchange(many + "\r\n");
  EXPECT_EQ(status_of(too_many), 431) << too_many;
  EXPECT_NE(too_many.find("\"field\":\"headers\""), std::string::npos) << too_many;

  const std::string big = exchange("GET /api/health HTTP/1.1\r\n" + host() + "X-Big: " + std::string(12'000, 'a') +
                                   "\r\n\r\n");
  EXPECT_EQ(status_of(big), 431) << big;

  const std::string long_uri =
      exchange("GET /api/health?x=" + std::string(3000, 'a') + " HTTP/1.1\r\n" + host() + "\r\n");
  EXPECT_EQ(status_of(long_uri), 414) << long_uri;

  // A request line that never ends is refused once it passes the limit,
  // not buffered for as long as the client sends.
  RawSocket endless(server_->port());
  endless.send("GET /");
  const std::string chunk(64 * 1024, 'a');
  for (int i = 0; i < 64 && endless.send(chunk); ++i) {
  }
  const std::string answer = endless.read(3s, "\r\n\r\n{");
  EXPECT_EQ(status_of(answer), 414) << answer.substr(0, 200);
}

TEST_F(ServerLimitsTest, BodiesOverTheLimitAre413WhateverTheMethod) {
  for (const char* method : {"GET", "POST", "DELETE"}) {
    const std::string answer = exchange(fmt::format("{} /api/incidents HTTP/1.1\r\n{}Content-Length: {}\r\n\r\n",
                                                    method, host(), kMaxBody + 1));
    EXPECT_EQ(status_of(answer), 413) << method << ": " << answer;
  }
}

TEST_F(ServerLimitsTest, AGetBodyIsReadAsItsBodyNotAsTheNextRequest) {
  const std::string smuggled = "GET /api/no-such-route HTTP/1.1\r\n" + host() + "\r\n";
  RawSocket s(server_->port());
  s.send(fmt::format("GET /api/health HTTP/1.1\r\n{}Content-Length: {}\r\n\r\n{}", host(), smuggled.size(), smuggled) +
         "GET /api/health HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n");
  const std::string answers = s.read(3s);
  EXPECT_TRUE(s.closed());
  size_t count = 0;
  for (size_t at = answers.find("HTTP/1.1 "); at != std::string::npos; at = answers.find("HTTP/1.1 ", at + 1)) {
    ++count;
    EXPECT_EQ(answers.substr(at + 9, 3), "200") << answers;
  }
  EXPECT_EQ(count, 2u) << answers;
}

TEST_F(ServerLimitsTest, AmbiguousFramingIsRefused400) {
  const std::string body = R"({"type":"theft","location":{"lat":36.66,"lon":117.02},"address":"x"})";
  const std::string start = "POST /api/incidents HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"two lengths", fmt::format("Content-Length: {}\r\nContent-Length: {}\r\n", body.size(), body.size() + 5)},
      {"the same length twice", fmt::format("Content-Length: {}\r\nContent-Length: {}\r\n", body.size(), body.size())},
      {"a length list", fmt::format("Content-Length: {},{}\r\n", body.size(), body.size())},
      {"length and chunked", fmt::format("Content-Length: {}\r\nTransfer-Encoding: chunked\r\n", body.size())},
      {"chunked and length", fmt::format("Transfer-Encoding: chunked\r\nContent-Length: {}\r\n", body.size())},
      {"an unknown coding", "Transfer-Encoding: gzip\r\n"},
  };
  for (const auto& [name, fields] : cases) {
    const std::string answer = exchange(start + fields + "\r\n" + body);
    EXPECT_EQ(status_of(answer), 400) << name << ": " << answer;
    EXPECT_TRUE(answer.find("Content-Length") != std::string::npos ||
                answer.find("Transfer-Encoding") != std::string::npos)
        << name << ": " << answer;
  }
  EXPECT_EQ(get("/api/incidents?limit=5").body["incidents"].size(), 0u) << "nothing may have been created";
}

TEST_F(ServerLimitsTest, OnlyThisServersNamesAreServed) {
  auto with_host = [&](const std::string& line, const char* version = "HTTP/1.1") {
    return status_of(exchange(fmt::format("GET /api/health {}\r\n{}Connection: close\r\n\r\n", version, line)));
  };
  EXPECT_EQ(with_host("Host: evil.example\r\n"), 400);
  EXPECT_EQ(with_host("Host: evil.example:" + std::to_string(server_->port()) + "\r\n"), 400);
  EXPECT_EQ(with_host(""), 400) << "HTTP/1.1 needs a Host";
  EXPECT_EQ(with_host("Host: 127.0.0.1\r\nHost: evil.example\r\n"), 400);
  EXPECT_EQ(with_host("Host: localhost:" + std::to_string(server_->port()) + "\r\n"), 200);
  EXPECT_EQ(with_host("Host: [::1]:8080\r\n"), 200);
  EXPECT_EQ(with_host("Host: PINGAN.example\r\n"), 200) << "a configured name, in any case";
  EXPECT_EQ(with_host("", "HTTP/1.0"), 200) << "HTTP/1.0 may leave Host out";
  const std::string answer = exchange("GET /api/health HTTP/1.1\r\nHost: rebind.attacker.test\r\n\r\n");
  EXPECT_NE(answer.find("\"field\":\"Host\""), std::string::npos) << answer;
}

TEST_F(ServerLimitsTest, OneAddressCannotTakeEveryConnectionOrStream) {
  {
    std::vector<RawSocket> held;
    for (int i = 0; i < 64; ++i) held.emplace_back(server_->port());
    std::this_thread::sleep_for(100ms);  // all accepted
    RawSocket over(server_->port());
    const std::string answer = over.read(3s, "\r\n\r\n{");
    EXPECT_EQ(status_of(answer), 503) << answer;
    EXPECT_NE(answer.find("limit of 64 connections"), std::string::npos) << answer;
  }
  std::this_thread::sleep_for(200ms);  // the held sockets are given back
  EXPECT_GE(health_ms(), 0);

  std::vector<RawSocket> streams;
  for (int i = 0; i < 24; ++i) {
    streams.emplace_back(server_->port());
    streams.back().send("GET /api/stream HTTP/1.1\r\n" + host() + bearer() + "\r\n");
    ASSERT_NE(streams.back().read(3s, ": connected").find(": connected"), std::string::npos) << i;
  }
  const std::string over = exchange("GET /api/stream HTTP/1.1\r\n" + host() + bearer() + "\r\n");
  EXPECT_EQ(status_of(over), 503) << over;
  EXPECT_NE(over.find("open event streams"), std::string::npos) << over;
}

TEST_F(ServerLimitsTest, AComputationStopsWhenItsClientHangsUp) {
  {
    RawSocket s(server_->port());
    s.send("GET /test/spin HTTP/1.1\r\n" + host() + "\r\n");
    std::this_thread::sleep_for(200ms);
  }  // the client closes its socket while the computation runs
  const auto t0 = Clock::now();
  while (!spin_done_ && Clock::now() - t0 < 5s) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(spin_done_);
  EXPECT_TRUE(spin_cancelled_) << "the computation ran on after its client left";
  EXPECT_LT(Clock::now() - t0, 2s);
}

class ShortDeadlineTest : public ServerLimitsTest {
  void configure(HttpConfig& c) override {
    ServerLimitsTest::configure(c);
    c.request_deadline_ms = 100;
  }
};

TEST_F(ShortDeadlineTest, AComputationPastTheDeadlineIsAnswered503) {
  const auto t0 = Clock::now();
  JsonResponse r = get("/test/spin");
  EXPECT_EQ(r.status, 503) << r.raw;
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("time limit"), std::string::npos) << r.raw;
  EXPECT_LT(Clock::now() - t0, 2s);
  EXPECT_FALSE(spin_cancelled_);
}

}  // namespace
}  // namespace pingan::testing
