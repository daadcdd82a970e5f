// The demo district's ledgers (ingest/demo_ledgers.h), written once for a
// full 100-day campaign in demo order (district, registry, ledgers, cases)
// and read back from the store: counts per type at the stated scale,
// hazards closed only after another officer's 验收, checks pointing at
// registry records that exist, a resolution rate like the seeds', a second
// run adding nothing, and the demo's cases what they are without ledgers.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "engine/engine.h"
#include "ingest/demo_cases.h"
#include "ingest/demo_district.h"
#include "ingest/demo_ledgers.h"
#include "ingest/demo_registry.h"
#include "test_support.h"

namespace pingan {
namespace {

ingest::DemoOptions options() {
  ingest::DemoOptions o;
  o.days = 100;               // the whole campaign
  o.incidents_per_day = 20;   // the ledgers do not depend on the incidents
  return o;
}

std::string text_of(const LedgerItem& item, const std::string& code) {
  auto it = item.fields.find(code);
  if (it == item.fields.end()) return "";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "";
}

const LedgerHistoryEntry* last_of(const LedgerItem& item, const std::string& step) {
  const LedgerHistoryEntry* found = nullptr;
  for (const LedgerHistoryEntry& e : item.history)
    if (e.step == step) found = &e;
  return found;
}

class DemoLedgers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto engine = Engine::open(EngineConfig{dir_->file("demo.db"), ""});
    ASSERT_TRUE(engine.ok()) << engine.error().describe();
    engine_ = engine->release();
    auto district = ingest::write_demo_district(*engine_, options(), nullptr);
    ASSERT_TRUE(district.ok()) << district.error().describe();
    incidents_ = district->incidents;
    ASSERT_TRUE(ingest::write_demo_registry(*engine_, options()).ok());
    auto report = ingest::write_demo_ledgers(*engine_, options(), nullptr);
    ASSERT_TRUE(report.ok()) << report.error().describe();
    report_ = new ingest::DemoLedgerReport(*report);
    auto cases = ingest::write_demo_cases(*engine_, options(), nullptr);
    ASSERT_TRUE(cases.ok()) << cases.error().describe();
    cases_ = new ingest::DemoCaseReport(*cases);
  }
  static void TearDownTestSuite() {
    delete cases_;
    delete report_;
    delete engine_;
    delete dir_;
  }

  static std::vector<LedgerItem> items(const std::string& type) {
    std::vector<LedgerItem> out;
    EXPECT_TRUE(engine_->ledgers().scan(type, [&](const LedgerItem& i) { out.push_back(i); }).ok());
    return out;
  }

  static testing::TempDir* dir_;
  static Engine* engine_;
  static ingest::DemoLedgerReport* report_;
  static ingest::DemoCaseReport* cases_;
  static std::int64_t incidents_;
};

testing::TempDir* DemoLedgers::dir_ = nullptr;
Engine* DemoLedgers::engine_ = nullptr;
ingest::DemoLedgerReport* DemoLedgers::report_ = nullptr;
ingest::DemoCaseReport* DemoLedgers::cases_ = nullptr;
std::int64_t DemoLedgers::incidents_ = 0;

TEST_F(DemoLedgers, CountsPerTypeAtTheSeedsScale) {
  ASSERT_NE(report_, nullptr);
  // Per 100-day campaign, from the seeds (Jinan: 383 disputes, 987 venue
  // visits, 1,126 rental houses; Zaozhuang: 463 hazards, 96 publicity
  // points, 23,000 leaflets; "a few" sweeps): lower and upper bounds.
  const std::map<std::string, std::pair<std::int64_t, std::int64_t>> bounds = {
      {"dispute", {300, 460}},      {"hazard", {330, 600}},        {"inspection", {850, 1150}},
      {"rental_check", {950, 1300}}, {"floating_check", {750, 1050}}, {"home_visit", {500, 700}},
      {"publicity", {25, 70}},       {"sweep", {8, 16}}};
  for (const auto& [type, range] : bounds) {
    const std::int64_t stored = std::int64_t(items(type).size());
    SCOPED_TRACE(type);
    EXPECT_EQ(stored, report_->by_type.at(type).items);
    EXPECT_GE(stored, range.first);
    EXPECT_LE(stored, range.second);
  }
  // Publicity's points and leaflets about Zaozhuang's.
  std::int64_t points = 0, leaflets = 0;
  for (const LedgerItem& p : items("publicity")) {
    points += std::get<std::int64_t>(p.fields.at("points"));
    leaflets += std::get<std::int64_t>(p.fields.at("leaflets"));
  }
  EXPECT_GT(points, 50);
  EXPECT_GT(leaflets, 10000);
  // Sweeps report their tallies once the night is over.
  for (const LedgerItem& s : items("sweep")) {
    if (s.state == "planned") continue;
    EXPECT_GT(std::get<std::int64_t>(s.fields.at("officer_shifts")), 0) << s.id;
    EXPECT_GT(std::get<std::int64_t>(s.fields.at("people_checked")), 0) << s.id;
  }
}

TEST_F(DemoLedgers, EveryClosedHazardWasVerifiedByAnotherOfficer) {
  std::int64_t closed = 0, overdue = 0, rejected = 0, from_inspections = 0;
  const std::vector<LedgerItem> hazards = items("hazard");
  const Timestamp now = ingest::demo_end(options());
  for (const LedgerItem& h : hazards) {
    from_inspections += text_of(h, "source") == "inspection";
    rejected += last_of(h, "reject") != nullptr;
    auto dues = engine_->ledgers().dues(h.id, UnitScope::everything(), now);
    ASSERT_TRUE(dues.ok()) << dues.error().describe();
    for (const LedgerDue& d : *dues) overdue += d.state == LedgerDueState::kOverdue;
    if (h.state != "closed") continue;
    ++closed;
    const LedgerHistoryEntry* rectify = last_of(h, "rectify");
    const LedgerHistoryEntry* verify = last_of(h, "verify");
    const LedgerHistoryEntry* close = last_of(h, "close");
    ASSERT_TRUE(rectify && verify && close) << h.id;
    EXPECT_NE(verify->actor, rectify->actor) << h.id;
    EXPECT_NE(close->actor, rectify->actor) << h.id;
    EXPECT_LT(rectify->at, verify->at) << h.id;
    EXPECT_LE(verify->at, close->at) << h.id;
    EXPECT_LT(close->at, now) << h.id;
  }
  // Most closed, some overdue at the demo's end (for the scheduler), a few sent back.
  EXPECT_GT(closed, std::int64_t(hazards.size()) * 3 / 4);
  EXPECT_LT(closed, std::int64_t(hazards.size()));
  EXPECT_GT(overdue, 0);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(from_inspections, 0);
}

TEST_F(DemoLedgers, ChecksPointAtRegistryRecordsThatExist) {
  std::map<std::int64_t, const LedgerItem*> inspections;
  const std::vector<LedgerItem> visits = items("inspection");
  for (const LedgerItem& i : visits) {
    inspections[i.id] = &i;
    auto place = engine_->registry().get_place(text_of(i, "place_ref"), UnitScope::everything());
    ASSERT_TRUE(place.ok()) << "inspection " << i.id << ": " << text_of(i, "place_ref");
    EXPECT_EQ(place->name, text_of(i, "place_name"));
    EXPECT_EQ(place->unit_code, i.unit_code);
  }
  // A hazard an inspection opened names it, and the inspection took the step.
  for (const LedgerItem& h : items("hazard")) {
    if (text_of(h, "source") != "inspection") continue;
    auto it = inspections.find(std::stoll(text_of(h, "source_item")));
    ASSERT_NE(it, inspections.end()) << h.id;
    EXPECT_NE(last_of(*it->second, "open_hazard"), nullptr) << h.id;
    EXPECT_EQ(text_of(h, "place_ref"), text_of(*it->second, "place_ref"));
  }
  std::set<std::string> houses;
  RegistryFilter f;
  f.limit = 1000;
  for (;;) {
    auto page = engine_->registry().list_rental_houses(f);
    ASSERT_TRUE(page.ok());
    for (const RentalHouse& h : page->records) houses.insert(h.code);
    if (!page->more) break;
    f.after = page->records.back().code;
  }
  ASSERT_FALSE(houses.empty());
  for (const LedgerItem& c : items("rental_check")) EXPECT_TRUE(houses.count(text_of(c, "house_ref"))) << c.id;
  std::set<std::string> checked;
  for (const LedgerItem& c : items("floating_check")) {
    EXPECT_TRUE(houses.count(text_of(c, "house_ref"))) << c.id;
    checked.insert(text_of(c, "id_number"));
  }
  // Each floating resident is checked once in the campaign.
  EXPECT_EQ(checked.size(), items("floating_check").size());
}

TEST_F(DemoLedgers, DisputesResolvedAtASeedLikeRate) {
  std::map<std::string, std::int64_t> by_state, by_kind;
  std::int64_t from_visits = 0;
  for (const LedgerItem& d : items("dispute")) {
    ++by_state[d.state];
    ++by_kind[text_of(d, "kind")];
    from_visits += text_of(d, "source") == "home_visit";
    if (d.state == "resolved") {
      const LedgerHistoryEntry* assign = last_of(d, "assign");
      const LedgerHistoryEntry* resolve = last_of(d, "resolve");
      ASSERT_TRUE(assign && resolve) << d.id;
      EXPECT_EQ(resolve->actor, assign->officer_id) << d.id;  // the officer it was given to
    }
  }
  std::int64_t found = 0;
  for (const auto& [state, n] : by_state) found += n;
  const double resolved = double(by_state["resolved"]) / double(found);
  EXPECT_GE(resolved, 0.90);
  EXPECT_LE(resolved, 0.99);
  EXPECT_GT(by_state["escalated"], 0);
  EXPECT_GT(by_state["mediating"] + by_state["assigned"] + by_state["found"], 0);
  EXPECT_GT(by_kind["marriage_family"], by_kind["medical"]);
  EXPECT_GE(by_kind.size(), 8u);
  EXPECT_GT(from_visits, 0);
}

TEST_F(DemoLedgers, ASecondRunAddsNothing) {
  std::map<std::string, std::size_t> before;
  for (const auto& [type, tally] : report_->by_type) before[type] = items(type).size();
  auto again = ingest::write_demo_ledgers(*engine_, options(), nullptr);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->items(), 0);
  EXPECT_GT(again->duplicates, 0);
  for (const auto& [type, n] : before) EXPECT_EQ(items(type).size(), n) << type;
}

TEST_F(DemoLedgers, TheDemosOtherFiguresDoNotChange) {
  auto count = engine_->count_incidents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, incidents_);
  // The same district without ledgers has the same cases.
  testing::TempDir other;
  auto plain = Engine::open(EngineConfig{other.file("plain.db"), ""});
  ASSERT_TRUE(plain.ok()) << plain.error().describe();
  auto district = ingest::write_demo_district(**plain, options(), nullptr);
  ASSERT_TRUE(district.ok());
  EXPECT_EQ(district->incidents, incidents_);
  auto cases = ingest::write_demo_cases(**plain, options(), nullptr);
  ASSERT_TRUE(cases.ok()) << cases.error().describe();
  EXPECT_GT(cases->cases, 0);
  EXPECT_EQ(cases->cases, cases_->cases);
  EXPECT_EQ(cases->persons, cases_->persons);
  EXPECT_EQ(cases->measures, cases_->measures);
  EXPECT_EQ(cases->dissuasions, cases_->dissuasions);
}

}  // namespace
}  // namespace pingan
