#include "crypto/key_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pingan::crypto {
namespace {

Error file_error(const std::string& path, const char* doing) {
  return Error::invalid("key_file", fmt::format("{} {}: {}", doing, path, std::strerror(errno)));
}

}  // namespace

Result<KeyRing> load_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return file_error(path, "cannot open key file");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return file_error(path, "cannot stat key file");
  }
  // Checked on the open file, not the path: no swap between check and read.
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Error::invalid("key_file", fmt::format("key file {} has mode {:04o}; it must be 0600 or stricter "
                                                  "(chmod 600 {})",
                                                  path, st.st_mode & 07777, path));
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return file_error(path, "cannot read key file");
    }
    if (n == 0) break;
    text.append(buffer, size_t(n));
    if (text.size() > (1u << 20)) {
      ::close(fd);
      return Error::invalid("key_file", fmt::format("key file {} is larger than 1 MiB", path));
    }
  }
  ::close(fd);
  auto ring = KeyRing::parse(text, path);
  std::fill(text.begin(), text.end(), '\0');
  return ring;
}

Status write_key_file(const std::string& path, const KeyRing& ring, bool create_only) {
  if (create_only && ::access(path.c_str(), F_OK) == 0)
    return Error::invalid("key_file", fmt::format("{} exists already; refusing to replace a key file", path));
  std::string temporary = path + ".new";
  ::unlink(temporary.c_str());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return file_error(temporary, "cannot create");
  std::string text = ring.format();
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(temporary.c_str());
      return file_error(temporary, "cannot write");
    }
    written += size_t(n);
  }
  std::fill(text.begin(), text.end(), '\0');
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return file_error(temporary, "cannot sync");
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return file_error(path, "cannot replace");
  }
  return {};
}

}  // namespace pingan::crypto
