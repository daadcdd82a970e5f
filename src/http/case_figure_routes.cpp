// The case figures (issue 20; docs/cases.md "Figures"):
//   GET /api/case-figures?name=&unit=&from=&to=&class=&type=&group=&method=&rank=&by_method=
//   GET /api/case-figures/catalogue
//   GET /api/case-figures/records?name=&unit=&from=&to=&class=&type=&group=&method=&limit=&offset=
// A figure of the case index by name for a unit subtree and period, with
// its 同比 and 环比 and, when asked, the ranking of the unit's children; and
// the records behind it (case/figure_records.h), the list a bulletin's case
// figure links to (issue 22).

#include <fmt/format.h>

#include <algorithm>

#include "case/case_attach.h"
#include "case/case_figures.h"
#include "case/figure_records.h"
#include "core/case_lifecycle.h"
#include "core/scope_match.h"
#include "core/text.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/case_json.h"

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

// The query both routes take: name, unit (scoped to the caller's subtree),
// period, class, type, group, method.
Result<cases::FigureQuery> read_figure_query(const ApiContext& ctx, const RouteRequest& r) {
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
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> methods, single_param(r.http, "method"));
  q.fraud_methods = list_param(methods);
  return q;
}

Result<Reply> case_figure(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(
      refuse_unknown_params(r.http, {"name", "unit", "from", "to", "class", "type", "group", "method", "rank",
                                     "by_method"}));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(cases::FigureQuery q, read_figure_query(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> rank, single_param(r.http, "rank"));
  if (rank && *rank != "true" && *rank != "false") return Error::invalid("rank", "must be true or false");
  q.rank_units = rank && *rank == "true";
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

// One listed row with what a reader needs to find the record: the case's
// number, type and status (when the caller's scope holds the case), the
// person masked as the case routes mask it, the listing or warning number.
Result<nlohmann::json> record_row_json(const ApiContext& ctx, const RouteRequest& r, const UnitTree& tree,
                                       const cases::FigureRecordRow& row) {
  const TimeZone& zone = ctx.engine.time_zone();
  const Unit* unit = row.unit.empty() ? nullptr : tree.find(row.unit);
  nlohmann::json out = {{"kind", cases::event_kind_name(row.kind)},
                        {"record", cases::record_source_name(row.source)},
                        {"record_id", row.record_id},
                        {"at", format_local(row.at, zone)},
                        {"unit", row.unit.empty() ? nlohmann::json() : nlohmann::json(row.unit)},
                        {"unit_name", unit ? nlohmann::json(unit->name) : nlohmann::json()},
                        {"case_id", nullptr},
                        {"case_number", nullptr},
                        {"type", nullptr},
                        {"type_zh", nullptr},
                        {"case_class", nullptr},
                        {"status", nullptr}};
  if (row.amount_fen) out["amount_fen"] = *row.amount_fen;
  std::optional<CaseId> case_id;
  std::optional<PersonId> person_id = row.person_id;
  switch (row.source) {
    case cases::RecordSource::kCase:
      case_id = row.record_id;
      break;
    case cases::RecordSource::kFugitive: {
      PINGAN_ASSIGN_OR_RETURN(Fugitive f, ctx.engine.cases().get_fugitive(row.record_id));
      out["listing_number"] = f.listing_number;
      case_id = f.case_id;
      person_id = f.person_id;
      break;
    }
    case cases::RecordSource::kDissuasionTask: {
      PINGAN_ASSIGN_OR_RETURN(DissuasionTask t, ctx.engine.cases().get_dissuasion(row.record_id, r.scope));
      out["warning_number"] = t.warning_number;
      case_id = t.case_id;
      person_id = t.person_id;
      break;
    }
  }
  if (case_id) {
    out["case_id"] = *case_id;
    // A row credited to the caller's unit may hang on a case of another
    // unit (a measure taken for a neighbour): its details stay hidden.
    Result<CaseRecord> c = ctx.engine.cases().get_case(*case_id, r.scope);
    if (c.ok()) {
      const CaseType* type = ctx.engine.cases().rules().types.find_type(c->type_code);
      out["case_number"] = c->case_number;
      out["type"] = c->type_code;
      out["type_zh"] = type ? nlohmann::json(type->name_zh) : nlohmann::json();
      out["case_class"] = case_class_name(c->case_class);
      out["status"] = case_status_name(c->status);
    } else if (c.error().code != ErrorCode::kNotFound && c.error().code != ErrorCode::kPermissionDenied) {
      return c.error();
    }
  }
  if (person_id) {
    Result<Person> person = ctx.engine.cases().get_person(*person_id);
    if (person.ok()) {
      out["person"] = person_masked_json(*person);
    } else if (person.error().code != ErrorCode::kNotFound) {
      return person.error();
    }
  }
  return out;
}

Result<Reply> figure_records(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(
      r.http, {"name", "unit", "from", "to", "class", "type", "group", "method", "limit", "offset"}));
  const TimeZone& zone = ctx.engine.time_zone();
  PINGAN_ASSIGN_OR_RETURN(cases::FigureQuery q, read_figure_query(ctx, r));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > 500)) return Error::invalid("limit", "must be from 1 to 500");
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> offset, int_param(r.http, "offset"));
  if (offset && *offset < 0) return Error::invalid("offset", "must not be negative");
  PINGAN_ASSIGN_OR_RETURN(std::shared_ptr<cases::CaseIndex> index, ctx.case_index());
  PINGAN_ASSIGN_OR_RETURN(cases::FigureRecords found, cases::list_figure_records(*index, q));
  const auto tree = ctx.engine.units();
  const std::size_t first = std::min(found.rows.size(), static_cast<std::size_t>(offset.value_or(0)));
  const std::size_t last = std::min(found.rows.size(), first + static_cast<std::size_t>(limit.value_or(50)));
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i = first; i < last; ++i) {
    PINGAN_ASSIGN_OR_RETURN(nlohmann::json row, record_row_json(ctx, r, *tree, found.rows[i]));
    records.push_back(std::move(row));
  }
  const Unit* unit = q.unit.empty() ? nullptr : tree->find(q.unit);
  return Reply{200,
               {{"figure",
                 {{"name", found.figure->name},
                  {"title_zh", found.figure->title_zh},
                  {"measure_word", found.figure->measure_word},
                  {"value", found.value},
                  {"unit", q.unit},
                  {"unit_name", unit ? nlohmann::json(unit->name) : nlohmann::json()},
                  {"class", q.case_class ? nlohmann::json(case_class_name(*q.case_class)) : nlohmann::json()},
                  {"from", format_local(q.from, zone)},
                  {"to", format_local(q.to, zone)}}},
                {"total", static_cast<std::int64_t>(found.rows.size())},
                {"limit", limit.value_or(50)},
                {"offset", static_cast<std::int64_t>(first)},
                {"records", std::move(records)}},
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
      // Lists cases, their persons (masked) and money: the records, not a
      // count, so cases.read (an admin reads statistics, not cases).
      {"GET", "/api/case-figures/records", "cases.read",
       [&ctx](const RouteRequest& r) { return figure_records(ctx, r); }},
  };
}

}  // namespace pingan
