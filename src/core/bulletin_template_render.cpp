// Filling a bulletin template with figures (render_bulletin) and writing the
// result as Markdown (bulletin_markdown). Every number is written by the
// wording rules of core/bulletin_wording.h; this file only chooses which
// rule, and leaves out what the records do not support.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "core/bulletin_template.h"
#include "core/bulletin_wording.h"

namespace pingan {
namespace {

using Kind = BulletinFigureValue::Kind;

// What a placeholder becomes: a text, or "leave it out" (no records, no base).
struct Filled {
  bool dropped = false;
  std::string text;
};

class Renderer {
 public:
  Renderer(const BulletinTemplate& tmpl, const std::map<std::string, BulletinFigureValue>& figures,
           const BulletinContext& ctx)
      : tmpl_(tmpl), figures_(figures), ctx_(ctx) {}

  Result<BulletinDocument> run() {
    BulletinDocument doc;
    doc.template_name = tmpl_.name;
    PINGAN_ASSIGN_OR_RETURN(doc.title, plain_line(tmpl_.title));
    PINGAN_ASSIGN_OR_RETURN(doc.subtitle, plain_line(tmpl_.subtitle));
    for (const auto& section : tmpl_.sections) {
      BulletinSection out;
      out.heading = section.heading;
      bool names_figures = false;
      int figure_sentences_left = 0;
      for (const auto& paragraph : section.paragraphs) {
        BulletinParagraph para;
        for (const auto& sentence : paragraph.sentences) {
          bool with_figures = sentence.names_figures();
          names_figures = names_figures || with_figures;
          PINGAN_ASSIGN_OR_RETURN(std::optional<std::vector<BulletinRun>> runs,
                                  render_sentence(sentence));
          if (!runs) continue;
          if (with_figures) ++figure_sentences_left;
          for (auto& run : *runs) append(para, std::move(run));
        }
        if (!para.runs.empty()) out.paragraphs.push_back(std::move(para));
      }
      if (out.paragraphs.empty() || (names_figures && figure_sentences_left == 0)) continue;
      doc.sections.push_back(std::move(out));
    }
    return doc;
  }

 private:
  Error fail(int line, std::string_view figure, const std::string& message) const {
    std::string where =
        line > 0 ? fmt::format("{} line {}", tmpl_.file_name, line) : tmpl_.file_name;
    if (!figure.empty()) where += fmt::format(", figure '{}'", figure);
    return Error::invalid("template", fmt::format("{}: {}", where, message));
  }

  // Plain text runs next to each other merge, so a paragraph stays small.
  static void append(BulletinParagraph& para, BulletinRun run) {
    if (run.text.empty()) return;
    if (run.figure.empty() && !para.runs.empty() && para.runs.back().figure.empty()) {
      para.runs.back().text += run.text;
    } else {
      para.runs.push_back(std::move(run));
    }
  }

  // The title or subtitle: text and context placeholders only.
  Result<std::string> plain_line(const std::vector<BulletinPiece>& pieces) {
    std::string out;
    for (const auto& piece : pieces) {
      if (piece.kind == BulletinPiece::Kind::kContext) {
        PINGAN_ASSIGN_OR_RETURN(std::string text, context_text(piece.context, 0));
        out += text;
      } else {
        out += piece.text;
      }
    }
    return out;
  }

  Result<std::string> context_text(BulletinContextField field, int line) {
    switch (field) {
      case BulletinContextField::kUnit:
        if (ctx_.unit.empty())
          return fail(line, "", "{unit} is asked for but the context has no unit");
        return ctx_.unit;
      case BulletinContextField::kCampaign:
        if (ctx_.campaign.empty()) {
          return fail(line, "", "{campaign} is asked for but the context has no campaign name");
        }
        return ctx_.campaign;
      case BulletinContextField::kOpening: {
        auto opening = period_opening(ctx_.campaign_start, ctx_.from, ctx_.to);
        if (!opening.ok()) return fail(line, "", "{opening}: " + opening.error().describe());
        return *opening;
      }
      case BulletinContextField::kPeriod:
        return period_dates(line);
    }
    return fail(line, "", "unknown context field");
  }

  // "2026年6月24日至8月29日"; one day: "2026年8月29日"; across years both
  // years. Dates, not figures: the wording rules have no date rule of this form.
  Result<std::string> period_dates(int line) const {
    const CivilTime& a = ctx_.from;
    const CivilTime& b = ctx_.to;
    if (!is_valid_civil(a) || !is_valid_civil(b))
      return fail(line, "", "{period}: a date that does not exist");
    if (std::tie(b.year, b.month, b.day) < std::tie(a.year, a.month, a.day)) {
      return fail(line, "", "{period}: the last day is before the first");
    }
    std::string first = fmt::format("{}年{}月{}日", a.year, a.month, a.day);
    if (a.year == b.year && a.month == b.month && a.day == b.day) return first;
    if (a.year == b.year) return fmt::format("{}至{}月{}日", first, b.month, b.day);
    return fmt::format("{}至{}年{}月{}日", first, b.year, b.month, b.day);
  }

  // nullopt: the sentence is left out.
  Result<std::optional<std::vector<BulletinRun>>> render_sentence(
      const BulletinSentence& sentence) {
    std::vector<BulletinRun> runs;
    std::vector<std::optional<BulletinRun>> filled(sentence.pieces.size());
    std::vector<bool> group_dropped;
    for (size_t i = 0; i < sentence.pieces.size(); ++i) {
      const BulletinPiece& piece = sentence.pieces[i];
      if (piece.optional_group >= static_cast<int>(group_dropped.size())) {
        group_dropped.resize(piece.optional_group + 1, false);
      }
      if (piece.kind == BulletinPiece::Kind::kText) {
        filled[i] = BulletinRun{piece.text, "", ""};
      } else if (piece.kind == BulletinPiece::Kind::kContext) {
        PINGAN_ASSIGN_OR_RETURN(std::string text, context_text(piece.context, sentence.line));
        filled[i] = BulletinRun{std::move(text), "", ""};
      } else {
        PINGAN_ASSIGN_OR_RETURN(Filled f, figure_text(piece, sentence.line));
        if (f.dropped) {
          if (piece.optional_group < 0) return std::optional<std::vector<BulletinRun>>();
          group_dropped[piece.optional_group] = true;
          continue;
        }
        std::string names;
        for (const auto& name : piece.figures) names += (names.empty() ? "" : ",") + name;
        filled[i] = BulletinRun{std::move(f.text), names, figures_.at(piece.figures.front()).link};
      }
    }
    for (size_t i = 0; i < sentence.pieces.size(); ++i) {
      int group = sentence.pieces[i].optional_group;
      if (group >= 0 && group_dropped[group]) continue;
      if (filled[i]) runs.push_back(std::move(*filled[i]));
    }
    return std::optional<std::vector<BulletinRun>>(std::move(runs));
  }

  Result<Filled> figure_text(const BulletinPiece& piece, int line) {
    std::vector<const BulletinFigureValue*> values;
    for (const auto& name : piece.figures) {
      auto it = figures_.find(name);
      // Absent: the records cannot answer it here (report/bulletin_figures.h),
      // which says no more than a figure without records.
      if (it == figures_.end() || it->second.records == 0) return Filled{true, ""};
      values.push_back(&it->second);
    }

    const std::string& name = piece.figures.front();
    const BulletinFigureValue& v = *values.front();
    auto wording = [&](const Result<std::string>& r) -> Result<Filled> {
      if (!r.ok()) return fail(line, name, r.error().describe());
      return Filled{false, *r};
    };
    auto measure = [&]() -> Result<MeasureWord> {
      auto word = parse_measure_word(v.measure);
      if (!word.ok()) return fail(line, name, word.error().describe());
      return *word;
    };
    switch (piece.style) {
      case BulletinStyle::kPlain:
      case BulletinStyle::kApproximate: {
        if (v.kind == Kind::kMoney) {
          if (piece.style == BulletinStyle::kApproximate)
            return fail(line, name, "约数 is for counts, not money");
          return wording(money_text(v.value));
        }
        if (v.kind == Kind::kRate) {
          if (piece.style == BulletinStyle::kApproximate)
            return fail(line, name, "约数 is for counts, not rates");
          return wording(rate_text(v.value, v.whole));
        }
        PINGAN_ASSIGN_OR_RETURN(MeasureWord word, measure());
        return wording(count_text(v.value, word,
                                  piece.style == BulletinStyle::kApproximate
                                      ? CountStyle::kApproximate
                                      : CountStyle::kExact));
      }
      case BulletinStyle::kYearOnYear:
      case BulletinStyle::kPeriodOnPeriod: {
        bool yoy = piece.style == BulletinStyle::kYearOnYear;
        ChangeBasis basis = yoy ? ChangeBasis::kYearOnYear : ChangeBasis::kPeriodOnPeriod;
        const std::optional<std::int64_t>& base = yoy ? v.year_ago : v.previous;
        if (v.kind == Kind::kRate) return fail(line, name, "a rate has no 同比/环比 change here");
        if (!base) return Filled{true, ""};
        if (v.kind == Kind::kMoney) return wording(money_change_phrase(basis, v.value, *base));
        PINGAN_ASSIGN_OR_RETURN(MeasureWord word, measure());
        return wording(change_phrase(basis, v.value, *base, word));
      }
      case BulletinStyle::kJointYearOnYear:
      case BulletinStyle::kJointPeriodOnPeriod: {
        bool yoy = piece.style == BulletinStyle::kJointYearOnYear;
        std::vector<CountChange> changes;
        for (size_t i = 0; i < values.size(); ++i) {
          const BulletinFigureValue& each = *values[i];
          if (each.kind != Kind::kCount)
            return fail(line, piece.figures[i], "a joint change is for counts only");
          const std::optional<std::int64_t>& base = yoy ? each.year_ago : each.previous;
          // A zero base has no percentage: the joint phrase cannot say it.
          if (!base || *base == 0) return Filled{true, ""};
          changes.push_back({each.value, *base});
        }
        return wording(joint_change_phrase(
            yoy ? ChangeBasis::kYearOnYear : ChangeBasis::kPeriodOnPeriod, changes));
      }
    }
    return fail(line, name, "unknown style");
  }

  const BulletinTemplate& tmpl_;
  const std::map<std::string, BulletinFigureValue>& figures_;
  const BulletinContext& ctx_;
};

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
        c == '>') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string escape_link(std::string_view link) {
  std::string out;
  for (char c : link) {
    switch (c) {
      case ' ':
        out += "%20";
        break;
      case '(':
        out += "%28";
        break;
      case ')':
        out += "%29";
        break;
      case '<':
        out += "%3C";
        break;
      case '>':
        out += "%3E";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

Result<BulletinDocument> render_bulletin(const BulletinTemplate& tmpl,
                                         const std::map<std::string, BulletinFigureValue>& figures,
                                         const BulletinContext& ctx) {
  return Renderer(tmpl, figures, ctx).run();
}

std::string bulletin_markdown(const BulletinDocument& doc) {
  std::string out = "# " + escape_markdown(doc.title) + "\n";
  if (!doc.subtitle.empty()) out += "\n" + escape_markdown(doc.subtitle) + "\n";
  for (const auto& section : doc.sections) {
    if (!section.heading.empty()) out += "\n## " + escape_markdown(section.heading) + "\n";
    for (const auto& paragraph : section.paragraphs) {
      out += "\n";
      for (const auto& run : paragraph.runs) {
        if (run.link.empty()) {
          out += escape_markdown(run.text);
        } else {
          out += "[" + escape_markdown(run.text) + "](" + escape_link(run.link) + ")";
        }
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace pingan
