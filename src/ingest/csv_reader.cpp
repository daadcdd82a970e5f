#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pingan::ingest {
namespace {

// Bytes that end an unquoted field.
struct StopTable {
  bool stop[256] = {};
  constexpr StopTable() {
    stop[static_cast<unsigned char>(',')] = true;
    stop[static_cast<unsigned char>('\n')] = true;
    stop[static_cast<unsigned char>('\r')] = true;
  }
};
constexpr StopTable kStops;

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
}

bool CsvReader::next(CsvRecord& record) {
  const char* const data = text_.data();
  const size_t n = text_.size();
  if (pos_ >= n) return false;

  spans_.clear();
  scratch_.clear();
  record.unterminated_quote = false;
  record.line = line_;
  const size_t record_begin = pos_;
  size_t record_end = n;  // end of the record's bytes, before the line end
  size_t p = pos_;

  while (true) {
    FieldSpan span;
    if (p < n && data[p] == '"') {
      // Quoted field: runs to the next quote that is not doubled.
      size_t q = p + 1;
      span.begin = q;
      bool escaped = false;
      while (true) {
        const void* hit = q < n ? std::memchr(data + q, '"', n - q) : nullptr;
        size_t quote = hit ? static_cast<size_t>(static_cast<const char*>(hit) - data) : n;
        line_ += std::count(data + q, data + quote, '\n');
        if (quote >= n) {  // unterminated: the field runs to the end of the text
          record.unterminated_quote = true;
          if (escaped) scratch_.append(data + q, n - q);
          else span.size = n - span.begin;
          q = n;
          break;
        }
        if (quote + 1 < n && data[quote + 1] == '"') {
          if (!escaped) {
            escaped = true;
            span.in_scratch = true;
            span.begin = scratch_.size();
            scratch_.append(data + p + 1, quote - (p + 1));
          } else {
            scratch_.append(data + q, quote - q);
          }
          scratch_.push_back('"');
          q = quote + 2;
          continue;
        }
        if (escaped) scratch_.append(data + q, quote - q);
        else span.size = quote - span.begin;
        q = quote + 1;
        break;
      }
      // Sloppy text between the closing quote and the delimiter joins the field.
      size_t tail = q;
      while (tail < n && !kStops.stop[static_cast<unsigned char>(data[tail])]) ++tail;
      if (tail > q) {
        if (!span.in_scratch) {
          size_t quoted_size = span.size;
          size_t quoted_begin = span.begin;
          span.in_scratch = true;
          span.begin = scratch_.size();
          scratch_.append(data + quoted_begin, quoted_size);
        }
        scratch_.append(data + q, tail - q);
      }
      if (span.in_scratch) span.size = scratch_.size() - span.begin;
      p = tail;
    } else {
      span.begin = p;
      while (p < n && !kStops.stop[static_cast<unsigned char>(data[p])]) ++p;
      span.size = p - span.begin;
    }
    spans_.push_back(span);

    if (p >= n) {
      record_end = n;
      pos_ = n;
      break;
    }
    if (data[p] == ',') {
      ++p;
      continue;
    }
    // A line end closes the record: CRLF, LF or a lone CR.
    record_end = p;
    if (data[p] == '\r' && p + 1 < n && data[p + 1] == '\n') p += 2;
    else p += 1;
    ++line_;
    pos_ = p;
    break;
  }

  record.fields.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    const FieldSpan& s = spans_[i];
    record.fields[i] = s.in_scratch ? std::string_view(scratch_.data() + s.begin, s.size)
                                    : std::string_view(data + s.begin, s.size);
  }
  record.raw = std::string_view(data + record_begin, record_end - record_begin);
  return true;
}

Status read_whole_file_into(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::invalid("path", fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error::invalid("path", fmt::format("{} is not a regular file", path));
  }
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < out.size()) {
    ssize_t r = ::read(fd, out.data() + got, out.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      int err = errno;
      ::close(fd);
      return Error::invalid("path", fmt::format("cannot read {}: {}", path, r == 0 ? "file shrank while reading" : std::strerror(err)));
    }
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  return {};
}

Result<std::string> read_whole_file(const std::string& path) {
  std::string out;
  PINGAN_RETURN_IF_ERROR(read_whole_file_into(path, out));
  return out;
}

}  // namespace pingan::ingest
