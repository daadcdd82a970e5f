// The incidents' follow-up loop on the ledger engine (issue 21,
// engine/followup_ledger.h), on SQLite and, in the `pg.` run, on
// PostgreSQL: each move of the loop through Engine::transition steps the
// incident's `followup` item (state, history, actors, fields); an incident
// closed without a task has none; the ledger's verifier rule refuses a step
// while the incident's move stands; the 72h feedback deadline's 催办 and 督办
// come from the ledger notices on the test's clock; the catch-up repairs
// items that lag (moves written without the mirror, rows written in bulk)
// and does nothing the second time; and the ledger figure `found` of type
// followup equals the incidents that entered the loop, counted by brute
// force over the incidents.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "ledger/ledger_attach.h"
#include "ledger/ledger_figures.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

std::unique_ptr<Engine> open_engine(const std::string& location, bool mirror = true) {
  EngineConfig config{location, "", "Asia/Shanghai"};
  config.mirror_followups = mirror;
  auto opened = Engine::open(config);
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

std::vector<std::string> steps_of(const LedgerItem& item) {
  std::vector<std::string> out;
  for (const LedgerHistoryEntry& e : item.history) out.push_back(e.step);
  return out;
}

std::string text_field(const LedgerItem& item, const std::string& code) {
  auto it = item.fields.find(code);
  if (it == item.fields.end()) return "";
  const auto* text = std::get_if<std::string>(&it->second);
  return text ? *text : "";
}

class FollowupLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = test_store_location(dir_, "followup.db");
    engine_ = open_engine(location_);
    ASSERT_TRUE(engine_);
    ASSERT_TRUE(engine_
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau),
                                    test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity)})
                    .ok());
    ASSERT_NE(engine_->followups(), nullptr);
    // Whole minutes a month ago: every step lies in the past, as the
    // incident rules want, and the notices run on the test's clock.
    base_ = (now_utc() - 30 * kDay) / kMinute * kMinute;
  }

  // An incident of JN-S1-C1 reported at `at`, dispatched, arrived and
  // handled (at + 30 min).
  IncidentId handled_incident(Timestamp at) {
    Incident inc;
    inc.type_code = "theft";
    inc.reported_at = at;
    inc.unit_code = "JN-S1-C1";
    inc.description = "电动车被盗";
    auto made = engine_->create_incident(inc, "接警员 孙一");
    EXPECT_TRUE(made.ok()) << made.error().describe();
    if (!made.ok()) return 0;
    move(made->id, IncidentStatus::kDispatched, at + kMinute, "指挥中心 王五");
    move(made->id, IncidentStatus::kArrived, at + 10 * kMinute, "巡逻民警 钱二");
    move(made->id, IncidentStatus::kHandled, at + 30 * kMinute, "巡逻民警 钱二");
    return made->id;
  }

  Incident move(IncidentId id, IncidentStatus to, Timestamp at, const std::string& actor,
                const std::string& note = "", const std::string& assignee = "", Engine* through = nullptr) {
    TransitionRequest r;
    r.to = to;
    r.at = at;
    r.actor = actor;
    r.note = note;
    if (to == IncidentStatus::kFollowUp) {
      r.assignee = assignee;
      r.deadline = at + 3 * kDay;
    }
    auto moved = (through ? through : engine_.get())->transition(id, UnitScope::everything(), r);
    EXPECT_TRUE(moved.ok()) << status_name(to) << ": " << moved.error().describe();
    return moved.ok() ? *moved : Incident{};
  }

  std::optional<LedgerItem> item_of(IncidentId id) {
    auto found = engine_->followups()->item_of(id);
    EXPECT_TRUE(found.ok()) << found.error().describe();
    return found.ok() ? *found : std::nullopt;
  }

  // Moves a handled incident into the loop at `at`, tasked to 张伟.
  void task(IncidentId id, Timestamp at, Engine* through = nullptr) {
    move(id, IncidentStatus::kFollowUp, at, "指挥中心 王五", "邻里矛盾仍有激化风险，需二次回访", "社区民警 张伟",
         through);
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Engine> engine_;
  Timestamp base_ = 0;
};

TEST_F(FollowupLedgerTest, EachMoveOfTheLoopStepsTheIncidentsItem) {
  const IncidentId id = handled_incident(base_);
  ASSERT_GT(id, 0);
  const Timestamp handled_at = base_ + 30 * kMinute;
  EXPECT_FALSE(item_of(id).has_value()) << "handled, not yet tasked: no item";

  const Timestamp tasked_at = base_ + 2 * kHour;
  task(id, tasked_at);
  std::optional<LedgerItem> item = item_of(id);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->type_code, "followup");
  EXPECT_EQ(item->state, "followup");
  EXPECT_EQ(item->unit_code, "JN-S1-C1");
  EXPECT_EQ(item->officer_id, "社区民警 张伟");
  EXPECT_EQ(std::get<std::int64_t>(item->fields.at("incident_id")), id);
  EXPECT_EQ(text_field(*item, "assessment"), "邻里矛盾仍有激化风险，需二次回访");
  ASSERT_EQ(steps_of(*item), (std::vector<std::string>{"create", "task"}));
  EXPECT_EQ(item->history[0].at, handled_at);
  EXPECT_EQ(item->history[1].at, tasked_at);
  EXPECT_EQ(item->history[1].actor, "指挥中心 王五");

  move(id, IncidentStatus::kFedBack, base_ + kDay, "社区民警 张伟", "已回访，双方暂无冲突");
  item = item_of(id);
  EXPECT_EQ(item->state, "fed_back");
  EXPECT_EQ(text_field(*item, "feedback"), "已回访，双方暂无冲突");

  // A failed verification sends the task back, to another officer.
  move(id, IncidentStatus::kFollowUp, base_ + kDay + 2 * kHour, "所长 李四", "回访记录不完整，重新回访",
       "社区民警 赵六");
  item = item_of(id);
  EXPECT_EQ(item->state, "followup");
  EXPECT_EQ(item->officer_id, "社区民警 赵六");
  EXPECT_EQ(text_field(*item, "verify_result"), "回访记录不完整，重新回访");
  EXPECT_EQ(item->history.back().step, "send_back");
  EXPECT_EQ(item->history.back().actor, "所长 李四");

  move(id, IncidentStatus::kFedBack, base_ + 2 * kDay, "社区民警 赵六", "再次回访，已化解");
  move(id, IncidentStatus::kVerified, base_ + 2 * kDay + kHour, "所长 李四", "电话核实属实");
  item = item_of(id);
  EXPECT_EQ(item->state, "verified");
  EXPECT_EQ(text_field(*item, "verify_result"), "电话核实属实");
  const Timestamp closed_at = base_ + 2 * kDay + 2 * kHour;
  move(id, IncidentStatus::kClosed, closed_at, "所长 李四", "办结");
  item = item_of(id);
  EXPECT_EQ(item->state, "closed");
  EXPECT_EQ(steps_of(*item), (std::vector<std::string>{"create", "task", "feed_back", "send_back", "feed_back",
                                                       "verify", "close"}));
  EXPECT_EQ(item->history.back().at, closed_at);
  EXPECT_EQ(item->history.back().note, "办结");

  // Idempotent: in step, a second sync takes nothing and creates nothing.
  auto incident = engine_->get_incident(id, UnitScope::everything());
  ASSERT_TRUE(incident.ok());
  auto again = engine_->followups()->sync(*incident, {});
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->steps, 0);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->item_id, item->id);
  EXPECT_EQ(item_of(id)->history.size(), 7u);
}

TEST_F(FollowupLedgerTest, AnIncidentClosedWithoutATaskHasNoItem) {
  const IncidentId id = handled_incident(base_);
  move(id, IncidentStatus::kClosed, base_ + kHour, "巡逻民警 钱二", "当场调解");
  EXPECT_FALSE(item_of(id).has_value());
  auto caught = engine_->reconcile_followups();
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  EXPECT_EQ(caught->created, 0);
  EXPECT_EQ(caught->incidents, 0);
  EXPECT_FALSE(item_of(id).has_value());
}

TEST_F(FollowupLedgerTest, TheVerifierRuleRefusesTheStepButTheIncidentMoveStands) {
  const IncidentId id = handled_incident(base_);
  task(id, base_ + kHour);
  move(id, IncidentStatus::kFedBack, base_ + kDay, "社区民警 张伟", "已回访");
  // The worker verifies his own feedback: the incident rules allow it.
  Incident verified = move(id, IncidentStatus::kVerified, base_ + kDay + kHour, "社区民警 张伟", "核实");
  EXPECT_EQ(verified.status, IncidentStatus::kVerified);
  std::optional<LedgerItem> item = item_of(id);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->state, "fed_back") << "the ledger refused verify: the item stays where it was";

  // Synced again with the incident's stored events: refused again, told why.
  auto events = engine_->events(id, UnitScope::everything());
  ASSERT_TRUE(events.ok()) << events.error().describe();
  auto synced = engine_->followups()->sync(verified, *events);
  ASSERT_TRUE(synced.ok()) << synced.error().describe();
  EXPECT_EQ(synced->steps, 0);
  EXPECT_NE(synced->refused.find("verify"), std::string::npos) << synced->refused;
  EXPECT_NE(synced->refused.find("社区民警 张伟"), std::string::npos) << synced->refused;

  auto caught = engine_->reconcile_followups();
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  EXPECT_EQ(caught->lagging, 1);
  EXPECT_EQ(caught->refused, 1);
  EXPECT_EQ(caught->steps, 0);
}

TEST_F(FollowupLedgerTest, TheFeedbackDeadlinesRemindersComeFromTheLedgerNotices) {
  const IncidentId id = handled_incident(base_);
  const Timestamp tasked_at = base_ + kHour;
  task(id, tasked_at);
  const std::int64_t item_id = item_of(id)->id;
  // followup.json: 反馈期限 72h from the task, reminder 12h before, 督办 once past due.
  const Timestamp remind_at = tasked_at + 60 * kHour;
  const Timestamp due_at = tasked_at + 72 * kHour;
  auto mine = [&](Timestamp now) {
    auto run = engine_->ledger_notices().run(now);
    EXPECT_TRUE(run.ok()) << run.error().describe();
    std::vector<LedgerNotice> out;
    if (run.ok())
      for (const LedgerNotice& n : *run)
        if (n.item_id == item_id) out.push_back(n);
    return out;
  };
  EXPECT_TRUE(mine(remind_at - 1).empty());
  std::vector<LedgerNotice> reminded = mine(remind_at);
  ASSERT_EQ(reminded.size(), 1u);
  EXPECT_EQ(reminded[0].kind, LedgerNoticeKind::kRemind);
  EXPECT_EQ(reminded[0].deadline, "feedback");
  EXPECT_EQ(reminded[0].type_code, "followup");
  EXPECT_EQ(reminded[0].unit_code, "JN-S1-C1");
  EXPECT_EQ(reminded[0].started_at, tasked_at);
  EXPECT_EQ(reminded[0].due_at, remind_at);
  EXPECT_EQ(engine_->ledger_notices().level_label(reminded[0]), "催办");
  EXPECT_TRUE(mine(remind_at + kHour).empty()) << "recorded once";

  std::vector<LedgerNotice> supervised = mine(due_at + 2);
  ASSERT_EQ(supervised.size(), 1u);
  EXPECT_EQ(supervised[0].level, 1);
  EXPECT_EQ(engine_->ledger_notices().level_label(supervised[0]), "督办");

  // Fed back (late): the deadline stops and records nothing new.
  move(id, IncidentStatus::kFedBack, due_at + kHour, "社区民警 张伟", "已回访");
  EXPECT_TRUE(mine(due_at + 8 * kDay).empty());
}

TEST_F(FollowupLedgerTest, TheCatchUpRepairsItemsThatLagTheirIncidents) {
  // A: tasked with the mirror, then fed back and verified by an engine that
  // does not mirror (as a crash after each incident write would leave it).
  // B: tasked without the mirror at all: no item.
  const IncidentId a = handled_incident(base_);
  const IncidentId b = handled_incident(base_ + kHour);
  task(a, base_ + 2 * kHour);
  {
    std::unique_ptr<Engine> lagger = open_engine(location_, false);
    ASSERT_TRUE(lagger);
    move(a, IncidentStatus::kFedBack, base_ + kDay, "社区民警 张伟", "已回访，隐患已消除", "", lagger.get());
    move(a, IncidentStatus::kVerified, base_ + kDay + kHour, "所长 李四", "核实属实", "", lagger.get());
    task(b, base_ + 3 * kHour, lagger.get());
  }
  EXPECT_EQ(item_of(a)->state, "followup");
  EXPECT_FALSE(item_of(b).has_value());

  // C: written in bulk as the demo writes its rows, closed through the loop.
  Incident c;
  c.source = "test";
  c.source_id = "c-1";
  c.type_code = "theft";
  c.reported_at = base_;
  c.unit_code = "JN-S1-C1";
  ASSERT_TRUE(validate_new_incident(c, engine_->taxonomy(), now_utc()).ok());
  c.status = IncidentStatus::kClosed;
  c.times.dispatched_at = base_ + kMinute;
  c.times.arrived_at = base_ + 10 * kMinute;
  c.times.handled_at = base_ + 30 * kMinute;
  c.times.followup_at = base_ + 5 * kHour;
  c.times.fed_back_at = base_ + 2 * kDay;
  c.times.verified_at = base_ + 3 * kDay;
  c.times.closed_at = base_ + 3 * kDay + kHour;
  c.followup = FollowUpTask{"社区民警 赵六", base_ + 5 * kDay, "盗窃高发，需回访防范"};
  auto batch = engine_->insert_batch(std::span<const Incident>(&c, 1));
  ASSERT_TRUE(batch.ok()) << batch.error().describe();
  ASSERT_EQ(batch->inserted_ids.size(), 1u);
  const IncidentId c_id = batch->inserted_ids[0];

  auto caught = engine_->reconcile_followups();
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  EXPECT_EQ(caught->incidents, 3);
  EXPECT_EQ(caught->lagging, 3);
  EXPECT_EQ(caught->created, 2);  // B and C
  EXPECT_EQ(caught->steps, 2 + 1 + 4);
  EXPECT_EQ(caught->refused, 0);
  EXPECT_EQ(caught->failed, 0);

  std::optional<LedgerItem> item_a = item_of(a);
  EXPECT_EQ(item_a->state, "verified");
  ASSERT_EQ(steps_of(*item_a), (std::vector<std::string>{"create", "task", "feed_back", "verify"}));
  // Actors, notes and times from the incident's stored events.
  EXPECT_EQ(item_a->history[2].actor, "社区民警 张伟");
  EXPECT_EQ(item_a->history[2].at, base_ + kDay);
  EXPECT_EQ(text_field(*item_a, "feedback"), "已回访，隐患已消除");
  EXPECT_EQ(item_a->history[3].actor, "所长 李四");
  EXPECT_EQ(text_field(*item_a, "verify_result"), "核实属实");

  std::optional<LedgerItem> item_b = item_of(b);
  ASSERT_TRUE(item_b.has_value());
  EXPECT_EQ(item_b->state, "followup");
  EXPECT_EQ(item_b->history.back().actor, "指挥中心 王五");
  EXPECT_EQ(item_b->officer_id, "社区民警 张伟");

  // C has no step events: the task's assignee fed back, the system filled in the rest.
  std::optional<LedgerItem> item_c = item_of(c_id);
  ASSERT_TRUE(item_c.has_value());
  EXPECT_EQ(item_c->state, "closed");
  ASSERT_EQ(steps_of(*item_c), (std::vector<std::string>{"create", "task", "feed_back", "verify", "close"}));
  EXPECT_EQ(item_c->history[0].at, base_ + 30 * kMinute);
  EXPECT_EQ(item_c->history[1].at, base_ + 5 * kHour);
  EXPECT_EQ(item_c->history[2].actor, "社区民警 赵六");
  EXPECT_EQ(item_c->history[3].actor, kBackfillActor);
  EXPECT_EQ(item_c->history[4].at, base_ + 3 * kDay + kHour);
  EXPECT_EQ(text_field(*item_c, "assessment"), "盗窃高发，需回访防范");

  // In step now: a second catch-up changes nothing.
  auto again = engine_->reconcile_followups();
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->incidents, 3);
  EXPECT_EQ(again->lagging, 0);
  EXPECT_EQ(again->created + again->steps, 0);
}

TEST_F(FollowupLedgerTest, TheFoundFigureEqualsTheIncidentsThatEnteredTheLoop) {
  auto index = ledger::attach_ledger_index(*engine_);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  // Through the API: closed directly, left handled, tasked, fed back, closed through the loop.
  for (int i = 0; i < 10; ++i) {
    const Timestamp at = base_ + i * kDay;
    const IncidentId id = handled_incident(at);
    if (i % 5 == 0) {
      move(id, IncidentStatus::kClosed, at + kHour, "巡逻民警 钱二");
      continue;
    }
    if (i % 5 == 1) continue;
    task(id, at + kHour);
    if (i % 5 >= 3) move(id, IncidentStatus::kFedBack, at + 5 * kHour, "社区民警 张伟", "已回访");
    if (i % 5 == 4) {
      move(id, IncidentStatus::kVerified, at + 6 * kHour, "所长 李四", "属实");
      move(id, IncidentStatus::kClosed, at + 7 * kHour, "所长 李四");
    }
  }
  // In bulk: every third row went through the loop.
  std::vector<Incident> rows;
  for (int i = 0; i < 9; ++i) {
    Incident r;
    r.source = "test";
    r.source_id = std::to_string(i);
    r.type_code = "theft";
    r.reported_at = base_ + i * kHour;
    r.unit_code = i % 2 ? "JN-S1-C1" : "";
    ASSERT_TRUE(validate_new_incident(r, engine_->taxonomy(), now_utc()).ok());
    r.status = IncidentStatus::kClosed;
    r.times.handled_at = r.reported_at + 20 * kMinute;
    if (i % 3 == 0) {
      r.times.followup_at = r.reported_at + kHour;
      r.times.fed_back_at = r.reported_at + kDay;
      r.times.verified_at = r.reported_at + 2 * kDay;
      r.followup = FollowUpTask{"社区民警 赵六", r.reported_at + 4 * kDay, "需回访"};
    }
    r.times.closed_at = r.reported_at + 3 * kDay;
    rows.push_back(r);
  }
  ASSERT_TRUE(engine_->insert_batch(rows).ok());
  auto caught = engine_->reconcile_followups();
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  EXPECT_EQ(caught->failed + caught->refused, 0);

  // Brute force: the incidents whose record shows a task.
  std::int64_t entered = 0;
  ASSERT_TRUE(engine_->scan_incidents([&](const Incident& inc) { entered += inc.times.followup_at ? 1 : 0; }).ok());
  EXPECT_EQ(entered, 6 + 3);
  ledger::LedgerFigureQuery q;
  q.type = "followup";
  q.name = "found";
  q.from = base_ - kDay;
  q.to = base_ + 40 * kDay;
  auto found = ledger::query_ledger_figure(**index, q);
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->value.value, entered);
  // A row without a unit is the bureau's: its item is under JN.
  std::int64_t bureau_items = 0;
  ASSERT_TRUE(engine_->ledgers()
                  .scan("followup", [&](const LedgerItem& item) { bureau_items += item.unit_code == "JN" ? 1 : 0; })
                  .ok());
  EXPECT_EQ(bureau_items, 2);  // rows 0 and 6
}

}  // namespace
}  // namespace pingan::testing
