#pragma once
// Sign-in for tests: the shipped roles plus a "tester" role holding every
// permission, a cheap argon2id cost (the shipped one is for real passwords),
// a clock the test moves, and a user and API token to call the server with.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "auth/authority.h"
#include "engine/engine.h"

namespace pingan::testing {

inline auth::Roles test_roles() {
  auto roles = auth::load_roles("");
  EXPECT_TRUE(roles.ok()) << roles.error().describe();
  auth::Roles out = std::move(roles).value();
  auth::Role tester{"tester", "测试", false, {}};
  for (const auto& [name, what] : out.permissions) tester.permissions.insert(name);
  out.roles.push_back(tester);
  return out;
}

inline auth::AuthPolicy cheap_policy() {
  auth::AuthPolicy p;
  p.password_cost.ops = 1;
  p.password_cost.memory_bytes = 64 * 1024;
  return p;
}

// A clock tests set and move (seconds, UTC).
struct TestClock {
  std::shared_ptr<std::atomic<Timestamp>> now = std::make_shared<std::atomic<Timestamp>>(1780000000);
  auth::Authority::Clock fn() const {
    auto n = now;
    return [n] { return n->load(); };
  }
  void advance(Timestamp seconds) { *now += seconds; }
};

inline std::shared_ptr<auth::Authority> test_authority(Engine& engine, const TestClock& clock,
                                                       bool with_deny_list = false) {
  auth::PasswordDenyList deny;
  if (with_deny_list) {
    auto loaded = auth::load_password_deny_list("");
    EXPECT_TRUE(loaded.ok());
    if (loaded.ok()) deny = std::move(loaded).value();
  }
  return std::make_shared<auth::Authority>(engine, test_roles(), std::move(deny), cheap_policy(), clock.fn());
}

// A user of role "tester" over every unit and an API token with all its
// permissions; returns the token's secret.
inline std::string tester_token(auth::Authority& authority) {
  auto created = authority.add_user({"tester", "测试员", "*", "tester"}, "test");
  EXPECT_TRUE(created.ok()) << created.error().describe();
  auto token = authority.issue_token("tester", "tests", {}, "test");
  EXPECT_TRUE(token.ok()) << token.error().describe();
  return token.ok() ? token->secret : std::string();
}

}  // namespace pingan::testing
