// The named figures of a bulletin (issue 22, report/bulletin_figures.h) on
// the Jinan Shizhong 2023 records (jinan_fixture.h) written through an
// engine: every name of the fixed list answers with the value, 同比 and 环比
// bases, records and link the records give (363 cases solved, 368 suspects
// caught, criminal incidents 1,618 against 1,902 a year earlier, 44,065
// people dissuaded, 9.9 亿余元 stopped ...), or is reported missing;
// another unit's records, administrative cases, warnings not dissuaded and
// incidents after the period are not counted; bad units and periods are
// refused naming the field.

#include "report/bulletin_figures.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "core/taxonomy.h"
#include "engine/engine.h"
#include "jinan_fixture.h"
#include "ledger/ledger_attach.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

using Kind = BulletinFigureValue::Kind;
using report::bulletin_figure_names;
using report::bulletin_figures;

// The names fixed for issue 22 (data/bulletins/figures.txt).
const std::vector<std::string> kFixedNames = {
    "incidents.total",  "incidents.criminal", "incidents.public_order", "incidents.traffic",
    "cases.opened",     "cases.solved",       "suspects.caught",        "suspects.detained",
    "fugitives.caught", "money.stopped",          "money.frozen",
    "money.recovered",  "people.dissuaded",   "disputes.found",         "disputes.resolved",
    "disputes.rate",    "hazards.found",      "hazards.rectified",      "inspections.visits",
    "sweeps.officers",  "publicity.leaflets", "home_visits.households", "rental_checks.houses"};
const std::set<std::string> kMissing = {};

// One engine with the fixture for the whole suite: writing it is the slow part.
class BulletinFiguresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    auto world = open_jinan_world();
    ASSERT_TRUE(world.ok()) << world.error().describe();
    world_ = std::move(world).value().release();
    std::printf("jinan fixture written and indexed in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(world_, nullptr) << "the fixture was not written"; }

  static report::BulletinSources sources() { return world_->sources(); }
  static std::map<std::string, BulletinFigureValue> figures(const std::string& unit) {
    auto got = bulletin_figures(sources(), unit, world_->period.from, world_->period.to);
    EXPECT_TRUE(got.ok()) << got.error().describe();
    return got.ok() ? std::move(got).value() : std::map<std::string, BulletinFigureValue>{};
  }

  static inline JinanWorld* world_ = nullptr;
};

// What one figure must say, written out.
struct Expected {
  Kind kind;
  std::int64_t value;
  std::optional<std::int64_t> year_ago, previous;
  std::int64_t records;
  std::string measure, link;
  std::int64_t whole = 0;
};

void expect_figure(const std::map<std::string, BulletinFigureValue>& got, const std::string& name,
                   const Expected& want) {
  SCOPED_TRACE(name);
  auto it = got.find(name);
  ASSERT_NE(it, got.end());
  const BulletinFigureValue& v = it->second;
  EXPECT_EQ(v.kind, want.kind);
  EXPECT_EQ(v.value, want.value);
  EXPECT_EQ(v.whole, want.whole);
  EXPECT_EQ(v.year_ago, want.year_ago);
  EXPECT_EQ(v.previous, want.previous);
  EXPECT_EQ(v.records, want.records);
  EXPECT_EQ(v.measure, want.measure);
  EXPECT_EQ(v.link, want.link);
  EXPECT_FALSE(v.label.empty());
}

constexpr const char* kDates = "from=2023-06-01&to=2023-08-31";

std::string incidents_link(const std::string& cls) {
  return std::string("/#/incidents?") + kDates + (cls.empty() ? "" : "&class=" + cls) + "&unit=JN";
}
std::string cases_link(const std::string& figure, bool criminal) {
  return "/#/cases?figure=" + figure + "&" + kDates + (criminal ? "&class=criminal" : "") +
         "&unit=JN";
}
std::string ledgers_link(const std::string& type, const std::string& state = "") {
  return "/#/ledgers?type=" + type + (state.empty() ? "" : "&state=" + state) + "&unit=JN&" +
         kDates;
}

TEST_F(BulletinFiguresTest, JinanFiguresForTheBureauAStationEveryUnitAndAnotherPeriod) {
  const auto got = figures("JN");
  const JinanTruth& t = kJinan;
  // Incidents: 同比 from the year before, 环比 from the 92 days before.
  expect_figure(
      got, "incidents.total",
      {Kind::kCount, t.criminal + t.public_order + t.traffic,
       t.criminal_year_ago + t.public_order_year_ago + t.traffic_year_ago, t.criminal_previous,
       t.criminal + t.public_order + t.traffic, "起", incidents_link("")});
  expect_figure(got, "incidents.criminal",
                {Kind::kCount, 1'618, 1'902, 1'700, 1'618, "起", incidents_link("criminal")});
  expect_figure(got, "incidents.public_order",
                {Kind::kCount, 4'039, 4'900, 0, 4'039, "起", incidents_link("public_order")});
  expect_figure(got, "incidents.traffic",
                {Kind::kCount, 250, 300, 0, 250, "起", incidents_link("traffic")});
  // Cases and persons.
  expect_figure(got, "cases.opened",
                {Kind::kCount, 400, 320, 0, 400, "起", cases_link("cases_opened", true)});
  expect_figure(got, "cases.solved",
                {Kind::kCount, 363, 320, 0, 363, "起", cases_link("cases_solved", true)});
  expect_figure(got, "suspects.caught",
                {Kind::kCount, 368, 0, 0, 368, "人", cases_link("suspects_caught", true)});
  expect_figure(
      got, "suspects.detained",
      {Kind::kCount, 300, 0, 0, 300, "人", cases_link("measure.criminal_detention", false)});
  expect_figure(got, "fugitives.caught",
                {Kind::kCount, 41, 0, 0, 41, "名", cases_link("fugitives_caught", false)});
  // Money in fen; records only tells whether any entry lies behind it.
  expect_figure(
      got, "money.stopped",
      {Kind::kMoney, 99'012'345'600, 0, 0, 1, "元", cases_link("money_stopped_fen", false)});
  expect_figure(
      got, "money.frozen",
      {Kind::kMoney, 1'245'678'900, 0, 0, 1, "元", cases_link("money_frozen_fen", false)});
  expect_figure(
      got, "money.recovered",
      {Kind::kMoney, 300'000'000, 0, 0, 1, "元", cases_link("money_returned_fen", false)});
  expect_figure(got, "people.dissuaded",
                {Kind::kCount, 44'065, 0, 0, 44'065, "人", cases_link("dissuaded", false)});
  // Ledgers: the dispute of the year before is the 同比 base.
  expect_figure(got, "disputes.found",
                {Kind::kCount, 383, 1, 0, 383, "起", ledgers_link("dispute")});
  expect_figure(got, "disputes.resolved",
                {Kind::kCount, 369, 0, 0, 369, "起", ledgers_link("dispute", "resolved")});
  expect_figure(
      got, "disputes.rate",
      {Kind::kRate, 369, std::nullopt, std::nullopt, 383, "%", ledgers_link("dispute"), 383});
  expect_figure(got, "hazards.found", {Kind::kCount, 12, 0, 0, 12, "处", ledgers_link("hazard")});
  // None closed (销号): present, with no records, so its sentence is left out.
  expect_figure(got, "hazards.rectified",
                {Kind::kCount, 0, 0, 0, 0, "处", ledgers_link("hazard", "closed")});
  expect_figure(got, "inspections.visits",
                {Kind::kCount, 987, 0, 0, 987, "家次", ledgers_link("inspection")});
  expect_figure(got, "sweeps.officers",
                {Kind::kCount, 2'961, 0, 0, 42, "人次", ledgers_link("sweep")});
  expect_figure(got, "publicity.leaflets",
                {Kind::kCount, 10'000, 0, 0, 3, "份", ledgers_link("publicity")});
  expect_figure(got, "home_visits.households",
                {Kind::kCount, 60, 0, 0, 60, "户", ledgers_link("home_visit")});
  expect_figure(got, "rental_checks.houses",
                {Kind::kCount, 1'126, 0, 0, 1'126, "户", ledgers_link("rental_check")});

  // The seeds' percentages follow from the bases: −14.93 %, −17.57 %, 96.34 %.
  auto pct = [](double v, double base) { return std::round(10'000.0 * (v - base) / base) / 100.0; };
  EXPECT_DOUBLE_EQ(pct(1'618, 1'902), -14.93);
  EXPECT_DOUBLE_EQ(pct(4'039, 4'900), -17.57);
  EXPECT_DOUBLE_EQ(std::round(10'000.0 * 369 / 383) / 100.0, 96.34);
  EXPECT_EQ(got.at("suspects.caught").label, "抓获刑事犯罪嫌疑人");
  EXPECT_EQ(got.at("cases.solved").label, "破获刑事案件");

  // The same records for a station, for every unit and for another period
  // (in this one test: ctest runs each test in a process of its own, and
  // writing the fixture is the slow part).
  // JN-S2 holds the records whose serial is 1 modulo 3 (jinan_fixture.h's station()).
  auto thirds = [](std::int64_t n) { return (n + 1) / 3; };  // #{i < n : i % 3 == 1}
  const auto s2 = figures("JN-S2");
  EXPECT_EQ(s2.at("incidents.criminal").value, thirds(1'618));
  EXPECT_EQ(s2.at("incidents.criminal").value, 539);
  EXPECT_EQ(*s2.at("incidents.criminal").year_ago, thirds(1'902));
  EXPECT_EQ(s2.at("cases.solved").value, thirds(363));
  EXPECT_EQ(s2.at("people.dissuaded").value, thirds(44'065));
  EXPECT_EQ(s2.at("disputes.found").value, thirds(383));
  EXPECT_EQ(s2.at("incidents.criminal").link,
            "/#/incidents?from=2023-06-01&to=2023-08-31&class=criminal&unit=JN-S2");
  // Every unit: the other bureau's records come in (9 incidents, one case
  // and its suspect, two captures, ten warnings, one dispute).
  const auto all = figures("");
  EXPECT_EQ(all.at("incidents.criminal").value, 1'618 + 9);
  EXPECT_EQ(all.at("cases.solved").value, 363 + 1);
  EXPECT_EQ(all.at("suspects.caught").value, 368 + 1);
  EXPECT_EQ(all.at("fugitives.caught").value, 41 + 2);
  EXPECT_EQ(all.at("people.dissuaded").value, 44'065 + 10);
  EXPECT_EQ(all.at("disputes.found").value, 383 + 1);
  EXPECT_EQ(all.at("incidents.criminal").link,
            "/#/incidents?from=2023-06-01&to=2023-08-31&class=criminal");

  // July 2024: nothing at all, and 同比 is July 2023's.
  const Timestamp from = jinan_local(2024, 7, 1), to = jinan_local(2024, 8, 1);
  auto july = bulletin_figures(sources(), "JN", from, to);
  ASSERT_TRUE(july.ok()) << july.error().describe();
  for (const auto& [name, v] : *july) {
    SCOPED_TRACE(name);
    EXPECT_EQ(v.records, 0);
    EXPECT_EQ(v.value, 0);
  }
  EXPECT_GT(*july->at("incidents.criminal").year_ago, 0);
  EXPECT_EQ(july->at("incidents.criminal").link,
            "/#/incidents?from=2024-07-01&to=2024-07-31&class=criminal&unit=JN");
}

// An engine with the fixture's units and no records: every name answers
// (the shipped ledger types hold every type the table reads), with nothing
// behind it.
class BulletinFiguresEmptyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = open_jinan_world(JinanRecords::kUnitsOnly);
    ASSERT_TRUE(world.ok()) << world.error().describe();
    world_ = std::move(world).value();
  }
  report::BulletinSources sources() const { return world_->sources(); }

  std::unique_ptr<JinanWorld> world_;
  JinanPeriod period_ = jinan_period();
};

TEST_F(BulletinFiguresEmptyTest, EveryNameOfTheFixedListAnswersOrIsListedMissing) {
  const auto names = bulletin_figure_names();
  const std::set<std::string> table(names.begin(), names.end());
  EXPECT_EQ(table.size(), names.size()) << "a name twice in the table";
  auto answered = bulletin_figures(sources(), "JN", period_.from, period_.to);
  ASSERT_TRUE(answered.ok()) << answered.error().describe();
  const auto& got = *answered;
  for (const std::string& name : kFixedNames) {
    SCOPED_TRACE(name);
    if (kMissing.count(name)) {
      EXPECT_EQ(table.count(name), 0u);
      EXPECT_EQ(got.count(name), 0u);
    } else {
      EXPECT_EQ(table.count(name), 1u);
      EXPECT_EQ(got.count(name), 1u);
    }
  }
  EXPECT_EQ(names.size() + kMissing.size(), kFixedNames.size())
      << "a name in the table not in the fixed list";
  EXPECT_EQ(got.size(), names.size());  // every ledger type of the table is shipped
  for (const auto& [name, v] : got) {
    SCOPED_TRACE(name);
    EXPECT_EQ(v.records, 0);
    EXPECT_EQ(v.value, 0);
    EXPECT_FALSE(v.link.empty());
  }
  // The measures and labels are figures.txt's (the list templates are checked
  // against), and every name there answers or is one the records lack.
  std::ifstream in(shipped_data_dir() + "/bulletins/figures.txt");
  ASSERT_TRUE(in) << "no data/bulletins/figures.txt";
  std::string line;
  int listed = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, measure, label;
    fields >> name >> measure >> label;
    SCOPED_TRACE(line);
    ++listed;
    if (kMissing.count(name)) continue;
    ASSERT_EQ(got.count(name), 1u);
    EXPECT_EQ(got.at(name).measure, measure);
    EXPECT_EQ(got.at(name).label, label);
  }
  EXPECT_GE(listed, static_cast<int>(names.size()));
}

TEST_F(BulletinFiguresEmptyTest, UnknownUnitsAndEmptyOrInvertedPeriodsAreRefused) {
  auto unknown = bulletin_figures(sources(), "NOPE", period_.from, period_.to);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().field, "unit");
  EXPECT_NE(unknown.error().message.find("NOPE"), std::string::npos);
  for (auto [from, to] :
       {std::pair{period_.from, period_.from}, std::pair{period_.to, period_.from}}) {
    auto bad = bulletin_figures(sources(), "JN", from, to);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(bad.error().field, "to");
  }
  report::BulletinSources missing = sources();
  missing.ledgers = nullptr;
  EXPECT_FALSE(bulletin_figures(missing, "JN", period_.from, period_.to).ok());
}

}  // namespace
}  // namespace pingan::testing
