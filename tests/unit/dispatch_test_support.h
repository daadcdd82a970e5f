#pragma once
// An Engine on a temporary SQLite file with a bureau and two stations (each a
// 0.1° square near Jinan), and a DispatchService over it. Used by the
// dispatch_*_test.cpp files.

#include <gtest/gtest.h>

#include <memory>

#include "dispatch/dispatch_service.h"
#include "engine/engine.h"
#include "test_support.h"
#include "shipped_settings.h"
#include "test_store.h"

namespace pingan::testing {

inline PatrolUnit patrol(std::string call_sign, PatrolKind kind, std::string station = "S1",
                                   std::vector<std::string> roles = {}) {
  PatrolUnit u;
  u.call_sign = std::move(call_sign);
  u.kind = kind;
  u.station_code = std::move(station);
  u.roles = std::move(roles);
  u.status = PatrolStatus::kAvailable;
  return u;
}

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_engine();
    ASSERT_TRUE(engine_
                    ->upsert_units({test_unit("PA", "", UnitKind::kBureau),
                                    test_unit("S1", "PA", UnitKind::kStation, 36.6, 117.0),
                                    test_unit("S2", "PA", UnitKind::kStation, 36.6, 117.1)})
                    .ok());
    open_service();
  }
  void open_engine() {
    auto e = Engine::open(EngineConfig{testing::test_store_location(dir_, "dispatch.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(e.ok()) << e.error().describe();
    engine_ = std::move(e).value();
  }
  void open_service() {
    auto cards = Result<dispatch::RunCards>(testing::shipped_settings().run_cards);
    ASSERT_TRUE(cards.ok()) << cards.error().describe();
    auto s = dispatch::DispatchService::open(*engine_, config_, std::move(cards).value());
    ASSERT_TRUE(s.ok()) << s.error().describe();
    service_ = std::move(s).value();
  }
  // Closes and opens engine and service on the same file.
  void reopen() {
    service_.reset();
    engine_.reset();
    open_engine();
    open_service();
  }
  void add(std::vector<PatrolUnit> units) {
    Status st = service_->upsert_units(std::move(units));
    ASSERT_TRUE(st.ok()) << st.error().describe();
  }
  // One accepted report, at `at` seconds after base_.
  void place(const std::string& call_sign, double lat, double lon, Timestamp at) {
    PositionReport r{call_sign, base_ + at, GeoPoint{lat, lon}, std::nullopt};
    auto result = service_->report_positions(std::span(&r, 1));
    ASSERT_EQ(result.accepted, 1) << call_sign << ": "
                                  << (result.refused.empty() ? "" : result.refused[0].message);
  }
  IncidentId incident(const std::string& type, double lat, double lon) {
    Incident inc;
    inc.type_code = type;
    inc.reported_at = base_;
    inc.location = GeoPoint{lat, lon};
    inc.description = "测试警情";
    auto created = engine_->create_incident(inc, "tester");
    EXPECT_TRUE(created.ok()) << created.error().describe();
    return created.ok() ? created->id : 0;
  }

  TempDir dir_;
  dispatch::DispatchConfig config_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<dispatch::DispatchService> service_;
  const Timestamp base_ = now_utc() / 60 * 60 - 3600;  // an hour ago: lifecycle steps may not lie in the future
};

}  // namespace pingan::testing
