#include "report/bulletin_docx.h"

#include <fmt/format.h>

#include <fstream>
#include <vector>

#include "report/child_process.h"
#include "report/scratch_dir.h"

namespace pingan {
namespace {

bool starts_with_zip_magic(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[4] = {};
  in.read(head, sizeof head);
  return in.gcount() == 4 && std::string(head, 4) == std::string("PK\x03\x04", 4);
}

}  // namespace

Status write_bulletin_docx(const std::string& html, const std::string& out_path,
                           const DocxOptions& options) {
  PINGAN_RETURN_IF_ERROR(check_output_path(out_path));
  PINGAN_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create("pingan-docx"));
  const std::filesystem::path page = scratch.path() / "bulletin.html";
  const std::filesystem::path outdir = scratch.path() / "out";
  const std::filesystem::path docx = outdir / "bulletin.docx";
  const std::filesystem::path log = scratch.path() / "soffice.log";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out.flush()) return Error::internal(fmt::format("cannot write '{}'", page.string()));
  }

  // "HTML (StarWriter)" imports into Writer itself rather than Writer/Web,
  // so the page's @page size and margins become the document's.
  const std::vector<std::string> argv = {
      options.soffice, "-env:UserInstallation=" + file_url(scratch.path() / "profile"),
      "--headless",    "--norestore",
      "--nologo",      "--infilter=HTML (StarWriter)",
      "--convert-to",  "docx:MS Word 2007 XML",
      "--outdir",      outdir.string(),
      page.string(),
  };
  ChildProcessOptions child;
  child.timeout = options.timeout;
  child.log_path = log.string();
  PINGAN_ASSIGN_OR_RETURN(ChildExit exit, run_child_process(argv, child));
  if (!exit.succeeded())
    return Error::internal(
        fmt::format("LibreOffice did not convert the bulletin: {}; its output: {}",
                    exit.describe(options.timeout), log_tail(log.string())));
  // soffice exits 0 even when it converted nothing (e.g. no Writer installed).
  if (!starts_with_zip_magic(docx))
    return Error::internal(fmt::format(
        "LibreOffice wrote no .docx (is libreoffice-writer-nogui installed?); its output: {}",
        log_tail(log.string())));
  return install_output_file(docx, out_path);
}

}  // namespace pingan
