#include "ingest/demo_cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "core/id_number.h"
#include "ingest/demo_random.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr const char* kActor = "demo";

// What becomes of an incident of one type: the case type it is filed
// under, the chance a case is opened, the share solved (a bureau's
// clearance rate for the type) and the mean days to the solution.
struct CaseProfile {
  std::string_view incident_type;
  std::string_view case_type;
  double open_p;
  double solve_p;
  double solve_days;
};

constexpr CaseProfile kProfiles[] = {
    {"homicide", "intentional_homicide", 1.0, 0.95, 8},  {"rape", "criminal_other", 0.9, 0.8, 7},
    {"robbery", "robbery", 0.9, 0.6, 6},                  {"snatching", "snatching", 0.8, 0.45, 8},
    {"assault", "intentional_injury", 0.6, 0.8, 5},       {"burglary", "burglary", 0.7, 0.3, 25},
    {"vehicle_theft", "vehicle_theft", 0.7, 0.25, 30},    {"theft", "admin_theft", 0.25, 0.45, 10},
    {"fraud", "fraud_general", 0.5, 0.25, 40},            {"telecom_fraud", "telecom_fraud_case", 0.8, 0.12, 60},
    {"drugs", "drug_trafficking", 0.9, 0.95, 2},          {"gambling", "admin_gambling", 0.7, 0.9, 1},
    {"prostitution", "admin_prostitution", 0.7, 0.9, 1},  {"drug_use", "admin_drug_use", 0.9, 0.95, 1},
    {"affray", "affray", 0.8, 0.85, 5},                   {"picking_quarrels", "picking_quarrels", 0.5, 0.7, 5},
    {"simple_assault", "admin_battery", 0.35, 0.85, 3},   {"drink_driving", "drunk_driving", 0.7, 1.0, 0.2},
    {"weapons", "admin_weapons", 0.6, 0.9, 1},            {"vandalism", "admin_property_damage", 0.2, 0.4, 10},
    {"disorder", "admin_disorder", 0.1, 0.8, 2},          {"food_drug_env_ip", "harmful_food", 0.6, 0.7, 20},
    {"gang", "organised_crime", 0.8, 0.6, 60},            {"arson", "criminal_other", 0.8, 0.6, 10},
};

const CaseProfile* profile_of(std::string_view incident_type) {
  for (const CaseProfile& p : kProfiles)
    if (p.incident_type == incident_type) return &p;
  return nullptr;
}

constexpr std::array<std::string_view, 24> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                                        "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
                                                        "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
constexpr std::array<std::string_view, 24> kGiven = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军",
                                                     "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
                                                     "秀兰", "霞", "平", "刚", "建国", "志强", "海燕", "晓东"};
// Counties of Jinan, the first six digits of residents' numbers.
constexpr std::array<std::string_view, 6> kRegions = {"370102", "370103", "370104", "370105", "370112", "370181"};

// Person `n` of the demo: the same n gives the same name and a valid
// GB 11643 number on every run.
Person demo_person(std::uint64_t seed, std::int64_t n) {
  Random r(mix64(seed ^ (0x5e750000ULL + std::uint64_t(n))));
  Person p;
  p.name = fmt::format("{}{}", kSurnames[r.below(kSurnames.size())], kGiven[r.below(kGiven.size())]);
  const int year = 1955 + int(r.below(50)), month = 1 + int(r.below(12)), day = 1 + int(r.below(28));
  const std::string first17 = fmt::format("{}{:04}{:02}{:02}{:03}", kRegions[r.below(kRegions.size())], year, month,
                                          day, n % 1000);
  p.id_number = first17 + id_number_check_char(first17);
  assign_mobile_number(p.phone, mix64(seed + std::uint64_t(n)));
  return p;
}

// The methods of the demo's fraud cases, at the shares anti-fraud bulletins
// report (刷单返利 first by far); codes of data/cases/fraud_methods.csv.
struct MethodShare {
  std::string_view code;
  double share;
};
constexpr MethodShare kMethodShares[] = {
    {"brushing_rebate", 0.32}, {"fake_investment", 0.14}, {"fake_loan", 0.10},        {"fake_customer_service", 0.12},
    {"fake_authorities", 0.05}, {"fake_acquaintance", 0.07}, {"fake_credit_repair", 0.05}, {"fake_game_trade", 0.04},
    {"romance", 0.04},          {"fake_purchase", 0.02},     {"fake_shopping", 0.03},      {"other", 0.02}};

// Picks a method from the case number alone (FNV-1a), not from the demo's
// random stream: the method draws nothing, so every other figure of the
// demo stays what it was before methods existed.
std::string_view method_for(std::string_view case_number) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : case_number) h = (h ^ ch) * 1099511628211ULL;
  double u = static_cast<double>(h >> 11) / static_cast<double>(1ULL << 53);
  for (const MethodShare& m : kMethodShares) {
    if (u < m.share) return m.code;
    u -= m.share;
  }
  return "other";
}

struct IncidentSeen {
  IncidentId id;
  std::string source_id, type, unit;
  Timestamp reported_at;
};

class DemoCaseWriter {
 public:
  DemoCaseWriter(Engine& engine, const DemoOptions& options)
      : engine_(engine), options_(options), end_(demo_end(options)), tree_(engine.units()) {}

  Status write_case(const IncidentSeen& inc, const CaseProfile& profile) {
    Random r(mix64(options_.seed ^ std::hash<std::string>{}(inc.source_id)));
    if (!r.chance(profile.open_p)) return {};
    CaseRecord c;
    c.source = "demo";
    c.source_id = inc.source_id;
    c.case_number = "AJ" + inc.source_id;
    c.type_code = std::string(profile.case_type);
    if (c.type_code == "fraud_general" && r.chance(0.2)) c.type_code = "elderly_fraud_case";
    c.unit_code = station_of(inc.unit);
    c.incident_ids = {inc.id};
    c.opened_at = std::min(end_ - 1, inc.reported_at + 3600 + std::int64_t(r.exponential(5 * 3600)));
    const Timestamp investigating = std::min(end_ - 1, c.opened_at + 1800);
    const bool solved = r.chance(profile.solve_p);
    const Timestamp solved_at = investigating + std::int64_t(r.exponential(profile.solve_days * kDay));
    c.times.investigating_at = investigating;
    c.status = CaseStatus::kInvestigating;
    if (solved && solved_at < end_) {
      c.status = CaseStatus::kSolved;
      c.times.solved_at = solved_at;
    }
    const bool fraud = c.type_code == "telecom_fraud_case" || c.type_code == "fraud_general" ||
                       c.type_code == "elderly_fraud_case";
    if (fraud) c.money_involved_fen = Fen(r.lognormal(30000, 1.2) * 100);
    if (fraud) c.fraud_method = std::string(method_for(c.case_number));
    c.flags.homicide = c.type_code == "intentional_homicide";
    c.flags.major = c.flags.homicide || c.money_involved_fen > 100'000'000;
    Result<CaseRecord> stored = engine_.cases().open_case(c, UnitScope::everything(), kActor);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) {
      ++report_.duplicates;
      return {};
    }
    PINGAN_RETURN_IF_ERROR(status_of(stored));
    ++report_.cases;
    const CaseRecord& cr = *stored;
    // A victim for the crimes that have one.
    if (fraud || cr.case_class == CaseClass::kCriminal)
      PINGAN_RETURN_IF_ERROR(status_of(add_person(cr, PersonRole::kVictim, next_victim_++ + kVictimBase)));
    if (cr.is_solved()) {
      const int suspects = 1 + int(r.chance(0.3)) + int(r.chance(0.1));
      for (int s = 0; s < suspects; ++s) {
        // Repeat offenders: suspects come from a pool smaller than the cases.
        const std::int64_t n = std::int64_t(r.below(std::uint32_t(suspect_pool())));
        PINGAN_ASSIGN_OR_RETURN(PersonId person, add_person(cr, PersonRole::kSuspect, n));
        PINGAN_RETURN_IF_ERROR(add_measures(cr, person, *cr.times.solved_at, r));
      }
    } else if (cr.case_class == CaseClass::kCriminal && r.chance(0.05)) {
      PINGAN_RETURN_IF_ERROR(list_fugitive(cr, r));
    }
    if (c.type_code == "telecom_fraud_case") PINGAN_RETURN_IF_ERROR(add_money(cr, r));
    return {};
  }

  // Listings from before the demo, some caught during it (历年逃犯).
  Status write_old_fugitives() {
    Random r(mix64(options_.seed ^ 0x01dF0617ULL));
    const Timestamp start = end_ - options_.days * kDay;
    for (int i = 0; i < 60; ++i) {
      Fugitive f;
      f.listing_number = fmt::format("T{}{:05}", 2012 + i % 12, i);
      f.listed_at = start - kDay * (30 + std::int64_t(r.below(3650)));
      f.listing_unit = any_station(r);
      if (r.chance(0.6)) {
        f.status = FugitiveStatus::kCaught;
        f.caught_at = start + std::int64_t(r.below(std::uint32_t(options_.days))) * kDay + 36000;
        f.caught_by_unit = any_station(r);
      }
      PINGAN_RETURN_IF_ERROR(save_listing(std::move(f), demo_person(options_.seed, kFugitiveBase + i)));
    }
    return {};
  }

  // The anti-fraud centre's warnings, a few a day, worked by the stations.
  Status write_dissuasions() {
    Random r(mix64(options_.seed ^ 0xd155ULL));
    const Timestamp start = end_ - options_.days * kDay;
    std::int64_t serial = 0;
    for (int day = 0; day < options_.days; ++day) {
      const std::int64_t n = r.poisson(6);
      for (std::int64_t k = 0; k < n; ++k) {
        DissuasionTask t;
        t.warning_number = fmt::format("YJ{:08}", ++serial);
        t.unit_code = any_station(r);
        t.issued_at = start + day * kDay + 8 * 3600 + std::int64_t(r.below(12 * 3600));
        assign_mobile_number(t.target_phone, mix64(options_.seed ^ std::uint64_t(serial) << 8));
        Result<DissuasionTask> task = engine_.cases().open_dissuasion(t, UnitScope::everything(), kActor);
        if (!task.ok() && task.error().code == ErrorCode::kAlreadyExists) {
          ++report_.duplicates;
          continue;
        }
        PINGAN_RETURN_IF_ERROR(status_of(task));
        ++report_.dissuasions;
        PINGAN_RETURN_IF_ERROR(work_dissuasion(task->id, t.issued_at, r));
      }
    }
    return {};
  }

  const DemoCaseReport& report() const { return report_; }

 private:
  static constexpr std::int64_t kVictimBase = 1'000'000;
  static constexpr std::int64_t kFugitiveBase = 2'000'000;

  std::int64_t suspect_pool() const { return std::max<std::int64_t>(200, options_.days * 12); }

  std::string station_of(const std::string& unit) const {
    std::vector<std::string> path = tree_->path(unit);
    return path.size() >= 2 ? path[1] : unit;
  }

  std::string any_station(Random& r) {
    if (stations_.empty())
      for (const Unit& u : tree_->units())
        if (u.kind == UnitKind::kStation) stations_.push_back(u.code);
    return stations_[r.below(std::uint32_t(stations_.size()))];
  }

  // Demo person `n` in the case in `role`; their id.
  Result<PersonId> add_person(const CaseRecord& c, PersonRole role, std::int64_t n) {
    PINGAN_ASSIGN_OR_RETURN(CaseStore::PersonSaved saved,
                            engine_.cases().add_party(c.id, UnitScope::everything(), demo_person(options_.seed, n),
                                                      role, kActor));
    if (saved.created) ++report_.persons;
    return saved.person.id;
  }

  // Caught when the case is solved, then what a suspect of the class meets.
  Status add_measures(const CaseRecord& c, PersonId person, Timestamp caught_at, Random& r) {
    std::vector<std::pair<MeasureKind, Timestamp>> plan{{MeasureKind::kCaught, caught_at}};
    if (c.case_class == CaseClass::kCriminal) {
      if (r.chance(0.85)) {
        plan.emplace_back(MeasureKind::kCriminalDetention, caught_at + 3600);
        plan.emplace_back(MeasureKind::kDealtWith, caught_at + 7200);
        if (r.chance(0.6)) {
          plan.emplace_back(MeasureKind::kArrest, caught_at + 30 * kDay);
          if (r.chance(0.7)) plan.emplace_back(MeasureKind::kTransferForProsecution, caught_at + 70 * kDay);
        }
      } else {
        plan.emplace_back(MeasureKind::kBail, caught_at + 3600);
        plan.emplace_back(MeasureKind::kDealtWith, caught_at + 7200);
      }
    } else if (r.chance(0.7)) {
      plan.emplace_back(MeasureKind::kAdministrativeDetention, caught_at + 3600);
      plan.emplace_back(MeasureKind::kDealtWith, caught_at + 7200);
    }
    for (const auto& [kind, at] : plan) {
      if (at >= end_) break;  // the demo ends before the rest
      Measure m;
      m.case_id = c.id;
      m.person_id = person;
      m.kind = kind;
      m.at = at;
      m.unit_code = c.unit_code;
      m.actor = kActor;
      Result<Measure> stored = engine_.cases().add_measure(m, UnitScope::everything(), /*skip_same=*/true);
      if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) continue;
      // A repeat offender already dealt with in this very case (drawn twice
      // for one case) meets the once-per-case rule: the plan stops there.
      if (!stored.ok() && stored.error().code == ErrorCode::kConflict) break;
      PINGAN_RETURN_IF_ERROR(status_of(stored));
      ++report_.measures;
    }
    return {};
  }

  Status add_money(const CaseRecord& c, Random& r) {
    Fen stopped = 0, frozen = 0;
    auto entry = [&](FraudMoneyKind kind, Fen amount, Timestamp at) -> Status {
      if (amount <= 0 || at >= end_) return {};
      FraudMoneyEntry e;
      e.case_id = c.id;
      e.kind = kind;
      e.amount_fen = amount;
      e.at = at;
      e.unit_code = c.unit_code;
      e.actor = kActor;
      Result<FraudMoneyEntry> stored = engine_.cases().add_money(e, UnitScope::everything(), /*skip_same=*/true);
      if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) return {};
      PINGAN_RETURN_IF_ERROR(status_of(stored));
      ++report_.money_entries;
      if (kind == FraudMoneyKind::kStopped) stopped += amount;
      if (kind == FraudMoneyKind::kFrozen) frozen += amount;
      return {};
    };
    const Fen loss = c.money_involved_fen;
    if (r.chance(0.3)) PINGAN_RETURN_IF_ERROR(entry(FraudMoneyKind::kStopped, Fen(loss * r.uniform(0.1, 0.6)), c.opened_at + 3600));
    if (r.chance(0.4)) PINGAN_RETURN_IF_ERROR(entry(FraudMoneyKind::kFrozen, Fen(loss * r.uniform(0.05, 0.3)), c.opened_at + kDay));
    if (stopped + frozen > 0 && r.chance(0.5))
      PINGAN_RETURN_IF_ERROR(entry(FraudMoneyKind::kReturned, Fen((stopped + frozen) * r.uniform(0.3, 1.0)),
                                   c.opened_at + (30 + std::int64_t(r.below(60))) * kDay));
    return {};
  }

  Status list_fugitive(const CaseRecord& c, Random& r) {
    Fugitive f;
    f.listing_number = "T" + c.case_number;
    f.case_id = c.id;
    f.listed_at = c.opened_at + 10 * kDay;
    if (f.listed_at >= end_) return {};
    f.listing_unit = c.unit_code;
    const Timestamp caught = f.listed_at + std::int64_t(r.exponential(120 * kDay));
    if (r.chance(0.5) && caught < end_) {
      f.status = FugitiveStatus::kCaught;
      f.caught_at = caught;
      f.caught_by_unit = any_station(r);
    }
    const std::int64_t n = std::int64_t(r.below(std::uint32_t(suspect_pool())));
    PINGAN_RETURN_IF_ERROR(status_of(add_person(c, PersonRole::kSuspect, n)));
    return save_listing(std::move(f), demo_person(options_.seed, n));
  }

  Status save_listing(Fugitive f, Person person) {
    Result<Fugitive> stored = engine_.cases().list_fugitive(std::move(f), std::move(person), kActor);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) {
      ++report_.duplicates;
      return {};
    }
    PINGAN_RETURN_IF_ERROR(status_of(stored));
    ++report_.fugitives;
    return {};
  }

  // The task's steps while the demo lasts; a step past its end is not taken.
  Status work_dissuasion(std::int64_t id, Timestamp issued, Random& r) {
    auto step = [&](DissuasionStatus to, Timestamp at, std::string note) -> Status {
      if (at >= end_) return {};
      DissuasionStepRequest req;
      req.to = to;
      req.at = at;
      req.actor = kActor;
      req.note = std::move(note);
      return status_of(engine_.cases().step_dissuasion(id, UnitScope::everything(), req));
    };
    // Now and then the money is gone before anyone calls.
    if (r.chance(0.01)) return step(DissuasionStatus::kDefrauded, issued + 600, "");
    PINGAN_RETURN_IF_ERROR(step(DissuasionStatus::kContacted, issued + 900, ""));
    const double outcome = r.uniform();
    const Timestamp at = issued + 3600;
    if (outcome < 0.88) return step(DissuasionStatus::kDissuaded, at, "");
    if (outcome < 0.97) return step(DissuasionStatus::kNotReached, at, "电话三次未接,已发短信提醒");
    return step(DissuasionStatus::kDefrauded, at, "");
  }

  Engine& engine_;
  const DemoOptions& options_;
  const Timestamp end_;
  std::shared_ptr<const UnitTree> tree_;
  std::vector<std::string> stations_;
  std::int64_t next_victim_ = 0;
  DemoCaseReport report_;
};

}  // namespace

Result<DemoCaseReport> write_demo_cases(Engine& engine, const DemoOptions& options,
                                        const std::function<void(std::int64_t done, std::int64_t total)>& progress) {
  std::vector<IncidentSeen> incidents;
  PINGAN_RETURN_IF_ERROR(engine.scan_incidents([&](const Incident& inc) {
    if (inc.source == "demo" && !inc.merged_into && profile_of(inc.type_code))
      incidents.push_back({inc.id, inc.source_id, inc.type_code, inc.unit_code, inc.reported_at});
  }));
  DemoCaseWriter writer(engine, options);
  PINGAN_RETURN_IF_ERROR(engine.cases().begin_bulk());
  Status run = [&]() -> Status {
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      PINGAN_RETURN_IF_ERROR(writer.write_case(incidents[i], *profile_of(incidents[i].type)));
      if (progress && (i + 1) % 1000 == 0) progress(std::int64_t(i + 1), std::int64_t(incidents.size()));
    }
    PINGAN_RETURN_IF_ERROR(writer.write_old_fugitives());
    return writer.write_dissuasions();
  }();
  Status ended = engine.cases().end_bulk();
  PINGAN_RETURN_IF_ERROR(run);
  PINGAN_RETURN_IF_ERROR(ended);
  if (progress) progress(std::int64_t(incidents.size()), std::int64_t(incidents.size()));
  return writer.report();
}

}  // namespace pingan::ingest
