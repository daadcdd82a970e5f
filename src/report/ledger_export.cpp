#include "report/ledger_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "core/ledger_people.h"
#include "core/ledger_values.h"
#include "core/personal_masks.h"

namespace pingan::report {

namespace {

// Excel's sheet-name rules: at most 31 characters, none of []:*?/\ .
std::string sheet_title(const LedgerDefinition& d) {
  std::string title;
  size_t chars = 0;
  const std::string wanted = d.label() + "台账";
  for (size_t i = 0; i < wanted.size() && chars < 31;) {
    const auto lead = static_cast<unsigned char>(wanted[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string ch = wanted.substr(i, len);
    i += len;
    if (ch.size() == 1 && std::string_view("[]:*?/\\'").find(ch[0]) != std::string_view::npos) continue;
    title += ch;
    ++chars;
  }
  return title.empty() ? d.code() : title;
}

std::string yuan_header(const LedgerField& field) {
  std::string label = field.label;
  for (std::string_view fen : {"(分)", "（分）"}) {
    const size_t at = label.find(fen);
    if (at != std::string::npos) return label.replace(at, fen.size(), "(元)");
  }
  return label + "(元)";
}

std::string masked(LedgerMask mask, const std::string& text) {
  switch (mask) {
    case LedgerMask::kName: return mask_name(text);
    case LedgerMask::kPhone: return mask_phone(text);
    case LedgerMask::kIdNumber: return mask_id_number(text);
    case LedgerMask::kAddress: return mask_address(text);
    case LedgerMask::kPeople: return ledger_people_display(text, true);
  }
  return mask_name(text);
}

ColumnSpec field_column(const LedgerField& f) {
  switch (f.kind) {
    case LedgerFieldKind::kCount: return {f.label, ColumnKind::kInteger, 0, true};
    case LedgerFieldKind::kInteger: return {f.label, ColumnKind::kInteger, 0, false};
    case LedgerFieldKind::kMoneyFen: return {yuan_header(f), ColumnKind::kMoney, 0, true};
    case LedgerFieldKind::kDate: return {f.label, ColumnKind::kDate, 0, false};
    case LedgerFieldKind::kDateTime: return {f.label, ColumnKind::kDateTime, 0, false};
    default: return {f.label, ColumnKind::kText, 0, false};
  }
}

CellValue field_cell(const LedgerField& f, const LedgerValue& v, const TimeZone& zone, bool reveal) {
  if (const auto* text = std::get_if<std::string>(&v)) {
    if (f.personal && !reveal) return masked(*f.personal, *text);
    if (f.kind == LedgerFieldKind::kPeople) return ledger_people_display(*text, false);
    if (f.kind == LedgerFieldKind::kEnum) {
      const LedgerChoice* c = f.choice(*text);
      return c ? c->label : *text;
    }
    if (f.kind == LedgerFieldKind::kDate) {
      CivilTime day;
      if (std::sscanf(text->c_str(), "%d-%d-%d", &day.year, &day.month, &day.day) == 3) return day;
    }
    return *text;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    if (f.kind == LedgerFieldKind::kDateTime) return zone.to_local(*n);
    if (f.personal && !reveal) return masked(*f.personal, std::to_string(*n));
    return *n;
  }
  return ledger_value_text(v);  // a point, "lat,lon"
}

}  // namespace

Result<SheetTable> ledger_sheet(LedgerRecords& records, const UnitTree& units, const TimeZone& zone,
                                const LedgerExportOptions& options) {
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* d, records.type(options.type_code));
  std::vector<LedgerItem> items;
  LedgerFilter filter;
  filter.type_code = d->code();
  filter.scope = options.scope;
  filter.created_from = options.created_from;
  filter.created_to = options.created_to;
  filter.limit = 1000;
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(LedgerPage page, records.list(filter));
    for (LedgerItem& item : page.items) items.push_back(std::move(item));
    if (!page.more || items.empty()) break;
    filter.before = std::make_pair(items.back().created_at, items.back().id);
  }
  std::sort(items.begin(), items.end(), [](const LedgerItem& a, const LedgerItem& b) { return a.id < b.id; });

  SheetTable t;
  t.title = sheet_title(*d);
  t.columns = {{"编号", ColumnKind::kInteger},
               {"责任单位", ColumnKind::kText},
               {"责任民警", ColumnKind::kText},
               {"状态", ColumnKind::kText},
               {"登记时间", ColumnKind::kDateTime}};
  for (const LedgerField& f : d->fields()) t.columns.push_back(field_column(f));
  for (const LedgerItem& item : items) {
    std::vector<CellValue> row;
    row.reserve(t.columns.size());
    row.emplace_back(item.id);
    const Unit* unit = units.find(item.unit_code);
    row.emplace_back(unit ? unit->name : item.unit_code);
    row.emplace_back(item.officer_id.empty() ? CellValue{} : CellValue{item.officer_id});
    const LedgerState* state = d->state(item.state);
    row.emplace_back(state ? state->label : item.state);
    row.emplace_back(zone.to_local(item.created_at));
    for (const LedgerField& f : d->fields()) {
      auto v = item.fields.find(f.code);
      row.push_back(v == item.fields.end() ? CellValue{} : field_cell(f, v->second, zone, options.reveal));
    }
    t.rows.push_back(std::move(row));
  }
  t.totals_label = fmt::format("合计 {} 条", items.size());
  return t;
}

Result<std::size_t> export_ledger_xlsx(LedgerRecords& records, const UnitTree& units,
                                       const TimeZone& zone, const LedgerExportOptions& options,
                                       const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(SheetTable table, ledger_sheet(records, units, zone, options));
  const std::size_t n = table.rows.size();
  PINGAN_RETURN_IF_ERROR(write_xlsx(path, {table}));
  return n;
}

}  // namespace pingan::report
