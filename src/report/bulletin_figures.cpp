#include "report/bulletin_figures.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <utility>

#include "analytics/aggregate.h"
#include "case/case_figures.h"
#include "ledger/ledger_figures.h"

namespace pingan::report {
namespace {

using Kind = BulletinFigureValue::Kind;

enum class Source : std::uint8_t { kIncidents, kCases, kLedgers };

// One named figure: where it comes from and how it reads. The names,
// measures and labels are those of data/bulletins/figures.txt;
// docs/bulletins.md ("Figures") documents what each row counts. Keep the
// three together.
struct FigureRow {
  std::string_view name;
  Source source;
  // kIncidents: the incident class code ("" for every class); kCases: the
  // case figure (case/case_figures.h); kLedgers: the ledger figure
  // (ledger/ledger_figures.h).
  std::string_view query;
  std::string_view ledger_type;  // kLedgers only
  bool criminal_only;            // kCases: only cases of the criminal class (刑事)
  Kind kind;
  std::string_view measure;
  std::string_view label;
  std::string_view link_state;  // kLedgers: the list's state filter, if any
};

constexpr FigureRow kTable[] = {
    {"incidents.total", Source::kIncidents, "", "", false, Kind::kCount, "起", "接报警情", ""},
    {"incidents.criminal", Source::kIncidents, "criminal", "", false, Kind::kCount, "起",
     "刑事警情", ""},
    {"incidents.public_order", Source::kIncidents, "public_order", "", false, Kind::kCount, "起",
     "治安警情", ""},
    {"incidents.traffic", Source::kIncidents, "traffic", "", false, Kind::kCount, "起", "交通警情",
     ""},
    {"cases.opened", Source::kCases, "cases_opened", "", true, Kind::kCount, "起", "立刑事案件",
     ""},
    {"cases.solved", Source::kCases, "cases_solved", "", true, Kind::kCount, "起", "破获刑事案件",
     ""},
    {"suspects.caught", Source::kCases, "suspects_caught", "", true, Kind::kCount, "人",
     "抓获刑事犯罪嫌疑人", ""},
    {"suspects.detained", Source::kCases, "measure.criminal_detention", "", false, Kind::kCount,
     "人", "刑事拘留", ""},
    {"fugitives.caught", Source::kCases, "fugitives_caught", "", false, Kind::kCount, "名",
     "抓获网上逃犯", ""},
    {"money.stopped", Source::kCases, "money_stopped_fen", "", false, Kind::kMoney, "元",
     "止付涉案金额", ""},
    {"money.frozen", Source::kCases, "money_frozen_fen", "", false, Kind::kMoney, "元",
     "冻结涉案金额", ""},
    {"money.recovered", Source::kCases, "money_returned_fen", "", false, Kind::kMoney, "元",
     "挽回群众损失", ""},
    {"people.dissuaded", Source::kCases, "dissuaded", "", false, Kind::kCount, "人", "预警劝阻群众",
     ""},
    {"disputes.found", Source::kLedgers, "found", "dispute", false, Kind::kCount, "起",
     "排查矛盾纠纷", ""},
    {"disputes.resolved", Source::kLedgers, "resolved", "dispute", false, Kind::kCount, "起",
     "化解矛盾纠纷", "resolved"},
    {"disputes.rate", Source::kLedgers, "rate", "dispute", false, Kind::kRate, "%",
     "矛盾纠纷化解率", ""},
    {"hazards.found", Source::kLedgers, "found", "hazard", false, Kind::kCount, "处",
     "排查安全隐患", ""},
    {"hazards.rectified", Source::kLedgers, "resolved", "hazard", false, Kind::kCount, "处",
     "整改安全隐患", "closed"},
    {"inspections.visits", Source::kLedgers, "visits", "inspection", false, Kind::kCount, "家次",
     "检查行业场所", ""},
    {"sweeps.officers", Source::kLedgers, "tally.officer_shifts", "sweep", false, Kind::kCount,
     "人次", "出动警力", ""},
    {"publicity.leaflets", Source::kLedgers, "tally.leaflets", "publicity", false, Kind::kCount,
     "份", "发放宣传资料", ""},
    {"home_visits.households", Source::kLedgers, "visits", "home_visit", false, Kind::kCount, "户",
     "走访群众", ""},
    {"rental_checks.houses", Source::kLedgers, "visits", "rental_check", false, Kind::kCount, "户",
     "检查出租房屋", ""},
};

// A query parameter's value as URLSearchParams writes it (unreserved
// characters kept, a space as '+', everything else percent-encoded).
std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '*') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// "/#/page?k=v&...", pairs with an empty value left out (web/src/api.js query()).
std::string link_to(std::string_view page,
                    std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  std::string out = fmt::format("/#/{}", page);
  char sep = '?';
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    out += fmt::format("{}{}={}", sep, key, url_encode(value));
    sep = '&';
  }
  return out;
}

// The local date of an instant, "2023-06-01".
std::string local_date(const TimeZone& zone, Timestamp t) {
  const CivilTime c = zone.to_local(t);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

struct Period {
  std::string unit;
  Timestamp from = 0, to = 0;
  std::string first_day, last_day;  // local dates, the last inclusive (the web UI's filters)
};

Result<BulletinFigureValue> incident_figure(const analytics::IncidentIndex& index,
                                            const FigureRow& row, const Period& p) {
  analytics::StatsQuery q;
  q.filter.scope = p.unit.empty() ? UnitScope::everything() : UnitScope::subtree(p.unit);
  if (!row.query.empty()) q.filter.class_codes = {std::string(row.query)};
  q.filter.from = p.from;
  q.filter.until = p.to;
  q.compare = analytics::StatsCompare::kYearOnYear;
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult yoy, analytics::run_stats(index, q));
  q.compare = analytics::StatsCompare::kPrevious;
  PINGAN_ASSIGN_OR_RETURN(analytics::StatsResult previous, analytics::run_stats(index, q));
  BulletinFigureValue v;
  v.value = yoy.total;
  v.year_ago = yoy.compare_total;
  v.previous = previous.compare_total;
  v.records = yoy.total;
  v.link =
      link_to("incidents",
              {{"from", p.first_day}, {"to", p.last_day}, {"class", row.query}, {"unit", p.unit}});
  return v;
}

Result<BulletinFigureValue> case_figure(const cases::CaseIndex& index, const FigureRow& row,
                                        const Period& p) {
  cases::FigureQuery q;
  q.name = std::string(row.query);
  q.unit = p.unit;
  if (row.criminal_only) q.case_class = CaseClass::kCriminal;
  q.from = p.from;
  q.to = p.to;
  PINGAN_ASSIGN_OR_RETURN(cases::FigureAnswer a, cases::query_figure(index, q));
  BulletinFigureValue v;
  v.value = a.value;
  v.year_ago = a.year_on_year.value;
  v.previous = a.previous.value;
  // The index keeps money as sums, not entries: a sum is non-zero exactly
  // when some entry (amounts are positive) lies in the period, and that is
  // all `records` must tell (docs/bulletins.md).
  v.records = row.kind == Kind::kMoney ? (a.value > 0 ? 1 : 0) : a.value;
  v.link = link_to("cases", {{"figure", row.query},
                             {"from", p.first_day},
                             {"to", p.last_day},
                             {"class", row.criminal_only ? "criminal" : ""},
                             {"unit", p.unit}});
  return v;
}

Result<ledger::LedgerFigureAnswer> ask_ledger(const ledger::LedgerIndex& index,
                                              std::string_view type, std::string_view name,
                                              const Period& p) {
  ledger::LedgerFigureQuery q;
  q.type = std::string(type);
  q.name = std::string(name);
  q.unit = p.unit;
  q.from = p.from;
  q.to = p.to;
  return ledger::query_ledger_figure(index, q);
}

// Absent (nullopt) when the ledger type is not loaded or cannot answer the
// figure; an error for anything else.
Result<std::optional<BulletinFigureValue>> ledger_figure(const ledger::LedgerIndex& index,
                                                         const FigureRow& row, const Period& p) {
  Result<ledger::LedgerFigureAnswer> a = ask_ledger(index, row.ledger_type, row.query, p);
  if (!a.ok()) {
    const Error& e = a.error();
    if (e.code == ErrorCode::kInvalidArgument && (e.field == "type" || e.field == "name"))
      return std::optional<BulletinFigureValue>();
    return e;
  }
  BulletinFigureValue v;
  if (row.kind == Kind::kRate) {
    const LedgerRate rate = a->value.rate.value_or(LedgerRate{});
    v.value = rate.numerator;
    v.whole = rate.denominator;
    v.records = rate.denominator;  // the items found; resolved ones are among them
  } else {
    v.value = a->value.value;
    v.year_ago = a->year_on_year.value.value;
    v.previous = a->previous.value.value;
    v.records = a->value.value;
    if (row.query.starts_with("tally.")) {
      // A sum over the items created in the period: those items are its records.
      PINGAN_ASSIGN_OR_RETURN(ledger::LedgerFigureAnswer found,
                              ask_ledger(index, row.ledger_type, "found", p));
      v.records = found.value.value;
    }
  }
  v.link = link_to("ledgers", {{"type", row.ledger_type},
                               {"state", row.link_state},
                               {"unit", p.unit},
                               {"from", p.first_day},
                               {"to", p.last_day}});
  return std::optional<BulletinFigureValue>(std::move(v));
}

}  // namespace

std::vector<std::string> bulletin_figure_names() {
  std::vector<std::string> out;
  for (const FigureRow& row : kTable) out.emplace_back(row.name);
  return out;
}

Result<std::map<std::string, BulletinFigureValue>> bulletin_figures(const BulletinSources& sources,
                                                                    const std::string& unit,
                                                                    Timestamp from, Timestamp to) {
  if (!sources.incidents || !sources.cases || !sources.ledgers || !sources.units)
    return Error::internal("bulletin figures: an index or the unit tree is missing");
  if (!unit.empty() && !sources.units->find(unit))
    return Error::invalid("unit", fmt::format("unknown unit '{}'", unit));
  const TimeZone& zone = sources.incidents->zone();
  if (to <= from)
    return Error::invalid(
        "to", fmt::format("the period is empty or inverted: 'to' ({}) must be after 'from' ({})",
                          format_local(to, zone), format_local(from, zone)));
  const Period p{unit, from, to, local_date(zone, from), local_date(zone, to - 1)};

  std::map<std::string, BulletinFigureValue> out;
  for (const FigureRow& row : kTable) {
    std::optional<BulletinFigureValue> v;
    switch (row.source) {
      case Source::kIncidents: {
        PINGAN_ASSIGN_OR_RETURN(v, incident_figure(*sources.incidents, row, p));
        break;
      }
      case Source::kCases: {
        PINGAN_ASSIGN_OR_RETURN(v, case_figure(*sources.cases, row, p));
        break;
      }
      case Source::kLedgers: {
        PINGAN_ASSIGN_OR_RETURN(v, ledger_figure(*sources.ledgers, row, p));
        break;
      }
    }
    if (!v) continue;
    v->kind = row.kind;
    v->measure = std::string(row.measure);
    v->label = std::string(row.label);
    out.emplace(std::string(row.name), std::move(*v));
  }
  return out;
}

}  // namespace pingan::report
