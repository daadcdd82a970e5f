#include "report/scratch_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace pingan {

Result<ScratchDir> ScratchDir::create(std::string_view prefix) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string folder = (base / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(folder.data()) == nullptr)
    return Error::internal(
        fmt::format("cannot make a temporary folder '{}': {}", folder, std::strerror(errno)));
  return ScratchDir(std::filesystem::path(folder));
}

ScratchDir::~ScratchDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Status check_output_path(const std::string& out_path) {
  if (out_path.empty()) return Error::invalid("out_path", "no output path given");
  const std::filesystem::path target(out_path);
  if (!target.has_filename())
    return Error::invalid("out_path", fmt::format("'{}' names a folder, not a file", out_path));
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec))
    return Error::invalid("out_path", fmt::format("'{}' is a directory", out_path));
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  if (!std::filesystem::is_directory(dir, ec))
    return Error::invalid("out_path", fmt::format("cannot write '{}': folder '{}' does not exist",
                                                  out_path, dir.string()));
  return Status();
}

Status install_output_file(const std::filesystem::path& produced, const std::string& out_path) {
  PINGAN_RETURN_IF_ERROR(check_output_path(out_path));
  std::ifstream in(produced, std::ios::binary);
  if (!in)
    return Error::internal(fmt::format("cannot read the produced file '{}'", produced.string()));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  // A unique name beside the target, so the rename stays on one file system.
  const std::filesystem::path target(out_path);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    return Error::invalid("out_path",
                          fmt::format("cannot write '{}': {}", out_path, std::strerror(errno)));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const int write_errno = errno;
  const bool synced = written == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (!synced) {
    std::filesystem::remove(temp, ec);
    return Error::invalid(
        "out_path", fmt::format("cannot write '{}': {}", out_path, std::strerror(write_errno)));
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return Error::invalid("out_path", fmt::format("cannot write '{}': {}", out_path, ec.message()));
  }
  return Status();
}

std::string file_url(const std::filesystem::path& path) {
  std::string url = "file://";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~')
      url += static_cast<char>(c);
    else
      url += fmt::format("%{:02X}", c);
  }
  return url;
}

}  // namespace pingan
