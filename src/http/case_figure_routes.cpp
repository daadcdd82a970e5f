// The case figures (issue 20; docs/cases.md "Figures"):
//   GET /api/case-figures?name=&unit=&from=&to=&class=&type=&group=&method=&rank=&by_method=
//   GET /api/case-figures/catalogue
// A figure of the case index by name for a unit subtree and period, with
// its 同比 and 环比 and, when asked, the ranking of the unit's children.

#include <fmt/format.h>

#include "case/case_attach.h"
#include "case/case_figures.h"
#include "core/scope_match.h"
#include "core/text.h"
#include "http/api_routes.h"
#include "http/query_params.h"

namespace pingan {
namespace {

nlohmann::json comparison_json(const cases::FigureComparison& c, const TimeZone& zone) {
  return {{"from", format_local(c.from, zone)},
          {"to", format_local(c.to, zone)},
          {"value", c.value},
          {"change", c.change},
          {"change_pct", c.change_pct ? nlohmann::json(*c.change_pct) : nlohmann::json()}};
}

std::vector<std::string> list_param(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  for (std::string_view part : split(*text, ','))
    if (!trim(part).empty()) out.emplace_back(trim(part));
  return out;
}

Result<Reply> case_figure(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(
      refuse_unknown_params(r.http, {"name", "unit", "from", "to", "class", "type", "group", "method", "rank",
                                     "by_method"}));
  const TimeZone& zone = ctx.engine.time_zone();
  cases::FigureQuery q;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> name, single_param(r.http, "name"));
  if (!name) return Error::invalid("name", "is required: a figure of GET /api/case-figures/catalogue");
  q.name = *name;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  q.unit = unit.value_or("");
  // A caller sees the figures of their own subtree: no unit means theirs,
  // another unit's is refused (a figure of a unit is not a list that can
  // come back empty: its zero would read as a fact).
  if (!r.scope.all) {
    if (q.unit.empty() && r.scope.root_codes.size() == 1) q.unit = r.scope.root_codes.front();
    auto tree = ctx.engine.units();
    if (q.unit.empty() || !tree->find(q.unit) || !scope_holds(r.scope, q.unit, *tree))
      return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", q.unit));
  }
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(r.http, zone, 28));
  q.from = period.from;
  q.to = period.until;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> case_class, single_param(r.http, "class"));
  if (case_class) {
    PINGAN_ASSIGN_OR_RETURN(q.case_class, parse_case_class(*case_class, "class"));
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> types, single_param(r.http, "type"));
  q.types = list_param(types);
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> groups, single_param(r.http, "group"));
  q.groups = list_param(groups);
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> rank, single_param(r.http, "rank"));
  if (rank && *rank != "true" && *rank != "false") return Error::invalid("rank", "must be true or false");
  q.rank_units = rank && *rank == "true";
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> methods, single_param(r.http, "method"));
  q.fraud_methods = list_param(methods);
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> by_method, single_param(r.http, "by_method"));
  if (by_method && *by_method != "true" && *by_method != "false")
    return Error::invalid("by_method", "must be true or false");
  q.by_method = by_method && *by_method == "true";
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<cases::CaseIndex> index, ctx.case_index());
  PINGAN_ASSIGN_OR_RETURN(cases::FigureAnswer a, cases::query_figure(*index, q));
  nlohmann::json units = nlohmann::json::array();
  for (const cases::FigureUnitLine& u : a.units)
    units.push_back({{"unit", u.code}, {"name", u.name}, {"value", u.value}, {"rank", u.rank}});
  nlohmann::json methods_out = nlohmann::json::array();
  for (const cases::FigureMethodLine& m : a.methods)
    methods_out.push_back({{"method", m.code.empty() ? nlohmann::json() : nlohmann::json(m.code)},
                           {"name_zh", m.code.empty() ? nlohmann::json() : nlohmann::json(m.name_zh)},
                           {"value", m.value}});
  return Reply{200,
               {{"name", a.figure->name},
                {"title_zh", a.figure->title_zh},
                {"measure_word", a.figure->measure_word},
                {"unit", q.unit},
                {"from", format_local(a.from, zone)},
                {"to", format_local(a.to, zone)},
                {"value", a.value},
                {"year_on_year", comparison_json(a.year_on_year, zone)},
                {"previous_period", comparison_json(a.previous, zone)},
                {"units", std::move(units)},
                {"methods", std::move(methods_out)}},
               {}};
}

Result<Reply> figure_catalogue(const ApiContext&, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  nlohmann::json items = nlohmann::json::array();
  for (const cases::FigureInfo& f : cases::case_figures())
    items.push_back({{"name", f.name},
                     {"title_zh", f.title_zh},
                     {"measure_word", f.measure_word},
                     {"case_filters", f.case_filters},
                     {"definition", f.definition}});
  return Reply{200, {{"items", std::move(items)}}, {}};
}

}  // namespace

std::vector<Route> case_figure_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/case-figures", "stats.read", [&ctx](const RouteRequest& r) { return case_figure(ctx, r); }},
      {"GET", "/api/case-figures/catalogue", "stats.read",
       [&ctx](const RouteRequest& r) { return figure_catalogue(ctx, r); }},
  };
}

}  // namespace pingan
