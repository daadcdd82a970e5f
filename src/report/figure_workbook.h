#pragma once
// The bulletin's figures as a workbook (issue 22: "exports of any list or
// statistics table to .xlsx ... with the same figures as the bulletin").
// The figures are report::bulletin_figures for the request's unit and
// period, the very call make_bulletin makes, so each number is the
// bulletin's. Two sheets (report/xlsx_writer.h conventions):
//
//   "通报"     项目 | 内容: the bulletin's title, unit, period, template,
//              campaign and what the comparison columns mean;
//   "通报数字" one row per figure the records answer, in the figure table's
//              order (bulletin_figure_names()): 数字名 (cases.solved), 名称
//              (破获刑事案件), 计量单位, then counts in 本期 / 去年同期 /
//              上期, money in the three 金额(元) columns (kept in fen, shown
//              in yuan), a rate (化解率) in 比率, 同比 and 环比 as
//              percentages rounded as the bulletin's wording rounds them
//              (core/bulletin_wording_changes.h: hundredths of a percent,
//              half away from zero; empty without a base), 记录数 and 记录
//              (the list of the records behind the figure).
//
// A figure's kind decides its columns because a column has one number
// format: a count is never shown as yuan, nor money as a count.
//
// Errors are make_bulletin's (Error::invalid naming "template", "unit",
// "from" or "to"), checked before anything is counted. Thread-safe as the
// indexes are.

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "report/bulletin.h"
#include "report/xlsx_writer.h"

namespace pingan::report {

inline constexpr const char* kFigureSheetTitle = "通报数字";
inline constexpr const char* kBulletinSheetTitle = "通报";

struct FigureWorkbookOptions {
  // Put before each figure's link ("https://pingan.example"); empty keeps
  // the links relative ("/#/cases?...").
  std::string base_url;
};

// The two sheets, "通报" first. `data_dir` empty: the shipped data.
Result<std::vector<SheetTable>> bulletin_figure_tables(const BulletinSources& sources, const std::string& data_dir,
                                                       const TimeZone& zone, const BulletinRequest& request,
                                                       const FigureWorkbookOptions& options = {});

// The sheets written to `path` (whole or not at all, owner-only).
Status write_bulletin_figures_xlsx(const BulletinSources& sources, const std::string& data_dir,
                                   const TimeZone& zone, const BulletinRequest& request, const std::string& path,
                                   const FigureWorkbookOptions& options = {});

}  // namespace pingan::report
