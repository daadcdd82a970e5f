// Two servers on one database share one dispatch desk (issue 19): each has
// its engine and DispatchService, as two `pingan serve` processes on one
// PostgreSQL province (or one SQLite file) do. Server A's dispatches,
// arrivals, clearances, new units and positions reach server B's desk and
// its listeners through the change log (Engine::catch_up); B, still stale,
// cannot dispatch a unit A took: the store refuses it with kConflict naming
// the unit, and nothing is written.

#include <fmt/format.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "dispatch_test_support.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

class DeskShareTest : public DispatchTest {
 protected:
  // Server A is the fixture's engine_ and service_; server B opens the same
  // store after A's tree and units exist.
  void open_b() {
    auto e = Engine::open(EngineConfig{test_store_location(dir_, "dispatch.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(e.ok()) << e.error().describe();
    engine_b_ = std::move(e).value();
    auto cards = Result<dispatch::RunCards>(shipped_settings().run_cards);
    ASSERT_TRUE(cards.ok());
    auto s = dispatch::DispatchService::open(*engine_b_, config_, std::move(cards).value());
    ASSERT_TRUE(s.ok()) << s.error().describe();
    desk_b_ = std::move(s).value();
    desk_b_->subscribe([this](const dispatch::UnitChange& c) { heard_b_.push_back(c); });
  }
  int catch_up_b() {
    auto applied = engine_b_->catch_up();
    EXPECT_TRUE(applied.ok()) << applied.error().describe();
    return applied.ok() ? *applied : -1;
  }
  dispatch::UnitChange on_b(const std::string& call_sign) {
    auto u = desk_b_->get_unit(call_sign);
    EXPECT_TRUE(u.ok()) << call_sign << ": " << u.error().describe();
    return u.ok() ? *u : dispatch::UnitChange{};
  }
  // What B's listeners heard of one unit, last first.
  const dispatch::UnitChange* last_heard(const std::string& call_sign) const {
    for (auto it = heard_b_.rbegin(); it != heard_b_.rend(); ++it)
      if (it->unit.call_sign == call_sign) return &*it;
    return nullptr;
  }
  std::size_t events_of(IncidentId id) {
    auto events = engine_->events(id, UnitScope::everything());
    EXPECT_TRUE(events.ok());
    return events.ok() ? events->size() : 0;
  }
  std::vector<Assignment> open_assignments() {
    auto open = engine_->list_open_assignments();
    EXPECT_TRUE(open.ok());
    return open.ok() ? *open : std::vector<Assignment>{};
  }

  std::unique_ptr<Engine> engine_b_;
  std::unique_ptr<dispatch::DispatchService> desk_b_;
  std::vector<dispatch::UnitChange> heard_b_;
};

TEST_F(DeskShareTest, ADispatchOnOneServerReachesTheOthersDeskAndListeners) {
  add({patrol("U1", PatrolKind::kCar), patrol("U2", PatrolKind::kCar)});
  place("U1", 36.650, 117.050, 0);
  place("U2", 36.660, 117.050, 0);
  open_b();
  const IncidentId id = incident("theft", 36.652, 117.050);
  ASSERT_EQ(desk_b_->nearest_available(GeoPoint{36.652, 117.050}, 5).size(), 2u);

  ASSERT_TRUE(service_->dispatch(id, {"U1"}, base_ + 60, "指挥员A", UnitScope::everything()).ok());
  EXPECT_EQ(on_b("U1").unit.status, PatrolStatus::kAvailable) << "B has not caught up yet";

  EXPECT_GT(catch_up_b(), 0);
  const dispatch::UnitChange u1 = on_b("U1");
  EXPECT_EQ(u1.unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(u1.unit.assignment, id);
  ASSERT_TRUE(u1.position.has_value());
  EXPECT_DOUBLE_EQ(u1.position->point.lat, 36.650);
  // B's map and live stream heard it as a local dispatch is heard.
  const dispatch::UnitChange* heard = last_heard("U1");
  ASSERT_NE(heard, nullptr);
  EXPECT_EQ(heard->unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(heard->unit.assignment, id);
  EXPECT_EQ(last_heard("U2"), nullptr) << "a unit nobody changed is not published";
  // B no longer offers U1.
  auto offered = desk_b_->nearest_available(GeoPoint{36.652, 117.050}, 5);
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0].call_sign, "U2");
  // Its own writes are not news to A; nothing is heard twice on B.
  EXPECT_EQ(engine_->catch_up().value(), 0);
  heard_b_.clear();
  EXPECT_EQ(catch_up_b(), 0);
  EXPECT_TRUE(heard_b_.empty());
}

TEST_F(DeskShareTest, AStaleServerCannotDispatchAUnitTheOtherTookAndWritesNothing) {
  add({patrol("U1", PatrolKind::kCar), patrol("U2", PatrolKind::kCar)});
  place("U1", 36.650, 117.050, 0);
  place("U2", 36.660, 117.050, 0);
  open_b();
  const IncidentId first = incident("theft", 36.652, 117.050);
  const IncidentId second = incident("theft", 36.655, 117.052);
  ASSERT_TRUE(service_->dispatch(first, {"U1"}, base_ + 60, "指挥员A", UnitScope::everything()).ok());

  // B has not caught up: its memory still shows U1 free, the store does not.
  ASSERT_EQ(on_b("U1").unit.status, PatrolStatus::kAvailable);
  auto taken = desk_b_->dispatch(second, {"U2", "U1"}, base_ + 90, "指挥员B", UnitScope::everything());
  ASSERT_FALSE(taken.ok()) << "two servers claimed one unit";
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict) << taken.error().describe();
  EXPECT_NE(taken.error().message.find("'U1'"), std::string::npos) << taken.error().message;
  EXPECT_EQ(taken.error().message.find("'U2'"), std::string::npos) << taken.error().message;

  // Nothing written: the second incident still received with its intake
  // event, U2 free in the store, the only open assignment A's.
  auto second_now = engine_->get_incident(second, UnitScope::everything());
  ASSERT_TRUE(second_now.ok());
  EXPECT_EQ(second_now->status, IncidentStatus::kReceived);
  EXPECT_EQ(events_of(second), 1u);
  const std::vector<Assignment> open = open_assignments();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].call_sign, "U1");
  EXPECT_EQ(open[0].incident_id, first);
  EXPECT_EQ(open[0].actor, "指挥员A");
  auto stored = engine_->list_patrol_units();
  ASSERT_TRUE(stored.ok());
  for (const PatrolUnit& u : *stored)
    if (u.call_sign == "U2") {
      EXPECT_EQ(u.status, PatrolStatus::kAvailable);
    }

  // The refusal taught B what the store holds: U1 en route to A's incident,
  // U2 still free for B's next dispatch.
  EXPECT_EQ(on_b("U1").unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(on_b("U1").unit.assignment, first);
  EXPECT_EQ(on_b("U2").unit.status, PatrolStatus::kAvailable);
  ASSERT_NE(last_heard("U1"), nullptr);
  EXPECT_EQ(last_heard("U1")->unit.assignment, first);

  // The same unit to the same incident from the stale side: refused too,
  // the incident moved once, by A.
  // (B's memory is current now: a new B, opened while U1 is free, is stale.)
  ASSERT_TRUE(service_->clear("U1", base_ + 120, "A").ok());
  desk_b_.reset();
  engine_b_.reset();
  open_b();
  ASSERT_TRUE(service_->dispatch(first, {"U1"}, base_ + 130, "指挥员A", UnitScope::everything()).ok());
  const std::size_t events_before = events_of(first);
  ASSERT_EQ(on_b("U1").unit.status, PatrolStatus::kAvailable) << "B opened while U1 was free and has not caught up";
  auto again = desk_b_->dispatch(first, {"U1"}, base_ + 140, "指挥员B", UnitScope::everything());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("'U1'"), std::string::npos) << again.error().message;
  EXPECT_EQ(events_of(first), events_before);
  ASSERT_EQ(open_assignments().size(), 1u);
  EXPECT_EQ(open_assignments()[0].dispatched_at, base_ + 130);
  EXPECT_EQ(on_b("U1").unit.status, PatrolStatus::kEnRoute);

  // B's step succeeds for U2, which nobody took.
  auto sent = desk_b_->dispatch(second, {"U2"}, base_ + 150, "指挥员B", UnitScope::everything());
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
}

TEST_F(DeskShareTest, ArrivalAndClearingOnOneServerReachTheOther) {
  add({patrol("U1", PatrolKind::kCar)});
  place("U1", 36.650, 117.050, 0);
  open_b();
  const IncidentId id = incident("theft", 36.652, 117.050);
  ASSERT_TRUE(service_->dispatch(id, {"U1"}, base_ + 60, "指挥员A", UnitScope::everything()).ok());
  ASSERT_TRUE(service_->arrive("U1", base_ + 300, "U1").ok());
  catch_up_b();
  EXPECT_EQ(on_b("U1").unit.status, PatrolStatus::kOnScene);
  EXPECT_EQ(on_b("U1").unit.assignment, id);
  ASSERT_NE(last_heard("U1"), nullptr);
  EXPECT_EQ(last_heard("U1")->unit.status, PatrolStatus::kOnScene);

  // Cleared on B, from the assignment B re-read: the store's record closes
  // and A hears of it.
  ASSERT_TRUE(desk_b_->clear("U1", base_ + 900, "U1").ok());
  EXPECT_TRUE(open_assignments().empty()) << "B closed the assignment A opened";
  ASSERT_TRUE(engine_->catch_up().ok());
  EXPECT_EQ(service_->get_unit("U1")->unit.status, PatrolStatus::kAvailable);
  EXPECT_FALSE(service_->get_unit("U1")->unit.assignment.has_value());

  // Dispatched and cleared on A: B follows each step.
  const IncidentId next = incident("theft", 36.651, 117.051);
  ASSERT_TRUE(service_->dispatch(next, {"U1"}, base_ + 1000, "指挥员A", UnitScope::everything()).ok());
  catch_up_b();
  EXPECT_EQ(on_b("U1").unit.assignment, next);
  EXPECT_TRUE(desk_b_->nearest_available(GeoPoint{36.652, 117.050}, 5).empty());
  ASSERT_TRUE(service_->clear("U1", base_ + 1100, "U1").ok());
  catch_up_b();
  EXPECT_EQ(on_b("U1").unit.status, PatrolStatus::kAvailable);
  EXPECT_FALSE(on_b("U1").unit.assignment.has_value());
  EXPECT_EQ(last_heard("U1")->unit.status, PatrolStatus::kAvailable);
  EXPECT_EQ(desk_b_->nearest_available(GeoPoint{36.652, 117.050}, 5).size(), 1u);
}

TEST_F(DeskShareTest, PositionsReachTheOtherServerAtTheStoredTracksResolution) {
  add({patrol("U1", PatrolKind::kCar), patrol("U2", PatrolKind::kCar)});
  place("U1", 36.650, 117.050, 0);
  place("U2", 36.680, 117.050, 0);
  open_b();
  // U1 moves 1.1 km in 60 s: a track point is stored (>= 100 m), and B's map follows.
  place("U1", 36.660, 117.050, 60);
  catch_up_b();
  ASSERT_TRUE(on_b("U1").position.has_value());
  EXPECT_DOUBLE_EQ(on_b("U1").position->point.lat, 36.660);
  EXPECT_EQ(on_b("U1").position->at, base_ + 60);
  ASSERT_NE(last_heard("U1"), nullptr);
  EXPECT_DOUBLE_EQ(last_heard("U1")->position->point.lat, 36.660);
  // B ranks by where U1 is now: nearer than U2 to a call at the top of the square.
  auto ranked = desk_b_->nearest_available(GeoPoint{36.667, 117.050}, 2);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].call_sign, "U1");
  // A report 20 m on, 10 s later, is not a track point: B keeps the last
  // stored one (the chosen resolution), and nothing is logged for it.
  place("U1", 36.66018, 117.050, 70);
  heard_b_.clear();
  EXPECT_EQ(catch_up_b(), 0);
  EXPECT_EQ(on_b("U1").position->at, base_ + 60);
  EXPECT_TRUE(heard_b_.empty());
  // 30 s after the last stored point the next report is stored again.
  place("U1", 36.66020, 117.050, 90);
  catch_up_b();
  EXPECT_EQ(on_b("U1").position->at, base_ + 90);
  // A position B itself holds newer than the store's is kept.
  PositionReport own{"U2", base_ + 200, GeoPoint{36.690, 117.050}, std::nullopt};
  ASSERT_EQ(desk_b_->report_positions(std::span(&own, 1)).accepted, 1);
  place("U2", 36.685, 117.050, 150);  // on A, older than B's report
  catch_up_b();
  EXPECT_EQ(on_b("U2").position->at, base_ + 200);
}

TEST_F(DeskShareTest, AUnitAddedOnOneServerJoinsTheOthersDesk) {
  add({patrol("U1", PatrolKind::kCar)});
  open_b();
  add({patrol("U3", PatrolKind::kMotorcycle, "S2", {"rapid"})});
  place("U3", 36.650, 117.150, 0);
  EXPECT_FALSE(desk_b_->get_unit("U3").ok());
  catch_up_b();
  const dispatch::UnitChange u3 = on_b("U3");
  EXPECT_EQ(u3.unit.kind, PatrolKind::kMotorcycle);
  EXPECT_EQ(u3.unit.station_code, "S2");
  EXPECT_EQ(u3.unit.roles, std::vector<std::string>{"rapid"});
  ASSERT_TRUE(u3.position.has_value());
  auto rapid = desk_b_->nearest_available(GeoPoint{36.650, 117.150}, 3, std::nullopt, "rapid");
  ASSERT_EQ(rapid.size(), 1u);
  EXPECT_EQ(rapid[0].call_sign, "U3");
  EXPECT_EQ(desk_b_->list_units(UnitScope::everything()).size(), 2u);
  // Off duty on A: off B's list of available units too.
  ASSERT_TRUE(service_->set_duty("U3", false, base_ + 60, "值班长").ok());
  catch_up_b();
  EXPECT_EQ(on_b("U3").unit.status, PatrolStatus::kOffDuty);
  EXPECT_TRUE(desk_b_->nearest_available(GeoPoint{36.650, 117.150}, 3, std::nullopt, "rapid").empty());
}

// Dispatchers on both servers send the same unit at the same moment, each
// with a desk that shows it free: exactly one wins every round, the other
// is told which unit, and the store holds one open assignment.
TEST_F(DeskShareTest, RacingDispatchersOnTwoServersNeverBothClaimAUnit) {
  add({patrol("U1", PatrolKind::kCar)});
  place("U1", 36.650, 117.050, 0);
  open_b();
  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    const IncidentId for_a = incident("theft", 36.652, 117.050);
    const IncidentId for_b = incident("theft", 36.653, 117.051);
    const Timestamp at = base_ + 60 + round * 100;
    std::atomic<int> ready{0};
    Result<std::vector<PatrolUnit>> by_a = Error::internal("not run"), by_b = Error::internal("not run");
    auto race = [&](dispatch::DispatchService& desk, IncidentId id, Result<std::vector<PatrolUnit>>& out) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      out = desk.dispatch(id, {"U1"}, at, "指挥员", UnitScope::everything());
    };
    std::thread a([&] { race(*service_, for_a, by_a); });
    std::thread b([&] { race(*desk_b_, for_b, by_b); });
    a.join();
    b.join();
    ASSERT_NE(by_a.ok(), by_b.ok())
        << "round " << round << ": "
        << (by_a.ok() ? "both won" : by_a.error().describe() + " / " + by_b.error().describe());
    const Error& lost = by_a.ok() ? by_b.error() : by_a.error();
    EXPECT_EQ(lost.code, ErrorCode::kConflict) << lost.describe();
    EXPECT_NE(lost.message.find("'U1'"), std::string::npos) << lost.message;
    const std::vector<Assignment> open = open_assignments();
    ASSERT_EQ(open.size(), 1u) << "round " << round;
    EXPECT_EQ(open[0].incident_id, by_a.ok() ? for_a : for_b);
    // The loser's incident was not moved.
    auto loser = engine_->get_incident(by_a.ok() ? for_b : for_a, UnitScope::everything());
    ASSERT_TRUE(loser.ok());
    EXPECT_EQ(loser->status, IncidentStatus::kReceived);
    // Both desks agree after their catch-ups; the winner's side clears.
    ASSERT_TRUE(engine_->catch_up().ok());
    catch_up_b();
    EXPECT_EQ(service_->get_unit("U1")->unit.assignment, open[0].incident_id);
    EXPECT_EQ(on_b("U1").unit.assignment, open[0].incident_id);
    dispatch::DispatchService& winner = by_a.ok() ? *service_ : *desk_b_;
    ASSERT_TRUE(winner.clear("U1", at + 50, "U1").ok());
    ASSERT_TRUE(engine_->catch_up().ok());
    catch_up_b();
  }
}

}  // namespace
}  // namespace pingan::testing
