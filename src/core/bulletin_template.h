#pragma once
// Bulletin templates as data (issue 22): a bureau edits the sentences of a
// bulletin (战果通报, 周报, 警情日报) in a UTF-8 text file under
// data/bulletins/; this reads it strictly, fills it with the figures the
// records give and writes the result as Markdown. docs/bulletins.md is the
// format for the people who edit it:
//
//   ---
//   title: {unit}{campaign}战果通报
//   subtitle: （{period}）
//   ---
//   ## 一、严打犯罪
//   {opening},共破获刑事案件{cases.solved},抓获刑事犯罪嫌疑人{suspects.caught}[,刑事警情、治安警情{incidents.criminal,incidents.public_order:同比分别}]。
//
// - `## ` starts a section; every other non-blank line is one sentence;
//   consecutive sentences form a paragraph, a blank line ends it;
//   `<!-- ... -->` on a line of its own is a comment.
// - `{figure}` writes a figure by the wording rules (core/bulletin_wording.h);
//   `{figure:style}` with style 约数 (a rounded count, 4.2万余人次), 同比 or 环比
//   (the change: 同比下降14.93%); `{a,b:同比分别}` / `{a,b:环比分别}` the joint
//   change (同比分别下降14.93%、17.57%). `{unit}`, `{campaign}`, `{opening}`
//   (行动开展以来 / 今年以来 / the dates) and `{period}` (2026年6月24日至8月29日)
//   come from the context.
// - `[ ... ]` inside a sentence is optional: it is left out when a figure in
//   it has no records or no base for its change; the rest stays.
//
// Values and pure functions: no I/O, thread-safe on const data.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bulletin_document.h"
#include "core/status.h"
#include "core/time.h"

namespace pingan {

// One line of data/bulletins/figures.txt: a figure a template may name, its
// measure word ("起", "人", ...; "元" for money, "%" for a rate) and what it
// counts in Chinese. The provider of figures fills exactly these names.
struct BulletinFigureSpec {
  std::string name;     // "cases.solved"
  std::string measure;  // "起"
  std::string label;    // "破获刑事案件"
};

// Reads figures.txt: "name measure label" per line, separated by spaces,
// `#` starts a comment line. Errors name `file_name` and the line: a line
// without three fields, a name not of [a-z0-9_.], a duplicate name, a
// measure that is not a known measure word, 元 or %.
Result<std::vector<BulletinFigureSpec>> parse_bulletin_figure_list(std::string_view text,
                                                                   std::string_view file_name);
// The names alone, for parse_bulletin_template.
std::vector<std::string> bulletin_figure_names(std::span<const BulletinFigureSpec> specs);

enum class BulletinStyle : std::uint8_t {
  kPlain,                // 363起, 9.9亿余元, 96.34%
  kApproximate,          // 约数: 4.2万余人次 (counts only)
  kYearOnYear,           // 同比: 同比下降14.93% (counts and money)
  kPeriodOnPeriod,       // 环比
  kJointYearOnYear,      // 同比分别: several counts, 同比分别下降14.93%、17.57%
  kJointPeriodOnPeriod,  // 环比分别
};

enum class BulletinContextField : std::uint8_t { kUnit, kCampaign, kOpening, kPeriod };

// A piece of a sentence: literal text, a placeholder for figures, or one
// for the context. `optional_group` is -1 outside `[ ]`, else the index of
// the bracketed part within its sentence.
struct BulletinPiece {
  enum class Kind : std::uint8_t { kText, kFigure, kContext };
  Kind kind = Kind::kText;
  std::string text;                  // kText
  std::vector<std::string> figures;  // kFigure: one name, or several for a joint change
  BulletinStyle style = BulletinStyle::kPlain;
  BulletinContextField context = BulletinContextField::kUnit;
  int optional_group = -1;
};

struct BulletinSentence {
  int line = 0;  // in the template file, for errors at render time
  std::vector<BulletinPiece> pieces;
  bool names_figures() const;
};

struct BulletinTemplateParagraph {
  std::vector<BulletinSentence> sentences;
};

struct BulletinTemplateSection {
  std::string heading;  // empty for the part before the first `## `
  std::vector<BulletinTemplateParagraph> paragraphs;
};

struct BulletinTemplate {
  std::string name;                     // "campaign" (the file name without ".md")
  std::string file_name;                // "campaign.md", for messages
  std::string description;              // front matter, optional: what the template is for
  std::vector<BulletinPiece> title;     // context placeholders and text only
  std::vector<BulletinPiece> subtitle;  // likewise; may be empty
  std::vector<BulletinTemplateSection> sections;
};

// Reads a template. `name` is its file name ("campaign.md"), used in every
// message. Strict: an unknown figure (with the nearest known names), an
// unknown style or context name, a placeholder or `[` never closed, a
// figure in the title, a style that does not fit the number of figures
// (分别 needs two or more, the others exactly one), a front matter that is
// missing, unclosed, without `title:` or with an unknown key, text that is
// not UTF-8: Error::invalid("template", "campaign.md line 7: unknown figure
// 'cases.solve' (nearest: cases.solved, ...)").
Result<BulletinTemplate> parse_bulletin_template(std::string_view text, std::string_view name,
                                                 std::span<const std::string> known_figures);

// What a bulletin is about, besides its figures.
struct BulletinContext {
  std::string unit;          // "平安市公安局示范分局"
  std::string campaign;      // "夏季治安打击整治行动"; may be empty if no template asks
  CivilTime from;            // first day of the period (time of day ignored)
  CivilTime to;              // last day counted, inclusive
  CivilTime campaign_start;  // for 行动开展以来 (core/bulletin_wording.h period_opening)
};

// Fills a template. Rules:
// - a sentence naming a figure with `records == 0`, or one absent from
//   `figures` (the records cannot answer it: report/bulletin_figures.h),
//   is left out (never "0起"); inside `[ ]` only that part is left out;
// - a 同比/环比 change needs the figure's year_ago / previous; without it the
//   sentence (or the `[ ]` part) is left out; a joint change also needs
//   every base above zero (a zero base has no percentage);
// - a section is left out when it named figures and none of its sentences
//   naming figures is left (a section of plain text only is kept);
// - every figure run carries the figure's name and link (a joint change:
//   the names joined by ",", the first figure's link).
// Every number is written by core/bulletin_wording.h. Errors
// (Error::invalid): a style that does not fit the figure's kind (a change of a rate, 约数 of
// money), a measure word that is unknown, any error of the wording rules
// (e.g. a rate with whole 0), each naming the template, line and figure;
// {campaign} asked for with an empty campaign; an invalid period.
Result<BulletinDocument> render_bulletin(const BulletinTemplate& tmpl,
                                         const std::map<std::string, BulletinFigureValue>& figures,
                                         const BulletinContext& ctx);

// The document as Markdown: "# title", the subtitle as a paragraph, "## "
// per section heading, paragraphs separated by blank lines; a figure with a
// link as "[363起](/#/cases?...)". Markdown's special characters in the
// text are escaped; spaces and parentheses in links are percent-encoded.
std::string bulletin_markdown(const BulletinDocument& doc);

}  // namespace pingan
