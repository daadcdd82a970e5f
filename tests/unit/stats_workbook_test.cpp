// Statistics tables as workbooks (report/stats_workbook.h, issue 22): a
// small index of known counts, its GET /api/stats answer written as .xlsx,
// read back by LibreOffice as CSV, and every cell compared with the JSON
// answer (json/stats_json.h) of the same result; the totals row is the sum
// of the rows and the answer's total. The campaign overview the same way.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "analytics/aggregate.h"
#include "analytics/incident_index.h"
#include "analytics/stats_overview.h"
#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "json/stats_json.h"
#include "report/stats_workbook.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

using nlohmann::json;

// A percentage of the JSON (-14.93, or null) as LibreOffice shows a 0.00% cell.
std::string shown_percent(const json& v) { return v.is_null() ? "" : fmt::format("{:.2f}%", v.get<double>()); }

std::string shown(const json& v) { return v.is_null() ? "" : std::to_string(v.get<std::int64_t>()); }

class StatsWorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Engine::open(EngineConfig{test_store_location(dir_, "stats.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("JN-S2", "JN", UnitKind::kStation)})
                    .ok());
    // June and July 2025, and July 2024 (同比):
    //   JN-S1: 5 burglaries and 3 assaults in July, 2 burglaries in June; a year before 4 burglaries in July
    //   JN-S2: 2 burglaries and 4 traffic accidents in July, 1 assault in June; a year before 2 burglaries
    //          and 1 assault in July, 3 accidents in June
    add("burglary", "JN-S1", 2025, 7, 5);
    add("simple_assault", "JN-S1", 2025, 7, 3);
    add("burglary", "JN-S1", 2025, 6, 2);
    add("burglary", "JN-S1", 2024, 7, 4);
    add("burglary", "JN-S2", 2025, 7, 2);
    add("traffic_accident", "JN-S2", 2025, 7, 4);
    add("simple_assault", "JN-S2", 2025, 6, 1);
    add("burglary", "JN-S2", 2024, 7, 2);
    add("simple_assault", "JN-S2", 2024, 7, 1);
    add("traffic_accident", "JN-S2", 2024, 6, 3);
    add("burglary", "JN-S1", 2025, 8, 1);  // after the period
    for (Incident& inc : batch_) ASSERT_TRUE(validate_new_incident(inc, engine_->taxonomy(), now_utc()).ok());
    auto done = engine_->insert_batch(batch_);
    ASSERT_TRUE(done.ok()) << done.error().describe();
    auto index = analytics::attach_index(*engine_);
    ASSERT_TRUE(index.ok()) << index.error().describe();
    index_ = *index;
  }

  // n incidents of `type` on days 2..(n+1) of the month, 10:00 local.
  void add(const char* type, const char* unit, int year, int month, int n) {
    for (int i = 0; i < n; ++i) {
      Incident inc;
      inc.source = "stats";
      inc.source_id = std::to_string(batch_.size());
      inc.type_code = type;
      inc.unit_code = unit;
      inc.reported_at = engine_->time_zone().to_utc(CivilTime{year, month, 2 + i, 10, 0, 0});
      batch_.push_back(std::move(inc));
    }
  }

  analytics::StatsQuery july_and_june() const {
    analytics::StatsQuery q;
    q.filter.from = engine_->time_zone().to_utc(CivilTime{2025, 6, 1});
    q.filter.until = engine_->time_zone().to_utc(CivilTime{2025, 8, 1});
    return q;
  }

  // The first sheet of `tables` as LibreOffice reads it, as CSV rows.
  std::vector<std::vector<std::string>> read_back(const std::vector<report::SheetTable>& tables,
                                                  const std::string& name) {
    const std::string path = dir_.file(name + ".xlsx");
    Status written = report::write_xlsx(path, tables);
    EXPECT_TRUE(written.ok()) << written.error().describe();
    const std::string csv =
        libreoffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", dir_.path().string());
    if (csv.empty()) return {};
    return read_csv(csv);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<Incident> batch_;
  std::shared_ptr<analytics::IncidentIndex> index_;
};

TEST_F(StatsWorkbookTest, EveryCellIsTheJsonAnswersAndTheTotalsRowIsTheirSum) {
  analytics::StatsQuery q = july_and_june();
  q.group_by = analytics::StatsGroup::kUnit;
  q.then_by = analytics::StatsGroup::kClass;
  q.bucket = analytics::StatsBucket::kMonth;
  q.compare = analytics::StatsCompare::kYearOnYear;
  auto result = analytics::run_stats(*index_, q);
  ASSERT_TRUE(result.ok()) << result.error().describe();
  const json answer = stats_to_json(*result, engine_->time_zone());
  // The known counts first: 17 in the period, 10 a year before.
  ASSERT_EQ(answer["total"], 17) << answer.dump();
  ASSERT_EQ(answer["compare_total"], 10) << answer.dump();

  const auto rows = read_back(report::stats_tables(*result, engine_->time_zone()), "by-unit-class");
  const json& jrows = answer["rows"];
  ASSERT_EQ(rows.size(), jrows.size() + 2) << "a header, a row per JSON row, a totals row";
  EXPECT_EQ(rows[0], (std::vector<std::string>{"时段", "对比时段", "单位", "单位代码", "类别", "类别代码", "数量",
                                               "去年同期", "同比增减", "同比", "排名"}));
  std::map<std::string, std::string> unit_names, class_names;
  for (const json& g : answer["groups"]) unit_names[g["code"]] = g["name"];
  for (const json& g : answer["subgroups"]) class_names[g["code"]] = g["name"];
  std::int64_t count = 0, base = 0, change = 0;
  std::map<std::string, std::int64_t> seen;  // unit/class/month -> count, for the known values below
  for (std::size_t i = 0; i < jrows.size(); ++i) {
    SCOPED_TRACE(jrows[i].dump());
    const json& j = jrows[i];
    const std::vector<std::string>& x = rows[i + 1];
    ASSERT_EQ(x.size(), 11u);
    const std::string start = answer["buckets"][j["bucket"].get<std::size_t>()]["start"];
    EXPECT_EQ(x[0], start.substr(0, 7));  // "2025-06"
    const std::string compare_start = answer["buckets"][j["bucket"].get<std::size_t>()]["compare_start"];
    EXPECT_EQ(x[1], compare_start.substr(0, 7));
    EXPECT_EQ(x[2], unit_names[j["group"]]);
    EXPECT_EQ(x[3], j["group"]);
    EXPECT_EQ(x[4], class_names[j["subgroup"]]);
    EXPECT_EQ(x[5], j["subgroup"]);
    EXPECT_EQ(x[6], shown(j["count"]));
    EXPECT_EQ(x[7], shown(j["compare_count"]));
    EXPECT_EQ(x[8], shown(j["change"]));
    EXPECT_EQ(x[9], shown_percent(j["change_pct"]));
    EXPECT_EQ(x[10], shown(j.contains("rank") ? j["rank"] : json()));
    count += j["count"].get<std::int64_t>();
    base += j["compare_count"].get<std::int64_t>();
    change += j["change"].get<std::int64_t>();
    seen[x[3] + "/" + x[5] + "/" + x[0]] = std::stoll(x[6]);
  }
  EXPECT_EQ(seen["JN-S1/criminal/2025-07"], 5);
  EXPECT_EQ(seen["JN-S1/public_order/2025-07"], 3);
  EXPECT_EQ(seen["JN-S2/traffic/2025-07"], 4);
  EXPECT_EQ(seen["JN-S2/public_order/2025-06"], 1);

  const std::vector<std::string>& totals = rows.back();
  EXPECT_EQ(totals[0], "合计");
  EXPECT_EQ(totals[6], std::to_string(count));
  EXPECT_EQ(totals[6], "17");
  EXPECT_EQ(totals[7], std::to_string(base));
  EXPECT_EQ(totals[7], "10");
  EXPECT_EQ(totals[8], std::to_string(change));
  EXPECT_EQ(totals[8], "7");
  EXPECT_EQ(totals[9], "");  // a percentage is not summed
}

TEST_F(StatsWorkbookTest, WithoutABucketOrSubgroupTheColumnsAreTheJsonRows) {
  analytics::StatsQuery q = july_and_june();
  q.filter.from = engine_->time_zone().to_utc(CivilTime{2025, 7, 1});
  q.group_by = analytics::StatsGroup::kClass;
  q.compare = analytics::StatsCompare::kYearOnYear;
  auto result = analytics::run_stats(*index_, q);
  ASSERT_TRUE(result.ok()) << result.error().describe();
  const json answer = stats_to_json(*result, engine_->time_zone());
  const auto rows = read_back(report::stats_tables(*result, engine_->time_zone()), "by-class");
  ASSERT_EQ(rows.size(), answer["rows"].size() + 2);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"类别", "类别代码", "数量", "去年同期", "同比增减", "同比", "排名"}));
  std::map<std::string, std::vector<std::string>> by_code;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) by_code[rows[i][1]] = rows[i];
  // July 2025 against July 2024: criminal 7 against 6 (+16.67%), public
  // order 3 against 1 (+200.00%), traffic 4 against 0 (no percentage).
  EXPECT_EQ(by_code["criminal"][2], "7");
  EXPECT_EQ(by_code["criminal"][3], "6");
  EXPECT_EQ(by_code["criminal"][5], "16.67%");
  EXPECT_EQ(by_code["criminal"][6], "1");  // 7, then 4 and 3
  EXPECT_EQ(by_code["public_order"][5], "200.00%");
  EXPECT_EQ(by_code["traffic"][4], "4");
  EXPECT_EQ(by_code["traffic"][5], "");
  for (std::size_t i = 0; i < answer["rows"].size(); ++i) {
    const json& j = answer["rows"][i];
    EXPECT_EQ(rows[i + 1][1], j["group"]);
    EXPECT_EQ(rows[i + 1][2], shown(j["count"]));
    EXPECT_EQ(rows[i + 1][5], shown_percent(j["change_pct"]));
  }
  EXPECT_EQ(rows.back()[2], "14");
  EXPECT_EQ(rows.back()[2], shown(answer["total"]));
  EXPECT_EQ(rows.back()[3], shown(answer["compare_total"]));
}

TEST_F(StatsWorkbookTest, TheOverviewsClassesAndTotalAreItsJson) {
  const TimeZone& zone = engine_->time_zone();
  auto o = analytics::campaign_overview(*index_, UnitScope::everything(), zone.to_utc(CivilTime{2025, 7, 1}),
                                        zone.to_utc(CivilTime{2025, 8, 1}));
  ASSERT_TRUE(o.ok()) << o.error().describe();
  const json answer = overview_to_json(*o, zone);
  const std::vector<report::SheetTable> tables = report::overview_tables(*o, zone);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[1].title, "分单位");
  ASSERT_EQ(tables[1].rows.size(), answer["units"].size());
  const auto rows = read_back(tables, "overview");
  ASSERT_EQ(rows.size(), answer["classes"].size() + 2);  // header, classes, the total line
  EXPECT_EQ(rows[0], (std::vector<std::string>{"类别", "类别代码", "本期", "去年同期", "同比增减", "同比", "上期",
                                               "环比增减", "环比"}));
  auto check = [&](const std::vector<std::string>& x, const json& j) {
    SCOPED_TRACE(j.dump());
    EXPECT_EQ(x[0], j["name"]);
    EXPECT_EQ(x[1], j["code"]);
    EXPECT_EQ(x[2], shown(j["count"]));
    EXPECT_EQ(x[3], shown(j["yoy_count"]));
    EXPECT_EQ(x[4], shown(j["yoy_change"]));
    EXPECT_EQ(x[5], shown_percent(j["yoy_change_pct"]));
    EXPECT_EQ(x[6], shown(j["previous_count"]));
    EXPECT_EQ(x[7], shown(j["previous_change"]));
    EXPECT_EQ(x[8], shown_percent(j["previous_change_pct"]));
  };
  for (std::size_t i = 0; i < answer["classes"].size(); ++i) check(rows[i + 1], answer["classes"][i]);
  check(rows.back(), answer["total"]);
  // July: 14 incidents against 7 a year before (+100.00%) and 3 in June (环比 +366.67%).
  EXPECT_EQ(rows.back()[2], "14");
  EXPECT_EQ(rows.back()[5], "100.00%");
  EXPECT_EQ(rows.back()[8], "366.67%");
}

}  // namespace
}  // namespace pingan::testing
