#include "core/ledger_rates.h"

#include <gtest/gtest.h>

#include <limits>

#include "ledger_test_support.h"

namespace pingan {
namespace {

using namespace pingan::testing;

std::string percent(std::int64_t n, std::int64_t d) {
  auto r = ledger_rate(n, d);
  EXPECT_TRUE(r.ok()) << r.error().describe();
  return r.ok() ? r->percent : "error";
}

TEST(LedgerRates, PercentIsExactAndRoundedHalfUp) {
  EXPECT_EQ(percent(369, 383), "96.34");  // 96.3446...
  EXPECT_EQ(percent(1, 3), "33.33");
  EXPECT_EQ(percent(2, 3), "66.67");
  EXPECT_EQ(percent(1, 8), "12.50");
  EXPECT_EQ(percent(1, 4000), "0.03");    // 0.025 exactly: half up
  EXPECT_EQ(percent(1, 1600), "0.06");    // 0.0625: below the half
  EXPECT_EQ(percent(0, 7), "0.00");
  EXPECT_EQ(percent(7, 7), "100.00");
  EXPECT_EQ(percent(3, 2), "150.00");
  EXPECT_EQ(percent(0, 0), "");            // no denominator, no rate
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(percent(kMax, kMax), "100.00");  // no overflow
  EXPECT_EQ(percent(kMax - 1, kMax), "100.00");
  EXPECT_FALSE(ledger_rate(-1, 5).ok());
  EXPECT_EQ(ledger_rate(-1, 5).error().field, "rate");
}

// 383 disputes found, 369 resolved (化解), 5 handed on (移交), 9 still open:
// the resolution rate is 96.34 %.
TEST(LedgerRates, DisputeResolutionRateOverAConstructedLedger) {
  const LedgerDefinition& d = shipped_ledger("dispute");
  std::vector<LedgerItem> items;
  for (int i = 0; i < 383; ++i) {
    NewLedgerItem n;
    n.unit_code = i % 2 ? "S01" : "S02";
    n.actor = "王芳";
    n.actor_grants = {"community"};
    n.at = kLedgerT0 + i;
    n.fields = {{"kind", std::string(i % 3 ? "neighbour" : "debt")}, {"summary", std::string("纠纷")}};
    auto created = create_ledger_item(d, n);
    ASSERT_TRUE(created.ok()) << created.error().describe();
    LedgerItem item = std::move(created).value();
    item.id = i + 1;
    if (i < 369 + 5 + 4) {  // 4 of the 9 open ones are assigned and mediating
      StepRequest assign = step_request("assign", "李所长", "station", kLedgerT0 + kDay);
      assign.unit_code = n.unit_code;
      assign.officer_id = "王芳";
      item = must_step(d, item, assign);
      item = must_step(d, item, step_request("mediate", "王芳", "community", kLedgerT0 + 2 * kDay));
    }
    if (i < 369) {
      item = must_step(d, item, step_request("resolve", "王芳", "community", kLedgerT0 + 3 * kDay,
                                             {{"resolution", std::string("agreement")},
                                              {"mediation_summary", std::string("达成协议")}}));
    } else if (i < 374) {
      item = must_step(d, item, step_request("escalate", "李所长", "station", kLedgerT0 + 3 * kDay,
                                             {{"escalated_to", std::string("court")},
                                              {"escalation_reason", std::string("一方起诉")}}));
    }
    items.push_back(std::move(item));
  }
  auto counts = count_ledger_items(d, items);
  ASSERT_TRUE(counts.ok()) << counts.error().describe();
  EXPECT_EQ(counts->items, 383);
  EXPECT_EQ(counts->tag("found"), 383);
  EXPECT_EQ(counts->tag("resolved"), 369);
  EXPECT_EQ(counts->tag("escalated"), 5);
  EXPECT_EQ(counts->tag("open"), 9);
  EXPECT_EQ(counts->tag("closed"), 374);
  EXPECT_EQ(counts->tag("no_such_tag"), 0);
  EXPECT_EQ(counts->by_state.at("found"), 5);
  EXPECT_EQ(counts->by_state.at("mediating"), 4);
  EXPECT_EQ(counts->by_state.at("assigned"), 0);
  auto rate = ledger_tag_rate(*counts, "resolved", "found");
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(rate->numerator, 369);
  EXPECT_EQ(rate->denominator, 383);
  EXPECT_EQ(rate->percent, "96.34");

  // Items of another type are not silently mixed in.
  items[7].type_code = "hazard";
  EXPECT_EQ(count_ledger_items(d, items).error().field, "type");
}

// Three sweeps (清查行动) summed: 出动警力 46 + 38 + 120 = 204 人次 ...
TEST(LedgerRates, SweepTalliesAreSummed) {
  const LedgerDefinition& d = shipped_ledger("sweep");
  struct Sweep {
    std::int64_t officers, volunteers, places, people, caught;
  };
  const Sweep sweeps[] = {{46, 120, 35, 410, 3}, {38, 0, 22, 260, 1}, {120, 300, 140, 1800, 9}};
  std::vector<LedgerItem> items;
  for (const Sweep& s : sweeps) {
    NewLedgerItem n;
    n.unit_code = "S01";
    n.actor = "李所长";
    n.actor_grants = {"station"};
    n.at = kLedgerT0;
    n.fields = {{"name", std::string("夏夜治安清查")},
                {"kind", std::string("night")},
                {"started_at", kLedgerT0},
                {"officer_shifts", s.officers},
                {"places_checked", s.places},
                {"people_checked", s.people},
                {"people_caught", s.caught}};
    if (s.volunteers) n.fields["volunteers"] = s.volunteers;
    auto item = create_ledger_item(d, n);
    ASSERT_TRUE(item.ok()) << item.error().describe();
    items.push_back(std::move(item).value());
  }
  auto sums = sum_ledger_tallies(d, items);
  ASSERT_TRUE(sums.ok()) << sums.error().describe();
  EXPECT_EQ(sums->size(), d.tallies().size());
  EXPECT_EQ(sums->at("officer_shifts"), 204);
  EXPECT_EQ(sums->at("volunteers"), 420);
  EXPECT_EQ(sums->at("places_checked"), 197);
  EXPECT_EQ(sums->at("people_checked"), 2470);
  EXPECT_EQ(sums->at("people_caught"), 13);
  EXPECT_EQ(sums->at("fugitives_caught"), 0);  // no sweep recorded any
}

}  // namespace
}  // namespace pingan
