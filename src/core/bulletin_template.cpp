// Reading a bulletin template (the format: core/bulletin_template.h and
// docs/bulletins.md). Strict: whatever a bureau mistypes is an error naming
// the file, the line and the name, when the template is loaded.
#include "core/bulletin_template.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "core/text.h"

namespace pingan {
namespace {

constexpr std::array<std::pair<std::string_view, BulletinStyle>, 5> kStyles = {{
    {"约数", BulletinStyle::kApproximate},
    {"同比", BulletinStyle::kYearOnYear},
    {"环比", BulletinStyle::kPeriodOnPeriod},
    {"同比分别", BulletinStyle::kJointYearOnYear},
    {"环比分别", BulletinStyle::kJointPeriodOnPeriod},
}};

constexpr std::array<std::pair<std::string_view, BulletinContextField>, 4> kContextNames = {{
    {"unit", BulletinContextField::kUnit},
    {"campaign", BulletinContextField::kCampaign},
    {"opening", BulletinContextField::kOpening},
    {"period", BulletinContextField::kPeriod},
}};

bool is_joint(BulletinStyle style) {
  return style == BulletinStyle::kJointYearOnYear || style == BulletinStyle::kJointPeriodOnPeriod;
}

// Edit distance over bytes: enough to rank "cases.solve" next to "cases.solved".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Up to three known names nearest to `name`, nearest first.
std::string nearest_names(std::string_view name, std::span<const std::string> known) {
  std::vector<std::pair<size_t, std::string_view>> ranked;
  for (const auto& k : known) ranked.emplace_back(edit_distance(name, k), k);
  std::sort(ranked.begin(), ranked.end());
  std::string out;
  for (size_t i = 0; i < ranked.size() && i < 3; ++i) {
    if (i > 0) out += ", ";
    out += ranked[i].second;
  }
  return out;
}

// Parses one template line into pieces; `where` is "campaign.md line 7".
class LineParser {
 public:
  LineParser(std::string where, std::span<const std::string> known, bool allow_figures)
      : where_(std::move(where)), known_(known), allow_figures_(allow_figures) {}

  Result<std::vector<BulletinPiece>> parse(std::string_view line) {
    std::vector<BulletinPiece> pieces;
    std::string text;
    int group = -1;
    int groups = 0;
    auto flush = [&] {
      if (text.empty()) return;
      BulletinPiece piece;
      piece.text = std::move(text);
      piece.optional_group = group;
      pieces.push_back(std::move(piece));
      text.clear();
    };
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c == '{') {
        size_t close = line.find_first_of("{}", i + 1);
        if (close == std::string_view::npos || line[close] == '{') {
          return fail(fmt::format("placeholder '{}' is never closed", line.substr(i, 24)));
        }
        flush();
        PINGAN_ASSIGN_OR_RETURN(BulletinPiece piece,
                                placeholder(line.substr(i + 1, close - i - 1)));
        piece.optional_group = group;
        pieces.push_back(std::move(piece));
        i = close;
      } else if (c == '}') {
        return fail("'}' without its '{'");
      } else if (c == '[' && allow_figures_) {
        if (group >= 0) return fail("'[' inside an optional part '[ ]'");
        flush();
        group = groups++;
      } else if (c == ']' && allow_figures_) {
        if (group < 0) return fail("']' without its '['");
        flush();
        group = -1;
      } else {
        text += c;
      }
    }
    if (group >= 0) return fail("an optional part '[' is never closed with ']'");
    flush();
    return pieces;
  }

 private:
  Error fail(const std::string& message) const {
    return Error::invalid("template", fmt::format("{}: {}", where_, message));
  }

  Result<BulletinPiece> placeholder(std::string_view inside) const {
    BulletinPiece piece;
    piece.kind = BulletinPiece::Kind::kFigure;
    std::string_view names = inside;
    size_t colon = inside.find(':');
    std::optional<std::string_view> style;
    if (colon != std::string_view::npos) {
      names = inside.substr(0, colon);
      style = trim(inside.substr(colon + 1));
    }
    if (!style && std::find(inside.begin(), inside.end(), ',') == inside.end()) {
      std::string_view name = trim(names);
      for (const auto& [text, field] : kContextNames) {
        if (name == text) {
          piece.kind = BulletinPiece::Kind::kContext;
          piece.context = field;
          return piece;
        }
      }
    }
    for (std::string_view raw : split(names, ',')) {
      std::string_view name = trim(raw);
      if (name.empty()) return fail(fmt::format("placeholder '{{{}}}' names no figure", inside));
      if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
        return fail(
            fmt::format("unknown figure '{}' (nearest: {}; all: data/bulletins/figures.txt)", name,
                        nearest_names(name, known_)));
      }
      piece.figures.emplace_back(name);
    }
    if (!allow_figures_) {
      return fail(
          fmt::format("figure '{}' in the front matter (only {{unit}}, {{campaign}}, "
                      "{{opening}} and {{period}} there)",
                      piece.figures.front()));
    }
    if (style) {
      auto it = std::find_if(kStyles.begin(), kStyles.end(),
                             [&](const auto& s) { return s.first == *style; });
      if (it == kStyles.end()) {
        return fail(fmt::format(
            "unknown style '{}' for '{}' (styles: 约数, 同比, 环比, 同比分别, 环比分别)", *style,
            trim(names)));
      }
      piece.style = it->second;
    }
    if (is_joint(piece.style) && piece.figures.size() < 2) {
      return fail(
          fmt::format("style '{}' needs two or more figures, as in {{a,b:{}}}", *style, *style));
    }
    if (!is_joint(piece.style) && piece.figures.size() > 1) {
      return fail(fmt::format(
          "several figures '{}' in one placeholder need style 同比分别 or 环比分别", trim(names)));
    }
    return piece;
  }

  std::string where_;
  std::span<const std::string> known_;
  bool allow_figures_;
};

bool is_comment(std::string_view line) {
  return line.size() >= 7 && line.substr(0, 4) == "<!--" && line.substr(line.size() - 3) == "-->";
}

}  // namespace

bool BulletinSentence::names_figures() const {
  return std::any_of(pieces.begin(), pieces.end(),
                     [](const BulletinPiece& p) { return p.kind == BulletinPiece::Kind::kFigure; });
}

Result<BulletinTemplate> parse_bulletin_template(std::string_view text, std::string_view name,
                                                 std::span<const std::string> known_figures) {
  auto fail = [&](int line, const std::string& message) {
    return Error::invalid("template", line > 0 ? fmt::format("{} line {}: {}", name, line, message)
                                               : fmt::format("{}: {}", name, message));
  };
  if (!is_valid_utf8(text)) return fail(0, "the text is not UTF-8");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM from Notepad

  BulletinTemplate tmpl;
  tmpl.file_name = std::string(name);
  tmpl.name = tmpl.file_name;
  if (tmpl.name.size() > 3 && tmpl.name.ends_with(".md")) tmpl.name.resize(tmpl.name.size() - 3);

  std::vector<std::string_view> lines = split_lines(text);
  size_t i = 0;
  if (lines.empty() || trim(lines[0]) != "---") {
    return fail(1, "a template starts with a front matter: '---', 'title: ...', '---'");
  }
  bool closed = false;
  bool has_title = false;
  for (i = 1; i < lines.size(); ++i) {
    int line_number = static_cast<int>(i) + 1;
    std::string_view line = trim(lines[i]);
    if (line == "---") {
      closed = true;
      ++i;
      break;
    }
    if (line.empty() || is_comment(line)) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return fail(line_number, "expected 'key: value' in the front matter");
    std::string_view key = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    LineParser parser(fmt::format("{} line {}", name, line_number), known_figures, false);
    if (key == "title" || key == "subtitle") {
      PINGAN_ASSIGN_OR_RETURN(auto pieces, parser.parse(value));
      if (key == "title") {
        if (pieces.empty()) return fail(line_number, "the title is empty");
        tmpl.title = std::move(pieces);
        has_title = true;
      } else {
        tmpl.subtitle = std::move(pieces);
      }
    } else if (key == "description") {
      tmpl.description = std::string(value);
    } else {
      return fail(line_number,
                  fmt::format("unknown key '{}' (keys: title, subtitle, description)", key));
    }
  }
  if (!closed) return fail(0, "the front matter is never closed with '---'");
  if (!has_title) return fail(0, "the front matter has no 'title:'");

  tmpl.sections.emplace_back();  // the opening, before the first heading
  bool in_paragraph = false;
  for (; i < lines.size(); ++i) {
    int line_number = static_cast<int>(i) + 1;
    std::string_view line = trim(lines[i]);
    if (line.empty()) {
      in_paragraph = false;
      continue;
    }
    if (is_comment(line)) continue;
    if (line.starts_with("## ") || line == "##") {
      std::string_view heading = trim(line.substr(2));
      if (heading.empty()) return fail(line_number, "a section heading '## ' without its text");
      if (heading.find_first_of("{}[]") != std::string_view::npos) {
        return fail(line_number, "a section heading holds no placeholder or '[ ]'");
      }
      BulletinTemplateSection section;
      section.heading = std::string(heading);
      tmpl.sections.push_back(std::move(section));
      in_paragraph = false;
      continue;
    }
    if (line.starts_with("#")) {
      return fail(line_number,
                  "only '## ' headings are used; the title is set by 'title:' in the front matter");
    }
    LineParser parser(fmt::format("{} line {}", name, line_number), known_figures, true);
    BulletinSentence sentence;
    sentence.line = line_number;
    PINGAN_ASSIGN_OR_RETURN(sentence.pieces, parser.parse(line));
    auto& paragraphs = tmpl.sections.back().paragraphs;
    if (!in_paragraph) paragraphs.emplace_back();
    paragraphs.back().sentences.push_back(std::move(sentence));
    in_paragraph = true;
  }
  if (tmpl.sections.front().paragraphs.empty()) tmpl.sections.erase(tmpl.sections.begin());
  bool any_sentence = std::any_of(tmpl.sections.begin(), tmpl.sections.end(),
                                  [](const auto& s) { return !s.paragraphs.empty(); });
  if (!any_sentence) return fail(0, "the template has no sentence");
  return tmpl;
}

}  // namespace pingan
