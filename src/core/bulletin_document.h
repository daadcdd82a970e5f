#pragma once
// A bulletin as data (issue 22): what a template (core/bulletin_template.h)
// makes of the figures the records give, before it is written out as
// Markdown (core), a printable HTML page, PDF or .docx (src/report/). Every
// figure in the text keeps its name and the link to the records behind it,
// so each writer can make it traceable.
//
// Values, not behaviour: no I/O, copyable, built by one thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"

namespace pingan {

// What the records say of one named figure, for one unit and period.
// `records` counts the records behind it: a sentence naming a figure with
// no records is left out of the bulletin, never filled with 0.
struct BulletinFigureValue {
  enum class Kind : std::uint8_t {
    kCount,  // `value` items of `measure` (起, 人, 家次 ...)
    kMoney,  // `value` fen
    kRate,   // `value` of `whole` (化解率: resolved of found), as a percentage
  };
  Kind kind = Kind::kCount;
  std::int64_t value = 0;
  std::int64_t whole = 0;                  // kRate only
  std::string measure;                     // kCount: the measure word, e.g. "起"
  std::optional<std::int64_t> year_ago;    // the same period a year earlier (同比), when known
  std::optional<std::int64_t> previous;    // the period before, as long (环比), when known
  std::int64_t records = 0;                // records behind the figure
  std::string link;                        // the filtered list of those records, e.g. "/#/cases?..."
  std::string label;                       // what it counts, in Chinese, e.g. "破获刑事案件"
};

// One run of text: plain, or a figure as the wording rules wrote it.
struct BulletinRun {
  std::string text;         // as printed: "363起", "同比下降14.93%", "9.9亿余元"
  std::string figure;       // the figure's name ("cases.solved"); empty for plain text
  std::string link;         // the figure's records; empty for plain text
};

struct BulletinParagraph {
  std::vector<BulletinRun> runs;
};

struct BulletinSection {
  std::string heading;  // "一、严打犯罪" ...; empty for the opening
  std::vector<BulletinParagraph> paragraphs;
};

struct BulletinDocument {
  std::string title;     // "平安市公安局示范分局夏季治安打击整治行动战果通报"
  std::string subtitle;  // the period and unit line, e.g. "（2026年6月24日至8月29日）"
  std::vector<BulletinSection> sections;  // only those with a paragraph left
  std::string template_name;              // "campaign", "weekly", "daily"
};

}  // namespace pingan
