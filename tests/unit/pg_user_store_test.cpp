// The user store on PostgreSQL (issues 17 and 19) where it does what
// SQLite's single writer did for it: a taken username and a missing user
// are the same errors, failed sign-ins counted from two servers at once
// give each failure its own count (the lockout cannot be outrun), and users
// are listed in byte order whatever the database's collation. Always on the
// test cluster (tests/unit/test_store.h).

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan {
namespace {

std::unique_ptr<PostgresStore> open_pg(const std::string& url) {
  auto store = PostgresStore::open(url);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  return store.ok() ? std::move(store).value() : nullptr;
}

User user(const std::string& name) {
  User u;
  u.username = name;
  u.display_name = "测试";
  u.unit_code = "PA";
  u.role = "tester";
  u.password_hash = "$argon2id$x";
  u.created_at = u.password_changed_at = 1780000000;
  return u;
}

TEST(PostgresUserStoreTest, ATakenNameAndAMissingUserAreTheStoresUsualErrors) {
  testing::TempDir dir;
  const std::string url = testing::pg_test_schema_url(dir.file("users"));
  ASSERT_FALSE(url.empty());
  auto store = open_pg(url);
  ASSERT_TRUE(store);
  UserStore& users = store->users();
  ASSERT_TRUE(users.add_user(user("li.na")).ok());
  Status again = users.add_user(user("li.na"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "username");
  Status missing = users.update_user(user("nobody"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(users.revoke_token(12345, 1).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(users.find_user("nobody").value().has_value());

  // Sessions: ended together but the one kept; touching never goes back.
  for (const char* id : {"s1", "s2", "s3"})
    ASSERT_TRUE(users.add_session(Session{id, "li.na", "csrf", "127.0.0.1", 100, 100, std::nullopt}).ok());
  ASSERT_TRUE(users.touch_session("s1", 150).ok());
  ASSERT_TRUE(users.touch_session("s1", 120).ok());
  EXPECT_EQ(users.find_session("s1").value()->last_seen_at, 150);
  EXPECT_EQ(users.end_sessions_of("li.na", 200, "s2").value(), 2);
  EXPECT_EQ(users.find_session("s1").value()->ended_at, 200);
  EXPECT_FALSE(users.find_session("s2").value()->ended_at.has_value());

  // Tokens: ids given by the database, revoked once.
  auto token = users.add_token(ApiToken{0, "feed", "hash1", "li.na", {"incidents.read", "units.read"}, 300, {}});
  ASSERT_TRUE(token.ok()) << token.error().describe();
  EXPECT_GT(token->id, 0);
  ASSERT_TRUE(users.revoke_token(token->id, 400).ok());
  ASSERT_TRUE(users.revoke_token(token->id, 500).ok());
  auto listed = users.list_tokens("");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].revoked_at, 400);
  EXPECT_EQ((*listed)[0].permissions, (std::vector<std::string>{"incidents.read", "units.read"}));
}

TEST(PostgresUserStoreTest, FailuresFromTwoServersAtOnceEachGetTheirOwnCount) {
  testing::TempDir dir;
  const std::string url = testing::pg_test_schema_url(dir.file("users"));
  ASSERT_FALSE(url.empty());
  auto first = open_pg(url), second = open_pg(url);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->users().add_user(user("wang.fang")).ok());
  // One old failure, outside the window: dropped, not counted.
  ASSERT_EQ(first->users().record_failed_login("wang.fang", 1000, 0).value(), 1);
  constexpr int kThreads = 8, kEach = 10;
  std::mutex counts_mutex;
  std::vector<int> counts;  // GUARDED_BY(counts_mutex)
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      UserStore& users = (t % 2 ? *first : *second).users();
      for (int i = 0; i < kEach; ++i) {
        auto n = users.record_failed_login("wang.fang", 5000 + i, 2000);
        ASSERT_TRUE(n.ok()) << n.error().describe();
        std::lock_guard lock(counts_mutex);
        counts.push_back(*n);
      }
    });
  for (auto& t : threads) t.join();
  std::sort(counts.begin(), counts.end());
  std::vector<int> expected(kThreads * kEach);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(counts, expected);
  ASSERT_TRUE(second->users().clear_failed_logins("wang.fang").ok());
  EXPECT_EQ(first->users().record_failed_login("wang.fang", 6000, 2000).value(), 1);
}

TEST(PostgresUserStoreTest, UsersAreListedInByteOrderAsSqliteListsThem) {
  testing::TempDir dir;
  const std::string url = testing::pg_test_schema_url(dir.file("users"));
  ASSERT_FALSE(url.empty());
  auto store = open_pg(url);
  ASSERT_TRUE(store);
  for (const char* name : {"ab", "a_b", "a.b", "B", "a-c"}) ASSERT_TRUE(store->users().add_user(user(name)).ok());
  auto listed = store->users().list_users();
  ASSERT_TRUE(listed.ok()) << listed.error().describe();
  std::vector<std::string> names;
  for (const auto& u : *listed) names.push_back(u.username);
  EXPECT_EQ(names, (std::vector<std::string>{"B", "a-c", "a.b", "a_b", "ab"}));
}

}  // namespace
}  // namespace pingan
