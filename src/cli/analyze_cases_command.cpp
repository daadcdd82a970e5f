// pingan analyze cases: the case figures by name (case/case_figures.h), the
// same answers as GET /api/case-figures, as text or JSON. E.g. the seed's
// "破获刑事案件 363 起" for a campaign's summer:
//   pingan analyze cases --db demo.db --figure cases_solved --class criminal
//       --from 2026-06-01 --to 2026-09-01 --rank
// `--list` prints the catalogue with each figure's definition.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "case/case_attach.h"
#include "case/case_figures.h"
#include "cli/commands.h"
#include "core/text.h"

namespace pingan::cli {
namespace {

struct CaseFigureOptions {
  DatabaseOptions db;
  std::string figure, from, to, unit, case_class;
  std::vector<std::string> types, groups, methods;
  bool rank = false, by_method = false, list = false, json = false;
};

std::vector<std::string> split_all(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values)
    for (std::string_view part : split(v, ','))
      if (auto t = trim(part); !t.empty()) out.emplace_back(t);
  return out;
}

std::string change_text(const cases::FigureComparison& c) {
  return c.change_pct ? fmt::format("{} ({:+}, {:+.2f}%)", c.value, c.change, *c.change_pct)
                      : fmt::format("{} ({:+})", c.value, c.change);
}

void print_catalogue() {
  for (const cases::FigureInfo& f : cases::case_figures())
    fmt::print("{}  {} ({})\n    {}\n", f.name, f.title_zh, f.measure_word, f.definition);
}

void run_case_figure(const CaseFigureOptions& o) {
  if (o.list) return print_catalogue();
  if (o.figure.empty()) return report_error(Error::invalid("figure", "is required (see --list)"));
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  const TimeZone& zone = engine->time_zone();
  cases::FigureQuery q;
  q.name = o.figure;
  q.unit = o.unit;
  for (const auto& [text, field, out] : {std::tuple{&o.from, "from", &q.from}, std::tuple{&o.to, "to", &q.to}}) {
    auto t = parse_iso8601(*text, &zone);
    if (!t.ok()) return report_error(Error::invalid(field, t.error().message));
    *out = *t;
  }
  if (!o.case_class.empty()) {
    auto c = parse_case_class(o.case_class, "class");
    if (!c.ok()) return report_error(c.error());
    q.case_class = *c;
  }
  q.types = split_all(o.types);
  q.groups = split_all(o.groups);
  q.rank_units = o.rank;
  q.fraud_methods = split_all(o.methods);
  q.by_method = o.by_method;
  auto index = cases::attach_case_index(*engine);
  if (!index.ok()) return report_error(index.error());
  auto a = cases::query_figure(**index, q);
  if (!a.ok()) return report_error(a.error());
  if (o.json) {
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : a->units) units.push_back({{"unit", u.code}, {"name", u.name}, {"value", u.value}, {"rank", u.rank}});
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& m : a->methods) methods.push_back({{"method", m.code}, {"name_zh", m.name_zh}, {"value", m.value}});
    nlohmann::json out = {{"name", a->figure->name},      {"title_zh", a->figure->title_zh},
                          {"value", a->value},            {"year_on_year", a->year_on_year.value},
                          {"previous_period", a->previous.value}, {"units", units}, {"methods", methods}};
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("{} {}: {} {} ({} — {}, {})\n", a->figure->name, a->figure->title_zh, a->value, a->figure->measure_word,
             format_local(a->from, zone), format_local(a->to, zone), q.unit.empty() ? "全部单位 all units" : q.unit);
  fmt::print("  同比 year on year: {}\n  环比 previous period: {}\n", change_text(a->year_on_year),
             change_text(a->previous));
  for (const auto& u : a->units) fmt::print("  {:>3}. {} {}: {}\n", u.rank, u.code, u.name, u.value);
  for (const auto& m : a->methods)
    fmt::print("  {} {}: {}\n", m.code.empty() ? "-" : m.code, m.code.empty() ? "未注明手法 no method" : m.name_zh,
               m.value);
}

}  // namespace

void add_analyze_cases_command(CLI::App& app) {
  auto o = std::make_shared<CaseFigureOptions>();
  CLI::App* cmd = analyze_command(app)->add_subcommand(
      "cases", "case figures by name (破案, 抓获, 刑拘, 逃犯, 止付 ...) with 同比/环比 and unit ranks (docs/cases.md)");
  add_database_options(*cmd, o->db);
  cmd->add_option("--figure", o->figure, "the figure's name (see --list)");
  cmd->add_option("--from", o->from, "start of the period (a local date or ISO 8601 time)");
  cmd->add_option("--to", o->to, "end of the period, exclusive");
  cmd->add_option("--unit", o->unit, "unit code: the figure of its subtree");
  cmd->add_option("--class", o->case_class, "criminal | administrative");
  cmd->add_option("--type", o->types, "case type codes (comma separated)");
  cmd->add_option("--group", o->groups, "case groups, e.g. property (侵财), lqld (两抢两盗)");
  cmd->add_option("--method", o->methods, "fraud methods, e.g. brushing_rebate (刷单返利); data/cases/fraud_methods.csv");
  cmd->add_flag("--rank", o->rank, "rank the unit's child units");
  cmd->add_flag("--by-method", o->by_method, "split the figure by fraud method");
  cmd->add_flag("--list", o->list, "print every figure with its definition");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([o] { run_case_figure(*o); });
}

}  // namespace pingan::cli
