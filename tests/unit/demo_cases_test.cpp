// The demo district's cases (ingest/demo_cases.h): written from its stored
// incidents, each case linking an incident that exists, solved cases with
// suspects and their measures in the rules' order, repeat offenders one
// person across cases, and a second run adding nothing.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "engine/engine.h"
#include "ingest/demo_cases.h"
#include "ingest/demo_district.h"
#include "test_support.h"

namespace pingan {
namespace {

TEST(DemoCases, FollowFromTheIncidentsAndARerunAddsNothing) {
  testing::TempDir dir;
  auto engine = Engine::open(EngineConfig{dir.file("demo.db"), ""});
  ASSERT_TRUE(engine.ok()) << engine.error().describe();
  ingest::DemoOptions options;
  options.days = 90;
  ASSERT_TRUE(ingest::write_demo_district(**engine, options, nullptr).ok());
  auto report = ingest::write_demo_cases(**engine, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_GT(report->cases, 100);
  EXPECT_GT(report->measures, 0);
  EXPECT_GT(report->money_entries, 0);
  EXPECT_GT(report->fugitives, 60);  // the 60 older listings and some of the demo's own
  EXPECT_GT(report->dissuasions, 300);

  std::int64_t cases = 0, solved = 0, with_suspects = 0;
  std::map<PersonId, std::set<CaseId>> suspect_cases;
  ASSERT_TRUE((*engine)->cases().scan_cases([&](const CaseBundle& b) {
    ++cases;
    ASSERT_EQ(b.record.incident_ids.size(), 1u);
    EXPECT_TRUE((*engine)->get_incident(b.record.incident_ids[0], UnitScope::everything()).ok());
    EXPECT_GE(b.record.opened_at, 0);
    if (b.record.is_solved()) ++solved;
    bool suspect = false;
    for (const CaseParty& p : b.parties)
      if (p.role == PersonRole::kSuspect) {
        suspect = true;
        suspect_cases[p.person_id].insert(b.record.id);
      }
    with_suspects += suspect;
    // Every measure is on a suspect of the case and comes no earlier than the solution.
    for (const Measure& m : b.measures) {
      ASSERT_TRUE(b.record.times.solved_at.has_value()) << b.record.case_number;
      EXPECT_GE(m.at, *b.record.times.solved_at);
    }
  }).ok());
  EXPECT_EQ(cases, report->cases);
  EXPECT_GT(solved, 0);
  EXPECT_LT(solved, cases);  // clearance rates below 100 %
  EXPECT_GE(with_suspects, solved);
  int repeat_offenders = 0;
  for (const auto& [person, in_cases] : suspect_cases) repeat_offenders += in_cases.size() > 1;
  EXPECT_GT(repeat_offenders, 0);

  auto count_listings = [&] {
    std::int64_t n = 0;
    EXPECT_TRUE((*engine)->cases().scan_fugitives([&](const FugitiveChange&) { ++n; }).ok());
    return n;
  };
  const std::int64_t listings = count_listings();
  EXPECT_EQ(listings, report->fugitives);
  auto again = ingest::write_demo_cases(**engine, options, nullptr);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->cases, 0);
  EXPECT_EQ(again->fugitives, 0);
  EXPECT_EQ(again->dissuasions, 0);
  // A case present already is skipped with everything hanging on it (its
  // own listing included); the warnings are skipped one by one.
  EXPECT_GE(again->duplicates, report->cases + report->dissuasions);
  EXPECT_EQ(count_listings(), listings);
}

}  // namespace
}  // namespace pingan
