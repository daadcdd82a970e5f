// pingan analyze ledgers: the ledger figures by name (ledger/ledger_figures.h),
// the same answers as GET /api/ledger-figures, as text or JSON. E.g. June's
// 化解率 of the dispute ledger, by station:
//   pingan analyze ledgers --db demo.db --type dispute --figure rate
//       --from 2026-06-01 --to 2026-07-01 --rank
// `--list` prints the catalogue with each figure's definition.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "ledger/ledger_attach.h"
#include "ledger/ledger_figures.h"

namespace pingan::cli {
namespace {

struct LedgerFigureOptions {
  DatabaseOptions db;
  std::string type, figure, from, to, unit;
  bool rank = false, list = false, json = false;
};

std::string value_text(const ledger::LedgerFigureValue& v) {
  if (!v.rate) return fmt::format("{}", v.value);
  return fmt::format("{}% ({}/{})", v.rate->percent.empty() ? "-" : v.rate->percent, v.rate->numerator,
                     v.rate->denominator);
}

std::string change_text(const ledger::LedgerComparison& c) {
  std::string out = fmt::format("{} ({:+}", value_text(c.value), c.change);
  if (c.change_pct) out += fmt::format(", {:+.2f}%", *c.change_pct);
  if (c.change_points) out += fmt::format(", {:+.2f} 个百分点", *c.change_points);
  return out + ")";
}

void run_ledger_figure(const LedgerFigureOptions& o) {
  if (o.list) {
    for (const ledger::LedgerFigureInfo& f : ledger::ledger_figures())
      fmt::print("{}  {} ({})\n    {}\n", f.name, f.title_zh, f.measure_word, f.definition);
    return;
  }
  if (o.type.empty()) return report_error(Error::invalid("type", "is required (dispute, hazard, sweep ...)"));
  if (o.figure.empty()) return report_error(Error::invalid("figure", "is required (see --list)"));
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  const TimeZone& zone = engine->time_zone();
  ledger::LedgerFigureQuery q;
  q.type = o.type;
  q.name = o.figure;
  q.unit = o.unit;
  for (const auto& [text, field, out] : {std::tuple{&o.from, "from", &q.from}, std::tuple{&o.to, "to", &q.to}}) {
    auto t = parse_iso8601(*text, &zone);
    if (!t.ok()) return report_error(Error::invalid(field, t.error().message));
    *out = *t;
  }
  q.rank_units = o.rank;
  q.now = now_utc();
  auto index = ledger::attach_ledger_index(*engine);
  if (!index.ok()) return report_error(index.error());
  auto a = ledger::query_ledger_figure(**index, q);
  if (!a.ok()) return report_error(a.error());
  if (o.json) {
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : a->units)
      units.push_back({{"unit", u.code}, {"name", u.name}, {"value", u.value.value}, {"rank", u.rank}});
    nlohmann::json out = {{"type", a->type},
                          {"name", a->name},
                          {"title_zh", a->title_zh},
                          {"value", a->value.value},
                          {"year_on_year", a->year_on_year.value.value},
                          {"previous_period", a->previous.value.value},
                          {"units", units}};
    if (a->value.rate) out["percent"] = a->value.rate->percent;
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("{} {} {}: {} {} ({} — {}, {})\n", a->type, a->name, a->title_zh, value_text(a->value), a->value.rate ? "" : a->measure_word,
             format_local(a->from, zone), format_local(a->to, zone), q.unit.empty() ? "全部单位 all units" : q.unit);
  fmt::print("  同比 year on year: {}\n  环比 previous period: {}\n", change_text(a->year_on_year),
             change_text(a->previous));
  for (const auto& u : a->units) fmt::print("  {:>3}. {} {}: {}\n", u.rank, u.code, u.name, value_text(u.value));
}

}  // namespace

void add_analyze_ledgers_command(CLI::App& app) {
  auto o = std::make_shared<LedgerFigureOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "ledgers", "ledger figures by name (发现, 化解, 化解率, 超期, 家次, 合计) with 同比/环比 and unit ranks (docs/ledgers.md)");
  add_database_options(*cmd, o->db);
  cmd->add_option("--type", o->type, "the ledger type's code (dispute, hazard, sweep ...)");
  cmd->add_option("--figure", o->figure, "the figure's name (see --list); tally.<field> for a sum");
  cmd->add_option("--from", o->from, "start of the period (a local date or ISO 8601 time)");
  cmd->add_option("--to", o->to, "end of the period, exclusive");
  cmd->add_option("--unit", o->unit, "unit code: the figure of its subtree");
  cmd->add_flag("--rank", o->rank, "rank the unit's child units");
  cmd->add_flag("--list", o->list, "print every figure with its definition");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([o] { run_ledger_figure(*o); });
}

}  // namespace pingan::cli
