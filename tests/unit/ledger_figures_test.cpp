// The ledger figures (issue 21, ledger/ledger_figures.h) on items written
// through the engine, on SQLite and, in the `pg.` run, on PostgreSQL. Every
// figure is checked against a brute-force count over the stored items
// (LedgerRecords::scan) as well as against the value the test built in:
// 383 disputes found and 369 resolved make 化解率 "96.34"; an item found in
// May and resolved in June counts in each month once; 同比 and 环比; the
// ranking of stations; overdue on a controlled clock; a sweep's tallies;
// items written after the index attached, by this engine and by another
// engine on the same database (through the change log).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/ledger_clock.h"
#include "core/ledger_rates.h"
#include "engine/engine.h"
#include "ledger/ledger_attach.h"
#include "ledger/ledger_figures.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z, 08:00 in Shanghai
constexpr Timestamp kDay = 86'400;
constexpr Timestamp kHour = 3'600;

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(const std::string& text) {
  auto t = parse_iso8601(text, &shanghai());
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : 0;
}

std::unique_ptr<Engine> open_engine(const TempDir& dir, bool add_units = true) {
  auto opened = Engine::open(EngineConfig{test_store_location(dir, "figures.db"), "", "Asia/Shanghai"});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  if (!opened.ok()) return nullptr;
  std::unique_ptr<Engine> engine = std::move(opened).value();
  if (add_units) {
    EXPECT_TRUE(engine
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity),
                                    test_unit("JN-S2", "JN", UnitKind::kStation)})
                    .ok());
  }
  return engine;
}

// The units of each subtree of the test's tree, written out (not derived).
std::set<std::string> subtree(const std::string& unit) {
  if (unit.empty() || unit == "JN") return {"JN", "JN-S1", "JN-S1-C1", "JN-S2"};
  if (unit == "JN-S1") return {"JN-S1", "JN-S1-C1"};
  return {unit};
}

StepRequest step(const std::string& code, const std::string& role, Timestamp at, LedgerFields fields = {}) {
  StepRequest r;
  r.step = code;
  r.actor = "民警" + code;
  r.actor_grants = {role};
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

class LedgerFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = open_engine(dir_);
    ASSERT_TRUE(engine_);
    auto index = ledger::attach_ledger_index(*engine_);
    ASSERT_TRUE(index.ok()) << index.error().describe();
    index_ = *index;  // attached before any item: every item arrives live
  }

  LedgerRecords& ledgers() { return engine_->ledgers(); }

  std::int64_t dispute(const std::string& unit, Timestamp at) {
    NewLedgerItem n;
    n.unit_code = unit;
    n.actor = "社区民警";
    n.actor_grants = {"community"};
    n.at = at;
    n.fields = {{"kind", std::string("neighbour")}, {"summary", std::string("邻里漏水纠纷")}};
    auto made = ledgers().create("dispute", n, UnitScope::everything());
    EXPECT_TRUE(made.ok()) << made.error().describe();
    return made.ok() ? made->id : 0;
  }
  void take(std::int64_t id, StepRequest r, const std::string& unit = "") {
    if (r.step == "assign") {
      r.unit_code = unit;
      r.officer_id = "P1";
    }
    auto done = ledgers().step(id, r, UnitScope::everything());
    EXPECT_TRUE(done.ok()) << r.step << ": " << done.error().describe();
  }
  // Assigned, mediated and resolved (化解) at `at`.
  void resolve(std::int64_t id, const std::string& unit, Timestamp at) {
    take(id, step("assign", "leader", at - 30), unit);
    take(id, step("mediate", "community", at - 20));
    take(id, step("resolve", "community", at,
                  {{"resolution", std::string("agreement")}, {"mediation_summary", std::string("签订调解协议")}}));
  }

  std::vector<LedgerItem> stored(const std::string& type) {
    std::vector<LedgerItem> items;
    EXPECT_TRUE(ledgers().scan(type, [&](const LedgerItem& i) { items.push_back(i); }).ok());
    return items;
  }

  // --- brute force over the stored items ---
  static bool tagged(const LedgerDefinition& d, const std::string& state, const std::string& tag) {
    const LedgerState* s = d.state(state);
    return s && std::find(s->counts_as.begin(), s->counts_as.end(), tag) != s->counts_as.end();
  }
  // When the item first entered a state tagged `tag`, if it did.
  static std::optional<Timestamp> first_reach(const LedgerDefinition& d, const LedgerItem& item,
                                              const std::vector<std::string>& tags) {
    for (const LedgerHistoryEntry& e : item.history)
      for (const std::string& tag : tags)
        if (tagged(d, e.to_state, tag)) return e.at;
    return std::nullopt;
  }
  std::int64_t brute(const std::string& type, const std::string& figure, const std::string& unit, Timestamp from,
                     Timestamp to, Timestamp now = 0) {
    const LedgerDefinition& d = *ledgers().type(type).value();
    const std::set<std::string> units = subtree(unit);
    std::int64_t n = 0;
    for (const LedgerItem& item : stored(type)) {
      if (!units.count(item.unit_code)) continue;
      const auto in = [&](std::optional<Timestamp> t) { return t && *t >= from && *t < to; };
      if (figure == "found") n += in(item.created_at);
      else if (figure == "resolved") n += in(first_reach(d, item, {ledger::resolution_tag(d)}));
      else if (figure == "visits") n += in(first_reach(d, item, {"inspected", "visited", "checked"}));
      else if (figure.rfind("tally.", 0) == 0) {
        if (!in(item.created_at)) continue;
        auto v = item.fields.find(figure.substr(6));
        if (v != item.fields.end()) n += std::get<std::int64_t>(v->second);
      } else if (figure == "overdue") {
        const Timestamp at = std::min(to - 1, now);
        LedgerItem then = item;
        std::erase_if(then.history, [&](const LedgerHistoryEntry& e) { return e.at > at; });
        if (then.history.empty()) continue;
        then.state = then.history.back().to_state;
        if (d.state(then.state)->final) continue;
        const auto dues = ledger_dues(d, then, at);
        n += std::any_of(dues.begin(), dues.end(),
                         [](const LedgerDue& due) { return due.state == LedgerDueState::kOverdue; });
      }
    }
    return n;
  }

  ledger::LedgerFigureAnswer ask(const std::string& type, const std::string& name, const std::string& unit,
                                 Timestamp from, Timestamp to, bool rank = false,
                                 std::optional<Timestamp> now = std::nullopt) {
    ledger::LedgerFigureQuery q;
    q.type = type;
    q.name = name;
    q.unit = unit;
    q.from = from;
    q.to = to;
    q.rank_units = rank;
    q.now = now;
    auto a = ledger::query_ledger_figure(*index_, q);
    EXPECT_TRUE(a.ok()) << a.error().describe();
    return a.ok() ? *a : ledger::LedgerFigureAnswer{};
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<ledger::LedgerIndex> index_;
};

TEST_F(LedgerFiguresTest, ThreeHundredEightyThreeDisputesWith369ResolvedMakeARateOf9634) {
  int resolved = 0;
  for (int i = 0; i < 383; ++i) {
    const std::string unit = i % 3 ? "JN-S1" : "JN-S2";
    const std::int64_t id = dispute(unit, kT0 + i * 60);
    if (i % 27 == 5) continue;  // 14 left open
    resolve(id, unit, kT0 + i * 60 + 50);
    ++resolved;
  }
  ASSERT_EQ(resolved, 369);
  const Timestamp june = local("2024-06-01"), july = local("2024-07-01");

  auto found = ask("dispute", "found", "", june, july);
  auto solved = ask("dispute", "resolved", "", june, july);
  auto rate = ask("dispute", "rate", "", june, july);
  EXPECT_EQ(found.value.value, 383);
  EXPECT_EQ(solved.value.value, 369);
  ASSERT_TRUE(rate.value.rate);
  EXPECT_EQ(rate.value.rate->percent, "96.34");
  EXPECT_EQ(rate.value.rate->numerator, 369);
  EXPECT_EQ(rate.value.rate->denominator, 383);
  EXPECT_EQ(found.value.value, brute("dispute", "found", "", june, july));
  EXPECT_EQ(solved.value.value, brute("dispute", "resolved", "", june, july));
  for (const std::string unit : {"JN-S1", "JN-S2", "JN-S1-C1"}) {
    EXPECT_EQ(ask("dispute", "found", unit, june, july).value.value, brute("dispute", "found", unit, june, july))
        << unit;
    EXPECT_EQ(ask("dispute", "resolved", unit, june, july).value.value,
              brute("dispute", "resolved", unit, june, july))
        << unit;
  }
  EXPECT_EQ(ask("dispute", "found", "JN-S2", june, july).value.value, 128);  // i % 3 == 0

  // An index attached now, from the store's scan, agrees with the live one.
  auto scanned = ledger::attach_ledger_index(*engine_);
  ASSERT_TRUE(scanned.ok());
  ledger::LedgerFigureQuery q{"dispute", "rate", "", june, july, std::nullopt, false};
  auto again = ledger::query_ledger_figure(**scanned, q);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->value.rate->percent, "96.34");
  EXPECT_EQ((*scanned)->items(), 383);
}

TEST_F(LedgerFiguresTest, APeriodBoundaryComparisonsRankingAndSubtrees) {
  // Found on 31 May 23:30 local, resolved on 1 June 00:30: found in May,
  // resolved in June, once each.
  const std::int64_t edge = dispute("JN-S1", local("2024-05-31T23:30:00"));
  resolve(edge, "JN-S1", local("2024-06-01T00:30:00"));
  for (int i = 0; i < 4; ++i) dispute("JN-S2", local("2024-05-20T10:00:00") + i);
  for (int i = 0; i < 3; ++i) dispute("JN-S1", local("2023-06-10T10:00:00") + i);  // a year before
  // June: JN-S1 5 + JN-S1-C1 2 = 7 in JN-S1's subtree, JN-S2 8, JN itself 2.
  for (int i = 0; i < 5; ++i) dispute("JN-S1", local("2024-06-03T09:00:00") + i);
  for (int i = 0; i < 2; ++i) dispute("JN-S1-C1", local("2024-06-04T09:00:00") + i);
  for (int i = 0; i < 8; ++i) dispute("JN-S2", local("2024-06-30T23:59:00") + i % 60);
  for (int i = 0; i < 2; ++i) dispute("JN", local("2024-06-05T09:00:00") + i);
  const Timestamp may = local("2024-05-01"), june = local("2024-06-01"), july = local("2024-07-01");

  EXPECT_EQ(ask("dispute", "found", "", may, june).value.value, 5);
  EXPECT_EQ(ask("dispute", "resolved", "", may, june).value.value, 0);
  EXPECT_EQ(ask("dispute", "resolved", "", june, july).value.value, 1);
  for (const auto& [from, to] : {std::pair{may, june}, std::pair{june, july}})
    for (const std::string figure : {"found", "resolved"})
      for (const std::string unit : {"", "JN", "JN-S1", "JN-S1-C1", "JN-S2"})
        EXPECT_EQ(ask("dispute", figure, unit, from, to).value.value, brute("dispute", figure, unit, from, to))
            << figure << " " << unit << " " << from;

  auto june_found = ask("dispute", "found", "JN", june, july, true);
  EXPECT_EQ(june_found.value.value, 17);
  EXPECT_EQ(june_found.year_on_year.from, local("2023-06-01"));
  EXPECT_EQ(june_found.year_on_year.to, local("2023-07-01"));
  EXPECT_EQ(june_found.year_on_year.value.value, 3);
  EXPECT_EQ(june_found.year_on_year.change, 14);
  // 环比 of a 30-day month: the 30 days before it, 2 May to 1 June.
  EXPECT_EQ(june_found.previous.from, local("2024-05-02"));
  EXPECT_EQ(june_found.previous.to, june);
  EXPECT_EQ(june_found.previous.value.value, 5);
  EXPECT_EQ(june_found.previous.change, 12);
  ASSERT_TRUE(june_found.previous.change_pct);
  EXPECT_DOUBLE_EQ(*june_found.previous.change_pct, 240.0);
  ASSERT_EQ(june_found.units.size(), 2u);  // JN's children; JN's own 2 in no child
  EXPECT_EQ(june_found.units[0].code, "JN-S2");
  EXPECT_EQ(june_found.units[0].value.value, 8);
  EXPECT_EQ(june_found.units[0].rank, 1);
  EXPECT_EQ(june_found.units[1].code, "JN-S1");
  EXPECT_EQ(june_found.units[1].value.value, 7);
  EXPECT_EQ(june_found.units[1].rank, 2);
  EXPECT_EQ(ask("dispute", "found", "JN-S1", june, july).value.value, 7);

  // The rate by station: JN-S1 resolved 1 of 7 found in June, JN-S2 none.
  auto rates = ask("dispute", "rate", "JN", june, july, true);
  ASSERT_EQ(rates.units.size(), 2u);
  EXPECT_EQ(rates.units[0].code, "JN-S1");
  EXPECT_EQ(rates.units[0].value.rate->percent, "14.29");
  EXPECT_EQ(rates.units[1].value.rate->percent, "0.00");
}

TEST_F(LedgerFiguresTest, OverdueIsJudgedAtThePeriodsEndOrAControlledNow) {
  const Timestamp june = local("2024-06-01"), july = local("2024-07-01");
  const std::int64_t unassigned = dispute("JN-S1", kT0);  // 指派期限 24h, 化解期限 15d
  const std::int64_t slow = dispute("JN-S1", kT0);
  take(slow, step("assign", "leader", kT0 + kHour), "JN-S1");
  take(slow, step("mediate", "community", kT0 + 2 * kHour));
  const std::int64_t quick = dispute("JN-S2", kT0);
  resolve(quick, "JN-S2", kT0 + 2 * kHour);
  (void)unassigned;

  const auto check = [&](Timestamp from, Timestamp to, Timestamp now, std::int64_t expected) {
    auto a = ask("dispute", "overdue", "", from, to, false, now);
    EXPECT_EQ(a.value.value, expected) << "now " << now;
    EXPECT_EQ(a.value.value, brute("dispute", "overdue", "", from, to, now)) << "now " << now;
  };
  check(june, july, kT0 + 23 * kHour, 0);      // nothing due yet
  check(june, july, kT0 + 25 * kHour, 1);      // the unassigned one is past 指派期限
  check(june, july, kT0 + 16 * kDay, 2);       // the slow one past 化解期限 too
  // The slow one resolved on day 20: overdue at the end of 1-17 June as it
  // stood then, no longer at the end of June.
  resolve(slow, "JN-S1", kT0 + 20 * kDay);
  check(june, local("2024-06-17"), kT0 + 30 * kDay, 2);
  check(june, july, kT0 + 30 * kDay, 1);
  EXPECT_EQ(ask("dispute", "overdue", "JN-S2", june, july, false, kT0 + 30 * kDay).value.value, 0);
}

TEST_F(LedgerFiguresTest, ASweepsTalliesAreSummedAndInspectionsCountedAsVisits) {
  const auto sweep = [&](Timestamp at, std::int64_t shifts, std::int64_t places, std::int64_t caught) {
    NewLedgerItem n;
    n.unit_code = "JN-S1";
    n.actor = "所长";
    n.actor_grants = {"station"};
    n.at = at;
    n.fields = {{"name", std::string("夏夜治安清查")}, {"kind", std::string("night")}, {"started_at", at}};
    auto made = ledgers().create("sweep", n, UnitScope::everything());
    ASSERT_TRUE(made.ok()) << made.error().describe();
    take(made->id, step("report", "station", at + 6 * kHour,
                        {{"ended_at", at + 5 * kHour},
                         {"officer_shifts", shifts},
                         {"places_checked", places},
                         {"people_checked", places * 3},
                         {"people_caught", caught}}));
  };
  sweep(kT0 + kDay, 120, 40, 3);
  sweep(kT0 + 10 * kDay, 80, 25, 0);
  sweep(kT0 + 20 * kDay, 45, 12, 1);
  sweep(kT0 + 40 * kDay, 999, 999, 9);  // July
  const Timestamp june = local("2024-06-01"), july = local("2024-07-01");
  EXPECT_EQ(ask("sweep", "tally.officer_shifts", "", june, july).value.value, 245);
  EXPECT_EQ(ask("sweep", "tally.places_checked", "JN-S1", june, july).value.value, 77);
  EXPECT_EQ(ask("sweep", "tally.people_caught", "", june, july).value.value, 4);
  EXPECT_EQ(ask("sweep", "tally.officer_shifts", "JN-S2", june, july).value.value, 0);
  // The same sums as core's tallies over the items created in June.
  std::vector<LedgerItem> in_june;
  for (LedgerItem& i : stored("sweep"))
    if (i.created_at >= june && i.created_at < july) in_june.push_back(std::move(i));
  auto sums = sum_ledger_tallies(*ledgers().type("sweep").value(), in_june);
  ASSERT_TRUE(sums.ok());
  for (const auto& [field, total] : *sums) {
    EXPECT_EQ(ask("sweep", "tally." + field, "", june, july).value.value, total) << field;
    EXPECT_EQ(total, brute("sweep", "tally." + field, "", june, july)) << field;
  }
  auto word = ask("sweep", "tally.officer_shifts", "", june, july);
  EXPECT_FALSE(word.title_zh.empty());

  for (int i = 0; i < 4; ++i) {
    NewLedgerItem n;
    n.unit_code = i < 3 ? "JN-S1-C1" : "JN-S2";
    n.actor = "社区民警";
    n.actor_grants = {"community"};
    n.at = kT0 + i * kDay;
    n.fields = {{"place_ref", std::string(fmt::format("P-{}", i))},
                {"place_name", std::string("如家酒店")},
                {"place_kind", std::string("hotel")},
                {"inspection_kind", std::string("routine")}};
    ASSERT_TRUE(ledgers().create("inspection", n, UnitScope::everything()).ok());
  }
  EXPECT_EQ(ask("inspection", "visits", "", june, july).value.value, 4);
  EXPECT_EQ(ask("inspection", "visits", "JN-S1", june, july).value.value, 3);
  EXPECT_EQ(ask("inspection", "visits", "JN-S1", june, july).value.value, brute("inspection", "visits", "JN-S1", june, july));

  // Figures a type cannot answer, and unknown names, types and units.
  ledger::LedgerFigureQuery q{"dispute", "visits", "", june, july, std::nullopt, false};
  EXPECT_EQ(ledger::query_ledger_figure(*index_, q).error().field, "name");
  q = {"sweep", "tally.name", "", june, july, std::nullopt, false};
  EXPECT_EQ(ledger::query_ledger_figure(*index_, q).error().field, "name");
  q = {"nope", "found", "", june, july, std::nullopt, false};
  EXPECT_EQ(ledger::query_ledger_figure(*index_, q).error().field, "type");
  q = {"sweep", "found", "XX", june, july, std::nullopt, false};
  EXPECT_EQ(ledger::query_ledger_figure(*index_, q).error().field, "unit");
  q = {"sweep", "found", "", july, june, std::nullopt, false};
  EXPECT_EQ(ledger::query_ledger_figure(*index_, q).error().field, "to");
}

TEST_F(LedgerFiguresTest, AnotherEnginesWritesArriveThroughTheChangeLog) {
  std::unique_ptr<Engine> other = open_engine(dir_, false);
  ASSERT_TRUE(other);
  const Timestamp june = local("2024-06-01"), july = local("2024-07-01");
  const std::int64_t id = [&] {
    NewLedgerItem n;
    n.unit_code = "JN-S2";
    n.actor = "社区民警";
    n.actor_grants = {"community"};
    n.at = kT0;
    n.fields = {{"kind", std::string("neighbour")}, {"summary", std::string("邻里漏水纠纷")}};
    auto made = other->ledgers().create("dispute", n, UnitScope::everything());
    EXPECT_TRUE(made.ok()) << made.error().describe();
    return made.ok() ? made->id : 0;
  }();
  EXPECT_EQ(ask("dispute", "found", "", june, july).value.value, 0);  // not yet followed
  ASSERT_TRUE(engine_->catch_up().ok());
  EXPECT_EQ(ask("dispute", "found", "JN-S2", june, july).value.value, 1);
  StepRequest assign = step("assign", "leader", kT0 + 10);
  assign.unit_code = "JN-S2";
  assign.officer_id = "P2";
  ASSERT_TRUE(other->ledgers().step(id, assign, UnitScope::everything()).ok());
  ASSERT_TRUE(other->ledgers().step(id, step("mediate", "community", kT0 + 20), UnitScope::everything()).ok());
  ASSERT_TRUE(other->ledgers()
                  .step(id,
                        step("resolve", "community", kT0 + 30,
                             {{"resolution", std::string("agreement")},
                              {"mediation_summary", std::string("签订调解协议")}}),
                        UnitScope::everything())
                  .ok());
  ASSERT_TRUE(engine_->catch_up().ok());
  EXPECT_EQ(ask("dispute", "resolved", "", june, july).value.value, 1);
  EXPECT_EQ(ask("dispute", "rate", "", june, july).value.rate->percent, "100.00");
}

}  // namespace
}  // namespace pingan::testing
