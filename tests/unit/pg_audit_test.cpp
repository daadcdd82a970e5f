// The audit log on PostgreSQL (issues 17 and 19), where audit_log_test.cpp
// edits the SQLite file: plain SQL as an administrator would type it in psql
// is refused by migration 8's triggers (also with a gate row of another
// transaction, or another store's schema first in the search path); edits
// made around the triggers (session_replication_role = replica, as a
// superuser can) are found by the chain; appends of two servers make one
// chain; a search walks pages of one snapshot; prune leaves the gate shut.
// Always on the test cluster (tests/unit/test_store.h).

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/audit_log.h"
#include "pg_test_inspect.h"
#include "store/postgres/pg_store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan {
namespace {

using auth::AuditAlg;
using auth::AuditEvent;
using auth::AuditLog;
using testing::PgInspector;

constexpr Timestamp kT0 = 1717200000;  // 2024-06-01T00:00:00Z

AuditEvent event(int i, std::string user = "zhang.wei") {
  AuditEvent e;
  e.at = kT0 + i * 60;
  e.user = std::move(user);
  e.unit_code = "370102";
  e.address = "10.0.0." + std::to_string(i % 250);
  e.action = i % 3 == 0 ? "reveal" : "POST /api/incidents";
  e.target = "incident:" + std::to_string(100 + i);
  e.outcome = "ok";
  e.reason = "entry " + std::to_string(i);
  return e;
}

// A schema of its own in the test cluster; a failure, and "", without one.
std::string schema_url(const testing::TempDir& dir, const std::string& name) {
  return testing::pg_test_schema_url(dir.file(name));
}

std::unique_ptr<PostgresStore> open_pg(const std::string& url) {
  auto store = PostgresStore::open(url);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  return store.ok() ? std::move(store).value() : nullptr;
}

// A store at `url` holding a chain of `n` entries.
std::unique_ptr<PostgresStore> with_log(const std::string& url, int n) {
  auto store = open_pg(url);
  if (!store) return nullptr;
  AuditLog log(store->audit(), AuditAlg::kSha256);
  for (int i = 1; i <= n; ++i) EXPECT_TRUE(log.append(event(i)).ok());
  return store;
}

auth::AuditVerification verify(Store& store) {
  auto v = AuditLog(store.audit(), AuditAlg::kSha256).verify();
  EXPECT_TRUE(v.ok()) << v.error().describe();
  return v.ok() ? *v : auth::AuditVerification{};
}

const std::string kColumns = "seq, at, user_name, unit_code, address, action, target, outcome, reason, alg, prev_hash, hash";
std::string row_of(int seq) {
  return "(" + std::to_string(seq) + ", 1717200000, '', '', '', 'x', '', 'ok', '', 'sha256', '', '')";
}

TEST(PostgresAuditTest, PlainSqlCannotChangeTheLogOrItsAnchor) {
  testing::TempDir dir;
  const std::string url = schema_url(dir, "a");
  ASSERT_FALSE(url.empty());
  auto store = with_log(url, 5);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->audit().prune(kT0 + 3 * 60, kT0 + 1000).ok());  // an anchor to attack too
  PgInspector psql(url);
  for (const std::string& sql : std::vector<std::string>{
           "UPDATE audit_log SET reason = 'x' WHERE seq = 4",
           "UPDATE audit_log SET reason = 'x' WHERE seq = 99",  // matching nothing: refused all the same
           "DELETE FROM audit_log WHERE seq = 5",
           "DELETE FROM audit_log",
           "TRUNCATE audit_log",
           "INSERT INTO audit_log (" + kColumns + ") VALUES " + row_of(4),  // an old seq
           "INSERT INTO audit_log (" + kColumns + ") VALUES " + row_of(9),  // past the next one
           "INSERT INTO audit_log (" + kColumns + ") VALUES " + row_of(4) +
               " ON CONFLICT (seq) DO UPDATE SET reason = 'x'",
           "UPDATE audit_anchor SET last_hash = ''",
           "DELETE FROM audit_anchor",
           "TRUNCATE audit_anchor",
       }) {
    const std::string error = psql.error_of(sql);
    EXPECT_NE(error.find("append-only"), std::string::npos) << sql << " → " << (error.empty() ? "done" : error);
  }
  // A gate row of another, uncommitted transaction opens nothing here.
  PgInspector other(url);
  ASSERT_EQ(other.error_of("BEGIN; INSERT INTO audit_prune_gate (open) VALUES (1)"), "");
  EXPECT_NE(psql.error_of("DELETE FROM audit_log").find("append-only"), std::string::npos);
  ASSERT_EQ(other.error_of("ROLLBACK"), "");

  auto v = verify(*store);
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.anchor_seq, 2);
  EXPECT_EQ(v.checked, 3);
  // The next append still links on.
  auto next = AuditLog(store->audit(), AuditAlg::kSha256).append(event(6));
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_EQ(next->seq, 6);
}

// The triggers find their tables through the table's own schema: another
// store's schema first in the search path neither gives the next seq nor
// opens the gate.
TEST(PostgresAuditTest, TheTriggersGuardTheirOwnSchemaWhateverTheSearchPath) {
  testing::TempDir dir;
  const std::string url_a = schema_url(dir, "a"), url_b = schema_url(dir, "b");
  ASSERT_FALSE(url_a.empty());
  auto a = with_log(url_a, 5);
  auto b = with_log(url_b, 2);
  ASSERT_TRUE(a && b);
  const std::string schema_a = PgInspector(url_a).text("SELECT current_schema()");
  const std::string schema_b = PgInspector(url_b).text("SELECT current_schema()");
  ASSERT_NE(schema_a, schema_b);
  PgInspector psql(testing::pg_test_url());
  ASSERT_EQ(psql.error_of("SET search_path = " + schema_a + ", " + schema_b), "");
  // 6 is A's next seq, not B's.
  EXPECT_NE(psql.error_of("INSERT INTO " + schema_b + ".audit_log (" + kColumns + ") VALUES " + row_of(6))
                .find("append-only"),
            std::string::npos);
  // A's gate, open and committed, is not B's.
  ASSERT_EQ(psql.error_of("INSERT INTO " + schema_a + ".audit_prune_gate (open) VALUES (1)"), "");
  EXPECT_NE(psql.error_of("DELETE FROM " + schema_b + ".audit_log").find("append-only"), std::string::npos);
  ASSERT_EQ(psql.error_of("DELETE FROM " + schema_a + ".audit_prune_gate"), "");
  EXPECT_EQ(PgInspector(url_b).text("SELECT count(*) FROM audit_log"), "2");
  EXPECT_TRUE(verify(*b).ok);
}

// What the SQLite tests do with DROP TRIGGER: edits by a superuser with the
// triggers off, each found by the chain at the right seq.
TEST(PostgresAuditTest, EditsAroundTheTriggersAreFoundByTheChain) {
  struct Case {
    std::string name, sql;
    std::int64_t first_bad, checked;  // checked -1: not compared
    std::string says;
  } cases[] = {
      {"edited", "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 4", 4, 3, "edited"},
      {"time", "UPDATE audit_log SET at = at + 1 WHERE seq = 6", 6, 5, "edited"},
      {"removed", "DELETE FROM audit_log WHERE seq = 5", 6, 4, "removed"},
      {"first removed", "DELETE FROM audit_log WHERE seq = 1", 2, -1, "removed"},
      // Renumbered through negative seqs: the primary key is checked row by row.
      {"renumbered",
       "DELETE FROM audit_log WHERE seq = 5; UPDATE audit_log SET seq = -seq WHERE seq > 5; "
       "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0",
       5, 4, ""},
      {"swapped",
       "CREATE TEMP TABLE moved AS SELECT * FROM audit_log WHERE seq IN (3, 4); "
       "UPDATE audit_log SET (at, user_name, unit_code, address, action, target, outcome, reason, alg, prev_hash, "
       "hash) = (SELECT at, user_name, unit_code, address, action, target, outcome, reason, alg, prev_hash, hash "
       "FROM moved WHERE moved.seq = 7 - audit_log.seq) WHERE seq IN (3, 4)",
       3, 2, "reordered"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    testing::TempDir dir;
    const std::string url = schema_url(dir, "a");
    ASSERT_FALSE(url.empty());
    auto store = with_log(url, 8);
    ASSERT_TRUE(store);
    ASSERT_TRUE(verify(*store).ok);
    PgInspector psql(url);
    // Plain, it is refused; with the triggers off (a superuser), it is done.
    EXPECT_NE(psql.error_of(c.sql), "");
    ASSERT_EQ(psql.error_of("SET session_replication_role = replica; " + c.sql), "");
    auto v = verify(*store);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, c.first_bad);
    if (c.checked >= 0) {
      EXPECT_EQ(v.checked, c.checked);
    }
    EXPECT_NE(v.problem.find(c.says), std::string::npos) << v.problem;
  }
}

// Two servers on one database, four threads each: one chain, no seq twice.
TEST(PostgresAuditTest, AppendsOfTwoServersMakeOneUnbrokenChain) {
  testing::TempDir dir;
  const std::string url = schema_url(dir, "a");
  ASSERT_FALSE(url.empty());
  auto first = open_pg(url), second = open_pg(url);
  ASSERT_TRUE(first && second);
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<std::int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      AuditLog log((t % 2 ? *first : *second).audit(), t % 3 ? AuditAlg::kSha256 : AuditAlg::kSm3);
      for (int i = 0; i < kEach; ++i) {
        auto e = log.append(event(i, "user" + std::to_string(t)));
        EXPECT_TRUE(e.ok()) << e.error().describe();
        if (e.ok()) seqs[t].push_back(e->seq);
      }
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (const auto& s : seqs) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), size_t(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  auto v = verify(*second);
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.checked, kThreads * kEach);
}

// More entries than a page: every match once, in order, and an append made
// during the walk is not in it (one snapshot).
TEST(PostgresAuditTest, ASearchWalksPagesOfOneSnapshot) {
  testing::TempDir dir;
  const std::string url = schema_url(dir, "a");
  ASSERT_FALSE(url.empty());
  auto store = with_log(url, 0);
  ASSERT_TRUE(store);
  // 2,600 rows in one statement (their hashes are not checked here).
  ASSERT_EQ(PgInspector(url).error_of(
                "INSERT INTO audit_log (" + kColumns + ") SELECT g, 1717200000 + g, "
                "CASE WHEN g % 2 = 0 THEN 'li.na' ELSE 'wang.fang' END, '370102', '', 'reveal', '', 'ok', '', "
                "'sha256', '', md5(g::text) FROM generate_series(1, 2600) AS g"),
            "");
  std::vector<std::int64_t> seen;
  bool appended = false;
  ASSERT_TRUE(store->audit()
                  .search(AuditQuery{},
                          [&](const AuditEntry& e) {
                            if (!appended) {
                              appended = true;
                              AuditEntry late;
                              late.at = kT0;
                              late.action = "x";
                              late.outcome = "ok";
                              auto a = store->audit().append(late, [](const AuditEntry&) -> Result<std::string> {
                                return std::string("h");
                              });
                              EXPECT_TRUE(a.ok()) << a.error().describe();
                              EXPECT_EQ(a->seq, 2601);
                            }
                            seen.push_back(e.seq);
                            return Status{};
                          })
                  .ok());
  ASSERT_EQ(seen.size(), 2600u);
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], std::int64_t(i + 1));
  EXPECT_EQ(*store->audit().count(AuditQuery{}), 2601);

  AuditQuery page;
  page.user = "li.na";
  page.after_seq = 100;
  page.limit = 1100;
  std::vector<std::int64_t> li;
  ASSERT_TRUE(store->audit().search(page, [&](const AuditEntry& e) {
    li.push_back(e.seq);
    return Status{};
  }).ok());
  ASSERT_EQ(li.size(), 1100u);
  EXPECT_EQ(li.front(), 102);
  EXPECT_EQ(li.back(), 2300);
  page.limit = 0;
  EXPECT_EQ(*store->audit().count(page), 1300);  // after_seq and limit do not count

  // An error from the visitor stops the walk and is returned.
  int visited = 0;
  Status stopped = store->audit().search(AuditQuery{}, [&](const AuditEntry& e) -> Status {
    if (++visited == 1500) return Error::invalid("stop", "enough");
    return {};
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().field, "stop");
  EXPECT_EQ(visited, 1500);
}

TEST(PostgresAuditTest, PruneLeavesTheGateShutAndTheAnchorLinksTheChain) {
  testing::TempDir dir;
  const std::string url = schema_url(dir, "a");
  ASSERT_FALSE(url.empty());
  constexpr Timestamp kDay = 86400;
  auto store = open_pg(url);
  ASSERT_TRUE(store);
  AuditLog log(store->audit(), AuditAlg::kSha256);
  for (int i = 0; i < 10; ++i) {
    AuditEvent e = event(i);
    e.at = kT0 + i * 100 * kDay;
    ASSERT_TRUE(log.append(e).ok());
  }
  const Timestamp now = kT0 + 900 * kDay;
  auto removed = log.prune(now - 450 * kDay, now);
  ASSERT_TRUE(removed.ok()) << removed.error().describe();
  EXPECT_EQ(*removed, 5);
  auto anchor = store->audit().anchor();
  ASSERT_TRUE(anchor.ok());
  EXPECT_EQ(anchor->last_seq, 5);
  PgInspector psql(url);
  EXPECT_EQ(psql.text("SELECT count(*) FROM audit_prune_gate"), "0");
  EXPECT_EQ(psql.text("SELECT min(seq) FROM audit_log"), "6");
  EXPECT_NE(psql.error_of("DELETE FROM audit_log").find("append-only"), std::string::npos);
  // Nothing old enough: nothing removed, no second anchor.
  EXPECT_EQ(*log.prune(now - 450 * kDay, now), 0);
  EXPECT_EQ(psql.text("SELECT count(*) FROM audit_anchor"), "1");
  EXPECT_TRUE(verify(*store).ok);
  // The first entry after the anchor must link to the anchor's hash.
  ASSERT_EQ(psql.error_of("SET session_replication_role = replica; UPDATE audit_log SET prev_hash = 'forged' "
                          "WHERE seq = 6"),
            "");
  auto v = verify(*store);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 6);
}

}  // namespace
}  // namespace pingan
