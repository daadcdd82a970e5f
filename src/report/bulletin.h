#pragma once
// A bulletin from the records (issue 22): the template of the data folder
// (data/bulletins/<name>.md, checked against data/bulletins/figures.txt when
// loaded: an unknown figure is an error there, not an empty slot), the
// figures of the unit and period (report/bulletin_figures.h) and the
// wording rules (core/bulletin_wording.h), made into a BulletinDocument that
// core/bulletin_template.h writes as Markdown and report/bulletin_html.h,
// bulletin_pdf.h, bulletin_docx.h as a page, PDF and .docx.
//
// Everything is checked before anything is written: an unknown template or
// unit, an empty or inverted period, a template that does not load are
// Error::invalid naming the field ("template", "unit", "from", "to").
// Thread-safe as the indexes are.

#include <optional>
#include <string>
#include <vector>

#include "core/bulletin_document.h"
#include "core/status.h"
#include "core/time.h"
#include "report/bulletin_figures.h"

namespace pingan::report {

// The campaign's name when the request gives none.
inline constexpr const char* kDefaultCampaign = "专项行动";

struct BulletinRequest {
  std::string template_name = "campaign";  // a file data/bulletins/<name>.md
  std::string unit;                         // the unit's code; its subtree is counted
  CivilTime from;                           // first day (the bureau's calendar)
  CivilTime to;                             // last day, inclusive
  std::string campaign;                     // "夏季治安打击整治行动"; empty: kDefaultCampaign
  std::optional<CivilTime> campaign_start;  // default: `from` (行动开展以来)
};

// The templates the data folder offers ("campaign", "daily", "weekly"), sorted.
Result<std::vector<std::string>> bulletin_template_names(const std::string& data_dir);

// `data_dir` empty: the shipped data. `zone`: the bureau's, for the days.
Result<BulletinDocument> make_bulletin(const BulletinSources& sources, const std::string& data_dir,
                                       const TimeZone& zone, const BulletinRequest& request);

}  // namespace pingan::report
