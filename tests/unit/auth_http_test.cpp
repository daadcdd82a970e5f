// Sign-in over HTTP (issue 17): cookies, CSRF, lockout, the per-address
// limit, the second factor and its replay, session timeouts on the test's
// clock, logout, session fixation, tokens and their revocation, who is
// recorded as the actor, and the security headers of every answer.

#include <gtest/gtest.h>

#include <set>

#include "auth/totp.h"
#include "http_test_support.h"

namespace pingan::testing {
namespace {

class AuthHttpTest : public HttpServerTest {
 protected:
  bool with_deny_list() override { return true; }

  void SetUp() override {
    HttpServerTest::SetUp();
    load_units();
  }

  // Adds a user and gives them `password` (no forced change).
  void add_user(const std::string& name, const std::string& role, const std::string& unit,
                const std::string& password = "correct horse battery") {
    auto created = authority_->add_user({name, "用户" + name, unit, role}, "test");
    ASSERT_TRUE(created.ok()) << created.error().describe();
    totp_secrets_[name] = created->totp_secret;
    ASSERT_TRUE(authority_->set_password(name, password, false, "test").ok());
  }

  struct SignedIn {
    int status = 0;
    std::string cookie;  // "pingan_session=..."
    std::string set_cookie;
    std::string csrf;
    std::string retry_after;
    nlohmann::json body;
  };
  SignedIn login(const std::string& name, const std::string& password, const std::string& totp = "",
                 const std::string& planted_cookie = "") {
    nlohmann::json body = {{"username", name}, {"password", password}};
    if (!totp.empty()) body["totp"] = totp;
    auto c = anonymous_client();
    httplib::Headers headers;
    if (!planted_cookie.empty()) headers.emplace("Cookie", planted_cookie);
    auto r = c->Post("/api/auth/login", headers, body.dump(), "application/json");
    SignedIn out;
    if (!r) return out;
    out.status = r->status;
    out.body = nlohmann::json::parse(r->body, nullptr, false);
    out.set_cookie = r->get_header_value("Set-Cookie");
    out.cookie = out.set_cookie.substr(0, out.set_cookie.find(';'));
    out.retry_after = r->get_header_value("Retry-After");
    if (out.body.is_object() && out.body.contains("csrf_token")) out.csrf = out.body["csrf_token"];
    return out;
  }
  JsonResponse get_as(const std::string& cookie, const std::string& path) const {
    return to_json_response(anonymous_client()->Get(path.c_str(), {{"Cookie", cookie}}));
  }
  JsonResponse post_as(const std::string& cookie, const std::string& csrf, const std::string& path,
                       const nlohmann::json& body) const {
    httplib::Headers h{{"Cookie", cookie}};
    if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    return to_json_response(anonymous_client()->Post(path.c_str(), h, body.dump(), "application/json"));
  }
  nlohmann::json incident_body() const {
    return {{"type", "theft"}, {"location", {{"lat", 36.65}, {"lon", 117.12}}}, {"address", "泉城路 1 号"}};
  }

  std::map<std::string, std::string> totp_secrets_;
};

TEST_F(AuthHttpTest, SignInSetsAStrictHttpOnlyCookieAndTheSessionAnswers) {
  add_user("zhang", "command", "JN-S01");
  SignedIn s = login("zhang", "correct horse battery");
  ASSERT_EQ(s.status, 200) << s.body.dump();
  EXPECT_NE(s.set_cookie.find("HttpOnly"), std::string::npos) << s.set_cookie;
  EXPECT_NE(s.set_cookie.find("SameSite=Strict"), std::string::npos) << s.set_cookie;
  EXPECT_EQ(s.set_cookie.find("Secure"), std::string::npos) << "no TLS here: " << s.set_cookie;
  EXPECT_EQ(s.body["user"]["unit"], "JN-S01");
  EXPECT_EQ(s.body["user"]["role_zh"], "指挥中心");
  JsonResponse me = get_as(s.cookie, "/api/auth/me");
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["user"]["username"], "zhang");
  EXPECT_EQ(me.body["csrf_token"], s.csrf);
}

TEST_F(AuthHttpTest, WithoutSigningInEveryRecordRouteIsRefused) {
  for (const char* path : {"/api/incidents", "/api/units", "/api/stats/overview", "/api/taxonomy", "/api/auth/me"}) {
    JsonResponse r = to_json_response(anonymous_client()->Get(path));
    EXPECT_EQ(r.status, 401) << path << " " << r.raw;
    EXPECT_EQ(r.body["error"]["code"], "unauthenticated") << path;
  }
  EXPECT_EQ(to_json_response(anonymous_client()->Get("/api/health")).status, 200);
  EXPECT_EQ(to_json_response(anonymous_client()->Post("/api/incidents", incident_body().dump(), "application/json"))
                .status,
            401);
}

TEST_F(AuthHttpTest, MalformedCredentialsAre401NeverA500) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer"},
                                                        {"Authorization", "Basic dXNlcjpwYXNz"},
                                                        {"Authorization", "Bearer pat_" + std::string(500, 'x')},
                                                        {"Authorization", "Bearer \x01\x02"},
                                                        {"Cookie", "pingan_session="},
                                                        {"Cookie", "pingan_session=" + std::string(4000, 'a')},
                                                        {"Cookie", ";;;=;pingan_session"},
                                                        {"Cookie", "pingan_session=%00%ff"}}) {
    JsonResponse r = to_json_response(anonymous_client()->Get("/api/incidents", {{name, value}}));
    // 401; or 400 when the header itself is not HTTP (control characters).
    EXPECT_TRUE(r.status == 401 || r.status == 400) << name << ": " << value.substr(0, 40) << " -> " << r.raw;
    EXPECT_TRUE(r.body.contains("error")) << r.raw;
  }
  // A malformed login body is a 400 naming the field.
  auto r = to_json_response(anonymous_client()->Post("/api/auth/login", R"({"username":42})", "application/json"));
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["field"], "username");
}

TEST_F(AuthHttpTest, CookieWritesNeedTheSessionsCsrfToken) {
  add_user("zhang", "command", "JN-S01");
  SignedIn s = login("zhang", "correct horse battery");
  ASSERT_EQ(s.status, 200);
  EXPECT_EQ(post_as(s.cookie, "", "/api/incidents", incident_body()).status, 403);
  EXPECT_EQ(post_as(s.cookie, "wrong-token", "/api/incidents", incident_body()).status, 403);
  JsonResponse ok = post_as(s.cookie, s.csrf, "/api/incidents", incident_body());
  EXPECT_EQ(ok.status, 201) << ok.raw;
  // Another session's token does not do either.
  SignedIn other = login("zhang", "correct horse battery");
  EXPECT_EQ(post_as(s.cookie, other.csrf, "/api/incidents", incident_body()).status, 403);
}

TEST_F(AuthHttpTest, FiveFailuresLockTheAccountUntilAnAdministratorUnlocksIt) {
  add_user("li", "station", "JN-S01");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login("li", "wrong password here").status, 401);
  SignedIn fifth = login("li", "wrong password here");
  EXPECT_EQ(fifth.status, 401);
  // Locked: told so, with the same answer whether the password is right or not.
  SignedIn right = login("li", "correct horse battery");
  SignedIn wrong = login("li", "wrong password again");
  EXPECT_EQ(right.status, 423) << right.body.dump();
  EXPECT_EQ(wrong.status, 423);
  EXPECT_EQ(right.body, wrong.body);
  ASSERT_TRUE(authority_->unlock("li", "admin").ok());
  EXPECT_EQ(login("li", "correct horse battery").status, 200);
}

TEST_F(AuthHttpTest, FailuresOlderThanFifteenMinutesDoNotCount) {
  add_user("li", "station", "JN-S01");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login("li", "wrong password here").status, 401);
  clock_.advance(16 * 60);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login("li", "wrong password here").status, 401);
  EXPECT_EQ(login("li", "correct horse battery").status, 200);
}

TEST_F(AuthHttpTest, OneAddressTryingTooOftenGets429WithRetryAfter) {
  int first_429 = -1;
  SignedIn refused;
  for (int i = 0; i < 30 && first_429 < 0; ++i) {
    SignedIn s = login("nobody" + std::to_string(i), "whatever password");
    if (s.status == 429) {
      first_429 = i;
      refused = s;
    } else {
      EXPECT_EQ(s.status, 401);
    }
  }
  EXPECT_EQ(first_429, authority_->policy().address_attempts);
  ASSERT_FALSE(refused.retry_after.empty());
  EXPECT_GT(std::stoi(refused.retry_after), 0);
  clock_.advance(authority_->policy().address_window_s + 1);
  EXPECT_EQ(login("nobody", "whatever password").status, 401);
}

TEST_F(AuthHttpTest, AdministratorsNeedASecondFactorAndAUsedCodeCannotBeReplayed) {
  add_user("wang", "admin", "JN");
  const std::string secret = totp_secrets_["wang"];
  ASSERT_FALSE(secret.empty()) << "the admin role asks a second factor: a secret is made with the user";
  EXPECT_EQ(login("wang", "correct horse battery").status, 401);
  auto code = auth::totp_code(secret, clock_.now->load());
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(login("wang", "correct horse battery", "000000" == *code ? "111111" : "000000").status, 401);
  SignedIn s = login("wang", "correct horse battery", *code);
  EXPECT_EQ(s.status, 200) << s.body.dump();
  // The same code again, within its 30 s: a replay.
  EXPECT_EQ(login("wang", "correct horse battery", *code).status, 401);
  clock_.advance(30);
  auto next = auth::totp_code(secret, clock_.now->load());
  EXPECT_EQ(login("wang", "correct horse battery", *next).status, 200);
}

TEST_F(AuthHttpTest, SessionsEndAfterThirtyIdleMinutesAndAfterTwelveHoursWhateverTheUse) {
  add_user("zhang", "command", "JN-S01");
  SignedIn idle = login("zhang", "correct horse battery");
  clock_.advance(29 * 60);
  EXPECT_EQ(get_as(idle.cookie, "/api/auth/me").status, 200);
  clock_.advance(29 * 60);  // used 29 minutes ago: still alive
  EXPECT_EQ(get_as(idle.cookie, "/api/auth/me").status, 200);
  clock_.advance(31 * 60);
  JsonResponse expired = get_as(idle.cookie, "/api/auth/me");
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body["error"]["message"].get<std::string>().find("idle"), std::string::npos) << expired.raw;

  SignedIn busy = login("zhang", "correct horse battery");
  for (int i = 0; i < 12 * 3; ++i) {  // every 20 minutes for 12 hours
    clock_.advance(20 * 60);
    if (get_as(busy.cookie, "/api/auth/me").status != 200) {
      EXPECT_GE(i, 12 * 3 - 1) << "ended early, after " << (i + 1) * 20 << " minutes";
      return;
    }
  }
  ADD_FAILURE() << "a session used every 20 minutes outlived 12 hours";
}

TEST_F(AuthHttpTest, LogoutEndsTheSessionOnTheServer) {
  add_user("zhang", "command", "JN-S01");
  SignedIn s = login("zhang", "correct horse battery");
  JsonResponse out = post_as(s.cookie, s.csrf, "/api/auth/logout", nlohmann::json::object());
  EXPECT_EQ(out.status, 204) << out.raw;
  // The browser may keep the old cookie: the server no longer takes it.
  EXPECT_EQ(get_as(s.cookie, "/api/auth/me").status, 401);
}

TEST_F(AuthHttpTest, SignInGivesANewSessionIdAndEndsOneItWasGiven) {
  add_user("zhang", "command", "JN-S01");
  SignedIn first = login("zhang", "correct horse battery");
  // An attacker's own cookie, planted in the victim's browser before sign-in.
  SignedIn second = login("zhang", "correct horse battery", "", first.cookie);
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.cookie, first.cookie);
  EXPECT_EQ(get_as(first.cookie, "/api/auth/me").status, 401);
  EXPECT_EQ(get_as(second.cookie, "/api/auth/me").status, 200);
  // A made-up id is never adopted either.
  SignedIn third = login("zhang", "correct horse battery", "", "pingan_session=attacker-chosen-value");
  EXPECT_EQ(third.cookie.find("attacker-chosen-value"), std::string::npos);
  EXPECT_EQ(get_as("pingan_session=attacker-chosen-value", "/api/auth/me").status, 401);
}

TEST_F(AuthHttpTest, ARevokedTokenStopsWorking) {
  add_user("avl", "machine", "JN-S01");
  auto token = authority_->issue_token("avl", "avl-feed", {"positions.write", "units.read"}, "test");
  ASSERT_TRUE(token.ok()) << token.error().describe();
  auto c = anonymous_client();
  c->set_bearer_token_auth(token->secret);
  EXPECT_EQ(to_json_response(c->Get("/api/units")).status, 200);
  // Not granted to the token, though its role has it.
  EXPECT_EQ(to_json_response(c->Post("/api/incidents", incident_body().dump(), "application/json")).status, 403);
  ASSERT_TRUE(authority_->revoke_token(token->token.id, "test").ok());
  EXPECT_EQ(to_json_response(c->Get("/api/units")).status, 401);
  // More than the role has cannot be issued.
  EXPECT_FALSE(authority_->issue_token("avl", "too-much", {"users.manage"}, "test").ok());
}

TEST_F(AuthHttpTest, AOneTimePasswordMustBeChangedFirstAndTheRulesHold) {
  auto created = authority_->add_user({"zhao", "赵警官", "JN-S01", "community"}, "test");
  ASSERT_TRUE(created.ok());
  SignedIn s = login("zhao", created->one_time_password);
  ASSERT_EQ(s.status, 200);
  EXPECT_TRUE(s.body["must_change_password"].get<bool>());
  JsonResponse blocked = get_as(s.cookie, "/api/incidents");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_NE(blocked.raw.find("/api/auth/password"), std::string::npos) << blocked.raw;
  auto change = [&](const std::string& next) {
    return post_as(s.cookie, s.csrf, "/api/auth/password",
                   {{"old_password", created->one_time_password}, {"new_password", next}});
  };
  EXPECT_EQ(change("short1").status, 400);
  JsonResponse common = change("password1234");
  EXPECT_EQ(common.status, 400);
  EXPECT_NE(common.raw.find("common"), std::string::npos) << common.raw;
  EXPECT_EQ(change("zhao-zhao-zhao-1").status, 400) << "contains the username";
  EXPECT_EQ(change("泉城路巡逻二〇二六年夏季").status, 204);
  EXPECT_EQ(get_as(s.cookie, "/api/incidents").status, 200);
}

TEST_F(AuthHttpTest, ChangingThePasswordEndsEveryOtherSessionOfTheUser) {
  add_user("zhang", "command", "JN-S01");
  SignedIn thief = login("zhang", "correct horse battery");
  SignedIn owner = login("zhang", "correct horse battery");
  ASSERT_EQ(get_as(thief.cookie, "/api/auth/me").status, 200);
  JsonResponse changed = post_as(owner.cookie, owner.csrf, "/api/auth/password",
                                 {{"old_password", "correct horse battery"}, {"new_password", "大明湖畔夏季巡逻二〇二六年"}});
  ASSERT_EQ(changed.status, 204) << changed.raw;
  EXPECT_EQ(get_as(thief.cookie, "/api/auth/me").status, 401);
  EXPECT_EQ(get_as(owner.cookie, "/api/auth/me").status, 200);
}

TEST_F(AuthHttpTest, TheActorIsWhoSignedInNeverWhatTheBodySays) {
  add_user("zhang", "command", "JN-S01");
  SignedIn s = login("zhang", "correct horse battery");
  JsonResponse created = post_as(s.cookie, s.csrf, "/api/incidents", incident_body());
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = std::to_string(created.body["id"].get<long long>());
  JsonResponse forged = post_as(s.cookie, s.csrf, "/api/incidents/" + id + "/transition",
                                {{"to", "dispatched"}, {"actor", "局长"}});
  EXPECT_EQ(forged.status, 400) << forged.raw;
  EXPECT_EQ(forged.body["error"]["field"], "actor");
  JsonResponse moved = post_as(s.cookie, s.csrf, "/api/incidents/" + id + "/transition", {{"to", "dispatched"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  JsonResponse events = get_as(s.cookie, "/api/incidents/" + id + "/events");
  ASSERT_EQ(events.status, 200);
  for (const auto& e : events.body["items"]) EXPECT_EQ(e["actor"], "zhang") << e.dump();
}

TEST_F(AuthHttpTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const char* path : {"/api/health", "/api/incidents", "/api/nowhere", "/api/incidents/abc"}) {
    auto r = client()->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_NE(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << path;
  }
}

TEST_F(AuthHttpTest, TheUnitListShowsTheCallersSubtreeAndWhatIsAboveItNotTheNeighbours) {
  add_user("zhang", "station", "JN-S01");
  SignedIn s = login("zhang", "correct horse battery");
  ASSERT_EQ(s.status, 200);
  JsonResponse r = get_as(s.cookie, "/api/units");
  ASSERT_EQ(r.status, 200) << r.raw;
  std::set<std::string> codes;
  for (const auto& u : r.body["items"]) codes.insert(u["code"].get<std::string>());
  EXPECT_EQ(codes, (std::set<std::string>{"JN", "JN-S01", "JN-S01-C01"})) << r.raw;
  EXPECT_EQ(r.body["total"], 3);
  // The tester's scope is every unit: the whole tree.
  EXPECT_EQ(get("/api/units").body["total"], 4);
}

TEST_F(AuthHttpTest, ACallOutsideEveryBoundaryIsTheCallersUnitsAndStaysVisibleToThem) {
  add_user("zhang", "station", "JN-S02");
  SignedIn s = login("zhang", "correct horse battery");
  ASSERT_EQ(s.status, 200);
  nlohmann::json body = {{"type", "theft"}, {"location", {{"lat", 30.0}, {"lon", 100.0}}}, {"address", "辖区外"}};
  JsonResponse made = post_as(s.cookie, s.csrf, "/api/incidents", body);
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["unit"], "JN-S02") << made.raw;
  JsonResponse read = get_as(s.cookie, "/api/incidents/" + std::to_string(made.body["id"].get<long long>()));
  EXPECT_EQ(read.status, 200) << read.raw;
}

}  // namespace
}  // namespace pingan::testing
