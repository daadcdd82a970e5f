#include "report/bulletin_html.h"

#include <fmt/format.h>

namespace pingan {
namespace {

// The fonts of each flavour (see BulletinHtmlFlavour): a fallback list for
// Chromium, one name each for LibreOffice, which would write a whole list
// into the .docx as one unknown font name.
struct Fonts {
  const char* body;
  const char* title;
  const char* heading;
};
constexpr Fonts kBrowserFonts = {
    R"("仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC", serif)",
    R"("方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC", serif)",
    R"("黑体", "SimHei", "Noto Sans CJK SC", sans-serif)",
};
constexpr Fonts kWordProcessorFonts = {R"("仿宋")", R"("方正小标宋简体")", R"("黑体")"};

// GB/T 9704-2012 page and type sizes: 三号 (16pt) body on a 28pt line,
// 二号 (22pt) title. Lengths in pt, not em: LibreOffice's HTML import drops
// an em text-indent. Screen and print differ only in how a link looks:
// underlined on screen, plain black on paper (the PDF keeps the link).
std::string style_sheet(const Fonts& fonts) {
  return fmt::format(R"css(
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
html {{ background: #fff; }}
body {{ margin: 0pt auto; max-width: 156mm; color: #000; font-family: {0}; font-size: 16pt; }}
h1.title {{
  font-family: {1}; font-size: 22pt; font-weight: bold; line-height: 33pt;
  text-align: center; text-indent: 0pt; margin: 0pt 0pt 14pt 0pt;
}}
p.subtitle {{ text-align: center; text-indent: 0pt; margin: 0pt 0pt 14pt 0pt; }}
h2 {{
  font-family: {2}; font-size: 16pt; font-weight: bold; line-height: 28pt;
  text-indent: 32pt; margin: 0pt;
  break-after: avoid-page; page-break-after: avoid;  /* a heading stays with its paragraph */
}}
p {{
  font-family: {0}; font-size: 16pt; line-height: 28pt;
  text-indent: 32pt; margin: 0pt; text-align: justify;
  orphans: 2; widows: 2;
}}
a.figure {{ color: #1d4f91; text-decoration: underline; }}
@media print {{ a.figure {{ color: #000; text-decoration: none; }} }}
)css",
                     fonts.body, fonts.title, fonts.heading);
}

bool is_relative_link(const std::string& link) {
  return !link.empty() && (link[0] == '/' || link[0] == '#' || link[0] == '?');
}

std::string join_url(const std::string& base, const std::string& link) {
  if (!base.empty() && base.back() == '/' && link[0] == '/') return base + link.substr(1);
  return base + link;
}

void append_run(std::string& out, const BulletinRun& run, const BulletinHtmlOptions& options) {
  if (run.figure.empty()) {
    out += html_escape(run.text);
    return;
  }
  if (!is_relative_link(run.link)) {
    out += fmt::format(R"(<span class="figure" data-figure="{}">{}</span>)",
                       html_escape(run.figure), html_escape(run.text));
    return;
  }
  out +=
      fmt::format(R"(<a class="figure" data-figure="{}" href="{}">{}</a>)", html_escape(run.figure),
                  html_escape(join_url(options.base_url, run.link)), html_escape(run.text));
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string bulletin_html(const BulletinDocument& document, const BulletinHtmlOptions& options) {
  std::string out;
  const bool browser = options.flavour == BulletinHtmlFlavour::kBrowser;
  out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing is fetched and nothing runs, even if some text escaped escaping.
  // (LibreOffice would keep this unknown <meta> as a comment in the .docx.)
  if (browser)
    out +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     html_escape(document.title),
                     style_sheet(browser ? kBrowserFonts : kWordProcessorFonts));
  out += fmt::format("<h1 class=\"title\">{}</h1>\n", html_escape(document.title));
  if (!document.subtitle.empty())
    out += fmt::format("<p class=\"subtitle\">{}</p>\n", html_escape(document.subtitle));
  for (const auto& section : document.sections) {
    if (!section.heading.empty()) out += fmt::format("<h2>{}</h2>\n", html_escape(section.heading));
    for (const auto& paragraph : section.paragraphs) {
      out += "<p>";
      for (const auto& run : paragraph.runs) append_run(out, run, options);
      out += "</p>\n";
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace pingan
