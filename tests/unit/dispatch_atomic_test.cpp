// A dispatch or an arrival is all or nothing: the unit's record (status,
// assignment) and the incident's transition are written in one transaction.
// The crash trials (scripts/crash-trials.sh) found units en route to
// incidents still "received" after a SIGKILL, because the desk committed
// the unit first and moved the incident in a second commit. Here the second
// write is made to fail after the first would have succeeded: a trigger,
// installed on the database file from another connection, aborts every
// UPDATE of an incident; or the incident's lifecycle refuses the move.
// Neither record may change, in memory, in the store, or after a reopen.

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "dispatch_test_support.h"
#include "test_store.h"

namespace pingan::testing {
namespace {

class DispatchAtomicTest : public DispatchTest {
 protected:
  // SQL on the test's database through a connection of the test's own.
  void run_sql(const std::string& sql) {
    if (testing_postgres()) return pg_test_exec(test_store_location(dir_, "dispatch.db"), sql);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.file("dispatch.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }
  void fail_incident_writes() {
    if (testing_postgres())
      return run_sql("CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "RAISE EXCEPTION 'injected failure of the incident write'; END $$; "
                     "CREATE TRIGGER injected_incident_failure BEFORE UPDATE ON incidents "
                     "FOR EACH ROW EXECUTE FUNCTION injected_failure()");
    run_sql("CREATE TRIGGER injected_incident_failure BEFORE UPDATE ON incidents "
            "BEGIN SELECT RAISE(ABORT, 'injected failure of the incident write'); END");
  }
  void heal_incident_writes() {
    run_sql(testing_postgres() ? "DROP TRIGGER injected_incident_failure ON incidents; DROP FUNCTION injected_failure()"
                               : "DROP TRIGGER injected_incident_failure");
  }

  // The unit as the store has it (not the desk's memory).
  PatrolUnit stored_unit(const std::string& call_sign) {
    auto units = engine_->list_patrol_units();
    EXPECT_TRUE(units.ok()) << units.error().describe();
    if (units.ok())
      for (const PatrolUnit& u : *units)
        if (u.call_sign == call_sign) return u;
    ADD_FAILURE() << "no stored unit " << call_sign;
    return {};
  }
  Incident stored_incident(IncidentId id) {
    auto inc = engine_->get_incident(id, UnitScope::everything());
    EXPECT_TRUE(inc.ok()) << inc.error().describe();
    return inc.ok() ? *inc : Incident{};
  }
  std::size_t event_count(IncidentId id) {
    auto events = engine_->events(id, UnitScope::everything());
    EXPECT_TRUE(events.ok());
    return events.ok() ? events->size() : 0;
  }
  // Counts what the engine and the desk publish from now on.
  void listen() {
    engine_->subscribe([this](const IncidentChange& c) { incident_changes_.push_back(c); });
    service_->subscribe([this](const dispatch::UnitChange& c) { unit_changes_.push_back(c); });
  }

  std::vector<IncidentChange> incident_changes_;
  std::vector<dispatch::UnitChange> unit_changes_;
};

TEST_F(DispatchAtomicTest, ADispatchWhoseIncidentWriteFailsChangesNeitherRecord) {
  add({patrol("A", PatrolKind::kCar), patrol("B", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  place("B", 36.660, 117.050, 0);
  const IncidentId id = incident("theft", 36.652, 117.050);
  listen();
  fail_incident_writes();

  auto sent = service_->dispatch(id, {"A", "B"}, base_ + 60, "指挥员", UnitScope::everything());
  ASSERT_FALSE(sent.ok()) << "the dispatch was acknowledged though its incident could not be written";
  EXPECT_NE(sent.error().message.find("injected failure"), std::string::npos) << sent.error().describe();

  // The desk's memory: both units free, still recommended.
  for (const char* cs : {"A", "B"}) {
    EXPECT_EQ(service_->get_unit(cs)->unit.status, PatrolStatus::kAvailable) << cs;
    EXPECT_FALSE(service_->get_unit(cs)->unit.assignment.has_value()) << cs;
  }
  EXPECT_EQ(service_->nearest_available(GeoPoint{36.652, 117.050}, 5).size(), 2u);
  // The store: no unit moved, no assignment, the incident received with its intake event only.
  for (const char* cs : {"A", "B"}) {
    EXPECT_EQ(stored_unit(cs).status, PatrolStatus::kAvailable) << cs;
    EXPECT_FALSE(stored_unit(cs).assignment.has_value()) << cs;
  }
  auto open = engine_->list_open_assignments();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kReceived);
  EXPECT_EQ(event_count(id), 1u);
  // Nothing was published: no listener saw a unit leave.
  EXPECT_TRUE(unit_changes_.empty());
  EXPECT_TRUE(incident_changes_.empty());

  // As after a restart: the records agree.
  heal_incident_writes();
  reopen();
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kAvailable);
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kReceived);

  // With the incident writable again the same dispatch goes through whole,
  // and publishes after its commit what it did before: the incident's move
  // once, each unit's change.
  listen();
  sent = service_->dispatch(id, {"A", "B"}, base_ + 60, "指挥员", UnitScope::everything());
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_EQ(stored_unit("A").status, PatrolStatus::kEnRoute);
  EXPECT_EQ(stored_unit("B").assignment, id);
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kDispatched);
  EXPECT_EQ(*stored_incident(id).times.dispatched_at, base_ + 60);
  ASSERT_EQ(incident_changes_.size(), 1u);
  EXPECT_EQ(incident_changes_[0].incident.status, IncidentStatus::kDispatched);
  ASSERT_TRUE(incident_changes_[0].event.has_value());
  EXPECT_EQ(incident_changes_[0].event->note, "派警 A, B");
  EXPECT_EQ(incident_changes_[0].event->at, base_ + 60);
  ASSERT_EQ(unit_changes_.size(), 2u);
  EXPECT_EQ(unit_changes_[1].unit.status, PatrolStatus::kEnRoute);
}

TEST_F(DispatchAtomicTest, AnArrivalWhoseIncidentWriteFailsChangesNeitherRecord) {
  add({patrol("A", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  const IncidentId id = incident("theft", 36.652, 117.050);
  ASSERT_TRUE(service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything()).ok());
  listen();
  fail_incident_writes();

  auto arrived = service_->arrive("A", base_ + 300, "A");
  ASSERT_FALSE(arrived.ok()) << "the arrival was acknowledged though its incident could not be written";
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(stored_unit("A").status, PatrolStatus::kEnRoute);
  auto open = engine_->list_open_assignments();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_FALSE(open->front().arrived_at.has_value());
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kDispatched);
  EXPECT_EQ(event_count(id), 2u);  // 接警, 派警
  EXPECT_TRUE(unit_changes_.empty());
  EXPECT_TRUE(incident_changes_.empty());

  // An arrival inferred from a position report at the scene fails the same
  // way: the unit stays en route (the report itself is accepted).
  place("A", 36.652, 117.0502, 320);
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kEnRoute);
  EXPECT_EQ(stored_unit("A").status, PatrolStatus::kEnRoute);
  EXPECT_TRUE(incident_changes_.empty());

  // Still en route to the scene: once the incident can be written, the next
  // report lands the unit and moves the incident, together.
  heal_incident_writes();
  place("A", 36.652, 117.0501, 360);
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kOnScene);
  ASSERT_EQ(incident_changes_.size(), 1u);
  ASSERT_TRUE(incident_changes_[0].event.has_value());
  EXPECT_EQ(incident_changes_[0].event->note, "到场 A");
  EXPECT_EQ(incident_changes_[0].event->actor, "AVL");
  reopen();
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kOnScene);
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kArrived);
  EXPECT_EQ(*stored_incident(id).times.arrived_at, base_ + 360);
  auto records = engine_->list_open_assignments();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().arrived_at, base_ + 360);
}

// No fault injected: the incident's own lifecycle refuses the move (a step
// may not lie in the future). The dispatch used to go out anyway, leaving the
// unit en route to a "received" incident; now it is refused whole.
TEST_F(DispatchAtomicTest, ADispatchTheIncidentCannotFollowIsRefusedWhole) {
  add({patrol("A", PatrolKind::kCar)});
  place("A", 36.650, 117.050, 0);
  const IncidentId id = incident("theft", 36.652, 117.050);
  const Timestamp tomorrow = now_utc() + 86400;

  auto sent = service_->dispatch(id, {"A"}, tomorrow, "指挥员", UnitScope::everything());
  ASSERT_FALSE(sent.ok()) << "units were sent to an incident that could not move to dispatched";
  EXPECT_EQ(sent.error().field, "at");
  EXPECT_NE(sent.error().message.find(fmt::format("incident {}", id)), std::string::npos) << sent.error().message;
  EXPECT_EQ(service_->get_unit("A")->unit.status, PatrolStatus::kAvailable);
  EXPECT_EQ(stored_unit("A").status, PatrolStatus::kAvailable);
  EXPECT_EQ(stored_incident(id).status, IncidentStatus::kReceived);
  auto open = engine_->list_open_assignments();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());

  // Sent now, A moves the incident; B, sent after it, finds the incident
  // dispatched and leaves it (no second 派警 step).
  add({patrol("B", PatrolKind::kCar)});
  place("B", 36.660, 117.050, 10);
  ASSERT_TRUE(service_->dispatch(id, {"A"}, base_ + 60, "指挥员", UnitScope::everything()).ok());
  ASSERT_TRUE(service_->dispatch(id, {"B"}, base_ + 90, "指挥员", UnitScope::everything()).ok());
  EXPECT_EQ(stored_unit("B").status, PatrolStatus::kEnRoute);
  EXPECT_EQ(*stored_incident(id).times.dispatched_at, base_ + 60);
  EXPECT_EQ(event_count(id), 2u);  // 接警, 派警 A
}

}  // namespace
}  // namespace pingan::testing
