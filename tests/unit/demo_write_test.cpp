// Writing the demo district through the Engine into a SQLite file.

#include <gtest/gtest.h>

#include <map>

#include "engine/engine.h"
#include "ingest/demo_district.h"
#include "test_support.h"

namespace pingan {
namespace {

using ingest::DemoOptions;
using ingest::generate_demo_incidents;
using ingest::write_demo_district;

TEST(DemoWrite, WritesUnitsAndIncidentsAndARerunAddsNothing) {
  testing::TempDir dir;
  auto engine = Engine::open(EngineConfig{dir.file("demo.db"), ""});
  ASSERT_TRUE(engine.ok()) << engine.error().describe();
  DemoOptions options;
  options.days = 30;

  // What the generator gives, counted by station, to compare with the store.
  std::int64_t generated = 0;
  std::map<std::string, std::int64_t> by_station;
  generate_demo_incidents(options, (*engine)->taxonomy(), [&](Incident&& inc) {
    ++generated;
    ++by_station[inc.unit_code.substr(0, 6)];
  });

  std::int64_t last_done = -1, last_expected = -1, calls = 0;
  auto report = write_demo_district(**engine, options, [&](std::int64_t done, std::int64_t expected) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_expected = expected;
    ++calls;
  });
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->units, 49);
  EXPECT_EQ(report->incidents, generated);
  EXPECT_EQ(report->duplicates, 0);
  EXPECT_EQ(last_done, generated);
  EXPECT_EQ(last_expected, generated);  // the last call reports (done, done)
  EXPECT_GE(calls, 2);

  auto count = (*engine)->count_incidents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, generated);
  EXPECT_EQ((*engine)->units()->units().size(), 49u);
  EXPECT_NE((*engine)->units()->find("PA-S05-C03"), nullptr);

  // Scoped reads see each station's own incidents.
  for (const auto& [station, n] : by_station) {
    IncidentFilter filter;
    filter.scope = UnitScope::subtree(station);
    filter.limit = 1;
    auto page = (*engine)->list_incidents(filter);
    ASSERT_TRUE(page.ok()) << page.error().describe();
    EXPECT_EQ(page->total, n) << station;
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].source, "demo");
    EXPECT_EQ(page->items[0].unit_code.substr(0, 6), station);
  }

  auto again = write_demo_district(**engine, options, nullptr);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->incidents, 0);
  EXPECT_EQ(again->duplicates, generated);
  EXPECT_EQ(*(*engine)->count_incidents(), generated);
}

TEST(DemoWrite, RefusesInvalidOptionsBeforeWritingAnything) {
  testing::TempDir dir;
  auto engine = Engine::open(EngineConfig{dir.file("demo.db"), ""});
  ASSERT_TRUE(engine.ok()) << engine.error().describe();
  DemoOptions options;
  options.days = 0;
  auto report = write_demo_district(**engine, options, nullptr);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().field, "days");
  EXPECT_EQ(*(*engine)->count_incidents(), 0);
  EXPECT_TRUE((*engine)->units()->units().empty());
}

}  // namespace
}  // namespace pingan
