#pragma once
// A real HttpServer on a free port over an Engine on a temporary SQLite file,
// and a small JSON client for it. Used by the http_*_test.cpp files.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "auth_test_support.h"
#include "config/live_settings.h"
#include "dispatch/dispatch_service.h"
#include "engine/engine.h"
#include "http/server.h"
#include "shipped_settings.h"
#include "test_support.h"
#include "test_store.h"

namespace pingan::testing {

struct JsonResponse {
  int status = 0;  // 0 when the request failed to reach the server
  nlohmann::json body;
  std::string raw;
  std::string content_type;
  std::string location;
};

inline JsonResponse to_json_response(const httplib::Result& r) {
  JsonResponse out;
  if (!r) return out;
  out.status = r->status;
  out.raw = r->body;
  out.content_type = r->get_header_value("Content-Type");
  out.location = r->get_header_value("Location");
  out.body = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  return out;
}

// A client signed in by API token as a new user `name` of `unit` with one
// of the shipped roles (data/auth/roles.json).
inline std::unique_ptr<httplib::Client> signed_in_client(auth::Authority& authority, int port,
                                                         const std::string& name, const std::string& unit,
                                                         const std::string& role) {
  auto user = authority.add_user({name, "民警" + name, unit, role}, "test");
  EXPECT_TRUE(user.ok()) << user.error().describe();
  auto token = authority.issue_token(name, "tests", {}, "test");
  EXPECT_TRUE(token.ok()) << token.error().describe();
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_connection_timeout(5);
  c->set_read_timeout(20);
  if (token.ok()) c->set_bearer_token_auth(token->secret);
  return c;
}

class HttpServerTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kMaxBody = 64 * 1024;

  void SetUp() override {
    auto engine = Engine::open(EngineConfig{testing::test_store_location(dir_, "http.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(engine.ok()) << engine.error().describe();
    engine_ = std::move(engine).value();
    HttpConfig config;
    config.port = 0;
    config.threads = 4;
    config.max_body_bytes = kMaxBody;
    configure(config);
    auto cards = Result<dispatch::RunCards>(testing::shipped_settings().run_cards);
    ASSERT_TRUE(cards.ok()) << cards.error().describe();
    auto desk = dispatch::DispatchService::open(*engine_, dispatch::DispatchConfig{}, std::move(cards).value());
    ASSERT_TRUE(desk.ok()) << desk.error().describe();
    dispatch_ = std::move(desk).value();
    server_ = std::make_unique<HttpServer>(*engine_, config);
    server_->use_dispatch(dispatch_.get());
    authority_ = test_authority(*engine_, clock_, with_deny_list());
    token_ = tester_token(*authority_);
    server_->use_authority(authority_);
    if (auto settings = live_settings()) server_->use_settings(std::move(settings));
    add_extra_routes(*server_);
    Status st = server_->start();
    ASSERT_TRUE(st.ok()) << st.error().describe();
    ASSERT_GT(server_->port(), 0);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  // Tests that need another configuration (e.g. static files) change it here.
  virtual void configure(HttpConfig&) {}
  // Tests that need routes of their own (e.g. one that throws) add them here.
  virtual void add_extra_routes(HttpServer&) {}
  // Tests of password rules use the shipped list of common passwords.
  virtual bool with_deny_list() { return false; }
  // Tests that reload the configuration give their own (null: the shipped data folder's).
  virtual std::shared_ptr<config::LiveSettings> live_settings() { return nullptr; }

  // A client signed in as "tester" (every permission, every unit) by API token.
  std::unique_ptr<httplib::Client> client() const {
    auto c = anonymous_client();
    c->set_bearer_token_auth(token_);
    return c;
  }
  // The tester's credentials as a raw header line (CRLF-terminated).
  std::string bearer() const { return "Authorization: Bearer " + token_ + "\r\n"; }
  // A client that has not signed in.
  std::unique_ptr<httplib::Client> anonymous_client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_connection_timeout(5);
    c->set_read_timeout(20);
    c->set_write_timeout(20);
    c->set_tcp_nodelay(true);
    return c;
  }
  JsonResponse get(const std::string& path) const {
    return to_json_response(client()->Get(path.c_str()));
  }
  JsonResponse post(const std::string& path, const std::string& body) const {
    return to_json_response(client()->Post(path.c_str(), body, "application/json"));
  }
  JsonResponse post(const std::string& path, const nlohmann::json& body) const {
    return post(path, body.dump());
  }

  std::unique_ptr<httplib::Client> role_client(const std::string& name, const std::string& unit,
                                               const std::string& role) const {
    return signed_in_client(*authority_, server_->port(), name, unit, role);
  }

  // A bureau, two stations with boundaries and a community inside station 1.
  void load_units() const {
    nlohmann::json units = nlohmann::json::parse(R"([
      {"code":"JN","name":"济南市公安局","kind":"bureau"},
      {"code":"JN-S01","name":"泉城路派出所","kind":"station","parent":"JN",
       "boundary":{"type":"Polygon","coordinates":[[[117.10,36.60],[117.20,36.60],[117.20,36.70],[117.10,36.70],[117.10,36.60]]]}},
      {"code":"JN-S01-C01","name":"泉城路社区","kind":"community","parent":"JN-S01",
       "boundary":{"type":"Polygon","coordinates":[[[117.10,36.60],[117.15,36.60],[117.15,36.65],[117.10,36.65],[117.10,36.60]]]}},
      {"code":"JN-S02","name":"大明湖派出所","kind":"station","parent":"JN",
       "boundary":{"type":"MultiPolygon","coordinates":[[[[117.20,36.60],[117.30,36.60],[117.30,36.70],[117.20,36.70],[117.20,36.60]]]]}}
    ])");
    JsonResponse r = post("/api/units", units);
    ASSERT_EQ(r.status, 200) << r.raw;
  }

  TempDir dir_;
  TestClock clock_;
  std::shared_ptr<auth::Authority> authority_;
  std::string token_;  // the tester's API token
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<dispatch::DispatchService> dispatch_;  // outlives server_ (declared before it)
  std::unique_ptr<HttpServer> server_;
};

}  // namespace pingan::testing
