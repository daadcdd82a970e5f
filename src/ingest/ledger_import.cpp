#include "ingest/ledger_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <span>

#include "core/ledger_values.h"
#include "core/scope_match.h"
#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/uploaded_table.h"

namespace pingan::ingest {

namespace {

std::string known_list(const std::vector<LedgerChoice>& values) {
  std::string out;
  for (const LedgerChoice& v : values) out += (out.empty() ? "" : ", ") + v.label + " (" + v.code + ")";
  return out;
}

// A local date or date-time cell as an instant: "2026-03-01 08:30",
// "2026-03-01T08:30:00", or any day TableSource::date_at reads (midnight).
Result<Timestamp> instant_at(const TableRow& row, size_t column, const TimeZone& zone) {
  std::string text(trim(row.at(column).text));
  std::replace(text.begin(), text.end(), ' ', 'T');
  if (text.find('T') != std::string::npos) {
    auto parsed = parse_iso8601(text, &zone);
    if (parsed.ok()) return *parsed;
  }
  auto day = TableSource::date_at(row, column);
  if (!day.ok()) return Error::invalid("", fmt::format("bad date: {}", day.error().message));
  return zone.to_utc(*day);
}

Result<GeoPoint> point_at(const TableRow& row, size_t column) {
  const std::string text(trim(row.at(column).text));
  const char* begin = text.c_str();
  char* end = nullptr;
  const double lat = std::strtod(begin, &end);
  const bool comma = end != begin && *end == ',';
  const char* second = comma ? end + 1 : end;
  char* last = nullptr;
  const double lon = std::strtod(second, &last);
  if (!comma || last == second || !trim(std::string_view(last)).empty())
    return Error::invalid("", fmt::format("'{}' is not a point \"lat,lon\"", text));
  return GeoPoint{lat, lon};
}

// The value of a field's cell, read by the field's kind and checked.
Result<LedgerValue> field_value(const LedgerField& field, const ColumnTarget& target,
                                const TableRow& row, const TimeZone& zone) {
  const size_t c = target.column;
  LedgerValue value;
  switch (field.kind) {
    case LedgerFieldKind::kText:
    case LedgerFieldKind::kPerson:
    case LedgerFieldKind::kPeople:  // a JSON list in the cell, checked below
    case LedgerFieldKind::kRegistryRef: {
      PINGAN_ASSIGN_OR_RETURN(std::string text, TableSource::text_at(row, c));
      value = std::move(text);
      break;
    }
    case LedgerFieldKind::kEnum: {
      PINGAN_ASSIGN_OR_RETURN(std::string text, TableSource::text_at(row, c));
      const LedgerChoice* match = nullptr;
      for (const LedgerChoice& v : field.values)
        if (v.code == text || v.label == text) match = &v;
      if (!match)
        return Error::invalid("", fmt::format("unknown value '{}' (allowed: {})", text, known_list(field.values)));
      value = match->code;
      break;
    }
    case LedgerFieldKind::kInteger:
    case LedgerFieldKind::kCount: {
      PINGAN_ASSIGN_OR_RETURN(std::int64_t n, TableSource::integer_at(row, c));
      value = n;
      break;
    }
    case LedgerFieldKind::kMoneyFen: {
      if (target.money_in_fen) {
        PINGAN_ASSIGN_OR_RETURN(std::int64_t fen, TableSource::integer_at(row, c));
        value = fen;
      } else {
        PINGAN_ASSIGN_OR_RETURN(std::int64_t fen, TableSource::money_fen_at(row, c));
        value = fen;
      }
      break;
    }
    case LedgerFieldKind::kDate: {
      auto day = TableSource::date_at(row, c);
      if (!day.ok()) return Error::invalid("", fmt::format("bad date: {}", day.error().message));
      value = fmt::format("{:04}-{:02}-{:02}", day->year, day->month, day->day);
      break;
    }
    case LedgerFieldKind::kDateTime: {
      PINGAN_ASSIGN_OR_RETURN(Timestamp at, instant_at(row, c, zone));
      value = at;
      break;
    }
    case LedgerFieldKind::kPoint: {
      PINGAN_ASSIGN_OR_RETURN(GeoPoint p, point_at(row, c));
      value = p;
      break;
    }
  }
  PINGAN_RETURN_IF_ERROR(check_ledger_value(field, value));
  return value;
}

// A unit by code, else by its unique name.
Result<const Unit*> unit_named(const UnitTree& units, const std::string& text) {
  if (const Unit* u = units.find(text)) return u;
  std::vector<const Unit*> named;
  for (const Unit& u : units.units())
    if (u.name == text) named.push_back(&u);
  if (named.empty()) return Error::invalid("", fmt::format("unknown unit '{}' (neither a unit code nor a unit name)", text));
  if (named.size() > 1) {
    std::string codes;
    for (const Unit* u : named) codes += (codes.empty() ? "" : ", ") + u->code;
    return Error::invalid("", fmt::format("unit name '{}' is ambiguous ({}): give the code", text, codes));
  }
  return named.front();
}

bool holds_any(const LedgerGrants& grants, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return std::find(grants.begin(), grants.end(), w) != grants.end();
  });
}

class RowImporter {
 public:
  RowImporter(LedgerRecords& records, const LedgerDefinition& definition, const UnitTree& units,
              const TimeZone& zone, const TableSource& table, const LedgerImportOptions& options,
              std::vector<ColumnTarget> targets, Timestamp now, LedgerImportReport& report)
      : records_(records), definition_(definition), units_(units), zone_(zone), table_(table),
        options_(options), targets_(std::move(targets)), now_(now), report_(report) {
    for (const ColumnTarget& t : targets_) by_target_[t.target] = &t;
  }

  void import(const TableRow& row) {
    problems_.clear();
    NewLedgerItem item;
    item.actor = options_.actor;
    item.actor_grants = options_.grants;
    item.at = now_;
    item.now = now_;
    item.unit_code = options_.default_unit;
    std::string key;
    bool later_state = false;
    for (const ColumnTarget& t : targets_) {
      if (trim(row.at(t.column).text).empty()) continue;
      if (const LedgerField* field = definition_.field(t.target)) {
        auto value = field_value(*field, t, row, zone_);
        if (value.ok()) item.fields[field->code] = std::move(value).value();
        else problem(row, t.column, value.error().message);
      } else if (t.target == kUnitTarget) {
        read_unit(row, t.column, item.unit_code);
      } else if (t.target == kOfficerTarget) {
        item.officer_id = std::string(trim(row.at(t.column).text));
      } else if (t.target == kKeyTarget) {
        key = std::string(trim(row.at(t.column).text));
      } else if (t.target == kCreatedAtTarget) {
        auto at = instant_at(row, t.column, zone_);
        if (at.ok()) item.at = *at;
        else problem(row, t.column, at.error().message);
      } else if (t.target == kStateTarget) {
        later_state = read_state(row, t.column);
      }
    }
    for (const LedgerField& f : definition_.fields())
      if (f.required && !item.fields.count(f.code) && by_target_.count(f.code) &&
          trim(row.at(by_target_[f.code]->column).text).empty())
        problem(row, by_target_[f.code]->column, fmt::format("missing required {} ({})", f.label, f.code));
    if (item.unit_code.empty() && problems_.empty()) {
      if (auto u = by_target_.find(kUnitTarget); u != by_target_.end())
        problem(row, u->second->column, "missing unit (责任单位)");
    }
    if (problems_.empty()) create(row, item, key, later_state);
    if (!problems_.empty()) {
      ++report_.refused;
      for (RowProblem& p : problems_) report_.problems.push_back(std::move(p));
    }
  }

 private:
  void problem(const TableRow& row, size_t column, std::string reason) {
    problems_.push_back(table_.problem(row, column, std::move(reason)));
  }

  void read_unit(const TableRow& row, size_t column, std::string& unit_code) {
    const std::string text(trim(row.at(column).text));
    auto unit = unit_named(units_, text);
    if (!unit.ok()) return problem(row, column, unit.error().message);
    if (!scope_holds(options_.scope, (*unit)->code, units_))
      return problem(row, column, fmt::format("unit {} ({}) is another unit's: outside the importer's scope",
                                              (*unit)->name, (*unit)->code));
    unit_code = (*unit)->code;
  }

  // True for a known state after the initial one; a problem for an unknown one.
  bool read_state(const TableRow& row, size_t column) {
    const std::string text(trim(row.at(column).text));
    for (const LedgerState& s : definition_.states())
      if (s.code == text || s.label == text) return !s.initial;
    std::string known;
    for (const LedgerState& s : definition_.states()) known += (known.empty() ? "" : ", ") + s.label + " (" + s.code + ")";
    problem(row, column, fmt::format("unknown state '{}' (states: {})", text, known));
    return false;
  }

  void create(const TableRow& row, const NewLedgerItem& item, const std::string& key, bool later_state) {
    LedgerOrigin origin;
    origin.source = "import:" + definition_.code();
    origin.source_id = !key.empty() ? key
                       : table_.sheet().empty()
                           ? fmt::format("{}!{}", table_.file(), row.number)
                           : fmt::format("{}#{}!{}", table_.file(), table_.sheet(), row.number);
    auto created = records_.create(definition_.code(), item, options_.scope, origin);
    if (created.ok()) {
      ++report_.taken;
      if (later_state) ++report_.later_state;
      report_.created_ids.push_back(created->id);
      return;
    }
    const Error& e = created.error();
    if (e.code == ErrorCode::kAlreadyExists) {
      ++report_.duplicates;
      return;
    }
    // The engine's checks beyond the cells' (the item as a whole): put on
    // the column of the field it names when there is one.
    std::string target = e.field.rfind("fields.", 0) == 0 ? e.field.substr(7)
                         : e.field == "unit_code"         ? kUnitTarget
                         : e.field == "officer_id"        ? kOfficerTarget
                         : e.field == "at"                ? kCreatedAtTarget
                                                          : e.field;
    if (auto t = by_target_.find(target); t != by_target_.end()) return problem(row, t->second->column, e.message);
    RowProblem p;
    p.file = table_.file();
    p.sheet = table_.sheet();
    p.row = row.number;
    p.header = e.field;
    p.reason = e.message;
    problems_.push_back(std::move(p));
  }

  LedgerRecords& records_;
  const LedgerDefinition& definition_;
  const UnitTree& units_;
  const TimeZone& zone_;
  const TableSource& table_;
  const LedgerImportOptions& options_;
  const std::vector<ColumnTarget> targets_;
  std::map<std::string, const ColumnTarget*> by_target_;
  const Timestamp now_;
  LedgerImportReport& report_;
  std::vector<RowProblem> problems_;  // of the current row
};

}  // namespace

Result<LedgerFile> read_ledger_file(const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, read_whole_file(path));
  return LedgerFile{std::filesystem::path(path).filename().string(), std::move(bytes)};
}

Result<LedgerImportReport> import_ledger(LedgerRecords& records, const UnitTree& units,
                                         const TimeZone& zone, const LedgerFile& file,
                                         const LedgerImportOptions& options) {
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* definition, records.type(options.type_code));
  if (!holds_any(options.grants, definition->who_may_create())) {
    std::string needed;
    for (const std::string& w : definition->who_may_create()) needed += (needed.empty() ? "" : ", ") + w;
    return Error::permission_denied(fmt::format("{} may not create {} ({}) items: that needs one of {}",
                                                options.actor, definition->label(), definition->code(), needed));
  }
  if (!options.default_unit.empty()) {
    if (!units.find(options.default_unit))
      return Error::invalid("unit", fmt::format("unknown unit '{}'", options.default_unit));
    if (!scope_holds(options.scope, options.default_unit, units))
      return Error::permission_denied(fmt::format("unit {} is outside the importer's scope", options.default_unit));
  }
  const LedgerColumns* mapping = options.columns ? &*options.columns : nullptr;
  PINGAN_ASSIGN_OR_RETURN(UploadedTable upload, UploadedTable::open(file.name, file.bytes));
  PINGAN_ASSIGN_OR_RETURN(
      HeaderPosition header,
      find_table_header(upload, options.sheet, options.header_row, options.header_rows,
                        [&](const std::vector<std::string>& headers) {
                          return map_ledger_columns(headers, *definition, mapping).size();
                        }));
  PINGAN_ASSIGN_OR_RETURN(TableSource table, upload.read(options.sheet, header.row, header.rows));

  LedgerImportReport report;
  report.file = table.file();
  report.sheet = table.sheet();
  report.header_row = header.row;
  report.header_rows = header.rows;
  std::vector<ColumnTarget> targets =
      map_ledger_columns(table.headers(), *definition, mapping, &report.unused_columns);

  // Columns every row needs: the required fields', and the unit's unless a default is given.
  std::vector<std::string> missing;
  auto mapped = [&](const std::string& target) {
    return std::any_of(targets.begin(), targets.end(), [&](const ColumnTarget& t) { return t.target == target; });
  };
  for (const LedgerField& f : definition->fields())
    if (f.required && !mapped(f.code)) missing.push_back(fmt::format("{} ({})", f.label, f.code));
  if (options.default_unit.empty() && !mapped(kUnitTarget)) missing.push_back("责任单位 (@unit)");
  if (!missing.empty()) {
    std::string list, headers;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    for (const auto& h : table.headers()) headers += (headers.empty() ? "'" : ", '") + h + "'";
    const std::string where = table.sheet().empty() ? table.file() : fmt::format("{}, sheet '{}'", table.file(), table.sheet());
    return Error::invalid(table.file(), fmt::format("{}: no column for {} (the headers are {}; a mapping file "
                                                    "names a bureau's own headers)",
                                                    where, list, headers + (headers.empty() ? "" : "'")));
  }

  const Timestamp now = options.now ? options.now : now_utc();
  RowImporter importer(records, *definition, units, zone, table, options, std::move(targets), now, report);
  // A sheet's last row labelled 合计/总计 in its first column is its totals
  // row (pingan's own export ends with one, as bureaus' sheets do): sums,
  // not an item.
  std::span<const TableRow> rows = table.rows();
  if (!rows.empty()) {
    const std::string& first = rows.back().at(0).text;
    if (first.starts_with("合计") || first.starts_with("总计")) {
      report.notes.push_back(
          fmt::format("row {} ('{}') is a totals row: not imported", rows.back().number, first));
      rows = rows.first(rows.size() - 1);
    }
  }
  const auto total = static_cast<std::int64_t>(rows.size());
  for (const TableRow& row : rows) {
    ++report.read;
    importer.import(row);
    if (options.progress) options.progress(report.read, total);
  }
  if (!report.unused_columns.empty()) {
    std::string list;
    for (const auto& h : report.unused_columns) list += (list.empty() ? "" : ", ") + h;
    report.notes.push_back(fmt::format("columns not imported (no field of {} has that label): {}", definition->code(), list));
  }
  if (report.later_state)
    report.notes.push_back(fmt::format(
        "{} rows named a later state in 状态; they were imported as {} ({}): the engine creates items in their "
        "initial state only",
        report.later_state, definition->initial_state().label, definition->initial_state().code));
  return report;
}

}  // namespace pingan::ingest
