// The hash-chained audit log (issue 17): the chain verifies, an edited, a
// removed and a reordered entry are each found (edited in the SQLite file
// itself, around the triggers), the database refuses UPDATE and DELETE,
// SM3 and SHA-256 match their published vectors, concurrent appends make one
// chain, searches, exports, retention, and `pingan audit verify`'s exit codes.
// On the `pg.` run (tests/unit/test_store.h) the store is a PostgreSQL schema;
// the tests that edit the SQLite file itself are skipped there, and
// pg_audit_test.cpp does the same through SQL (PostgresAuditTest).

#include <gtest/gtest.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "auth/audit_log.h"
#include "auth/audit_queue.h"
#include "ingest/csv_reader.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

extern char** environ;

namespace pingan {
namespace {

using auth::AuditAlg;
using auth::AuditEvent;
using auth::AuditLog;

constexpr Timestamp kT0 = 1717200000;  // 2024-06-01T00:00:00Z

// The SQLite file's triggers and pages edited directly (pg_audit_test.cpp
// tampers with PostgreSQL's log through SQL instead).
constexpr const char* kSqliteFileOnly = "edits the SQLite file directly: see PostgresAuditTest";

// `location`: a file, or a PostgreSQL URL on the `pg.` run.
std::unique_ptr<Store> open_file(const std::string& location) {
  auto store = open_store(location);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  return store.ok() ? std::move(store).value() : nullptr;
}

AuditEvent event(int i, std::string user = "zhang.wei", std::string unit = "370102") {
  AuditEvent e;
  e.at = kT0 + i * 60;
  e.user = std::move(user);
  e.unit_code = std::move(unit);
  e.address = "10.0.0." + std::to_string(i % 250);
  e.action = i % 3 == 0 ? "reveal" : "POST /api/incidents";
  e.target = "incident:" + std::to_string(100 + i);
  e.outcome = "ok";
  e.reason = "entry " + std::to_string(i);
  return e;
}

// A log of `n` entries in a new file; the store is closed on return.
void write_log(const std::string& path, int n, AuditAlg alg = AuditAlg::kSha256) {
  auto store = open_file(path);
  ASSERT_TRUE(store);
  AuditLog log(store->audit(), alg);
  for (int i = 1; i <= n; ++i) ASSERT_TRUE(log.append(event(i)).ok());
}

// Runs SQL on the file directly, beside (not through) the store; returns
// SQLite's error message, "" on success.
std::string raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = rc == SQLITE_OK ? "" : (err ? err : "error");
  sqlite3_free(err);
  sqlite3_close(db);
  return message;
}

auth::AuditVerification verify_file(const std::string& path) {
  auto store = open_file(path);
  if (!store) return {};
  AuditLog log(store->audit(), AuditAlg::kSha256);
  auto v = log.verify();
  EXPECT_TRUE(v.ok()) << v.error().describe();
  return v.ok() ? *v : auth::AuditVerification{};
}

// The queue of deferred entries (auth/audit_queue.h): a burst is written
// in one commit, in the order posted, chained like single appends; a bad
// entry costs only itself; nothing is left unwritten when the queue goes.
TEST(AuditLogTest, AQueuedBurstIsWrittenInOrderChainedAndAllOfIt) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "q.db"));
  ASSERT_TRUE(store);
  auto log = std::make_shared<AuditLog>(store->audit(), AuditAlg::kSha256);
  ASSERT_TRUE(log->append(event(1)).ok());
  {
    auth::AuditQueue queue(log, std::chrono::milliseconds(50));
    for (int i = 2; i <= 40; ++i) {
      AuditEvent e = event(i);
      if (i == 20) e.outcome = "bogus";  // refused by the log's checks
      queue.post(e);
    }
    queue.drain();
    auto written = log->search({});
    ASSERT_TRUE(written.ok());
    ASSERT_EQ(written->size(), 39u);  // 1 + 38: every entry but the bad one
    for (std::size_t k = 1; k < written->size(); ++k) {
      EXPECT_EQ((*written)[k].seq, (*written)[k - 1].seq + 1);
      EXPECT_EQ((*written)[k].prev_hash, (*written)[k - 1].hash);
    }
    EXPECT_EQ((*written)[18].reason, "entry 19");
    EXPECT_EQ((*written)[19].reason, "entry 21");
    for (int i = 41; i <= 45; ++i) queue.post(event(i));
  }  // the queue's end writes what it still holds
  auto all = log->search({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 44u);
  auto v = log->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST(AuditLogTest, AChainOfEntriesVerifiesAndLinksEachToThePrevious) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "a.db"));
  AuditLog log(store->audit(), AuditAlg::kSha256);
  std::vector<AuditEntry> appended;
  for (int i = 1; i <= 25; ++i) {
    auto e = log.append(event(i));
    ASSERT_TRUE(e.ok()) << e.error().describe();
    appended.push_back(*e);
  }
  for (size_t i = 0; i < appended.size(); ++i) {
    EXPECT_EQ(appended[i].seq, std::int64_t(i + 1));
    EXPECT_EQ(appended[i].prev_hash, i == 0 ? "" : appended[i - 1].hash);
    EXPECT_EQ(appended[i].hash.size(), 64u);
    EXPECT_EQ(appended[i].alg, "sha256");
  }
  auto v = log.verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->checked, 25);
  EXPECT_EQ(v->head_seq, 25);
  EXPECT_EQ(v->head_hash, appended.back().hash);
  // What was stored is what was appended.
  auto stored = log.search(AuditQuery{});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 25u);
  EXPECT_EQ((*stored)[6].reason, "entry 7");
  EXPECT_EQ((*stored)[6].hash, appended[6].hash);
}

TEST(AuditLogTest, FieldsAreLengthPrefixedSoShiftedTextHashesDifferently) {
  AuditEntry a;
  a.alg = "sha256";
  a.seq = 1;
  a.user = "ab";
  a.unit_code = "c";
  AuditEntry b = a;
  b.user = "a";
  b.unit_code = "bc";
  EXPECT_NE(auth::audit_hash_input(a), auth::audit_hash_input(b));
  EXPECT_NE(*auth::audit_entry_hash(a), *auth::audit_entry_hash(b));
  AuditEntry c = a;
  c.seq = 2;  // the position is hashed too
  EXPECT_NE(*auth::audit_entry_hash(a), *auth::audit_entry_hash(c));
}

TEST(AuditLogTest, AnEditedEntryIsNamed) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 10);
  EXPECT_TRUE(verify_file(path).ok);
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_update; "
                           "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 4"),
            "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_EQ(v.checked, 3);
  EXPECT_NE(v.problem.find("edited"), std::string::npos) << v.problem;
}

TEST(AuditLogTest, AnEditedTimeOrUserIsNamedToo) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 6);
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = at + 1 WHERE seq = 6"), "");
  EXPECT_EQ(verify_file(path).first_bad_seq, 6);
  ASSERT_EQ(raw_exec(path, "UPDATE audit_log SET user_name = 'someone.else' WHERE seq = 2"), "");
  EXPECT_EQ(verify_file(path).first_bad_seq, 2);
}

TEST(AuditLogTest, ADeletedEntryIsNamed) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 10);
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5"), "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_EQ(v.checked, 4);
  EXPECT_NE(v.problem.find("removed"), std::string::npos) << v.problem;
}

TEST(AuditLogTest, ADeletedFirstEntryIsNamed) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 4);
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 1"), "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_NE(v.problem.find("removed"), std::string::npos) << v.problem;
}

TEST(AuditLogTest, ADeletedEntryWithTheLaterOnesRenumberedIsFound) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 8);
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update; "
                           "DELETE FROM audit_log WHERE seq = 5; "
                           "UPDATE audit_log SET seq = seq - 1 WHERE seq > 5"),
            "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 5);
  EXPECT_EQ(v.checked, 4);
}

TEST(AuditLogTest, TwoSwappedEntriesAreNamedAsReordered) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 8);
  // Entries 3 and 4 trade places: every column but seq moves, hashes included.
  ASSERT_EQ(raw_exec(path,
                     "DROP TRIGGER audit_log_no_update; "
                     "CREATE TEMP TABLE moved AS SELECT * FROM audit_log WHERE seq IN (3, 4); "
                     "UPDATE audit_log SET (at, user_name, unit_code, address, action, target, outcome, reason, "
                     "alg, prev_hash, hash) = (SELECT at, user_name, unit_code, address, action, target, outcome, "
                     "reason, alg, prev_hash, hash FROM moved WHERE moved.seq = 7 - audit_log.seq) "
                     "WHERE seq IN (3, 4)"),
            "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.checked, 2);
  EXPECT_NE(v.problem.find("reordered"), std::string::npos) << v.problem;
}

TEST(AuditLogTest, TheDatabaseRefusesUpdateDeleteAndOutOfOrderInserts) {
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 5);
  EXPECT_NE(raw_exec(path, "UPDATE audit_log SET reason = 'x' WHERE seq = 2").find("append-only"), std::string::npos);
  EXPECT_NE(raw_exec(path, "DELETE FROM audit_log WHERE seq = 5").find("append-only"), std::string::npos);
  EXPECT_NE(raw_exec(path, "DELETE FROM audit_log").find("append-only"), std::string::npos);
  // Over an old seq (REPLACE would delete it without the DELETE trigger)
  // and past the next one.
  const std::string row = "1717200000, '', '', '', 'x', '', 'ok', '', 'sha256', '', ''";
  EXPECT_NE(raw_exec(path, "INSERT OR REPLACE INTO audit_log (seq, at, user_name, unit_code, address, action, target, "
                           "outcome, reason, alg, prev_hash, hash) VALUES (2, " + row + ")")
                .find("append-only"),
            std::string::npos);
  EXPECT_NE(raw_exec(path, "INSERT INTO audit_log (seq, at, user_name, unit_code, address, action, target, "
                           "outcome, reason, alg, prev_hash, hash) VALUES (9, " + row + ")")
                .find("append-only"),
            std::string::npos);
  auto v = verify_file(path);
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.checked, 5);
}

TEST(AuditLogTest, Sm3AndSha256MatchTheirPublishedVectors) {
  // GB/T 32905-2016 appendix A.1 and FIPS 180-2 appendix B.1.
  auto sm3 = auth::digest_hex(AuditAlg::kSm3, "abc");
  ASSERT_TRUE(sm3.ok()) << sm3.error().describe();
  EXPECT_EQ(*sm3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  auto sha = auth::digest_hex(AuditAlg::kSha256, "abc");
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuditLogTest, AnSm3LogVerifiesAndDetectsEditsAndALogMayMixAlgorithms) {
  testing::TempDir dir;
  const std::string path = testing::test_store_location(dir, "a.db");
  write_log(path, 4, AuditAlg::kSha256);
  {
    auto store = open_file(path);
    AuditLog log(store->audit(), AuditAlg::kSm3);
    for (int i = 5; i <= 8; ++i) {
      auto e = log.append(event(i));
      ASSERT_TRUE(e.ok());
      EXPECT_EQ(e->alg, "sm3");
      EXPECT_EQ(e->hash, *auth::digest_hex(AuditAlg::kSm3, auth::audit_hash_input(*e)));
      EXPECT_NE(e->hash, *auth::digest_hex(AuditAlg::kSha256, auth::audit_hash_input(*e)));
    }
  }
  auto v = verify_file(path);
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.checked, 8);
  if (testing::testing_postgres()) return;  // the edit around the triggers: PostgresAuditTest
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = '' WHERE seq = 7"), "");
  EXPECT_EQ(verify_file(path).first_bad_seq, 7);
}

TEST(AuditLogTest, ConcurrentAppendsFromEightThreadsMakeOneUnbrokenChain) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "a.db"));
  AuditLog log(store->audit(), AuditAlg::kSm3);
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::vector<std::int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto e = log.append(event(i, "user" + std::to_string(t)));
        if (e.ok()) seqs[t].push_back(e->seq);
      }
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (const auto& s : seqs) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), size_t(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  auto v = log.verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->checked, kThreads * kEach);
}

TEST(AuditLogTest, SearchFindsByUserUnitRecordActionAndTime) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "a.db"));
  AuditLog log(store->audit(), AuditAlg::kSha256);
  for (int i = 1; i <= 30; ++i)
    ASSERT_TRUE(log.append(event(i, i % 2 ? "li.na" : "wang.fang", i % 5 ? "370102" : "370103")).ok());
  AuditEvent failed{kT0 + 5000, "", "", "192.0.2.7", "login.failed", "", "failed", "wrong password"};
  ASSERT_TRUE(log.append(failed).ok());

  AuditQuery by_user;
  by_user.user = "li.na";
  auto r = log.search(by_user);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 15u);
  for (const auto& e : *r) EXPECT_EQ(e.user, "li.na");
  EXPECT_EQ(*store->audit().count(by_user), 15);

  AuditQuery by_unit;
  by_unit.unit_code = "370103";
  r = log.search(by_unit);
  ASSERT_EQ(r->size(), 6u);
  EXPECT_EQ((*r)[0].seq, 5);
  EXPECT_EQ((*r)[5].seq, 30);

  AuditQuery by_record;
  by_record.target = "incident:112";
  r = log.search(by_record);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].seq, 12);

  AuditQuery by_action;
  by_action.action = "login.failed";
  r = log.search(by_action);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].address, "192.0.2.7");
  EXPECT_EQ((*r)[0].reason, "wrong password");

  AuditQuery in_time;  // entries 10..19: at = kT0 + i * 60
  in_time.from = kT0 + 600;
  in_time.until = kT0 + 1200;
  r = log.search(in_time);
  ASSERT_EQ(r->size(), 10u);
  EXPECT_EQ((*r)[0].seq, 10);

  AuditQuery combined = by_user;
  combined.unit_code = "370103";
  EXPECT_EQ(log.search(combined)->size(), 3u);  // odd multiples of 5: 5, 15, 25

  AuditQuery page = by_user;
  page.limit = 4;
  r = log.search(page);
  ASSERT_EQ(r->size(), 4u);
  page.after_seq = (*r)[3].seq;
  auto next = log.search(page);
  ASSERT_EQ(next->size(), 4u);
  EXPECT_EQ((*next)[0].seq, 9);
}

TEST(AuditLogTest, ExportsRoundTripAsCsvAndJsonLines) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "a.db"));
  AuditLog log(store->audit(), AuditAlg::kSha256);
  for (int i = 1; i <= 12; ++i) ASSERT_TRUE(log.append(event(i, i <= 7 ? "li.na" : "wang.fang")).ok());
  AuditEvent awkward = event(13, "li.na");
  awkward.reason = "=HYPERLINK(\"x\"), 说明\n第二行";
  ASSERT_TRUE(log.append(awkward).ok());

  AuditQuery li;
  li.user = "li.na";
  std::ostringstream csv;
  auto n = log.export_entries(li, auth::AuditExportFormat::kCsv, csv);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 8);
  const std::string text = csv.str();
  ingest::CsvReader reader(text);
  ingest::CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  ASSERT_EQ(rec.size(), 13u);
  EXPECT_EQ(rec[0], "seq");
  EXPECT_EQ(rec[9], "reason");
  int rows = 0;
  std::string last_reason, last_hash;
  while (reader.next(rec)) {
    if (rec.blank()) continue;
    ASSERT_EQ(rec.size(), 13u) << rec.raw;
    EXPECT_EQ(rec[3], "li.na");
    last_reason = std::string(rec[9]);
    last_hash = std::string(rec[12]);
    ++rows;
  }
  EXPECT_EQ(rows, 8);
  // Quoted whole, and not a formula when a spreadsheet opens it.
  EXPECT_EQ(last_reason, "'" + awkward.reason);
  auto all = log.search(AuditQuery{});
  EXPECT_EQ(last_hash, all->back().hash);

  std::ostringstream jsonl;
  n = log.export_entries(AuditQuery{}, auth::AuditExportFormat::kJsonLines, jsonl);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 13);
  std::istringstream lines(jsonl.str());
  std::string line;
  int seq = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["seq"].get<int>(), ++seq);
    EXPECT_EQ(j["hash"].get<std::string>(), (*all)[seq - 1].hash);
    if (seq == 13) {
      EXPECT_EQ(j["reason"].get<std::string>(), awkward.reason);
    }
  }
  EXPECT_EQ(seq, 13);
}

TEST(AuditLogTest, PruneKeepsAYearAndTheChainStillVerifies) {
  testing::TempDir dir;
  const std::string path = testing::test_store_location(dir, "a.db");
  constexpr Timestamp kDay = 86400;
  {
    auto store = open_file(path);
    AuditLog log(store->audit(), AuditAlg::kSha256);
    for (int i = 0; i < 10; ++i) {  // one entry every 100 days
      AuditEvent e = event(i);
      e.at = kT0 + i * 100 * kDay;
      ASSERT_TRUE(log.append(e).ok());
    }
    const Timestamp now = kT0 + 900 * kDay;
    // Younger than a year: refused, nothing removed.
    auto refused = log.prune(now - 364 * kDay, now);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "before");
    EXPECT_EQ(*store->audit().count(AuditQuery{}), 10);
    // Entries at days 0..400 are more than a year before day 900 - 365.
    auto removed = log.prune(now - 450 * kDay, now);
    ASSERT_TRUE(removed.ok()) << removed.error().describe();
    EXPECT_EQ(*removed, 5);
    EXPECT_EQ(*store->audit().count(AuditQuery{}), 5);
    auto v = log.verify();
    EXPECT_TRUE(v->ok) << v->problem;
    EXPECT_EQ(v->anchor_seq, 5);
    EXPECT_EQ(v->checked, 5);
    // The chain goes on from the head.
    auto next = log.append(event(11));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->seq, 11);
    EXPECT_TRUE(log.verify()->ok);
    // Everything old enough, then an append onto the anchor alone.
    ASSERT_TRUE(log.prune(now + 2000 * kDay, now + 3000 * kDay).ok());
    EXPECT_EQ(*store->audit().count(AuditQuery{}), 0);
    ASSERT_EQ(log.append(event(12))->seq, 12);
    v = log.verify();
    EXPECT_TRUE(v->ok) << v->problem;
    EXPECT_EQ(v->anchor_seq, 11);
  }
  if (testing::testing_postgres()) return;  // the same through SQL: PostgresAuditTest
  // The gate is shut again: plain DELETE is still refused, and the anchor
  // cannot be moved.
  EXPECT_NE(raw_exec(path, "DELETE FROM audit_log").find("append-only"), std::string::npos);
  EXPECT_NE(raw_exec(path, "UPDATE audit_anchor SET last_hash = ''").find("append-only"), std::string::npos);
  EXPECT_NE(raw_exec(path, "DELETE FROM audit_anchor").find("append-only"), std::string::npos);
  // The first entry after the anchor must link to the anchor's hash.
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET prev_hash = 'forged'"), "");
  auto v = verify_file(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 12);
}

TEST(AuditLogTest, AnEventWithoutActionOrWithAnUnknownOutcomeIsRefused) {
  testing::TempDir dir;
  auto store = open_file(testing::test_store_location(dir, "a.db"));
  AuditLog log(store->audit(), AuditAlg::kSha256);
  AuditEvent e = event(1);
  e.action.clear();
  EXPECT_EQ(log.append(e).error().field, "action");
  e = event(1);
  e.outcome = "maybe";
  EXPECT_EQ(log.append(e).error().field, "outcome");
  EXPECT_EQ(*store->audit().count(AuditQuery{}), 0);
}

// `pingan audit ...` as a child process; returns its exit code, its
// standard output in `out`.
int run_pingan(const std::vector<std::string>& args, const std::string& log, std::string* out) {
  std::vector<std::string> argv_s = {PINGAN_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (log + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, PINGAN_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::ifstream in(log);
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(AuditLogTest, CliVerifyExitsZeroWhenIntactAndOneNamingTheFirstBadSeq) {
  // `audit verify --db` takes an existing file (a typo must not create a database).
  if (testing::testing_postgres()) GTEST_SKIP() << kSqliteFileOnly;
  testing::TempDir dir;
  const std::string path = dir.file("a.db");
  write_log(path, 9, AuditAlg::kSm3);
  std::string head;
  {
    auto store = open_file(path);
    head = AuditLog(store->audit(), AuditAlg::kSha256).search(AuditQuery{})->back().hash;
  }
  std::string out;
  EXPECT_EQ(run_pingan({"audit", "verify", "--db", path}, dir.file("out.txt"), &out), 0) << out;
  EXPECT_NE(out.find("intact: 9 entries checked"), std::string::npos) << out;
  EXPECT_NE(out.find(head), std::string::npos) << out;

  // Seq 6 is rewritten with the value it had (no change, still intact);
  // seq 7's address is changed.
  ASSERT_EQ(raw_exec(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = 'ok' WHERE seq = 6; "
                           "UPDATE audit_log SET address = '127.0.0.1' WHERE seq = 7"),
            "");
  EXPECT_EQ(run_pingan({"audit", "verify", "--db", path}, dir.file("out.txt"), &out), 1) << out;
  EXPECT_NE(out.find("BROKEN at seq 7"), std::string::npos) << out;
  EXPECT_NE(out.find("edited"), std::string::npos) << out;

  // Export through the binary: the header and one line per entry.
  const std::string csv = dir.file("audit.csv");
  EXPECT_EQ(run_pingan({"audit", "export", "--db", path, "--format", "csv", "--out", csv, "--from", "2024-06-01",
                        "--to", "2024-06-01"},
                       dir.file("out.txt"), &out),
            0);
  std::ifstream in(csv);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 1 + 9);

  // A database that is not there is an error, not an empty, intact log.
  EXPECT_NE(run_pingan({"audit", "verify", "--db", dir.file("missing.db")}, dir.file("out.txt"), &out), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

// The installation chooses the chain's digest in data/auth/roles.json
// ("audit_digest"); `pingan user` (like `serve`) appends with it.
TEST(AuditLogTest, TheRolesFileChoosesSm3ForNewEntriesAndAnUnknownDigestIsRefused) {
  testing::TempDir dir;
  const std::string data = dir.file("data");
  std::filesystem::copy(std::string(PINGAN_SOURCE_DIR) + "/data", data, std::filesystem::copy_options::recursive);
  auto set_digest = [&](const std::string& name) {
    const std::string roles_path = data + "/auth/roles.json";
    std::ifstream in(roles_path);
    std::stringstream text;
    text << in.rdbuf();
    std::string roles = text.str();
    const std::string key = "\"audit_digest\": \"";
    const auto at = roles.find(key);
    ASSERT_NE(at, std::string::npos) << "the shipped roles.json names its digest";
    const auto value_end = roles.find('"', at + key.size());
    roles.replace(at + key.size(), value_end - at - key.size(), name);
    std::ofstream(roles_path, std::ios::trunc) << roles;
  };
  const std::string path = testing::test_store_location(dir, "a.db");
  std::string out;
  set_digest("sm3");
  ASSERT_EQ(run_pingan({"user", "add", "chief", "--unit", "*", "--role", "admin", "--db", path, "--data-dir", data},
                       dir.file("out.txt"), &out),
            0)
      << out;
  {
    auto store = open_file(path);
    ASSERT_TRUE(store);
    auto entries = AuditLog(store->audit(), AuditAlg::kSha256).search(AuditQuery{});
    ASSERT_TRUE(entries.ok());
    ASSERT_FALSE(entries->empty());
    for (const auto& e : *entries) EXPECT_EQ(e.alg, "sm3") << e.action;
  }
  EXPECT_TRUE(verify_file(path).ok);

  set_digest("md5");
  EXPECT_NE(run_pingan({"user", "list", "--db", path, "--data-dir", data}, dir.file("out.txt"), &out), 0) << out;
  std::ifstream err(dir.file("out.txt") + ".err");
  std::stringstream why;
  why << err.rdbuf();
  EXPECT_NE(why.str().find("audit_digest"), std::string::npos) << why.str();
}

}  // namespace
}  // namespace pingan
