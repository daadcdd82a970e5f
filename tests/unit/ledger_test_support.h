#pragma once
// What the ledger tests share: the shipped definitions (data/ledgers/, read
// once through the real catalogue), and short ways to open and move items.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/ledger_item.h"
#include "engine/ledger_catalogue.h"

namespace pingan::testing {

inline constexpr Timestamp kLedgerT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kDay = 86400;

inline const LedgerCatalogue& shipped_ledgers() {
  static const LedgerCatalogue catalogue = [] {
    auto loaded = LedgerCatalogue::load();
    if (!loaded.ok()) ADD_FAILURE() << loaded.error().describe();
    return loaded.ok() ? std::move(loaded).value() : LedgerCatalogue{};
  }();
  return catalogue;
}

// A shipped type; a test using a missing one fails here, not with a crash.
inline const LedgerDefinition& shipped_ledger(const std::string& code) {
  const LedgerDefinition* d = shipped_ledgers().find(code);
  if (!d) {
    ADD_FAILURE() << "no shipped ledger type " << code;
    std::abort();
  }
  return *d;
}

inline StepRequest step_request(std::string step, std::string actor, std::string role, Timestamp at,
                                LedgerFields fields = {}) {
  StepRequest r;
  r.step = std::move(step);
  r.actor = std::move(actor);
  r.actor_grants = {std::move(role)};
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

// apply_step that must succeed.
inline LedgerItem must_step(const LedgerDefinition& d, const LedgerItem& item, const StepRequest& r) {
  auto next = apply_step(d, item, r);
  EXPECT_TRUE(next.ok()) << r.step << ": " << next.error().describe();
  return next.ok() ? std::move(next).value() : item;
}

// A new hazard (消防, 一般隐患) found at `at` by 社区民警 张伟.
inline LedgerItem new_hazard(Timestamp at = kLedgerT0) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  NewLedgerItem n;
  n.unit_code = "S01";
  n.actor = "张伟";
  n.actor_grants = {"community"};
  n.at = at;
  n.fields = {{"kind", std::string("fire")},
              {"level", std::string("general")},
              {"description", std::string("安全出口被杂物堵塞")}};
  auto item = create_ledger_item(d, n);
  EXPECT_TRUE(item.ok()) << item.error().describe();
  return item.ok() ? std::move(item).value() : LedgerItem{};
}

// The hazard ordered to be rectified at `at`, assigned to S01 / 张伟.
inline LedgerItem hazard_rectifying(Timestamp found_at, Timestamp ordered_at) {
  const LedgerDefinition& d = shipped_ledger("hazard");
  StepRequest r = step_request("order_rectify", "李所长", "station", ordered_at,
                               {{"rectify_measures", std::string("三日内清理安全出口")}});
  r.unit_code = "S01";
  r.officer_id = "张伟";
  return must_step(d, new_hazard(found_at), r);
}

}  // namespace pingan::testing
