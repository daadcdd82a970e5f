// The PostgreSQL incident store (issue 19) where it differs in kind from
// SQLite's: batches keyed through incident_keys and copied in, rows in
// month partitions that the store creates (two servers at once included),
// an update that moves a record to another month, scans through a cursor,
// and events numbered under the key row's lock by two servers at once. The
// batch results are compared with the SQLite store's on the same input.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <mutex>
#include <thread>

#include "store/postgres/pg_connection.h"
#include "store/store.h"
#include "test_store.h"

namespace pingan {
namespace {

using testing::TempDir;

std::unique_ptr<Store> open_at(const std::string& location) {
  auto store = open_store(location);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
  return store.ok() ? std::move(store).value() : nullptr;
}

// A schema of its own for `name` in the test cluster.
std::string pg_location(const TempDir& dir, const std::string& name) {
  return testing::pg_test_schema_url(dir.file(name));
}

// One query's rows on the test cluster, for looking behind the store.
pg::PgResult query(const std::string& url, const std::string& sql) {
  auto c = pg::Connection::open(url, "");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().describe());
  if (!c.ok()) return {};
  auto r = (*c)->exec(sql, sql);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
  return r.ok() ? std::move(r).value() : pg::PgResult{};
}

Timestamp utc(int year, int month, int day) { return civil_to_utc(CivilTime{year, month, day, 12, 0, 0}); }

Incident record(std::string source_id, Timestamp at) {
  Incident inc;
  inc.source = "batchtest";
  inc.source_id = std::move(source_id);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = at;
  return inc;
}

// Keys that array literals and COPY's text format must carry unchanged.
const std::vector<std::string>& awkward_ids() {
  static const std::vector<std::string> ids = {"",        "NULL",       "a,b",   "{x}",    "\"q\"",  "back\\slash",
                                               "tab\there", "line\nbreak", "报警 1", "'single'", "}{,\"\\", "ends\\"};
  return ids;
}

// A first batch and a second overlapping it, each with a key given twice,
// rows of three months, every shape of record.
std::vector<std::vector<Incident>> overlapping_batches() {
  std::vector<Incident> first, second;
  for (size_t i = 0; i < awkward_ids().size(); ++i) {
    Incident inc = record(awkward_ids()[i], utc(2019, 1 + int(i % 3), 10 + int(i)));
    inc.description = fmt::format("行 {}\twith a tab, a \\ and\na line break", i);
    inc.address = i % 2 ? "" : "1 Main St";
    if (i % 4 == 0) inc.location = GeoPoint{36.0 + double(i) / 7, 117.0 - double(i) / 3};
    if (i % 3 == 0) {
      inc.reporter_phone = "13800138000";
      inc.reporter_name = "张三";
      inc.status = IncidentStatus::kClosed;
      inc.times.closed_at = inc.reported_at + 600;
    }
    if (i % 5 == 0) {
      inc.voided = true;
      inc.void_reason = "cancelled";
    }
    first.push_back(inc);
  }
  first.insert(first.begin() + 5, first[2]);  // "a,b" again, inside the batch
  for (size_t i = 0; i < first.size(); i += 2) second.push_back(first[i]);
  for (int i = 0; i < 6; ++i) second.push_back(record(fmt::format("new-{}", i), utc(2019, 4, 1 + i)));
  const Incident twice = second[second.size() - 3];
  second.push_back(twice);  // a new key twice
  return {first, second};
}

TEST(PostgresIncidentStore, BatchesReportNewAndRepeatedKeysAsSqliteDoes) {
  TempDir dir;
  auto sqlite = open_at(dir.file("same.db"));
  auto postgres = open_at(pg_location(dir, "same"));
  ASSERT_TRUE(sqlite && postgres);
  for (const auto& batch : overlapping_batches()) {
    auto want = sqlite->incidents().insert_incidents(batch);
    auto got = postgres->incidents().insert_incidents(batch);
    ASSERT_TRUE(want.ok()) << want.error().describe();
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got->inserted, want->inserted);
    EXPECT_EQ(got->duplicates, want->duplicates);
    EXPECT_EQ(got->duplicate_rows, want->duplicate_rows);
    ASSERT_EQ(got->inserted_ids.size(), want->inserted_ids.size());
    EXPECT_TRUE(std::is_sorted(got->inserted_ids.begin(), got->inserted_ids.end()));
    auto stored = postgres->incidents().get_incidents(got->inserted_ids);
    auto expected = sqlite->incidents().get_incidents(want->inserted_ids);
    ASSERT_TRUE(stored.ok() && expected.ok());
    ASSERT_EQ(stored->size(), expected->size());
    for (size_t i = 0; i < stored->size(); ++i) {
      const Incident &g = (*stored)[i], &w = (*expected)[i];
      EXPECT_EQ(g.id, got->inserted_ids[i]);
      EXPECT_EQ(g.source_id, w.source_id) << i;
      EXPECT_EQ(g.description, w.description) << i;
      EXPECT_EQ(g.address, w.address) << i;
      EXPECT_EQ(g.location.has_value(), w.location.has_value()) << i;
      if (g.location && w.location) {
        EXPECT_EQ(g.location->lat, w.location->lat) << i;  // exactly: doubles travel as shortest text
        EXPECT_EQ(g.location->lon, w.location->lon) << i;
      }
      EXPECT_EQ(g.reporter_phone, w.reporter_phone) << i;
      EXPECT_EQ(g.reporter_name, w.reporter_name) << i;
      EXPECT_EQ(g.status, w.status) << i;
      EXPECT_EQ(g.times.closed_at, w.times.closed_at) << i;
      EXPECT_EQ(g.voided, w.voided) << i;
      EXPECT_EQ(g.void_reason, w.void_reason) << i;
      EXPECT_EQ(g.reported_at, w.reported_at) << i;
    }
  }
  EXPECT_EQ(*postgres->incidents().count_incidents(), *sqlite->incidents().count_incidents());

  // get_incidents: the input's order, unknown ids left out, a repeated id twice.
  IncidentFilter all;
  all.include_voided = true;
  auto page = postgres->incidents().list_incidents(all);
  ASSERT_TRUE(page.ok());
  ASSERT_GE(page->items.size(), 3u);
  const IncidentId a = page->items[0].id, b = page->items[2].id;
  const std::vector<IncidentId> asked = {b, 987'654'321, a, b};
  auto picked = postgres->incidents().get_incidents(asked);
  ASSERT_TRUE(picked.ok());
  ASSERT_EQ(picked->size(), 3u);
  EXPECT_EQ((*picked)[0].id, b);
  EXPECT_EQ((*picked)[1].id, a);
  EXPECT_EQ((*picked)[2].id, b);

  // An incident of the API takes its id as its key, as in SQLite.
  Incident call = record("", utc(2019, 2, 1));
  call.source = "api";
  auto made = postgres->incidents().create_incident(call, intake_event(call, "t"));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  EXPECT_EQ(made->source_id, fmt::format("{}", made->id));
  Incident again = record(awkward_ids()[3], utc(2019, 2, 1));
  auto taken = postgres->incidents().create_incident(again, intake_event(again, "t"));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(taken.error().message, "an incident from source 'batchtest' with source_id '{x}' exists already");
}

TEST(PostgresIncidentStore, RowsGoToTheirMonthsPartitionAndAScanStreamsThemInIdOrder) {
  TempDir dir;
  const std::string url = pg_location(dir, "months");
  auto store = open_at(url);
  ASSERT_TRUE(store);
  // 25,000 rows over 30 months, shuffled so that id order is not time order,
  // in batches of 5,000: a scan takes three FETCHes.
  std::vector<Incident> rows;
  for (int i = 0; i < 25'000; ++i)
    rows.push_back(record(fmt::format("m{}", i), utc(2019 + (i % 30) / 12, 1 + (i % 30) % 12, 1 + i % 28)));
  std::shuffle(rows.begin(), rows.end(), std::mt19937(7));
  for (size_t first = 0; first < rows.size(); first += 5'000) {
    auto r = store->incidents().insert_incidents(std::span(rows).subspan(first, 5'000));
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_EQ(r->inserted, 5'000);
  }
  pg::PgResult parts = query(url,
                             "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits h "
                             "JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = 'incidents'::regclass "
                             "ORDER BY c.relname");
  ASSERT_EQ(parts.rows(), 30);
  EXPECT_EQ(parts.text(0, 0), "incidents_p201901");
  EXPECT_EQ(parts.text(0, 1), fmt::format("FOR VALUES FROM ('{}') TO ('{}')", civil_to_utc(CivilTime{2019, 1, 1, 0, 0, 0}),
                                          civil_to_utc(CivilTime{2019, 2, 1, 0, 0, 0})));
  EXPECT_EQ(parts.text(29, 0), "incidents_p202106");
  pg::PgResult misplaced = query(url,
                                 "SELECT COUNT(*) FROM incidents WHERE tableoid::regclass::text <> "
                                 "'incidents_p' || to_char(to_timestamp(reported_at) AT TIME ZONE 'UTC', 'YYYYMM')");
  EXPECT_EQ(misplaced.int64(0, 0), 0);

  std::int64_t seen = 0;
  IncidentId last = 0;
  bool ascending = true;
  ASSERT_TRUE(store->incidents()
                  .scan_incidents([&](const Incident& inc) {
                    ascending = ascending && inc.id > last;
                    last = inc.id;
                    ++seen;
                  })
                  .ok());
  EXPECT_TRUE(ascending);
  EXPECT_EQ(seen, 25'000);
  EXPECT_EQ(*store->incidents().count_incidents(), 25'000);
  IncidentFilter march;
  march.from = civil_to_utc(CivilTime{2020, 3, 1, 0, 0, 0});
  march.until = civil_to_utc(CivilTime{2020, 4, 1, 0, 0, 0});
  march.limit = 1;
  EXPECT_EQ(store->incidents().list_incidents(march)->total, 25'000 / 30 + (25'000 % 30 > 14 ? 1 : 0));
}

TEST(PostgresIncidentStore, TwoServersCreatingTheSameMonthsAtOnceBothSucceed) {
  TempDir dir;
  const std::string url = pg_location(dir, "race");
  auto one = open_at(url);
  auto two = open_at(url);  // its own pool and partition cache, as another server's
  ASSERT_TRUE(one && two);
  // Each batch is a month neither has seen; half its keys are the other's too.
  auto batch = [](int server, int month) {
    std::vector<Incident> rows;
    for (int i = 0; i < 200; ++i) {
      const int key = i < 100 ? i : i + 100 * server;
      rows.push_back(record(fmt::format("{}-{}", month, key), utc(2015, month, 1 + i % 28)));
    }
    return rows;
  };
  std::int64_t inserted[2] = {0, 0};
  std::string failures[2];
  auto run = [&](Store& store, int server) {
    for (int month = 1; month <= 12; ++month) {
      auto r = store.incidents().insert_incidents(batch(server, month));
      if (!r.ok()) {
        failures[server] += r.error().describe() + "\n";
        continue;
      }
      inserted[server] += r->inserted;
    }
  };
  std::thread a(run, std::ref(*one), 0), b(run, std::ref(*two), 1);
  a.join();
  b.join();
  EXPECT_EQ(failures[0], "");
  EXPECT_EQ(failures[1], "");
  EXPECT_EQ(inserted[0] + inserted[1], 12 * 300);  // each shared key once
  EXPECT_EQ(*one->incidents().count_incidents(), 12 * 300);
  EXPECT_EQ(query(url, "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'incidents'::regclass").int64(0, 0), 12);
}

TEST(PostgresIncidentStore, AnUpdateMovingReportedAtToANewMonthCreatesItsPartitionAndRekeys) {
  TempDir dir;
  const std::string url = pg_location(dir, "move");
  auto store = open_at(url);
  ASSERT_TRUE(store);
  Incident inc = record("moving", utc(2020, 1, 15));
  auto made = store->incidents().create_incident(inc, intake_event(inc, "t"));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  IncidentEvent note;
  note.at = utc(2020, 1, 16);
  note.actor = "corrector";
  auto moved = store->incidents().update_incident(made->id, UnitScope::everything(),
                                                  [&](Incident& i) {
                                                    i.reported_at = utc(2020, 3, 10);
                                                    return Status{};
                                                  },
                                                  note);
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  auto got = store->incidents().get_incident(made->id, UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->reported_at, utc(2020, 3, 10));
  EXPECT_EQ(query(url, fmt::format("SELECT reported_at FROM incident_keys WHERE id = {}", made->id)).int64(0, 0),
            utc(2020, 3, 10));
  EXPECT_EQ(query(url, "SELECT COUNT(*) FROM incidents_p202003").int64(0, 0), 1);
  EXPECT_EQ(query(url, "SELECT COUNT(*) FROM incidents_p202001").int64(0, 0), 0);
  auto events = store->incidents().list_events(made->id, UnitScope::everything());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].seq, 2);
  EXPECT_EQ((*events)[1].actor, "corrector");
  // A new row of that month goes in beside it.
  auto later = store->incidents().insert_incidents(std::vector<Incident>{record("beside", utc(2020, 3, 11))});
  ASSERT_TRUE(later.ok()) << later.error().describe();
  EXPECT_EQ(later->inserted, 1);
}

TEST(PostgresIncidentStore, TwoServersUpdatingOneIncidentNumberItsEventsWithoutGaps) {
  TempDir dir;
  const std::string url = pg_location(dir, "seq");
  auto one = open_at(url);
  auto two = open_at(url);
  ASSERT_TRUE(one && two);
  Incident inc = record("busy", utc(2021, 5, 5));
  auto made = one->incidents().create_incident(inc, intake_event(inc, "t"));
  ASSERT_TRUE(made.ok());
  std::string failures;
  std::mutex failures_mutex;
  auto run = [&](Store& store, int server) {
    for (int i = 0; i < 25; ++i) {
      IncidentEvent note;
      note.at = utc(2021, 5, 6);
      note.note = fmt::format("{}-{}", server, i);
      auto r = store.incidents().update_incident(made->id, UnitScope::everything(),
                                                 [&](Incident& x) {
                                                   x.description += ".";
                                                   return Status{};
                                                 },
                                                 note);
      if (!r.ok()) {
        std::lock_guard lock(failures_mutex);
        failures += r.error().describe() + "\n";
      }
    }
  };
  std::thread a(run, std::ref(*one), 1), b(run, std::ref(*two), 2);
  a.join();
  b.join();
  EXPECT_EQ(failures, "");
  auto events = one->incidents().list_events(made->id, UnitScope::everything());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 51u);
  for (size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].seq, int(i) + 1);
  // Every update read the one before it: no lost write.
  EXPECT_EQ(one->incidents().get_incident(made->id, UnitScope::everything())->description, std::string(50, '.'));
}

}  // namespace
}  // namespace pingan
