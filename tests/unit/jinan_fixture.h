#pragma once
// Records whose true figures are known: the Jinan Shizhong 2023 campaign as
// its bulletin reported it (DOMAIN.md, "Figures the seeds report"), written
// through an Engine so that every index and every figure reads them the way
// it reads real data. Header-only (CMake compiles tests/unit/*_test.cpp
// only): the bulletin figures test and the end-to-end bulletin test share it.
//
// The campaign runs [2023-06-01, 2023-09-01) Asia/Shanghai under the bureau
// JN (stations JN-S1 with community JN-S1-C1, and JN-S2). Among the records
// are distractors that a wrong rule would count: incidents, cases, captures
// and warnings of another bureau (OT); administrative cases and their
// suspects; incidents at the period's very end; warnings not dissuaded; a
// dispute still open; criminal incidents in the period just before (环比).
// kJinan holds the true figures for JN; the test asserts them.
//
// Writes run in bulk mode (begin_bulk/end_bulk). On SQLite the fixture
// costs about 19 s of CPU (measured; 40-55 s wall on a loaded machine), over
// 90 % of it the 44,065 warnings: the engine has no batch write for them,
// so each is opened, contacted and dissuaded, three transactions apiece.
// Write it once per test process.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/dissuasion.h"
#include "core/fraud_money.h"
#include "core/fugitive.h"
#include "core/id_number.h"
#include "core/incident.h"
#include "core/measure.h"
#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "engine/engine.h"
#include "ledger/ledger_attach.h"
#include "report/bulletin_figures.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {

// The true figures of the fixture for unit JN and the campaign period.
struct JinanTruth {
  std::int64_t criminal = 1'618, criminal_year_ago = 1'902, criminal_previous = 1'700;
  std::int64_t public_order = 4'039, public_order_year_ago = 4'900;
  std::int64_t traffic = 250, traffic_year_ago = 300;
  std::int64_t cases_solved = 363, cases_solved_year_ago = 320;
  std::int64_t cases_opened = 400;  // the 363 solved and 37 still open, all opened in the period
  std::int64_t suspects_caught = 368;
  std::int64_t suspects_detained = 300;
  std::int64_t fugitives_caught = 41;
  std::int64_t money_stopped_fen = 99'012'345'600;  // 990,123,456 元: "9.9亿余元"
  std::int64_t money_frozen_fen = 1'245'678'900;    // 12,456,789 元: "1245.6万余元"
  std::int64_t money_returned_fen = 300'000'000;    // 3,000,000 元
  std::int64_t money_stop_entries = 3;
  std::int64_t dissuaded = 44'065;
  std::int64_t disputes_found = 383, disputes_resolved = 369;  // 96.34 %
  std::int64_t hazards_found = 12;                             // none closed (销号) yet
  std::int64_t inspections = 987;                              // venue-visits (家次)
  std::int64_t rental_checks = 1'126;
  std::int64_t sweeps = 42, sweep_officer_shifts = 2'961;  // 50 + i for i in 0..41
  std::int64_t publicity_events = 3, leaflets = 10'000;
  std::int64_t home_visits = 60;
};
inline constexpr JinanTruth kJinan{};

struct JinanPeriod {
  Timestamp from = 0, to = 0;  // the campaign
  Timestamp year_ago_from = 0, year_ago_to = 0;
};

inline const TimeZone& jinan_zone() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

inline Timestamp jinan_local(int y, int mo, int d, int h = 0) {
  return jinan_zone().to_utc(CivilTime{y, mo, d, h, 0, 0});
}

inline JinanPeriod jinan_period() {
  return {jinan_local(2023, 6, 1), jinan_local(2023, 9, 1), jinan_local(2022, 6, 1),
          jinan_local(2022, 9, 1)};
}

namespace jinan_detail {

// The i-th of n instants spread over [from, to), never on its edges.
inline Timestamp spread(Timestamp from, Timestamp to, std::int64_t i, std::int64_t n) {
  return from + 60 + (to - from - 120) * i / n;
}

inline const char* station(std::int64_t i) {
  static const char* kUnits[] = {"JN-S1", "JN-S2", "JN-S1-C1"};
  return kUnits[i % 3];
}

inline Status write_incidents(Engine& engine, const JinanPeriod& p) {
  std::vector<Incident> batch;
  auto add = [&](const char* type, const std::string& unit, Timestamp at) {
    Incident inc;
    inc.source = "jinan";
    inc.source_id = std::to_string(batch.size());
    inc.type_code = type;
    inc.unit_code = unit;
    inc.reported_at = at;
    batch.push_back(std::move(inc));
  };
  auto many = [&](const char* type, std::int64_t n, Timestamp from, Timestamp to) {
    for (std::int64_t i = 0; i < n; ++i) add(type, station(i), spread(from, to, i, n));
  };
  const Timestamp prev_from =
      p.from - (p.to - p.from);  // 2023-03-01: 92 days before, as the campaign lasts
  many("burglary", kJinan.criminal, p.from, p.to);
  many("burglary", kJinan.criminal_year_ago, p.year_ago_from, p.year_ago_to);
  many("theft", kJinan.criminal_previous - 2, prev_from, p.from);
  add("robbery", "JN-S2", p.from - 1);  // the previous period's last second
  add("robbery", "JN-S1", p.from - 1);
  many("simple_assault", kJinan.public_order, p.from, p.to);
  many("simple_assault", kJinan.public_order_year_ago, p.year_ago_from, p.year_ago_to);
  many("traffic_accident", kJinan.traffic, p.from, p.to);
  many("traffic_accident", kJinan.traffic_year_ago, p.year_ago_from, p.year_ago_to);
  // Distractors: another bureau's, and the first second after the campaign.
  for (int i = 0; i < 9; ++i) add("burglary", "OT", p.from + 3600 * (i + 1));
  for (int i = 0; i < 3; ++i) add("burglary", "JN-S1", p.to);
  for (Incident& inc : batch)
    PINGAN_RETURN_IF_ERROR(validate_new_incident(inc, engine.taxonomy(), now_utc()));
  PINGAN_RETURN_IF_ERROR(engine.begin_bulk());
  auto done = engine.insert_batch(batch);
  PINGAN_RETURN_IF_ERROR(engine.end_bulk());
  if (!done.ok()) return done.error();
  if (done->inserted != static_cast<std::int64_t>(batch.size()))
    return Error::internal(
        fmt::format("jinan: {} of {} incidents inserted", done->inserted, batch.size()));
  return {};
}

inline Person suspect(std::int64_t n) {
  Person p;
  p.name = fmt::format("嫌疑人{}", n);
  return p;
}

class CaseWriter {
 public:
  explicit CaseWriter(Engine& engine) : engine_(engine) {}

  Result<CaseRecord> open(const std::string& type, const std::string& unit, Timestamp opened,
                          std::optional<Timestamp> solved) {
    CaseRecord c;
    c.source = "jinan";
    c.source_id = std::to_string(++serial_);
    c.case_number = fmt::format("JN{:06}", serial_);
    c.type_code = type;
    c.unit_code = unit;
    c.opened_at = opened;
    c.times.investigating_at = opened + 600;
    c.status = CaseStatus::kInvestigating;
    if (type == "telecom_fraud_case") {
      c.fraud_method = "brushing_rebate";
      c.money_involved_fen = 200'000'000'000;  // 20 亿元: room for the stops and freezes below
    }
    if (solved) {
      c.status = CaseStatus::kSolved;
      c.times.solved_at = *solved;
    }
    return engine_.cases().open_case(c, UnitScope::everything(), "jinan");
  }

  Status caught(const CaseRecord& c, std::int64_t person_n, Timestamp at, bool detained) {
    PINGAN_ASSIGN_OR_RETURN(
        CaseStore::PersonSaved saved,
        engine_.cases().add_party(c.id, UnitScope::everything(), suspect(person_n),
                                  PersonRole::kSuspect, "jinan"));
    PINGAN_RETURN_IF_ERROR(measure(c, saved.person.id, MeasureKind::kCaught, at));
    if (detained)
      PINGAN_RETURN_IF_ERROR(
          measure(c, saved.person.id, MeasureKind::kCriminalDetention, at + 3600));
    return {};
  }

  Status money(const CaseRecord& c, FraudMoneyKind kind, Fen fen, Timestamp at) {
    FraudMoneyEntry e;
    e.case_id = c.id;
    e.kind = kind;
    e.amount_fen = fen;
    e.at = at;
    e.unit_code = c.unit_code;
    e.actor = "jinan";
    auto stored = engine_.cases().add_money(e, UnitScope::everything());
    return stored.ok() ? Status() : Status(stored.error());
  }

 private:
  Status measure(const CaseRecord& c, PersonId person, MeasureKind kind, Timestamp at) {
    Measure m;
    m.case_id = c.id;
    m.person_id = person;
    m.kind = kind;
    m.at = at;
    m.unit_code = c.unit_code;
    m.actor = "jinan";
    auto stored = engine_.cases().add_measure(m, UnitScope::everything());
    return stored.ok() ? Status() : Status(stored.error());
  }

  Engine& engine_;
  std::int64_t serial_ = 0;
};

inline Status write_cases(Engine& engine, const JinanPeriod& p) {
  CaseWriter w(engine);
  static const char* kCriminal[] = {"burglary", "telecom_fraud_case", "intentional_injury",
                                    "drug_trafficking"};
  const std::int64_t n = kJinan.cases_solved;
  std::int64_t person = 0, detained = 0;
  std::vector<CaseRecord> fraud;
  for (std::int64_t i = 0; i < n; ++i) {
    const Timestamp opened = spread(p.from, p.to - 3 * 86'400, i, n);
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c,
                            w.open(kCriminal[i % 4], station(i), opened, opened + 2 * 86'400));
    if (c.type_code == "telecom_fraud_case") fraud.push_back(c);
    // One suspect each, a second in the first five: 368 persons caught.
    for (int s = 0; s < (i < 5 ? 2 : 1); ++s) {
      const bool detain = detained < kJinan.suspects_detained;
      PINGAN_RETURN_IF_ERROR(w.caught(c, ++person, *c.times.solved_at + 60, detain));
      detained += detain ? 1 : 0;
    }
  }
  for (std::int64_t i = 0; i < kJinan.cases_opened - n; ++i) {  // opened in the period, not solved
    PINGAN_RETURN_IF_ERROR(status_of(
        w.open("burglary", station(i), spread(p.from, p.to - 86'400, i, 37), std::nullopt)));
  }
  for (std::int64_t i = 0; i < kJinan.cases_solved_year_ago; ++i) {
    const Timestamp opened =
        spread(p.year_ago_from, p.year_ago_to - 3 * 86'400, i, kJinan.cases_solved_year_ago);
    PINGAN_RETURN_IF_ERROR(status_of(w.open("burglary", station(i), opened, opened + 86'400)));
  }
  // Distractors: administrative cases solved, with suspects caught; a
  // criminal case of another bureau.
  for (int i = 0; i < 10; ++i) {
    const Timestamp opened = p.from + 86'400 * (i + 1);
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c, w.open("admin_battery", "JN-S1", opened, opened + 3600));
    PINGAN_RETURN_IF_ERROR(w.caught(c, ++person, opened + 7200, false));
  }
  {
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c,
                            w.open("burglary", "OT", p.from + 86'400, p.from + 2 * 86'400));
    PINGAN_RETURN_IF_ERROR(w.caught(c, ++person, p.from + 2 * 86'400 + 60, true));
  }
  // Money on the fraud cases: 止付 990,123,456 元 in three entries, 冻结
  // 12,456,789 元 in two, 返还 3,000,000 元 in one.
  if (fraud.size() < 3) return Error::internal("jinan: too few fraud cases for the money");
  const Timestamp at = p.from + 10 * 86'400;
  PINGAN_RETURN_IF_ERROR(w.money(fraud[0], FraudMoneyKind::kStopped, 50'000'000'000, at));
  PINGAN_RETURN_IF_ERROR(w.money(fraud[1], FraudMoneyKind::kStopped, 40'000'000'000, at));
  PINGAN_RETURN_IF_ERROR(w.money(fraud[2], FraudMoneyKind::kStopped, 9'012'345'600, at));
  PINGAN_RETURN_IF_ERROR(w.money(fraud[0], FraudMoneyKind::kFrozen, 1'000'000'000, at + 3600));
  PINGAN_RETURN_IF_ERROR(w.money(fraud[1], FraudMoneyKind::kFrozen, 245'678'900, at + 3600));
  PINGAN_RETURN_IF_ERROR(w.money(fraud[0], FraudMoneyKind::kReturned, 300'000'000, at + 7200));
  return {};
}

inline Status write_fugitives(Engine& engine, const JinanPeriod& p) {
  auto list = [&](int i, const std::string& unit) -> Status {
    Fugitive f;
    f.listing_number = fmt::format("T2020{:05}", i);
    f.listed_at = jinan_local(2020, 3, 1);
    f.listing_unit = unit;
    f.status = FugitiveStatus::kCaught;
    f.caught_at = p.from + 86'400 * (i % 90) + 3600;
    f.caught_by_unit = unit;
    Person person;
    person.name = fmt::format("逃犯{}", i);
    const std::string first17 =
        fmt::format("370103198{}0101{:03}", i % 10, i % 1000);  // 济南市中区, 1980s
    person.id_number = first17 + id_number_check_char(first17);
    auto stored = engine.cases().list_fugitive(std::move(f), std::move(person), "jinan");
    return stored.ok() ? Status() : Status(stored.error());
  };
  for (int i = 0; i < kJinan.fugitives_caught; ++i) PINGAN_RETURN_IF_ERROR(list(i, station(i)));
  for (int i = 0; i < 2; ++i) PINGAN_RETURN_IF_ERROR(list(1000 + i, "OT"));
  return {};
}

inline Status write_dissuasions(Engine& engine, const JinanPeriod& p) {
  std::int64_t serial = 0;
  auto task = [&](const std::string& unit, Timestamp issued, DissuasionStatus end) -> Status {
    DissuasionTask t;
    t.warning_number = fmt::format("YJ{:08}", ++serial);
    t.unit_code = unit;
    t.issued_at = issued;
    t.target_phone = fmt::format("139{:08}", serial);
    PINGAN_ASSIGN_OR_RETURN(DissuasionTask made,
                            engine.cases().open_dissuasion(t, UnitScope::everything(), "jinan"));
    for (DissuasionStatus to : {DissuasionStatus::kContacted, end}) {
      DissuasionStepRequest r;
      r.to = to;
      r.at = issued + (to == DissuasionStatus::kContacted ? 300 : 900);
      r.actor = "jinan";
      if (to == DissuasionStatus::kNotReached) r.note = "电话三次未接";
      auto stepped = engine.cases().step_dissuasion(made.id, UnitScope::everything(), r);
      if (!stepped.ok()) return stepped.error();
    }
    return {};
  };
  const std::int64_t n = kJinan.dissuaded;
  for (std::int64_t i = 0; i < n; ++i)
    PINGAN_RETURN_IF_ERROR(
        task(station(i), spread(p.from, p.to - 3600, i, n), DissuasionStatus::kDissuaded));
  for (int i = 0; i < 100; ++i)  // warned, never reached
    PINGAN_RETURN_IF_ERROR(task(station(i), p.from + 600 * (i + 1), DissuasionStatus::kNotReached));
  for (int i = 0; i < 10; ++i)
    PINGAN_RETURN_IF_ERROR(task("OT", p.from + 600 * (i + 1), DissuasionStatus::kDissuaded));
  return {};
}

inline StepRequest ledger_step(const std::string& code, const std::string& role, Timestamp at,
                               LedgerFields fields = {}) {
  StepRequest r;
  r.step = code;
  r.actor = "民警" + code;
  r.actor_grants = {role};
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

inline Status write_ledgers(Engine& engine, const JinanPeriod& p) {
  LedgerRecords& ledgers = engine.ledgers();
  auto create = [&](const std::string& type, const std::string& unit, const std::string& role,
                    Timestamp at, LedgerFields fields) -> Result<std::int64_t> {
    NewLedgerItem n;
    n.unit_code = unit;
    n.actor = "社区民警";
    n.actor_grants = {role};
    n.at = at;
    n.fields = std::move(fields);
    PINGAN_ASSIGN_OR_RETURN(LedgerItem made, ledgers.create(type, n, UnitScope::everything()));
    return made.id;
  };
  auto step = [&](std::int64_t id, StepRequest r) -> Status {
    auto done = ledgers.step(id, r, UnitScope::everything());
    return done.ok() ? Status() : Status(done.error());
  };
  // Disputes: 383 found, 369 of them assigned, mediated and resolved (化解).
  for (std::int64_t i = 0; i < kJinan.disputes_found; ++i) {
    const Timestamp at = spread(p.from, p.to - 86'400, i, kJinan.disputes_found);
    PINGAN_ASSIGN_OR_RETURN(std::int64_t id, create("dispute", station(i), "community", at,
                                                    {{"kind", std::string("neighbour")},
                                                     {"summary", std::string("邻里漏水纠纷")}}));
    if (i >= kJinan.disputes_resolved) continue;
    StepRequest assign = ledger_step("assign", "leader", at + 600);
    assign.unit_code = station(i);
    assign.officer_id = "P1";
    PINGAN_RETURN_IF_ERROR(step(id, assign));
    PINGAN_RETURN_IF_ERROR(step(id, ledger_step("mediate", "community", at + 1200)));
    PINGAN_RETURN_IF_ERROR(
        step(id, ledger_step("resolve", "community", at + 3600,
                             {{"resolution", std::string("agreement")},
                              {"mediation_summary", std::string("签订调解协议")}})));
  }
  for (std::int64_t i = 0; i < kJinan.hazards_found; ++i) {
    PINGAN_RETURN_IF_ERROR(
        status_of(create("hazard", station(i), "community", p.from + 86'400 * (i + 1),
                         {{"kind", std::string("fire")},
                          {"level", std::string("general")},
                          {"description", std::string("安全出口被杂物堵塞")}})));
  }
  for (std::int64_t i = 0; i < kJinan.inspections; ++i) {
    PINGAN_RETURN_IF_ERROR(status_of(create("inspection", station(i), "community",
                                            spread(p.from, p.to, i, kJinan.inspections),
                                            {{"place_ref", fmt::format("P-{}", i % 400)},
                                             {"place_name", std::string("某宾馆")},
                                             {"place_kind", std::string("hotel")},
                                             {"inspection_kind", std::string("routine")}})));
  }
  for (std::int64_t i = 0; i < kJinan.rental_checks; ++i) {
    PINGAN_RETURN_IF_ERROR(status_of(create("rental_check", station(i), "community",
                                            spread(p.from, p.to, i, kJinan.rental_checks),
                                            {{"house_ref", fmt::format("H-{}", i)},
                                             {"address", fmt::format("经七路{}号", i)},
                                             {"rental_kind", std::string("whole")}})));
  }
  for (std::int64_t i = 0; i < kJinan.sweeps; ++i) {
    const Timestamp at = p.from + 86'400 * (2 * i + 1);
    PINGAN_ASSIGN_OR_RETURN(std::int64_t id, create("sweep", station(i), "station", at,
                                                    {{"name", std::string("夏夜治安清查")},
                                                     {"kind", std::string("night")},
                                                     {"started_at", at}}));
    PINGAN_RETURN_IF_ERROR(step(id, ledger_step("report", "station", at + 6 * 3600,
                                                {{"ended_at", at + 5 * 3600},
                                                 {"officer_shifts", std::int64_t{50} + i},
                                                 {"places_checked", std::int64_t{20}},
                                                 {"people_checked", std::int64_t{60}}})));
  }
  const std::int64_t leaflets[] = {5'000, 3'000, 2'000};
  for (std::int64_t i = 0; i < kJinan.publicity_events; ++i) {
    const Timestamp at = p.from + 86'400 * (10 * i + 3);
    PINGAN_RETURN_IF_ERROR(status_of(create("publicity", station(i), "community", at,
                                            {{"title", std::string("反诈宣传进社区")},
                                             {"kind", std::string("street_booth")},
                                             {"topic", std::string("anti_fraud")},
                                             {"held_at", at},
                                             {"leaflets", leaflets[i]}})));
  }
  for (std::int64_t i = 0; i < kJinan.home_visits; ++i) {
    PINGAN_RETURN_IF_ERROR(
        status_of(create("home_visit", station(i), "community", p.from + 3600 * (i + 10),
                         {{"household_ref", fmt::format("R-{}", i)},
                          {"address", fmt::format("顺河街{}号", i)},
                          {"mode", std::string("door")}})));
  }
  // Distractors: another bureau's dispute, resolved; a dispute of the year before.
  PINGAN_ASSIGN_OR_RETURN(std::int64_t other, create("dispute", "OT", "community", p.from + 86'400,
                                                     {{"kind", std::string("debt")},
                                                      {"summary", std::string("借款纠纷")}}));
  (void)other;
  return status_of(create("dispute", "JN-S1", "community", p.year_ago_from + 86'400,
                          {{"kind", std::string("debt")}, {"summary", std::string("借款纠纷")}}));
}

}  // namespace jinan_detail

// The units (bureau JN with its stations and community, and bureau OT).
inline Status write_jinan_units(Engine& engine) {
  return engine.upsert_units(
      {test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation),
       test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity),
       test_unit("JN-S2", "JN", UnitKind::kStation), test_unit("OT", "", UnitKind::kBureau)});
}

// Writes the units and every record of the fixture into an empty engine
// (its time zone Asia/Shanghai) and returns the campaign's periods. Any
// refused write is returned as it is.
inline Result<JinanPeriod> write_jinan_2023(Engine& engine) {
  const JinanPeriod p = jinan_period();
  PINGAN_RETURN_IF_ERROR(write_jinan_units(engine));
  PINGAN_RETURN_IF_ERROR(jinan_detail::write_incidents(engine, p));
  PINGAN_RETURN_IF_ERROR(engine.cases().begin_bulk());
  Status cases = jinan_detail::write_cases(engine, p);
  if (cases.ok()) cases = jinan_detail::write_fugitives(engine, p);
  if (cases.ok()) cases = jinan_detail::write_dissuasions(engine, p);
  PINGAN_RETURN_IF_ERROR(engine.cases().end_bulk());
  PINGAN_RETURN_IF_ERROR(cases);
  PINGAN_RETURN_IF_ERROR(engine.ledgers().begin_bulk());
  Status ledgers = jinan_detail::write_ledgers(engine, p);
  PINGAN_RETURN_IF_ERROR(engine.ledgers().end_bulk());
  PINGAN_RETURN_IF_ERROR(ledgers);
  return p;
}

// An engine of its own holding the fixture, with the three indexes a
// bulletin counts from attached after the writes (as `pingan report
// bulletin` attaches them). Tests keep one per suite: writing is the slow part.
struct JinanWorld {
  TempDir dir;
  std::unique_ptr<Engine> engine;
  JinanPeriod period = jinan_period();
  std::shared_ptr<analytics::IncidentIndex> incidents;
  std::shared_ptr<cases::CaseIndex> cases;
  std::shared_ptr<ledger::LedgerIndex> ledgers;

  report::BulletinSources sources() const {
    return {incidents.get(), cases.get(), ledgers.get(), engine->units()};
  }
};

enum class JinanRecords { kAll, kUnitsOnly };

inline Result<std::unique_ptr<JinanWorld>> open_jinan_world(JinanRecords records = JinanRecords::kAll) {
  auto world = std::make_unique<JinanWorld>();
  PINGAN_ASSIGN_OR_RETURN(
      world->engine,
      Engine::open(EngineConfig{test_store_location(world->dir, "jinan.db"), "", "Asia/Shanghai"}));
  if (records == JinanRecords::kAll) {
    PINGAN_ASSIGN_OR_RETURN(world->period, write_jinan_2023(*world->engine));
  } else {
    PINGAN_RETURN_IF_ERROR(write_jinan_units(*world->engine));
  }
  PINGAN_ASSIGN_OR_RETURN(world->incidents, analytics::attach_index(*world->engine));
  PINGAN_ASSIGN_OR_RETURN(world->cases, cases::attach_case_index(*world->engine));
  PINGAN_ASSIGN_OR_RETURN(world->ledgers, ledger::attach_ledger_index(*world->engine));
  return world;
}

}  // namespace pingan::testing
