#include "report/incident_export.h"

#include <fmt/format.h>

#include <unordered_set>

#include "core/lifecycle.h"
#include "core/personal_masks.h"

namespace pingan::report {

namespace {

CellValue text_or_empty(const std::string& text) { return text.empty() ? CellValue{} : CellValue{text}; }

CellValue time_or_empty(const std::optional<Timestamp>& t, const TimeZone& zone) {
  return t ? CellValue{zone.to_local(*t)} : CellValue{};
}

// Why a row counts in no statistic, when it does not.
std::string remark(const Incident& inc) {
  if (inc.voided) return inc.void_reason.empty() ? "已作废" : fmt::format("已作废：{}", inc.void_reason);
  if (inc.merged_into) return fmt::format("重复警情，并入 {}", *inc.merged_into);
  return "";
}

}  // namespace

SheetTable incident_table(const std::vector<Incident>& incidents, const Taxonomy& taxonomy,
                          const UnitTree* units, const TimeZone& zone, bool reveal) {
  SheetTable t;
  t.title = "警情列表";
  t.columns = {{"警情编号", ColumnKind::kInteger}, {"接警时间", ColumnKind::kDateTime},
               {"警情类别", ColumnKind::kText},    {"警情类型", ColumnKind::kText},
               {"管辖单位", ColumnKind::kText},    {"状态", ColumnKind::kText},
               {"地址", ColumnKind::kText},        {"报警人", ColumnKind::kText},
               {"报警电话", ColumnKind::kText},    {"报警人身份证号", ColumnKind::kText},
               {"简要警情", ColumnKind::kText},    {"派警时间", ColumnKind::kDateTime},
               {"到场时间", ColumnKind::kDateTime}, {"办结时间", ColumnKind::kDateTime},
               {"来源", ColumnKind::kText},        {"原始编号", ColumnKind::kText},
               {"备注", ColumnKind::kText}};
  for (const Incident& inc : incidents) {
    std::vector<CellValue> row;
    row.reserve(t.columns.size());
    row.emplace_back(inc.id);
    row.emplace_back(zone.to_local(inc.reported_at));
    const IncidentClass* c = taxonomy.find_class(inc.class_code);
    row.push_back(text_or_empty(c ? c->name_zh : inc.class_code));
    const IncidentType* type = taxonomy.find_type(inc.type_code);
    row.push_back(text_or_empty(type ? type->name_zh : inc.type_code));
    const Unit* unit = units && !inc.unit_code.empty() ? units->find(inc.unit_code) : nullptr;
    row.push_back(text_or_empty(unit ? unit->name : inc.unit_code));
    row.emplace_back(std::string(status_name_zh(inc.status)));
    row.push_back(text_or_empty(inc.address));
    row.push_back(text_or_empty(reveal ? inc.reporter_name : mask_name(inc.reporter_name)));
    row.push_back(text_or_empty(reveal ? inc.reporter_phone : mask_phone(inc.reporter_phone)));
    row.push_back(text_or_empty(reveal ? inc.reporter_id_number : mask_id_number(inc.reporter_id_number)));
    row.push_back(text_or_empty(inc.description));
    row.push_back(time_or_empty(inc.times.dispatched_at, zone));
    row.push_back(time_or_empty(inc.times.arrived_at, zone));
    row.push_back(time_or_empty(inc.times.closed_at, zone));
    row.push_back(text_or_empty(inc.source));
    row.push_back(text_or_empty(inc.case_number));
    row.push_back(text_or_empty(remark(inc)));
    t.rows.push_back(std::move(row));
  }
  t.totals_label = fmt::format("合计 {} 起", incidents.size());
  return t;
}

Result<std::vector<Incident>> incidents_for_export(Engine& engine, const IncidentExportOptions& options,
                                                   const Deadline& deadline) {
  IncidentFilter filter = options.filter;
  filter.limit = 1000;
  filter.offset = 0;
  std::vector<Incident> out;
  std::unordered_set<IncidentId> seen;
  while (true) {
    PINGAN_RETURN_IF_ERROR(deadline.check("the incident export"));
    PINGAN_ASSIGN_OR_RETURN(IncidentPage page, engine.list_incidents(filter));
    if (filter.offset == 0 && page.total > static_cast<std::int64_t>(options.max_rows))
      return too_many_rows("incidents", page.total, options.max_rows);
    for (Incident& inc : page.items)
      if (seen.insert(inc.id).second) out.push_back(std::move(inc));
    filter.offset += static_cast<std::int64_t>(page.items.size());
    if (page.items.empty() || filter.offset >= page.total) break;
    // Records added while reading can push the total past the cap too.
    if (out.size() > options.max_rows) return too_many_rows("incidents", page.total, options.max_rows);
  }
  return out;
}

Result<SheetTable> incident_sheet(Engine& engine, const IncidentExportOptions& options, const Deadline& deadline) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<Incident> incidents, incidents_for_export(engine, options, deadline));
  const std::shared_ptr<const UnitTree> units = engine.units();
  return incident_table(incidents, engine.taxonomy(), units.get(), engine.time_zone(), options.reveal);
}

}  // namespace pingan::report
