// The ledger figures (issue 21; docs/ledgers.md "Figures"):
//   GET /api/ledger-figures?type=&name=&unit=&from=&to=&rank=
//   GET /api/ledger-figures/catalogue
// A figure of the ledger index by name for one ledger type, a unit subtree
// and a period, with its 同比 and 环比 and, when asked, the ranking of the
// unit's children. Parameters are named as GET /api/case-figures names them.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "ledger/ledger_attach.h"
#include "ledger/ledger_figures.h"

namespace pingan {

Result<std::shared_ptr<ledger::LedgerIndex>> ApiContext::ledger_index() const {
  std::lock_guard lock(ledger_index_mutex);
  if (ledger_index_) return ledger_index_;
  PINGAN_ASSIGN_OR_RETURN(ledger_index_, ledger::attach_ledger_index(engine));
  spdlog::info("ledger index ready: {} items", ledger_index_->items());
  return ledger_index_;
}

namespace {

nlohmann::json value_json(const ledger::LedgerFigureValue& v) {
  nlohmann::json out = {{"value", v.value}};
  if (v.rate)
    out["rate"] = {{"numerator", v.rate->numerator},
                   {"denominator", v.rate->denominator},
                   {"percent", v.rate->percent.empty() ? nlohmann::json() : nlohmann::json(v.rate->percent)}};
  return out;
}

nlohmann::json comparison_json(const ledger::LedgerComparison& c, const TimeZone& zone) {
  nlohmann::json out = value_json(c.value);
  out["from"] = format_local(c.from, zone);
  out["to"] = format_local(c.to, zone);
  out["change"] = c.change;
  out["change_pct"] = c.change_pct ? nlohmann::json(*c.change_pct) : nlohmann::json();
  if (c.value.rate) out["change_points"] = c.change_points ? nlohmann::json(*c.change_points) : nlohmann::json();
  return out;
}

Result<Reply> ledger_figure(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {"type", "name", "unit", "from", "to", "rank"}));
  const TimeZone& zone = ctx.engine.time_zone();
  ledger::LedgerFigureQuery q;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> type, single_param(r.http, "type"));
  if (!type) return Error::invalid("type", "is required: a ledger type of GET /api/ledger-types");
  q.type = *type;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> name, single_param(r.http, "name"));
  if (!name) return Error::invalid("name", "is required: a figure of GET /api/ledger-figures/catalogue");
  q.name = *name;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  q.unit = unit.value_or("");
  // As the case figures: no unit means the caller's own, another unit's is
  // refused (a zero for a unit one may not see would read as a fact).
  if (!r.scope.all) {
    if (q.unit.empty() && r.scope.root_codes.size() == 1) q.unit = r.scope.root_codes.front();
    auto tree = ctx.engine.units();
    if (q.unit.empty() || !tree->find(q.unit) || !scope_holds(r.scope, q.unit, *tree))
      return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", q.unit));
  }
  PINGAN_ASSIGN_OR_RETURN(Period period, read_period(r.http, zone, 28));
  q.from = period.from;
  q.to = period.until;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> rank, single_param(r.http, "rank"));
  if (rank && *rank != "true" && *rank != "false") return Error::invalid("rank", "must be true or false");
  q.rank_units = rank && *rank == "true";
  q.now = now_utc();
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<ledger::LedgerIndex> index, ctx.ledger_index());
  PINGAN_ASSIGN_OR_RETURN(ledger::LedgerFigureAnswer a, ledger::query_ledger_figure(*index, q));
  nlohmann::json units = nlohmann::json::array();
  for (const ledger::LedgerUnitLine& u : a.units) {
    nlohmann::json line = value_json(u.value);
    line["unit"] = u.code;
    line["name"] = u.name;
    line["rank"] = u.rank;
    units.push_back(std::move(line));
  }
  nlohmann::json out = value_json(a.value);
  out["type"] = a.type;
  out["name"] = a.name;
  out["title_zh"] = a.title_zh;
  out["measure_word"] = a.measure_word;
  out["unit"] = q.unit;
  out["from"] = format_local(a.from, zone);
  out["to"] = format_local(a.to, zone);
  out["year_on_year"] = comparison_json(a.year_on_year, zone);
  out["previous_period"] = comparison_json(a.previous, zone);
  out["units"] = std::move(units);
  return Reply{200, std::move(out), {}};
}

Result<Reply> figure_catalogue(const ApiContext&, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  nlohmann::json items = nlohmann::json::array();
  for (const ledger::LedgerFigureInfo& f : ledger::ledger_figures())
    items.push_back(
        {{"name", f.name}, {"title_zh", f.title_zh}, {"measure_word", f.measure_word}, {"definition", f.definition}});
  return Reply{200, {{"items", std::move(items)}}, {}};
}

}  // namespace

std::vector<Route> ledger_figure_routes(const ApiContext& ctx) {
  return {
      {"GET", "/api/ledger-figures", "ledgers.read", [&ctx](const RouteRequest& r) { return ledger_figure(ctx, r); }},
      {"GET", "/api/ledger-figures/catalogue", "ledgers.read",
       [&ctx](const RouteRequest& r) { return figure_catalogue(ctx, r); }},
  };
}

}  // namespace pingan
