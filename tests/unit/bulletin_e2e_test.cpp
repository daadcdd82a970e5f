// The campaign bulletin written from records whose true figures are known
// (issue 22's "Must show"): the Jinan 2023 figures of DOMAIN.md loaded as
// records (jinan_fixture.h), the shipped template data/bulletins/campaign.md,
// and the exact phrases found in the text, in the PDF read back by
// pdftotext and in the .docx read back by LibreOffice. Bad requests are
// refused naming the field, and no file is written.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "core/bulletin_template.h"
#include "jinan_fixture.h"
#include "ledger/ledger_attach.h"
#include "report/bulletin.h"
#include "report/bulletin_docx.h"
#include "report/bulletin_html.h"
#include "report/bulletin_pdf.h"
#include "report/child_process.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

namespace fs = std::filesystem;

// The phrases of DOMAIN.md's Jinan figures, as a bulletin writes them.
const std::vector<std::string> kPhrases = {
    "行动开展以来",
    "共破获刑事案件363起,抓获刑事犯罪嫌疑人368人,刑事警情、治安警情同比分别下降14.93%、17.57%。",
    "化解率达96.34%",
    "44065人",
    "9.9亿余元",
    "1245.6万余元",
};

std::string plain_text(const BulletinDocument& doc) {
  std::string out = doc.title + "\n" + doc.subtitle + "\n";
  for (const auto& section : doc.sections) {
    out += section.heading + "\n";
    for (const auto& paragraph : section.paragraphs) {
      for (const auto& run : paragraph.runs) out += run.text;
      out += "\n";
    }
  }
  return out;
}

std::string without_whitespace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class JinanBulletinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = open_jinan_world(with_records() ? JinanRecords::kAll : JinanRecords::kUnitsOnly);
    ASSERT_TRUE(world.ok()) << world.error().describe();
    world_ = std::move(world).value();
    sources_ = world_->sources();
    request_.unit = "JN";
    request_.from = CivilTime{2023, 6, 1};
    request_.to = CivilTime{2023, 8, 31};
    request_.campaign = "夏季治安打击整治行动";
  }

  // The records take ~20 s to write: only the test that reads them has them.
  virtual bool with_records() const { return true; }

  // Runs a tool, its output in a file of the test's folder.
  std::string run_tool(const std::vector<std::string>& argv, const std::string& log) {
    ChildProcessOptions options;
    options.timeout = std::chrono::milliseconds(120'000);
    options.log_path = world_->dir.file(log);
    auto exit = run_child_process(argv, options);
    EXPECT_TRUE(exit.ok() && exit->exit_code == 0) << argv[0] << " failed";
    return read_file(options.log_path);
  }

  std::unique_ptr<JinanWorld> world_;
  report::BulletinSources sources_;
  report::BulletinRequest request_;
};

TEST_F(JinanBulletinTest, TheCampaignBulletinSaysTheKnownFiguresInTextPdfAndDocx) {
  const auto started = std::chrono::steady_clock::now();
  auto doc = report::make_bulletin(sources_, "", world_->engine->time_zone(), request_);
  ASSERT_TRUE(doc.ok()) << doc.error().describe();
  std::printf("[ timing ] campaign bulletin (figures and text) in %.1f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
  const std::string text = plain_text(*doc);
  EXPECT_NE(doc->title.find("夏季治安打击整治行动战果通报"), std::string::npos) << doc->title;
  for (const auto& phrase : kPhrases) EXPECT_NE(text.find(phrase), std::string::npos) << phrase << " not in:\n" << text;
  // A figure without records is left out, never written as 0 (0起, 0人 ...).
  for (const auto& section : doc->sections)
    for (const auto& paragraph : section.paragraphs)
      for (const auto& run : paragraph.runs)
        if (!run.figure.empty()) {
          EXPECT_FALSE(run.text.size() > 1 && run.text[0] == '0' && run.text[1] != '.') << run.figure << ": " << run.text;
        }

  // Markdown: each figure a link to the records behind it.
  const std::string md = bulletin_markdown(*doc);
  EXPECT_NE(md.find("[363起]("), std::string::npos) << md;
  EXPECT_NE(md.find("[368人]("), std::string::npos) << md;

  // The PDF, read back by pdftotext.
  const std::string html = bulletin_html(*doc, BulletinHtmlOptions{});
  const std::string pdf = world_->dir.file("通报.pdf");
  ASSERT_TRUE(write_bulletin_pdf(html, pdf, PdfOptions{}).ok());
  const std::string pdf_text = without_whitespace(run_tool({"pdftotext", "-enc", "UTF-8", pdf, "-"}, "pdf.txt"));
  for (const auto& phrase : kPhrases)
    EXPECT_NE(pdf_text.find(without_whitespace(phrase)), std::string::npos) << phrase << " not in: " << pdf_text;

  // The .docx, converted back to text by LibreOffice.
  BulletinHtmlOptions word;
  word.flavour = BulletinHtmlFlavour::kWordProcessor;
  const std::string docx = world_->dir.file("通报.docx");
  ASSERT_TRUE(write_bulletin_docx(bulletin_html(*doc, word), docx, DocxOptions{}).ok());
  const fs::path txt_dir = world_->dir.file("txt");
  fs::create_directories(txt_dir);
  run_tool({"soffice", "-env:UserInstallation=file://" + world_->dir.file("lo-profile"), "--headless", "--convert-to",
            "txt:Text (encoded):UTF8", "--outdir", txt_dir.string(), docx},
           "soffice.log");
  const std::string docx_text = without_whitespace(read_file(txt_dir / "通报.txt"));
  for (const auto& phrase : kPhrases)
    EXPECT_NE(docx_text.find(without_whitespace(phrase)), std::string::npos) << phrase << " not in: " << docx_text;
}

class JinanBulletinRefusals : public JinanBulletinTest {
 protected:
  bool with_records() const override { return false; }
};

TEST_F(JinanBulletinRefusals, BadRequestsAreRefusedNamingTheField) {
  auto refused = [&](const report::BulletinRequest& r, const std::string& data_dir) {
    auto doc = report::make_bulletin(sources_, data_dir, world_->engine->time_zone(), r);
    EXPECT_FALSE(doc.ok());
    return doc.ok() ? std::string() : doc.error().field + ": " + doc.error().message;
  };
  report::BulletinRequest r = request_;
  r.unit = "NOPE";
  EXPECT_EQ(refused(r, ""), "unit: unknown unit 'NOPE'");
  r = request_;
  r.to = CivilTime{2023, 5, 31};
  EXPECT_EQ(refused(r, "").rfind("to: ", 0), 0u);
  r = request_;
  r.template_name = "monthly";
  EXPECT_NE(refused(r, "").find("no template 'monthly'"), std::string::npos);

  // A bureau's template naming a figure that does not exist: refused when
  // loaded, naming the file, the line and the name.
  const fs::path data = world_->dir.file("data");
  fs::create_directories(data / "bulletins");
  fs::copy_file(fs::path(PINGAN_SOURCE_DIR) / "data/bulletins/figures.txt", data / "bulletins/figures.txt");
  std::ofstream(data / "bulletins/mine.md") << "---\ntitle: {unit}通报\n---\n共破获刑事案件{cases.solve}。\n";
  r = request_;
  r.template_name = "mine";
  const std::string why = refused(r, data.string());
  EXPECT_NE(why.find("mine.md line 4"), std::string::npos) << why;
  EXPECT_NE(why.find("cases.solve"), std::string::npos) << why;
}

}  // namespace
}  // namespace pingan::testing
