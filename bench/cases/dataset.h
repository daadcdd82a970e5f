#pragma once
// The data every engine of bench/cases answers from: generated cases with
// their suspects' measures and fraud money, deterministic for a seed. The
// mix follows the seeds' proportions loosely: about 30 % criminal cases
// (theft and fraud the largest types), 70 % administrative; criminal cases
// solved about 45 % of the time and administrative ones 85 %, after hours to
// weeks; a solved case has one to three suspects, some of them repeat
// offenders seen in other cases; criminal suspects mostly detained and dealt
// with; fraud cases carry stop, freeze and return entries; 2 % of cases are
// withdrawn. Units: a city, 6 branches, 8 stations each; a few measures are
// taken by a station other than the case's.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/case_bundle.h"
#include "core/case_types.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan::bench {

struct CaseDataset {
  std::vector<Unit> units;
  std::vector<std::string> stations;
  std::vector<CaseBundle> cases;
  Timestamp begin = 0, end = 0;
};

inline std::vector<Unit> case_bench_units(std::vector<std::string>* stations) {
  std::vector<Unit> units;
  auto add = [&](std::string code, std::string parent, UnitKind kind) {
    Unit u;
    u.code = code;
    u.name = code;
    u.kind = kind;
    u.parent_code = std::move(parent);
    units.push_back(std::move(u));
  };
  add("C", "", UnitKind::kBureau);
  for (int b = 1; b <= 6; ++b) {
    const std::string branch = "B" + std::to_string(b);
    add(branch, "C", UnitKind::kBureau);
    for (int s = 1; s <= 8; ++s) {
      const std::string station = branch + "-S" + std::to_string(s);
      add(station, branch, UnitKind::kStation);
      stations->push_back(station);
    }
  }
  return units;
}

// `count` cases opened between `begin` and `end`, ids 1..count, in id order
// (not time order: the index must sort).
inline CaseDataset generate_cases(std::int64_t count, const CaseTypes& types, Timestamp begin, Timestamp end,
                                  std::uint64_t seed = 20) {
  CaseDataset d;
  d.units = case_bench_units(&d.stations);
  d.begin = begin;
  d.end = end;
  std::mt19937_64 rng(seed);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {  // [lo, hi)
    return std::uniform_int_distribution<std::int64_t>(lo, hi - 1)(rng);
  };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  // Types by weight: the common ones often, the rest now and then.
  std::vector<const CaseType*> mix;
  std::vector<double> weights;
  for (const CaseType& t : types.types()) {
    double w = t.case_class == CaseClass::kCriminal ? 0.5 : 2.0;
    for (const char* common : {"other_theft", "ebike_theft", "telecom_fraud_case", "burglary", "admin_theft",
                               "admin_battery", "drink_driving_admin", "admin_gambling", "intentional_injury"})
      if (t.code == common) w *= 8;
    mix.push_back(&t);
    weights.push_back(w);
  }
  std::discrete_distribution<std::size_t> pick_type(weights.begin(), weights.end());
  std::exponential_distribution<double> delay_days(1.0 / 6);
  const std::int64_t persons = count;           // a pool of first offenders
  const std::int64_t repeaters = count / 40;    // and of repeat offenders
  d.cases.reserve(static_cast<std::size_t>(count));
  for (std::int64_t id = 1; id <= count; ++id) {
    CaseBundle& b = d.cases.emplace_back();
    CaseRecord& r = b.record;
    const CaseType& type = *mix[pick_type(rng)];
    r.id = id;
    r.type_code = type.code;
    r.case_class = type.case_class;
    r.unit_code = d.stations[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(d.stations.size())))];
    r.opened_at = uniform(begin, end);
    const bool criminal = type.case_class == CaseClass::kCriminal;
    if (chance(0.02)) {
      r.status = CaseStatus::kWithdrawn;
      r.times.withdrawn_at = r.opened_at + 86'400;
      continue;
    }
    const Timestamp solved = r.opened_at + static_cast<Timestamp>(delay_days(rng) * 86'400);
    if (!chance(criminal ? 0.45 : 0.85) || solved >= end) {
      r.status = CaseStatus::kInvestigating;
      r.times.investigating_at = r.opened_at + 600;
    } else {
      r.status = CaseStatus::kSolved;
      r.times.solved_at = solved;
      const int suspects = chance(0.7) ? 1 : chance(0.6) ? 2 : 3;
      for (int s = 0; s < suspects; ++s) {
        const PersonId person = chance(0.1) ? persons + 1 + uniform(0, repeaters) : 1 + uniform(0, persons);
        const std::string& unit = chance(0.05) ? d.stations[static_cast<std::size_t>(uniform(0, 48))] : r.unit_code;
        auto measure = [&](MeasureKind kind, Timestamp at) {
          Measure m;
          m.id = static_cast<MeasureId>(b.measures.size() + 1);
          m.case_id = id;
          m.person_id = person;
          m.kind = kind;
          m.at = at;
          m.unit_code = unit;
          b.measures.push_back(std::move(m));
        };
        measure(MeasureKind::kCaught, solved - 3'600);
        if (criminal) {
          if (chance(0.7)) measure(MeasureKind::kCriminalDetention, solved);
          if (chance(0.4)) measure(MeasureKind::kArrest, solved + 30 * 86'400);
        } else if (chance(0.4)) {
          measure(MeasureKind::kAdministrativeDetention, solved);
        }
        if (chance(0.75)) measure(MeasureKind::kDealtWith, solved + 2 * 86'400);
      }
    }
    if (types.in_group(type.code, "fraud")) {
      auto money = [&](FraudMoneyKind kind, Fen fen, Timestamp at) {
        FraudMoneyEntry e;
        e.id = static_cast<std::int64_t>(b.money.size() + 1);
        e.case_id = id;
        e.kind = kind;
        e.amount_fen = fen;
        e.at = at;
        e.unit_code = r.unit_code;
        b.money.push_back(std::move(e));
      };
      const Fen stopped = uniform(1'000, 5'000'000);
      if (chance(0.5)) money(FraudMoneyKind::kStopped, stopped, r.opened_at + 1'800);
      if (chance(0.3)) money(FraudMoneyKind::kFrozen, uniform(1'000, 2'000'000), r.opened_at + 86'400);
      if (chance(0.2)) money(FraudMoneyKind::kReturned, stopped / 2, r.opened_at + 20 * 86'400);
    }
  }
  return d;
}

}  // namespace pingan::bench
