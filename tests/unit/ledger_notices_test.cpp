// The ledger scheduler (issue 21, engine/ledger_notices.h) on a clock of the
// test's own, on SQLite and, in the `pg.` run, on PostgreSQL: a hazard's
// 整改期限 (15 days, reminder 3 days before, 督办 once past due, 挂牌督办 15
// days after) records nothing before its reminder, one reminder at it and
// none on a second run; 督办 past due and 挂牌督办 past the second
// escalation; nothing for a hazard closed in time; a fresh clock, and fresh
// notices, for a hazard sent back to 整改; and two engines running at once
// on one database record every event once.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <thread>

#include "engine/engine.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kDay = 86'400;
// The hazard is ordered to be rectified a day after it is found: its 整改期限
// runs from kStart, reminds at kStart + 12 d, is due at kStart + 15 d.
constexpr Timestamp kStart = kT0 + kDay;
constexpr Timestamp kRemindAt = kStart + 12 * kDay;
constexpr Timestamp kDueAt = kStart + 15 * kDay;
constexpr Timestamp kListedAt = kDueAt + 15 * kDay;

std::unique_ptr<Engine> open_engine(const std::string& location, bool with_units) {
  auto opened = Engine::open(EngineConfig{location, "", "Asia/Shanghai"});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  if (!opened.ok()) return nullptr;
  std::unique_ptr<Engine> engine = std::move(opened).value();
  if (with_units) {
    EXPECT_TRUE(engine
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau),
                                    test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity),
                                    test_unit("JN-S2", "JN", UnitKind::kStation)})
                    .ok());
  }
  return engine;
}

StepRequest step(const std::string& code, const std::string& actor, LedgerGrants grants, Timestamp at,
                 LedgerFields fields = {}) {
  StepRequest r;
  r.step = code;
  r.actor = actor;
  r.actor_grants = std::move(grants);
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

class LedgerNoticesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = test_store_location(dir_, "notices.db");
    engine_ = open_engine(location_, true);
    ASSERT_TRUE(engine_);
  }
  LedgerRecords& ledgers() { return engine_->ledgers(); }
  LedgerNotices& notices() { return engine_->ledger_notices(); }

  // A hazard of `unit` found at kT0, ordered to be rectified at kStart.
  std::int64_t hazard_rectifying(const std::string& unit = "JN-S1") {
    NewLedgerItem n;
    n.unit_code = unit;
    n.actor = "民警 周七";
    n.actor_grants = {"station"};
    n.at = kT0;
    n.fields = {{"kind", std::string("fire")},
                {"level", std::string("major")},
                {"description", std::string("安全出口被杂物堵塞")}};
    auto found = ledgers().create("hazard", n, UnitScope::everything());
    EXPECT_TRUE(found.ok()) << found.error().describe();
    if (!found.ok()) return 0;
    StepRequest order = step("order_rectify", "所长 王强", {"leader"}, kStart,
                             {{"rectify_measures", std::string("三日内清理安全出口")}});
    order.unit_code = unit;
    order.officer_id = "P1001";
    take(found->id, order);
    return found->id;
  }
  void take(std::int64_t id, const StepRequest& r) {
    auto stepped = ledgers().step(id, r, UnitScope::everything());
    EXPECT_TRUE(stepped.ok()) << r.step << ": " << stepped.error().describe();
  }
  std::vector<LedgerNotice> run(Timestamp now) {
    auto recorded = notices().run(now);
    EXPECT_TRUE(recorded.ok()) << recorded.error().describe();
    return recorded.ok() ? *recorded : std::vector<LedgerNotice>{};
  }
  std::vector<LedgerNotice> open_at(Timestamp now, std::optional<LedgerNoticeKind> kind = {},
                                    UnitScope scope = UnitScope::everything()) {
    LedgerNoticeFilter f;
    f.scope = std::move(scope);
    f.kind = kind;
    auto listed = notices().list(f, now);
    EXPECT_TRUE(listed.ok()) << listed.error().describe();
    return listed.ok() ? *listed : std::vector<LedgerNotice>{};
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(LedgerNoticesTest, NothingBeforeTheReminderThenOneReminderAndNoneOnASecondRun) {
  const std::int64_t id = hazard_rectifying();
  EXPECT_TRUE(run(kStart).empty());
  EXPECT_TRUE(run(kRemindAt - 1).empty());

  const std::vector<LedgerNotice> at_remind = run(kRemindAt);
  ASSERT_EQ(at_remind.size(), 1u);
  const LedgerNotice& n = at_remind[0];
  EXPECT_GT(n.id, 0);
  EXPECT_EQ(n.item_id, id);
  EXPECT_EQ(n.type_code, "hazard");
  EXPECT_EQ(n.unit_code, "JN-S1");
  EXPECT_EQ(n.deadline, "rectify");
  EXPECT_EQ(n.kind, LedgerNoticeKind::kRemind);
  EXPECT_EQ(n.level, 0);
  EXPECT_EQ(n.started_at, kStart);
  EXPECT_EQ(n.due_at, kRemindAt);
  EXPECT_EQ(n.noticed_at, kRemindAt);
  EXPECT_EQ(notices().deadline_label(n), "整改期限");
  EXPECT_EQ(notices().level_label(n), "催办");

  // The same instant again, and later on the same day: nothing new.
  EXPECT_TRUE(run(kRemindAt).empty());
  EXPECT_TRUE(run(kRemindAt + 3600).empty());
  EXPECT_TRUE(run(kDueAt).empty());  // due, not yet past due
  const std::vector<LedgerNotice> open = open_at(kDueAt);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id, n.id);
  EXPECT_EQ(open[0].noticed_at, kRemindAt);
}

TEST_F(LedgerNoticesTest, PastDueIsSupervisedAndPastTheSecondEscalationListed) {
  const std::int64_t id = hazard_rectifying();
  ASSERT_EQ(run(kRemindAt).size(), 1u);

  const std::vector<LedgerNotice> supervised = run(kDueAt + 1);
  ASSERT_EQ(supervised.size(), 1u);
  EXPECT_EQ(supervised[0].item_id, id);
  EXPECT_EQ(supervised[0].kind, LedgerNoticeKind::kEscalate);
  EXPECT_EQ(supervised[0].level, 1);
  EXPECT_EQ(supervised[0].due_at, kDueAt + 1);
  EXPECT_EQ(notices().level_label(supervised[0]), "督办");
  EXPECT_TRUE(run(kListedAt - 1).empty());

  const std::vector<LedgerNotice> listed = run(kListedAt);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].level, 2);
  EXPECT_EQ(listed[0].due_at, kListedAt);
  EXPECT_EQ(notices().level_label(listed[0]), "挂牌督办");
  EXPECT_TRUE(run(kListedAt + 100 * kDay).empty());  // the top: nothing above 挂牌督办

  EXPECT_EQ(open_at(kListedAt).size(), 3u);
  const std::vector<LedgerNotice> escalations = open_at(kListedAt, LedgerNoticeKind::kEscalate);
  ASSERT_EQ(escalations.size(), 2u);
  EXPECT_EQ(escalations[0].level, 2);  // newest due first
  EXPECT_EQ(escalations[1].level, 1);
  // Another station's scope sees none of them.
  EXPECT_TRUE(open_at(kListedAt, {}, UnitScope::subtree("JN-S2")).empty());
}

TEST_F(LedgerNoticesTest, AScheduledRunThatWasAwayRecordsEveryEventItMissedOnce) {
  hazard_rectifying();
  const std::vector<LedgerNotice> all = run(kListedAt + kDay);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, LedgerNoticeKind::kRemind);
  EXPECT_EQ(all[0].due_at, kRemindAt);
  EXPECT_EQ(all[1].due_at, kDueAt + 1);
  EXPECT_EQ(all[2].due_at, kListedAt);
  for (const LedgerNotice& n : all) EXPECT_EQ(n.noticed_at, kListedAt + kDay);
  EXPECT_TRUE(run(kListedAt + 2 * kDay).empty());
}

TEST_F(LedgerNoticesTest, AHazardClosedBeforeItsDeadlineGetsNoNotice) {
  const std::int64_t id = hazard_rectifying();
  take(id, step("rectify", "社区民警 刘洋", {"community"}, kStart + 5 * kDay,
                {{"rectified_summary", std::string("杂物已清理")}}));
  take(id, step("verify", "所长 王强", {"leader"}, kStart + 6 * kDay,
                {{"verify_result", std::string("复查合格")}}));
  take(id, step("close", "所长 王强", {"leader"}, kStart + 7 * kDay));
  for (Timestamp now : {kRemindAt, kDueAt + 1, kListedAt, kListedAt + 365 * kDay})
    EXPECT_TRUE(run(now).empty()) << now;
  EXPECT_TRUE(open_at(kListedAt).empty());
}

TEST_F(LedgerNoticesTest, AHazardSentBackToRectificationRestartsItsClock) {
  const std::int64_t id = hazard_rectifying();
  ASSERT_EQ(run(kRemindAt).size(), 1u);
  // Rectified on the 13th day, the 验收 rejects it on the 14th: 整改期限
  // starts again at the rejection.
  take(id, step("rectify", "社区民警 刘洋", {"community"}, kStart + 13 * kDay,
                {{"rectified_summary", std::string("杂物已清理")}}));
  EXPECT_TRUE(open_at(kStart + 13 * kDay).empty());  // the first run stopped: its reminder is closed
  const Timestamp restart = kStart + 14 * kDay;
  take(id, step("reject", "所长 王强", {"leader"}, restart, {{"verify_result", std::string("仍有杂物")}}));

  // The first run's due time passes without 督办: that run stopped.
  EXPECT_TRUE(run(kDueAt + 1).empty());
  EXPECT_TRUE(run(restart + 12 * kDay - 1).empty());
  const std::vector<LedgerNotice> again = run(restart + 12 * kDay);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].kind, LedgerNoticeKind::kRemind);
  EXPECT_EQ(again[0].started_at, restart);
  EXPECT_EQ(again[0].due_at, restart + 12 * kDay);
  const std::vector<LedgerNotice> supervised = run(restart + 15 * kDay + 1);
  ASSERT_EQ(supervised.size(), 1u);
  EXPECT_EQ(supervised[0].level, 1);
  EXPECT_EQ(supervised[0].started_at, restart);

  // Open: the second run's reminder and 督办, not the first run's reminder.
  const std::vector<LedgerNotice> open = open_at(restart + 15 * kDay + 1);
  ASSERT_EQ(open.size(), 2u);
  for (const LedgerNotice& n : open) EXPECT_EQ(n.started_at, restart);
}

TEST_F(LedgerNoticesTest, TwoEnginesRunningAtOnceRecordEachEventOnce) {
  constexpr int kItems = 6;
  for (int i = 0; i < kItems; ++i) hazard_rectifying(i % 2 ? "JN-S1-C1" : "JN-S2");
  std::unique_ptr<Engine> other = open_engine(location_, false);
  ASSERT_TRUE(other);
  Result<std::vector<LedgerNotice>> mine = std::vector<LedgerNotice>{};
  Result<std::vector<LedgerNotice>> theirs = std::vector<LedgerNotice>{};
  {
    std::thread a([&] { mine = engine_->ledger_notices().run(kListedAt); });
    std::thread b([&] { theirs = other->ledger_notices().run(kListedAt); });
    a.join();
    b.join();
  }
  ASSERT_TRUE(mine.ok()) << mine.error().describe();
  ASSERT_TRUE(theirs.ok()) << theirs.error().describe();
  // A reminder, 督办 and 挂牌督办 per item, each recorded by one of them.
  EXPECT_EQ(mine->size() + theirs->size(), 3u * kItems);
  std::set<std::int64_t> ids;
  for (const auto* list : {&*mine, &*theirs})
    for (const LedgerNotice& n : *list) ids.insert(n.id);
  EXPECT_EQ(ids.size(), 3u * kItems);
  EXPECT_EQ(open_at(kListedAt).size(), 3u * kItems);
  EXPECT_EQ(open_at(kListedAt, {}, UnitScope::subtree("JN-S1")).size(), 3u * kItems / 2);
  EXPECT_TRUE(run(kListedAt).empty());
}

}  // namespace
}  // namespace pingan::testing
