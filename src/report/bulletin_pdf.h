#pragma once
// A bulletin's printable page (bulletin_html.h) as PDF, printed by headless
// Chromium (issue 22): A4 as the page's @page rule asks, no header or
// footer, links kept as PDF links, the Chinese fonts embedded.
//
// How: the HTML goes to a private temporary folder (report/scratch_dir.h)
// with a Chromium profile of its own (--user-data-dir), so runs never share
// state or collide; Chromium is run without a shell and with a time limit
// (report/child_process.h); the PDF it prints is checked ("%PDF") and then
// put at `out_path` whole, or nothing is written there.
//
// Chromium on Debian 12 embeds Noto CJK (CFF outlines in a .ttc) as Type 3
// fonts with a ToUnicode map: `pdffonts` shows them as embedded, without a
// name, and the text can be searched and copied.
//
// Thread safety: each call has its own folder and Chromium; calls may run at
// once (each costs a Chromium, ~0.5 s of CPU).

#include <chrono>
#include <string>

#include "core/status.h"

namespace pingan {

struct PdfOptions {
  std::string chromium = "chromium";  // the program, looked up in PATH without a '/'
  std::chrono::milliseconds timeout{60'000};
  // Chromium's sandbox needs user namespaces, which containers and root
  // usually lack. The page is pingan's own HTML, escaped, with no script and
  // no network (see its Content-Security-Policy), so it runs without by
  // default; set true where the sandbox works.
  bool sandbox = false;
};

// Errors: out_path unusable (invalid, field "out_path", nothing written);
// Chromium missing (unavailable); Chromium failing, timing out or printing
// no PDF (internal, with its exit code and the end of its output).
Status write_bulletin_pdf(const std::string& html, const std::string& out_path,
                          const PdfOptions& options);

}  // namespace pingan
