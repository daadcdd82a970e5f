#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/demo_users.h"
#include "dispatch/patrol_records.h"
#include "ingest/demo_cases.h"
#include "ingest/demo_district.h"
#include "ingest/demo_ledgers.h"
#include "ingest/demo_posts.h"
#include "ingest/demo_registry.h"

namespace pingan::cli {
namespace {

struct DemoCommandOptions {
  DatabaseOptions db;
  ingest::DemoOptions demo;
};

void run_demo(const DemoCommandOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  ProgressLine progress("示范辖区 demo district:");
  auto report = ingest::write_demo_district(*engine, o.demo, [&](std::int64_t done, std::int64_t expected) {
    progress.update(done, expected, "incidents");
  });
  progress.finish();
  if (!report.ok()) return report_error(report.error());
  fmt::print("demo district written to {}: {} units, {} patrol units, {} incidents ({} days from {:04}-{:02}-{:02}, seed {})\n",
             o.db.db, report->units, report->patrol_units, report->incidents, o.demo.days, o.demo.first_day.year,
             o.demo.first_day.month, o.demo.first_day.day, o.demo.seed);
  // Posts (执勤点位) after the units they belong to.
  const auto posts = ingest::demo_posts(o.demo);
  if (Status st = dispatch::save_posts(*engine, posts); !st.ok()) return report_error(st.error());
  fmt::print("{} posts (night and school) written\n", posts.size());
  // The base registry in the units (issue 21): places, enterprises, rental
  // houses and their tenants, residents, cameras.
  auto registry = ingest::write_demo_registry(*engine, o.demo);
  if (!registry.ok()) return report_error(registry.error());
  fmt::print("registry: {} places, {} enterprises, {} rental houses ({} tenancies), {} residents, {} cameras written "
             "({} present already)\n",
             registry->places, registry->enterprises, registry->rental_houses, registry->tenancies,
             registry->residents, registry->cameras, registry->unchanged);
  // The campaign's ledgers (台账, issue 21), checking the registry's records.
  ProgressLine ledger_progress("台账 ledgers:");
  auto ledgers = ingest::write_demo_ledgers(*engine, o.demo, [&](std::int64_t done, std::int64_t total) {
    ledger_progress.update(done, total, "items");
  });
  ledger_progress.finish();
  if (!ledgers.ok()) return report_error(ledgers.error());
  fmt::print("ledgers of the {}-day campaign: {} items written ({} present already)\n",
             ingest::demo_campaign(o.demo).days, ledgers->items(), ledgers->duplicates);
  for (const std::string& line : ingest::describe_demo_ledgers(*ledgers, engine->ledgers()))
    fmt::print("  {}\n", line);
  // Cases from the incidents just written (issue 20).
  ProgressLine case_progress("案件 cases:");
  auto cases = ingest::write_demo_cases(*engine, o.demo, [&](std::int64_t done, std::int64_t total) {
    case_progress.update(done, total, "incidents looked at");
  });
  case_progress.finish();
  if (!cases.ok()) return report_error(cases.error());
  fmt::print("{} cases, {} persons, {} measures, {} fraud money entries, {} fugitive listings, {} dissuasion tasks "
             "written ({} present already)\n",
             cases->cases, cases->persons, cases->measures, cases->money_entries, cases->fugitives,
             cases->dissuasions, cases->duplicates);
  // Someone to sign in as (issue 17): a user of every role in the district.
  write_demo_users(*engine, o.db.data_dir, ingest::demo_units(o.demo));
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoCommandOptions>();
  CLI::App* cmd = app.add_subcommand("demo", "write the generated demo district (units, two years of incidents, a user of every role)");
  add_database_options(*cmd, options->db);
  cmd->add_option("--seed", options->demo.seed, "random seed (same seed, same district)")->capture_default_str();
  cmd->add_option("--days", options->demo.days, "number of days of incidents")->capture_default_str()->check(CLI::Range(1, 3660));
  cmd->add_option("--per-day", options->demo.incidents_per_day, "mean incidents per day")->capture_default_str();
  cmd->callback([options] { run_demo(*options); });
}

}  // namespace pingan::cli
