#include "report/case_export.h"

#include <fmt/format.h>

#include "core/fraud_money.h"
#include "core/personal_masks.h"

namespace pingan::report {

namespace {

CellValue text_or_empty(const std::string& text) { return text.empty() ? CellValue{} : CellValue{text}; }

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "、";
    out += p;
  }
  return out;
}

std::string flags_text(const CaseFlags& f) {
  std::vector<std::string> parts;
  if (f.major) parts.emplace_back("大案要案");
  if (f.gang) parts.emplace_back("团伙");
  if (f.task_force) parts.emplace_back("专案");
  if (f.homicide) parts.emplace_back("命案");
  return joined(parts);
}

std::string incidents_text(const std::vector<IncidentId>& ids) {
  std::vector<std::string> parts;
  for (IncidentId id : ids) parts.push_back(std::to_string(id));
  return joined(parts);
}

}  // namespace

SheetTable case_table(const std::vector<CaseExportRow>& rows, const CaseRules& rules, const UnitTree* units,
                      const TimeZone& zone, bool reveal) {
  SheetTable t;
  t.title = "案件台账";
  t.columns = {{"案件编号", ColumnKind::kText},
               {"立案时间", ColumnKind::kDateTime},
               {"破案时间", ColumnKind::kDateTime},
               {"案件类别", ColumnKind::kText},
               {"案件类型", ColumnKind::kText},
               {"作案手段", ColumnKind::kText},
               {"立案单位", ColumnKind::kText},
               {"状态", ColumnKind::kText},
               {"简要案情", ColumnKind::kText},
               {"嫌疑人数", ColumnKind::kInteger, 0, true},
               {"犯罪嫌疑人", ColumnKind::kText},
               {"涉案金额(元)", ColumnKind::kMoney, 0, true},
               {"止付(元)", ColumnKind::kMoney, 0, true},
               {"冻结(元)", ColumnKind::kMoney, 0, true},
               {"返还(元)", ColumnKind::kMoney, 0, true},
               {"案件标记", ColumnKind::kText},
               {"关联警情", ColumnKind::kText}};
  for (const CaseExportRow& r : rows) {
    const CaseRecord& c = r.bundle.record;
    std::vector<CellValue> row;
    row.reserve(t.columns.size());
    row.push_back(text_or_empty(c.case_number));
    row.emplace_back(zone.to_local(c.opened_at));
    row.push_back(c.times.solved_at ? CellValue{zone.to_local(*c.times.solved_at)} : CellValue{});
    row.emplace_back(std::string(case_class_name_zh(c.case_class)));
    const CaseType* type = rules.types.find_type(c.type_code);
    row.push_back(text_or_empty(type ? type->name_zh : c.type_code));
    const FraudMethod* method = rules.fraud_methods.find(c.fraud_method);
    row.push_back(text_or_empty(method ? method->name_zh : c.fraud_method));
    const Unit* unit = units ? units->find(c.unit_code) : nullptr;
    row.push_back(text_or_empty(unit ? unit->name : c.unit_code));
    row.emplace_back(std::string(case_status_name_zh(c.status)));
    row.push_back(text_or_empty(c.summary));
    row.emplace_back(static_cast<std::int64_t>(r.suspects.size()));
    std::vector<std::string> names;
    for (const Person& p : r.suspects) names.push_back(reveal ? p.name : mask_name(p.name));
    row.push_back(text_or_empty(joined(names)));
    const FraudMoneyTotals money = fraud_money_totals(r.bundle.money, c.id);
    row.emplace_back(std::int64_t{c.money_involved_fen});
    row.emplace_back(std::int64_t{money.stopped});
    row.emplace_back(std::int64_t{money.frozen});
    row.emplace_back(std::int64_t{money.returned});
    row.push_back(text_or_empty(flags_text(c.flags)));
    row.push_back(text_or_empty(incidents_text(c.incident_ids)));
    t.rows.push_back(std::move(row));
  }
  t.totals_label = fmt::format("合计 {} 起", rows.size());
  return t;
}

Result<std::vector<CaseExportRow>> cases_for_export(CaseRecords& cases, const CaseExportOptions& options,
                                                    const Deadline& deadline) {
  // The records first, counted against the cap before any bundle is read.
  CaseFilter filter = options.filter;
  filter.limit = 1000;
  filter.before.reset();
  std::vector<CaseRecord> records;
  std::int64_t count = 0;
  while (true) {
    PINGAN_RETURN_IF_ERROR(deadline.check("the case export"));
    PINGAN_ASSIGN_OR_RETURN(CasePage page, cases.list_cases(filter));
    count += static_cast<std::int64_t>(page.cases.size());
    if (!page.cases.empty()) filter.before = std::make_pair(page.cases.back().opened_at, page.cases.back().id);
    // Past the cap the pages are only counted, to name the count.
    for (CaseRecord& c : page.cases)
      if (records.size() <= options.max_rows) records.push_back(std::move(c));
    if (!page.more || page.cases.empty()) break;
  }
  if (count > static_cast<std::int64_t>(options.max_rows)) return too_many_rows("cases", count, options.max_rows);

  std::vector<CaseExportRow> out;
  out.reserve(records.size());
  std::map<PersonId, Person> persons;  // a person suspected in several cases is read once
  for (const CaseRecord& record : records) {
    PINGAN_RETURN_IF_ERROR(deadline.check("the case export"));
    CaseExportRow row;
    PINGAN_ASSIGN_OR_RETURN(row.bundle, cases.case_detail(record.id, filter.scope));
    for (const CaseParty& p : row.bundle.parties) {
      if (p.role != PersonRole::kSuspect) continue;
      auto known = persons.find(p.person_id);
      if (known == persons.end()) {
        PINGAN_ASSIGN_OR_RETURN(Person person, cases.get_person(p.person_id));
        known = persons.emplace(p.person_id, std::move(person)).first;
      }
      row.suspects.push_back(known->second);
    }
    out.push_back(std::move(row));
  }
  return out;
}

Result<SheetTable> case_sheet(CaseRecords& cases, const UnitTree* units, const TimeZone& zone,
                              const CaseExportOptions& options, const Deadline& deadline) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<CaseExportRow> rows, cases_for_export(cases, options, deadline));
  return case_table(rows, cases.rules(), units, zone, options.reveal);
}

}  // namespace pingan::report
