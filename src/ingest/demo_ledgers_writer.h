#pragma once
// Internal to the demo's ledgers (demo_ledgers.h): the officers who enter
// the items and the calls that create and step them through
// Engine::ledgers(), with the report's bookkeeping, and the closed loops
// shared by several sources (a hazard's 整改-验收-销号, a dispute's
// 指派-调解-化解). The generators of each type use it (demo_ledgers.cpp,
// demo_ledgers_checks.cpp). Not thread-safe: one writer per run.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "ingest/demo_district.h"
#include "ingest/demo_geography.h"
#include "ingest/demo_ledgers.h"
#include "ingest/demo_random.h"

namespace pingan::ingest::demo_ledgers {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kHour = 3600;

// Who takes a step: an id written in the history and the role it holds
// (roles of data/auth/roles.json, as the ledger types' `who` names them).
struct Officer {
  std::string id;
  std::string role;
};

class Writer {
 public:
  Writer(Engine& engine, const DemoOptions& options,
         std::function<void(std::int64_t, std::int64_t)> progress);

  Engine& engine() { return engine_; }
  std::uint64_t seed() const { return options_.seed; }
  const DemoCampaign& campaign() const { return campaign_; }
  const DemoGeography& geography() const { return geography_; }
  // A stream of its own for item `n` of `type`.
  Random stream(std::string_view type, std::int64_t n) const;
  // A community index by residents (more in the town centre).
  int pick_community(Random& r) const;
  // The instant `hour` (local, may exceed 24) of campaign day `day`.
  Timestamp at_day(int day, double hour) const;
  // "2026-10-03", the local date of `at`.
  static std::string local_date(Timestamp at);

  // ---- officers: each unit's own ----
  // A 社区民警 of the community (two per community); a community's station
  // for any other unit code.
  Officer community_officer(const std::string& community, Random& r) const;
  Officer station_officer(const std::string& unit, Random& r) const;  // 民警/内勤 of its station
  Officer station_leader(const std::string& unit) const;              // 所长 (leader)
  Officer command_officer() const;                                    // 指挥中心 (command)
  Officer bureau_leader(Random& r) const;                             // 分局领导 (leader)
  std::string station_of(const std::string& unit) const;
  std::string bureau() const;
  std::vector<std::string> communities_of(const std::string& station) const;

  // ---- items ----
  // Creates item `n` of `type`; nullopt when an earlier run did (counted as
  // a duplicate: the caller skips its steps).
  Result<std::optional<LedgerItem>> create(const std::string& type, std::int64_t n, const std::string& unit,
                                           const Officer& by, Timestamp at, LedgerFields fields,
                                           const std::string& officer_id = "");
  struct Step {
    Step(std::string step_code, LedgerFields step_fields = {}, std::string step_note = "",
         std::string assign_unit = "", std::string assign_officer = "")
        : code(std::move(step_code)),
          fields(std::move(step_fields)),
          note(std::move(step_note)),
          unit_code(std::move(assign_unit)),
          officer_id(std::move(assign_officer)) {}
    std::string code;
    LedgerFields fields;
    std::string note;
    std::string unit_code, officer_id;  // a step that assigns
  };
  // Takes the step at `at`, or nothing (false) when `at` is not before the
  // demo's end. An item a step opens is counted as its type's.
  Result<bool> step(LedgerItem& item, const Officer& by, Timestamp at, Step step,
                    std::optional<LedgerItem>* opened = nullptr);
  // Done with an item: counts the state it ended in and moves the progress.
  void done(const LedgerItem& item, bool planned = true);
  void expect(std::int64_t planned_items) { total_ += planned_items; }

  // ---- shared loops ----
  // A hazard from found to 销号: ordered by a station officer with a
  // deadline, rectified by the community officer, now and then sent back,
  // verified by a station officer and closed by the station's leader; a
  // few are left in 整改 (overdue once 15 days pass) or awaiting 验收.
  Status work_hazard(LedgerItem hazard, Random& r, bool planned);
  // A dispute from found to 化解 (or 移交): assigned, mediated, resolved.
  // Both end with done(item, planned): `planned` for an item of the plan,
  // not for one a step or a sweep opened.
  Status work_dispute(LedgerItem dispute, Random& r, bool planned);

  DemoLedgerReport& report() { return report_; }

 private:
  Engine& engine_;
  const DemoOptions& options_;
  DemoCampaign campaign_;
  DemoGeography geography_;
  std::vector<double> community_weights_;  // cumulative
  std::function<void(std::int64_t, std::int64_t)> progress_;
  std::int64_t total_ = 0, done_ = 0;
  DemoLedgerReport report_;
};

// The generators, each writing `count` items of its type (n = 0..count-1).
// demo_ledgers.cpp:
Status write_disputes(Writer& w, std::int64_t count);
Status write_reported_hazards(Writer& w, std::int64_t count);
Status write_sweeps(Writer& w, std::int64_t count);
Status write_publicity(Writer& w, std::int64_t count);
// demo_ledgers_checks.cpp, of the registry's records:
Status write_inspections(Writer& w, std::int64_t count);
Status write_rental_checks(Writer& w, std::int64_t count);
Status write_floating_checks(Writer& w, std::int64_t count);
Status write_home_visits(Writer& w, std::int64_t count);

// FNV-1a of the text: the same on every platform (std::hash need not be).
std::uint64_t text_hash(std::string_view s);

// Field helpers.
inline LedgerValue text(std::string s) { return LedgerValue(std::move(s)); }
inline LedgerValue number(std::int64_t n) { return LedgerValue(n); }

}  // namespace pingan::ingest::demo_ledgers
