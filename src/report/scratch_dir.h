#pragma once
// Files that an outside program writes for us (bulletin_pdf.h,
// bulletin_docx.h): a private temporary folder for its input, its profile
// and its output, and the step that puts the finished file where the caller
// asked, whole or not at all.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan {

// A folder of its own under the system's temporary directory (mode 0700,
// from mkdtemp), removed with everything in it when the object dies.
// Move-only; not shared between threads.
class ScratchDir {
 public:
  // `prefix` names the folder, e.g. "pingan-pdf" -> /tmp/pingan-pdf-Ab12Cd.
  static Result<ScratchDir> create(std::string_view prefix);

  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Refuses an output path that cannot be written before any work is done:
// empty, an existing directory, or in a folder that does not exist. The
// error names the field "out_path", the path and why.
Status check_output_path(const std::string& out_path);

// Copies `produced` to a temporary file beside `out_path` (mode 0600) and
// renames it over `out_path`, so the path holds the whole new file or what
// it held before; nothing is left behind on failure.
Status install_output_file(const std::filesystem::path& produced, const std::string& out_path);

// A file:// URL for `path` (made absolute): everything but unreserved
// characters and '/' percent-encoded, so a TMPDIR with spaces, '#' or '%'
// still makes a URL Chromium and LibreOffice read right.
std::string file_url(const std::filesystem::path& path);

}  // namespace pingan
