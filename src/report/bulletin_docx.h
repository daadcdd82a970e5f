#pragma once
// A bulletin's printable page (bulletin_html.h, made with
// BulletinHtmlFlavour::kWordProcessor) as .docx for editing in Word or WPS
// (issue 22), converted by headless LibreOffice Writer
// (libreoffice-writer-nogui).
//
// How: the HTML goes to a private temporary folder (report/scratch_dir.h),
// `soffice --headless --convert-to "docx:MS Word 2007 XML"` runs there
// with a profile of its own (-env:UserInstallation), no shell and a time
// limit (report/child_process.h); the .docx is checked (a zip: "PK") and put
// at `out_path` whole, or nothing is written there. A profile of its own
// also means a LibreOffice the user has open does not swallow the request.
//
// What survives the conversion (LibreOffice 7.4; tests/unit/
// bulletin_writers_test.cpp checks the text, A4, indents and links;
// docs/bulletins.md "Output" says more): the text, the A4 page and its
// margins, the title as a centred 22 pt heading, the section headings as
// Heading 2, the body as 16 pt on a 28 pt line with a 32 pt first-line
// indent, the font names, and each figure as a HYPERLINK field to its
// records. Not faithful: the field covers only the figure's first run of
// one script ("363" of "363起"; "起" keeps the link style but is not
// clickable), and LibreOffice adds 0.5 cm after each paragraph.
//
// Thread safety: each call has its own folder and LibreOffice; calls may run
// at once.

#include <chrono>
#include <string>

#include "core/status.h"

namespace pingan {

struct DocxOptions {
  std::string soffice = "soffice";  // the program, looked up in PATH without a '/'
  std::chrono::milliseconds timeout{120'000};
};

// Errors: out_path unusable (invalid, field "out_path", nothing written);
// LibreOffice missing (unavailable); LibreOffice failing, timing out or
// writing no .docx (internal, with its exit code and the end of its output).
Status write_bulletin_docx(const std::string& html, const std::string& out_path,
                           const DocxOptions& options);

}  // namespace pingan
