// Bulletin templates (issue 22): the format is read strictly, the Jinan
// figures of /work/shared/DOMAIN.md come out as the seed's sentence, the
// records decide what is left out, and the shipped templates in
// data/bulletins/ load against data/bulletins/figures.txt and render.
#include "core/bulletin_template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace pingan {
namespace {

using Kind = BulletinFigureValue::Kind;

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(PINGAN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> shipped_figure_names() {
  auto specs = parse_bulletin_figure_list(read_source("data/bulletins/figures.txt"), "figures.txt");
  EXPECT_TRUE(specs.ok()) << specs.error().describe();
  return specs.ok() ? bulletin_figure_names(*specs) : std::vector<std::string>{};
}

BulletinFigureValue count(std::int64_t value, std::string measure,
                          std::optional<std::int64_t> year_ago = {},
                          std::optional<std::int64_t> previous = {}) {
  BulletinFigureValue v;
  v.kind = Kind::kCount;
  v.value = value;
  v.measure = std::move(measure);
  v.year_ago = year_ago;
  v.previous = previous;
  v.records = value;
  return v;
}

BulletinFigureValue money_yuan(std::int64_t yuan, std::int64_t records) {
  BulletinFigureValue v;
  v.kind = Kind::kMoney;
  v.value = yuan * 100;
  v.measure = "元";
  v.records = records;
  return v;
}

BulletinFigureValue rate(std::int64_t part, std::int64_t whole) {
  BulletinFigureValue v;
  v.kind = Kind::kRate;
  v.value = part;
  v.whole = whole;
  v.measure = "%";
  v.records = whole;
  return v;
}

// The Jinan 2023 figures of DOMAIN.md / the issue, each with a link.
std::map<std::string, BulletinFigureValue> jinan_figures() {
  std::map<std::string, BulletinFigureValue> f;
  f["cases.solved"] = count(363, "起");
  f["suspects.caught"] = count(368, "人");
  f["incidents.criminal"] = count(1618, "起", 1902);
  f["incidents.public_order"] = count(4039, "起", 4900);
  f["disputes.found"] = count(383, "起");
  f["disputes.resolved"] = count(369, "起");
  f["disputes.rate"] = rate(369, 383);
  f["people.dissuaded"] = count(44065, "人");
  f["money.stopped"] = money_yuan(990'123'456, 812);
  f["money.frozen"] = money_yuan(12'456'789, 95);
  for (auto& [name, value] : f) value.link = "/#/figures/" + name + "?unit=370103";
  return f;
}

BulletinContext jinan_context() {
  BulletinContext ctx;
  ctx.unit = "市中公安分局";
  ctx.campaign = "夏季治安打击整治行动";
  ctx.campaign_start = CivilTime{2023, 6, 1};
  ctx.from = CivilTime{2023, 6, 1};
  ctx.to = CivilTime{2023, 8, 24};
  return ctx;
}

BulletinTemplate parse_ok(const std::string& text, const std::string& name = "test.md") {
  std::vector<std::string> known = shipped_figure_names();
  auto t = parse_bulletin_template(text, name, known);
  EXPECT_TRUE(t.ok()) << t.error().describe();
  return t.ok() ? *t : BulletinTemplate{};
}

std::string parse_error(const std::string& text, const std::string& name = "campaign.md") {
  std::vector<std::string> known = shipped_figure_names();
  auto t = parse_bulletin_template(text, name, known);
  return t.ok() ? "(ok)" : t.error().message;
}

BulletinDocument render_ok(const BulletinTemplate& t,
                           const std::map<std::string, BulletinFigureValue>& f,
                           const BulletinContext& ctx) {
  auto doc = render_bulletin(t, f, ctx);
  EXPECT_TRUE(doc.ok()) << doc.error().describe();
  return doc.ok() ? *doc : BulletinDocument{};
}

std::string paragraph_text(const BulletinParagraph& p) {
  std::string out;
  for (const auto& run : p.runs) out += run.text;
  return out;
}

std::string all_text(const BulletinDocument& doc) {
  std::string out;
  for (const auto& s : doc.sections) {
    out += s.heading + "\n";
    for (const auto& p : s.paragraphs) out += paragraph_text(p) + "\n";
  }
  return out;
}

const std::string kFront = "---\ntitle: {unit}{campaign}战果通报\nsubtitle: （{period}）\n---\n";

// The sentence of DOMAIN.md ("How a bulletin reads"), with its punctuation:
// ASCII "," between clauses as DOMAIN.md and the seeds write it, "、" and "。".
const std::string kJinanSentence =
    "行动开展以来,共破获刑事案件363起,抓获刑事犯罪嫌疑人368人,刑事警情、治安警情同比分别下降14.93%"
    "、17.57%。";

TEST(BulletinTemplate, JinanSentenceExactly) {
  BulletinTemplate t =
      parse_ok(kFront +
               "{opening},共破获刑事案件{cases.solved},抓获刑事犯罪嫌疑人{suspects.caught},"
               "刑事警情、治安警情{incidents.criminal,incidents.public_order:同比分别}。\n");
  BulletinDocument doc = render_ok(t, jinan_figures(), jinan_context());
  EXPECT_EQ(doc.title, "市中公安分局夏季治安打击整治行动战果通报");
  EXPECT_EQ(doc.subtitle, "（2023年6月1日至8月24日）");
  EXPECT_EQ(doc.template_name, "test");
  ASSERT_EQ(doc.sections.size(), 1u);
  EXPECT_EQ(doc.sections[0].heading, "");
  ASSERT_EQ(doc.sections[0].paragraphs.size(), 1u);
  const auto& runs = doc.sections[0].paragraphs[0].runs;
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]), kJinanSentence);
  // Figure runs carry their names and links; text runs neither.
  ASSERT_EQ(runs.size(), 7u);
  EXPECT_EQ(runs[0].text, "行动开展以来,共破获刑事案件");
  EXPECT_EQ(runs[0].figure, "");
  EXPECT_EQ(runs[1].text, "363起");
  EXPECT_EQ(runs[1].figure, "cases.solved");
  EXPECT_EQ(runs[1].link, "/#/figures/cases.solved?unit=370103");
  EXPECT_EQ(runs[3].text, "368人");
  EXPECT_EQ(runs[3].figure, "suspects.caught");
  EXPECT_EQ(runs[5].text, "同比分别下降14.93%、17.57%");
  EXPECT_EQ(runs[5].figure, "incidents.criminal,incidents.public_order");
  EXPECT_EQ(runs[5].link, "/#/figures/incidents.criminal?unit=370103");
  EXPECT_EQ(runs[6].text, "。");
}

TEST(BulletinTemplate, ShippedCampaignFindsTheIssuesPhrases) {
  BulletinTemplate t = parse_ok(read_source("data/bulletins/campaign.md"), "campaign.md");
  EXPECT_EQ(t.name, "campaign");
  // The provider supplies every listed figure; those Jinan does not give
  // have no records.
  std::map<std::string, BulletinFigureValue> f = jinan_figures();
  for (const auto& name : shipped_figure_names()) f.try_emplace(name, count(0, "起"));
  BulletinDocument doc = render_ok(t, f, jinan_context());
  std::string text = all_text(doc);
  EXPECT_NE(text.find(std::string(
                "行动开展以来,市中公安分局全警动员、尽锐出战,共破获刑事案件363起,"
                "抓获刑事犯罪嫌疑人368人,刑事警情、治安警情同比分别下降14.93%、17.57%。")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("排查矛盾纠纷383起,化解369起,化解率达96.34%。"), std::string::npos) << text;
  EXPECT_NE(text.find("预警劝阻群众44065人。"), std::string::npos) << text;
  EXPECT_NE(text.find("止付涉案金额9.9亿余元。"), std::string::npos) << text;
  EXPECT_NE(text.find("冻结涉案金额1245.6万余元。"), std::string::npos) << text;
  // No figure without records shows up as zero, and no empty section stays.
  EXPECT_EQ(text.find("0起"), std::string::npos) << text;
  EXPECT_EQ(text.find("出动警力"), std::string::npos) << text;
  std::vector<std::string> headings;
  for (const auto& s : doc.sections) headings.push_back(s.heading);
  // 三 goes: its sentences name sweeps.officers and incidents.total, without
  // records here; so do 四 and 六.
  EXPECT_EQ(headings, (std::vector<std::string>{"", "一、严打犯罪", "二、打击治理电信网络诈骗",
                                                "五、隐患整治"}));
  ASSERT_EQ(doc.sections[1].paragraphs.size(), 1u);
  EXPECT_EQ(paragraph_text(doc.sections[1].paragraphs[0]),
            "破获刑事案件363起。抓获刑事犯罪嫌疑人368人。");
}

TEST(BulletinTemplate, NoRecordsDropsTheSentenceAndTheEmptiedSection) {
  BulletinTemplate t =
      parse_ok(kFront +
               "## 一、严打犯罪\n破获刑事案件{cases.solved}。\n抓获网上逃犯{fugitives.caught}。\n"
               "## 二、宣传发动\n发放宣传资料{publicity.leaflets:约数}。\n"
               "## 三、下一步工作\n继续保持高压态势。\n");
  auto f = jinan_figures();
  f["fugitives.caught"] = count(0, "名");
  f["publicity.leaflets"] = count(0, "份");
  BulletinDocument doc = render_ok(t, f, jinan_context());
  ASSERT_EQ(doc.sections.size(), 2u);
  EXPECT_EQ(doc.sections[0].heading, "一、严打犯罪");
  ASSERT_EQ(doc.sections[0].paragraphs.size(), 1u);
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]), "破获刑事案件363起。");
  // A section of plain text only is kept: it never depended on records.
  EXPECT_EQ(doc.sections[1].heading, "三、下一步工作");

  // With records the leaflets come back, rounded as 约数 asks.
  f["publicity.leaflets"] = count(23'456, "份");
  doc = render_ok(t, f, jinan_context());
  ASSERT_EQ(doc.sections.size(), 3u);
  EXPECT_EQ(paragraph_text(doc.sections[1].paragraphs[0]), "发放宣传资料2.3万余份。");
}

TEST(BulletinTemplate, ChangesOnlyWhenTheBaseIsKnown) {
  BulletinTemplate t =
      parse_ok(kFront +
               "破获刑事案件{cases.solved}[,{cases.solved:同比}][,{cases.solved:环比}]。\n"
               "刑事警情{incidents.criminal:同比}。\n");
  auto f = jinan_figures();
  BulletinDocument doc = render_ok(t, f, jinan_context());
  ASSERT_EQ(doc.sections.size(), 1u);
  // No base for cases.solved: both optional parts go, the sentence stays.
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]),
            "破获刑事案件363起。刑事警情同比下降14.93%。");
  f["cases.solved"].year_ago = 300;  // +21.00%
  f["cases.solved"].previous = 363;  // 持平
  f["incidents.criminal"].year_ago.reset();
  doc = render_ok(t, f, jinan_context());
  // The second sentence has its change outside [ ]: it goes whole.
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]),
            "破获刑事案件363起,同比上升21.00%,环比持平。");
}

TEST(BulletinTemplate, JointChangeWithAZeroBaseIsLeftOut) {
  BulletinTemplate t = parse_ok(
      kFront +
      "警情{incidents.criminal}[,{incidents.criminal,incidents.public_order:同比分别}]。\n");
  auto f = jinan_figures();
  f["incidents.public_order"].year_ago = 0;
  BulletinDocument doc = render_ok(t, f, jinan_context());
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]), "警情1618起。");
}

TEST(BulletinTemplate, UnknownFigureIsALoadErrorNamingLineAndName) {
  std::string text = kFront + "\n## 一、严打犯罪\n破获刑事案件{cases.solve}。\n";
  std::string e = parse_error(text);
  // The nearest known names by edit distance, the closest first.
  EXPECT_EQ(
      e.rfind(
          "campaign.md line 7: unknown figure 'cases.solve' (nearest: cases.solved, cases.opened, ",
          0),
      0u)
      << e;
  EXPECT_NE(e.find("; all: data/bulletins/figures.txt)"), std::string::npos) << e;
  // In the front matter, the line of the key.
  e = parse_error("---\ntitle: 标题\nsubtitle: {unitt}\n---\n句子。\n");
  EXPECT_EQ(e.rfind("campaign.md line 3: unknown figure 'unitt' (nearest: ", 0), 0u) << e;
}

TEST(BulletinTemplate, StrictFormatErrors) {
  auto has = [](const std::string& error, const std::string& part) {
    return error.find(part) != std::string::npos;
  };
  std::string e = parse_error(kFront + "刑事警情{incidents.criminal:同期}。\n");
  EXPECT_TRUE(has(e, "campaign.md line 5: unknown style '同期' for 'incidents.criminal'")) << e;
  e = parse_error(kFront + "破获{cases.solved。\n");
  EXPECT_TRUE(has(e, "campaign.md line 5: placeholder '{cases.solved")) << e;
  EXPECT_TRUE(has(e, "never closed")) << e;
  e = parse_error(kFront + "破获{cases.solved}[,{cases.solved:同比}。\n");
  EXPECT_TRUE(has(e, "line 5: an optional part '[' is never closed")) << e;
  e = parse_error(kFront + "破获}。\n");
  EXPECT_TRUE(has(e, "line 5: '}' without its '{'")) << e;
  e = parse_error(kFront + "警情{incidents.criminal:同比分别}。\n");
  EXPECT_TRUE(has(e, "line 5: style '同比分别' needs two or more figures")) << e;
  e = parse_error(kFront + "警情{incidents.criminal,incidents.public_order}。\n");
  EXPECT_TRUE(has(e, "line 5: several figures")) << e;
  e = parse_error("---\ntitle: 破获{cases.solved}\n---\n句子。\n");
  EXPECT_TRUE(has(e, "campaign.md line 2: figure 'cases.solved' in the front matter")) << e;
  e = parse_error("---\ntitle: 标题\nauthor: x\n---\n句子。\n");
  EXPECT_TRUE(has(e, "campaign.md line 3: unknown key 'author'")) << e;
  EXPECT_TRUE(has(parse_error("## 一、严打犯罪\n句子。\n"),
                  "campaign.md line 1: a template starts with a front matter"));
  EXPECT_TRUE(has(parse_error("---\ntitle: 标题\n"), "never closed with '---'"));
  EXPECT_TRUE(has(parse_error("---\ntitle: 标题\n句子。\n"),
                  "line 3: expected 'key: value' in the front matter"));
  EXPECT_TRUE(has(parse_error("---\nsubtitle: x\n---\n句子。\n"), "no 'title:'"));
  EXPECT_TRUE(has(parse_error(kFront + "# 标题\n句子。\n"), "line 5: only '## ' headings"));
  EXPECT_TRUE(has(parse_error(kFront + "## 一、严打犯罪\n"), "the template has no sentence"));
  EXPECT_TRUE(has(parse_error(kFront + "句子\xff。\n"), "not UTF-8"));
  // Comments and a BOM are fine.
  BulletinTemplate t = parse_ok("\xEF\xBB\xBF" + kFront + "<!-- 注释 -->\n破获{cases.solved}。\n");
  ASSERT_EQ(t.sections.size(), 1u);
  EXPECT_EQ(t.sections[0].paragraphs[0].sentences[0].line, 6);
}

TEST(BulletinTemplate, RenderErrorsNameTheFigure) {
  // A figure absent from the answer (the records cannot answer it) is left
  // out like one without records: not an error.
  BulletinTemplate t = parse_ok(kFront + "破获{cases.solved}。\n逃犯{fugitives.caught}。\n");
  auto doc = render_bulletin(t, jinan_figures(), jinan_context());
  ASSERT_TRUE(doc.ok()) << doc.error().describe();
  EXPECT_EQ(all_text(*doc), "\n破获363起。\n");

  t = parse_ok(kFront + "化解率{disputes.rate:同比}。\n");
  doc = render_bulletin(t, jinan_figures(), jinan_context());
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("figure 'disputes.rate': a rate has no 同比/环比"),
            std::string::npos);

  t = parse_ok(kFront + "破获{cases.solved}。\n");
  auto f = jinan_figures();
  f["cases.solved"].measure = "斤";
  doc = render_bulletin(t, f, jinan_context());
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("test.md line 5, figure 'cases.solved': measure_word"),
            std::string::npos)
      << doc.error().message;

  BulletinContext no_campaign = jinan_context();
  no_campaign.campaign.clear();
  doc = render_bulletin(parse_ok(kFront + "句子。\n"), jinan_figures(), no_campaign);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("{campaign}"), std::string::npos);
}

TEST(BulletinTemplate, PeriodAndOpeningFromTheContext) {
  BulletinTemplate t =
      parse_ok("---\ntitle: {unit}\nsubtitle: {period}\n---\n{opening},破获{cases.solved}。\n");
  BulletinContext ctx = jinan_context();
  ctx.from = CivilTime{2023, 1, 1};
  BulletinDocument doc = render_ok(t, jinan_figures(), ctx);
  EXPECT_EQ(doc.subtitle, "2023年1月1日至8月24日");
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]), "今年以来,破获363起。");
  ctx.from = CivilTime{2022, 12, 1};
  ctx.to = CivilTime{2023, 1, 31};
  doc = render_ok(t, jinan_figures(), ctx);
  EXPECT_EQ(doc.subtitle, "2022年12月1日至2023年1月31日");
  EXPECT_EQ(paragraph_text(doc.sections[0].paragraphs[0]),
            "2022年12月1日至2023年1月31日,破获363起。");
  ctx.from = ctx.to;
  doc = render_ok(t, jinan_figures(), ctx);
  EXPECT_EQ(doc.subtitle, "2023年1月31日");
  ctx.to = CivilTime{2023, 1, 30};
  EXPECT_FALSE(render_bulletin(t, jinan_figures(), ctx).ok());
}

TEST(BulletinTemplate, MarkdownWithLinks) {
  BulletinTemplate t =
      parse_ok(kFront +
               "## 一、严打犯罪\n破获刑事案件{cases.solved}。\n抓获{suspects.caught}。\n\n"
               "化解率达{disputes.rate}*。\n");
  auto f = jinan_figures();
  f["suspects.caught"].link.clear();
  f["disputes.rate"].link = "/#/disputes?status=resolved (all)";
  BulletinDocument doc = render_ok(t, f, jinan_context());
  EXPECT_EQ(bulletin_markdown(doc),
            "# 市中公安分局夏季治安打击整治行动战果通报\n"
            "\n（2023年6月1日至8月24日）\n"
            "\n## 一、严打犯罪\n"
            "\n破获刑事案件[363起](/#/figures/cases.solved?unit=370103)。抓获368人。\n"
            "\n化解率达[96.34%](/#/disputes?status=resolved%20%28all%29)\\*。\n");
}

TEST(BulletinTemplate, ShippedTemplatesLoadAndRenderEverySection) {
  auto specs = parse_bulletin_figure_list(read_source("data/bulletins/figures.txt"), "figures.txt");
  ASSERT_TRUE(specs.ok()) << specs.error().describe();
  EXPECT_EQ(specs->size(), 23u);
  std::vector<std::string> names = bulletin_figure_names(*specs);
  // Every figure with records and both bases, its kind from its measure.
  std::map<std::string, BulletinFigureValue> f;
  for (const auto& spec : *specs) {
    BulletinFigureValue v = count(120, spec.measure, 100, 150);
    if (spec.measure == "元") v = money_yuan(12'456'789, 3);
    if (spec.measure == "%") v = rate(369, 383);
    v.link = "/#/x/" + spec.name;
    f[spec.name] = v;
  }
  for (const char* file : {"campaign.md", "weekly.md", "daily.md"}) {
    SCOPED_TRACE(file);
    auto t =
        parse_bulletin_template(read_source(std::string("data/bulletins/") + file), file, names);
    ASSERT_TRUE(t.ok()) << t.error().describe();
    BulletinDocument doc = render_ok(*t, f, jinan_context());
    EXPECT_EQ(doc.sections.size(), t->sections.size());
    std::string md = bulletin_markdown(doc);
    EXPECT_NE(md.find("[120起](/#/x/"), std::string::npos) << md;
    EXPECT_EQ(md.find('{'), std::string::npos) << md;
  }
}

TEST(BulletinTemplate, FigureListErrors) {
  auto error = [](const std::string& text) {
    auto r = parse_bulletin_figure_list(text, "figures.txt");
    return r.ok() ? std::string("(ok)") : r.error().message;
  };
  EXPECT_EQ(error("a.b 起 标签\na.b 人 标签\n"),
            "figures.txt line 2: figure 'a.b' is listed twice");
  EXPECT_EQ(error("# c\nA.b 起 标签\n"),
            "figures.txt line 2: 'A.b' is not a figure name (a-z, 0-9, '_', '.')");
  EXPECT_EQ(error("a.b 起\n"), "figures.txt line 1: expected 'name measure label', found 2 fields");
  EXPECT_NE(error("a.b 斤 标签\n").find("figures.txt line 1, figure 'a.b': unknown measure '斤'"),
            std::string::npos);
  EXPECT_EQ(error("# only a comment\n"), "figures.txt: no figure is listed");
}

}  // namespace
}  // namespace pingan
