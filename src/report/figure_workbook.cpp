#include "report/figure_workbook.h"

#include <fmt/format.h>

#include <limits>
#include <map>

#include "core/bulletin_wording_changes.h"

namespace pingan::report {
namespace {

using Kind = BulletinFigureValue::Kind;

std::string day_text(const CivilTime& t) { return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day); }

CivilTime day_of(const CivilTime& t) { return CivilTime{t.year, t.month, t.day, 0, 0, 0}; }

// A change against a base as a fraction for a percent cell, rounded as the
// bulletin's wording rounds it (hundredths of a percent, half away from
// zero): 1618 against 1902 -> -0.1493, shown -14.93%. Empty without a base
// or with a zero one (the bulletin prints no percentage then either).
CellValue change_cell(std::int64_t current, const std::optional<std::int64_t>& base) {
  if (!base || *base <= 0 || current < 0) return {};
  Result<std::int64_t> hundredths = change_hundredths(current, *base);
  if (!hundredths.ok()) return {};
  return static_cast<double>(*hundredths) / 10000.0;
}

// part of whole as a fraction rounded to hundredths of a percent, half up
// (both are counts, so half up is half away from zero): 369 of 383 -> 0.9634.
CellValue rate_cell(std::int64_t part, std::int64_t whole) {
  if (whole <= 0 || part < 0 || part > std::numeric_limits<std::int64_t>::max() / 20000) return {};
  const std::int64_t hundredths = (part * 20000 + whole) / (2 * whole);
  return static_cast<double>(hundredths) / 10000.0;
}

CellValue count_or_empty(const std::optional<std::int64_t>& v) { return v ? CellValue{*v} : CellValue{}; }

SheetTable figure_sheet(const std::map<std::string, BulletinFigureValue>& figures, const std::string& base_url) {
  SheetTable t;
  t.title = kFigureSheetTitle;
  t.columns = {{"数字名", ColumnKind::kText},
               {"名称", ColumnKind::kText},
               {"计量单位", ColumnKind::kText},
               {"本期", ColumnKind::kInteger},
               {"去年同期", ColumnKind::kInteger},
               {"上期", ColumnKind::kInteger},
               {"本期金额(元)", ColumnKind::kMoney},
               {"去年同期金额(元)", ColumnKind::kMoney},
               {"上期金额(元)", ColumnKind::kMoney},
               {"比率", ColumnKind::kPercent},
               {"同比", ColumnKind::kPercent},
               {"环比", ColumnKind::kPercent},
               {"说明", ColumnKind::kText},
               {"记录数", ColumnKind::kInteger},
               {"记录", ColumnKind::kText, 60}};
  for (const std::string& name : bulletin_figure_names()) {
    auto found = figures.find(name);
    if (found == figures.end()) continue;  // the records cannot answer it for this unit
    const BulletinFigureValue& f = found->second;
    std::vector<CellValue> row(t.columns.size());
    row[0] = name;
    row[1] = f.label;
    row[2] = f.measure;
    switch (f.kind) {
      case Kind::kCount:
        row[3] = f.value;
        row[4] = count_or_empty(f.year_ago);
        row[5] = count_or_empty(f.previous);
        break;
      case Kind::kMoney:
        row[6] = f.value;
        row[7] = count_or_empty(f.year_ago);
        row[8] = count_or_empty(f.previous);
        break;
      case Kind::kRate:
        row[9] = rate_cell(f.value, f.whole);
        row[12] = fmt::format("{}/{}", f.value, f.whole);
        break;
    }
    if (f.kind != Kind::kRate) {
      row[10] = change_cell(f.value, f.year_ago);
      row[11] = change_cell(f.value, f.previous);
    }
    row[13] = f.records;
    row[14] = f.link.empty() ? std::string() : base_url + f.link;
    t.rows.push_back(std::move(row));
  }
  return t;
}

SheetTable heading_sheet(const BulletinDocument& doc, const Unit& unit, const BulletinRequest& request,
                         const std::string& campaign) {
  SheetTable t;
  t.title = kBulletinSheetTitle;
  t.columns = {{"项目", ColumnKind::kText}, {"内容", ColumnKind::kText, 60}};
  const CivilTime start = request.campaign_start ? day_of(*request.campaign_start) : day_of(request.from);
  const std::vector<std::pair<std::string, std::string>> lines = {
      {"标题", doc.title},
      {"单位", fmt::format("{}（{}）", unit.name, unit.code)},
      {"期间", fmt::format("{}至{}（含）", day_text(request.from), day_text(request.to))},
      {"模板", request.template_name},
      {"行动名称", campaign},
      {"行动开始日期", day_text(start)},
      {"去年同期", "上一年的同一期间（同比）"},
      {"上期", "紧接本期之前、长度相同的期间（环比）"},
      {"金额", "以元为单位，精确到分"},
      {"说明", "数字与通报正文一致；无记录可依的数字不列出"},
  };
  for (const auto& [key, value] : lines) t.rows.push_back({key, value});
  return t;
}

}  // namespace

Result<std::vector<SheetTable>> bulletin_figure_tables(const BulletinSources& sources, const std::string& data_dir,
                                                       const TimeZone& zone, const BulletinRequest& request,
                                                       const FigureWorkbookOptions& options) {
  // make_bulletin checks the template, unit and period before it counts,
  // and gives the title; its figures are those counted again below.
  PINGAN_ASSIGN_OR_RETURN(BulletinDocument doc, make_bulletin(sources, data_dir, zone, request));
  const Unit* unit = sources.units->find(request.unit);
  if (!unit) return Error::invalid("unit", fmt::format("unknown unit '{}'", request.unit));
  // The period exactly as make_bulletin takes it: whole days of the
  // bureau's calendar, [from 00:00, the day after `to` 00:00).
  const CivilTime after_last = utc_to_civil(civil_to_utc(day_of(request.to)) + 86400);
  PINGAN_ASSIGN_OR_RETURN(auto figures, bulletin_figures(sources, request.unit, zone.to_utc(day_of(request.from)),
                                                         zone.to_utc(after_last)));
  const std::string campaign = request.campaign.empty() ? std::string(kDefaultCampaign) : request.campaign;
  return std::vector<SheetTable>{heading_sheet(doc, *unit, request, campaign),
                                 figure_sheet(figures, options.base_url)};
}

Status write_bulletin_figures_xlsx(const BulletinSources& sources, const std::string& data_dir,
                                   const TimeZone& zone, const BulletinRequest& request, const std::string& path,
                                   const FigureWorkbookOptions& options) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<SheetTable> tables,
                          bulletin_figure_tables(sources, data_dir, zone, request, options));
  return write_xlsx(path, tables);
}

}  // namespace pingan::report
