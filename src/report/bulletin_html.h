#pragma once
// A bulletin (core/bulletin_document.h) as one printable HTML page (issue
// 22): the page that is read on screen, printed to PDF by headless Chromium
// (bulletin_pdf.h) and converted to .docx by LibreOffice (bulletin_docx.h).
//
// The page is self-contained and works offline: inline CSS, no scripts, no
// fonts or images fetched, and (browser flavour) a Content-Security-Policy
// that forbids them should anything slip in. It is laid out like a 公文 (GB/T 9704): A4 with
// 37/26/35/28 mm margins, the title centred in a 小标宋-like bold serif, the
// body 16 pt (三号) in a 仿宋-like serif with a first-line indent of two
// characters (32 pt), section headings in bold 黑体. Fonts are named as a
// bureau's Word or WPS knows them (方正小标宋简体, 仿宋_GB2312 / 仿宋, 黑体);
// in the browser flavour Noto Serif/Sans CJK SC (fonts-noto-cjk) stand
// behind them, which is what Chromium on Debian prints with.
//
// Every figure with a link becomes <a href="{base_url}{link}"> around its
// printed text, so each number in the page, the PDF and the .docx leads to
// the records behind it. All text is HTML-escaped.
//
// Pure function of its arguments: no I/O, safe on any thread.

#include <cstdint>
#include <string>

#include "core/bulletin_document.h"

namespace pingan {

// Who reads the page. The browser flavour (screen, and Chromium for the PDF)
// names each font with fallbacks down to Noto CJK and carries a
// Content-Security-Policy. The word-processor flavour is the input of
// bulletin_docx.h: one font name each, as a bureau's Word or WPS knows them
// (仿宋, 方正小标宋简体, 黑体), and no CSP <meta> (LibreOffice would keep it
// as a comment in the .docx).
enum class BulletinHtmlFlavour : std::uint8_t { kBrowser, kWordProcessor };

struct BulletinHtmlOptions {
  // Put before every figure's link, e.g. "https://pingan.bureau.example":
  // a PDF or .docx read away from pingan needs absolute links. Empty: the
  // links stay relative. One '/' between the two is kept, not two.
  std::string base_url;
  BulletinHtmlFlavour flavour = BulletinHtmlFlavour::kBrowser;
};

// The whole page, UTF-8. A figure's link that is not relative to pingan
// (one that does not start with '/', '#' or '?', e.g. "javascript:...")
// is not made a link: its text is printed plain.
std::string bulletin_html(const BulletinDocument& document, const BulletinHtmlOptions& options);

// `text` with & < > " ' replaced by entities, for element text and
// attribute values alike.
std::string html_escape(const std::string& text);

}  // namespace pingan
