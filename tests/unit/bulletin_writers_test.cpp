// The bulletin's printable page, PDF and .docx (issue 22), checked against
// the real tools: Chromium prints, pdftotext/pdffonts/pdfinfo read the PDF
// back, LibreOffice converts the .docx back to text. The document is the
// Jinan 2023 sentence of DOMAIN.md, built by hand.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/bulletin_document.h"
#include "ingest/xlsx_zip.h"
#include "report/bulletin_docx.h"
#include "report/bulletin_html.h"
#include "report/bulletin_pdf.h"
#include "report/child_process.h"
#include "report/scratch_dir.h"

namespace pingan {
namespace {

using std::chrono::milliseconds;

const std::vector<std::string> kPhrases = {
    "行动开展以来", "363起", "368人", "同比分别下降14.93%、17.57%", "化解率达96.34%", "9.9亿余元",
};

BulletinRun text(std::string t) { return {std::move(t), "", ""}; }
BulletinRun figure(std::string t, std::string name, std::string link) {
  return {std::move(t), std::move(name), std::move(link)};
}

BulletinDocument jinan_bulletin() {
  BulletinDocument doc;
  doc.title = "济南市公安局夏季治安打击整治行动战果通报";
  doc.subtitle = "（2023年6月21日至9月30日）";
  doc.template_name = "campaign";
  BulletinSection opening;
  opening.paragraphs.push_back(
      {{text("行动开展以来，共破获刑事案件"),
        figure("363起", "cases.solved", "/#/cases?status=solved&from=2023-06-21&to=2023-09-30"),
        text("，抓获刑事犯罪嫌疑人"),
        figure("368人", "suspects.caught", "/#/suspects?from=2023-06-21&to=2023-09-30"),
        text("，刑事警情、治安警情"),
        figure("同比分别下降14.93%、17.57%", "incidents.criminal.yoy",
               "/#/incidents?kind=criminal&from=2023-06-21&to=2023-09-30"),
        text("。")}});
  doc.sections.push_back(opening);
  BulletinSection prevent;
  prevent.heading = "一、严防风险";
  prevent.paragraphs.push_back(
      {{text("排查化解矛盾纠纷，"),
        figure("化解率达96.34%", "disputes.resolved_rate", "/#/disputes?from=2023-06-21"),
        text("；劝阻潜在受害群众，止付冻结涉案资金"),
        figure("9.9亿余元", "fraud.stopped", "/#/fraud?from=2023-06-21"), text("。")}});
  doc.sections.push_back(prevent);
  return doc;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// pdftotext and LibreOffice break lines where they like: compare without
// any whitespace (the phrases have none).
std::string without_whitespace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  return out;
}

// Runs a tool with its output in `out` (stdout and stderr together).
std::string run_tool(const std::vector<std::string>& argv, const std::filesystem::path& out) {
  ChildProcessOptions options;
  options.timeout = milliseconds(120'000);
  options.log_path = out.string();
  auto exit = run_child_process(argv, options);
  EXPECT_TRUE(exit.ok()) << argv[0] << ": " << (exit.ok() ? "" : exit.error().describe());
  if (exit.ok()) {
    EXPECT_TRUE(exit->succeeded()) << argv[0] << ": " << exit->describe(options.timeout);
  }
  return read_file(out);
}

class BulletinWriters : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = ScratchDir::create("bulletin-writers-test");
    ASSERT_TRUE(dir.ok());
    scratch_ = std::make_unique<ScratchDir>(std::move(*dir));
    // A folder with a space and a quote: no shell may be in the way.
    folder_ = scratch_->path() / "通报 o'neil \"q\"";
    std::filesystem::create_directory(folder_);
    options_.base_url = "https://pingan.test/";
  }
  std::unique_ptr<ScratchDir> scratch_;
  std::filesystem::path folder_;
  BulletinHtmlOptions options_;
};

TEST_F(BulletinWriters, HtmlLinksEveryFigureToItsRecords) {
  const std::string html = bulletin_html(jinan_bulletin(), options_);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"), std::string::npos);
  EXPECT_NE(html.find("text-indent: 32pt"), std::string::npos);  // 2 characters of 16pt
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("\"Noto Serif CJK SC\""), std::string::npos);
  EXPECT_NE(
      html.find("<a class=\"figure\" data-figure=\"cases.solved\" href=\"https://pingan.test/#/"
                "cases?status=solved&amp;from=2023-06-21&amp;to=2023-09-30\">363起</a>"),
      std::string::npos);
  EXPECT_NE(html.find("href=\"https://pingan.test/#/suspects?from=2023-06-21&amp;to=2023-09-30\">"
                      "368人</a>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"https://pingan.test/#/fraud?from=2023-06-21\">9.9亿余元</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<h2>一、严防风险</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h1 class=\"title\">济南市公安局夏季治安打击整治行动战果通报</h1>"),
            std::string::npos);
  // Five figures, five links; nothing fetched from outside.
  std::size_t links = 0;
  for (auto at = html.find("<a "); at != std::string::npos; at = html.find("<a ", at + 1)) ++links;
  EXPECT_EQ(links, 5u);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST_F(BulletinWriters, HtmlRelativeLinksWithoutBaseUrl) {
  const std::string html = bulletin_html(jinan_bulletin(), BulletinHtmlOptions{});
  EXPECT_NE(html.find("href=\"/#/fraud?from=2023-06-21\">9.9亿余元</a>"), std::string::npos);
}

TEST_F(BulletinWriters, HtmlForWordProcessorsNamesOneFontEachAndNoCsp) {
  BulletinHtmlOptions options = options_;
  options.flavour = BulletinHtmlFlavour::kWordProcessor;
  const std::string html = bulletin_html(jinan_bulletin(), options);
  EXPECT_EQ(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(html.find("Noto"), std::string::npos);
  EXPECT_NE(html.find("font-family: \"仿宋\";"), std::string::npos);
  EXPECT_NE(html.find("font-family: \"方正小标宋简体\";"), std::string::npos);
  EXPECT_NE(html.find(">363起</a>"), std::string::npos);
}

TEST_F(BulletinWriters, HtmlEscapesHostileText) {
  BulletinDocument doc = jinan_bulletin();
  doc.title = "<script>alert('x')</script>分局";
  doc.sections[0].paragraphs[0].runs.push_back(text("单位<img src=x onerror=alert(1)>&"));
  doc.sections[1].heading = "</h2><script>";
  doc.sections[1].paragraphs[0].runs.push_back(
      figure("1起\"><b>", "x\" onclick=\"y", "/#/a?\"><script>"));
  doc.sections[1].paragraphs[0].runs.push_back(figure("2起", "evil", "javascript:alert(1)"));
  const std::string html = bulletin_html(doc, options_);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find("onclick=\""), std::string::npos);
  EXPECT_NE(html.find("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;分局</title>"),
            std::string::npos);
  EXPECT_NE(html.find("单位&lt;img src=x onerror=alert(1)&gt;&amp;"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://pingan.test/#/a?&quot;&gt;&lt;script&gt;\""),
            std::string::npos);
  // A link that is not pingan's is printed as plain text.
  EXPECT_NE(html.find("<span class=\"figure\" data-figure=\"evil\">2起</span>"), std::string::npos);
}

TEST_F(BulletinWriters, PdfIsA4WithTheSamePhrasesEmbeddedFontsAndLinks) {
  const std::filesystem::path pdf = folder_ / "济南 通报.pdf";
  const auto start = std::chrono::steady_clock::now();
  Status written =
      write_bulletin_pdf(bulletin_html(jinan_bulletin(), options_), pdf.string(), PdfOptions{});
  const auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  std::cout << "[ timing ] PDF written in " << ms.count() << " ms\n";
  RecordProperty("pdf_ms", static_cast<int>(ms.count()));

  const std::string bytes = read_file(pdf);
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_NE(bytes.find("/URI (https://pingan.test/#/cases?status=solved&from=2023-06-21"),
            std::string::npos);

  const std::string pdf_text = without_whitespace(run_tool(
      {"pdftotext", "-enc", "UTF-8", pdf.string(), "-"}, scratch_->path() / "pdftotext.txt"));
  EXPECT_NE(pdf_text.find("济南市公安局夏季治安打击整治行动战果通报"), std::string::npos);
  for (const auto& phrase : kPhrases)
    EXPECT_NE(pdf_text.find(phrase), std::string::npos) << phrase << " not in: " << pdf_text;

  const std::string info = run_tool({"pdfinfo", pdf.string()}, scratch_->path() / "pdfinfo.txt");
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;

  // Every font embedded ("emb" yes) with a Unicode map ("uni" yes); with the
  // CJK text above extracted from them, the Chinese glyphs are in the file.
  std::istringstream fonts(run_tool({"pdffonts", pdf.string()}, scratch_->path() / "pdffonts.txt"));
  std::string line;
  int listed = 0;
  while (std::getline(fonts, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.size() < 60) continue;
    ++listed;
    // The columns after the name and type: encoding, emb, sub, uni, object, id.
    std::istringstream words(line.substr(line.find("  ")));
    std::vector<std::string> cols;
    for (std::string w; words >> w;) cols.push_back(w);
    ASSERT_GE(cols.size(), 6u) << line;
    const std::size_t n = cols.size();
    EXPECT_EQ(cols[n - 5], "yes") << "not embedded: " << line;
    EXPECT_EQ(cols[n - 3], "yes") << "no Unicode map: " << line;
  }
  EXPECT_GT(listed, 0);
}

TEST_F(BulletinWriters, DocxConvertsBackToTheSamePhrasesWithLinks) {
  const std::filesystem::path docx = folder_ / "济南 通报.docx";
  const auto start = std::chrono::steady_clock::now();
  BulletinHtmlOptions options = options_;
  options.flavour = BulletinHtmlFlavour::kWordProcessor;
  Status written =
      write_bulletin_docx(bulletin_html(jinan_bulletin(), options), docx.string(), DocxOptions{});
  const auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  std::cout << "[ timing ] .docx written in " << ms.count() << " ms\n";
  RecordProperty("docx_ms", static_cast<int>(ms.count()));

  // Back to text with LibreOffice, in a folder of its own.
  const std::filesystem::path back = scratch_->path() / "back";
  run_tool({"soffice", "-env:UserInstallation=file://" + (scratch_->path() / "lo-profile").string(),
            "--headless", "--norestore", "--convert-to", "txt:Text (encoded):UTF8", "--outdir",
            back.string(), docx.string()},
           scratch_->path() / "soffice-back.log");
  const std::string docx_text = without_whitespace(read_file(back / "济南 通报.txt"));
  EXPECT_NE(docx_text.find("济南市公安局夏季治安打击整治行动战果通报"), std::string::npos);
  for (const auto& phrase : kPhrases)
    EXPECT_NE(docx_text.find(phrase), std::string::npos) << phrase << " not in: " << docx_text;

  // The figures stay links in Word: HYPERLINK fields to pingan.
  auto zip = ingest::ZipArchive::open(read_file(docx), "bulletin.docx");
  ASSERT_TRUE(zip.ok()) << zip.error().describe();
  auto document_xml = zip->read_part("word/document.xml", 1 << 24);
  auto styles_xml = zip->read_part("word/styles.xml", 1 << 24);
  ASSERT_TRUE(document_xml.ok() && styles_xml.ok());
  EXPECT_FALSE(zip->has_part("word/comments.xml"));  // no <meta> kept as a comment
  const std::string& xml = *document_xml;
  std::size_t links = 0;
  for (auto at = xml.find("HYPERLINK &quot;https://pingan.test/"); at != std::string::npos;
       at = xml.find("HYPERLINK &quot;https://pingan.test/", at + 1))
    ++links;
  EXPECT_EQ(links, 5u) << xml;
  EXPECT_NE(xml.find("w:pgSz w:w=\"11906\" w:h=\"16838\""), std::string::npos) << "not A4";
  // 公文 layout kept in the styles: body 16pt (sz 32 half-points) in 仿宋
  // with a 32pt (640 twips) first-line indent; the title centred at 22pt.
  const std::string& styles = *styles_xml;
  auto style = [&styles](const std::string& id) {
    const auto at = styles.find("w:styleId=\"" + id + "\"");
    return at == std::string::npos ? std::string()
                                   : styles.substr(at, styles.find("</w:style>", at) - at);
  };
  const std::string body = style("TextBody");
  EXPECT_NE(body.find("w:firstLine=\"640\""), std::string::npos) << body;
  EXPECT_NE(body.find("<w:sz w:val=\"32\"/>"), std::string::npos) << body;
  EXPECT_NE(body.find("w:eastAsia=\"仿宋\""), std::string::npos) << body;
  const std::string title = style("Heading1title");
  EXPECT_NE(title.find("<w:jc w:val=\"center\"/>"), std::string::npos) << title;
  EXPECT_NE(title.find("<w:sz w:val=\"44\"/>"), std::string::npos) << title;
  EXPECT_NE(title.find("w:eastAsia=\"方正小标宋简体\""), std::string::npos) << title;
}

TEST_F(BulletinWriters, BadOutputPathIsAClearErrorAndWritesNothing) {
  const std::string html = bulletin_html(jinan_bulletin(), options_);
  const std::filesystem::path missing = folder_ / "no such folder";
  for (const std::string& ext : {std::string(".pdf"), std::string(".docx")}) {
    const std::string out = (missing / ("通报" + ext)).string();
    Status s = ext == ".pdf" ? write_bulletin_pdf(html, out, PdfOptions{})
                             : write_bulletin_docx(html, out, DocxOptions{});
    ASSERT_FALSE(s.ok()) << ext;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, "out_path");
    EXPECT_NE(s.error().message.find("does not exist"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find(missing.string()), std::string::npos) << s.error().message;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  // A directory is not a file either, and stays as it was.
  Status s = write_bulletin_pdf(html, folder_.string(), PdfOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "out_path");
  EXPECT_TRUE(std::filesystem::is_empty(folder_));
}

TEST_F(BulletinWriters, MissingProgramIsNamedAndWritesNothing) {
  PdfOptions options;
  options.chromium = "pingan-no-such-chromium";
  const std::filesystem::path pdf = folder_ / "x.pdf";
  Status s = write_bulletin_pdf(bulletin_html(jinan_bulletin(), options_), pdf.string(), options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("pingan-no-such-chromium"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(pdf));
}

TEST(FileUrl, PercentEncodesWhatAUrlCannotHold) {
  EXPECT_EQ(file_url("/tmp/a b#c%d/通/x.html"), "file:///tmp/a%20b%23c%25d/%E9%80%9A/x.html");
}

// The scratch folder lives under TMPDIR; one with a space and a '#' must not
// break Chromium's file:// URL or LibreOffice's profile URL.
TEST_F(BulletinWriters, WorksUnderATmpdirWithSpaces) {
  const std::filesystem::path tmp = scratch_->path() / "tmp dir #1";
  std::filesystem::create_directory(tmp);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  const std::filesystem::path pdf = folder_ / "a.pdf";
  Status written =
      write_bulletin_pdf(bulletin_html(jinan_bulletin(), options_), pdf.string(), PdfOptions{});
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_EQ(read_file(pdf).substr(0, 5), "%PDF-");
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "the scratch folder was left behind";
}

TEST(ChildProcess, TimeoutKillsTheProcessGroup) {
  auto scratch = ScratchDir::create("child-process-test");
  ASSERT_TRUE(scratch.ok());
  const std::string marker = (scratch->path() / "grandchild-ran").string();
  ChildProcessOptions options;
  options.timeout = milliseconds(300);
  // A child that starts a grandchild which would write a file after 1 s.
  const auto exit =
      run_child_process({"sh", "-c", "(sleep 1; touch \"$0\") & sleep 30", marker}, options);
  ASSERT_TRUE(exit.ok()) << exit.error().describe();
  EXPECT_TRUE(exit->timed_out);
  EXPECT_FALSE(exit->succeeded());
  EXPECT_LT(exit->elapsed.count(), 2000);
  EXPECT_NE(exit->describe(options.timeout).find("300 ms"), std::string::npos);
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the grandchild outlived the timeout";
}

TEST(ChildProcess, ReportsExitCodeAndOutput) {
  auto scratch = ScratchDir::create("child-process-test");
  ASSERT_TRUE(scratch.ok());
  ChildProcessOptions options;
  options.log_path = (scratch->path() / "log").string();
  const auto exit =
      run_child_process({"sh", "-c", "echo first; echo 'it went wrong' >&2; exit 3"}, options);
  ASSERT_TRUE(exit.ok());
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(exit->describe(options.timeout), "exit code 3");
  EXPECT_EQ(log_tail(options.log_path), "first\nit went wrong");  // stdout and stderr
}

}  // namespace
}  // namespace pingan
