#include "report/bulletin_pdf.h"

#include <fmt/format.h>

#include <fstream>
#include <vector>

#include "report/child_process.h"
#include "report/scratch_dir.h"

namespace pingan {
namespace {

bool starts_with_pdf_magic(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[5] = {};
  in.read(head, sizeof head);
  return in.gcount() == 5 && std::string(head, 5) == "%PDF-";
}

}  // namespace

Status write_bulletin_pdf(const std::string& html, const std::string& out_path,
                          const PdfOptions& options) {
  PINGAN_RETURN_IF_ERROR(check_output_path(out_path));
  PINGAN_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create("pingan-pdf"));
  const std::filesystem::path page = scratch.path() / "bulletin.html";
  const std::filesystem::path pdf = scratch.path() / "bulletin.pdf";
  const std::filesystem::path log = scratch.path() / "chromium.log";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out.flush()) return Error::internal(fmt::format("cannot write '{}'", page.string()));
  }

  std::vector<std::string> argv = {
      options.chromium,
      "--headless=new",
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-dev-shm-usage",
      "--no-pdf-header-footer",
      "--user-data-dir=" + (scratch.path() / "profile").string(),
      "--print-to-pdf=" + pdf.string(),
  };
  if (!options.sandbox) argv.push_back("--no-sandbox");
  argv.push_back(file_url(page));

  ChildProcessOptions child;
  child.timeout = options.timeout;
  child.log_path = log.string();
  PINGAN_ASSIGN_OR_RETURN(ChildExit exit, run_child_process(argv, child));
  if (!exit.succeeded())
    return Error::internal(fmt::format("chromium did not print the bulletin: {}; its output: {}",
                                       exit.describe(options.timeout), log_tail(log.string())));
  if (!starts_with_pdf_magic(pdf))
    return Error::internal(
        fmt::format("chromium exited 0 but wrote no PDF; its output: {}", log_tail(log.string())));
  return install_output_file(pdf, out_path);
}

}  // namespace pingan
