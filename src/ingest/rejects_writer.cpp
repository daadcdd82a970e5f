#include "ingest/rejects_writer.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace pingan::ingest {

void append_csv_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

Result<std::unique_ptr<RejectsWriter>> RejectsWriter::create(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Error::invalid("rejects", fmt::format("cannot create {}: {}", path, std::strerror(errno)));
  std::unique_ptr<RejectsWriter> w(new RejectsWriter(f, path));
  w->buffer_ = "file,line,field,reason,raw\n";
  return w;
}

RejectsWriter::~RejectsWriter() {
  std::lock_guard lock(mutex_);
  flush_locked();
  std::fclose(file_);
}

void RejectsWriter::write(std::string_view file, std::int64_t line, std::string_view field,
                          std::string_view reason, std::string_view raw) {
  std::lock_guard lock(mutex_);
  append_csv_field(buffer_, file);
  buffer_.push_back(',');
  buffer_.append(std::to_string(line));
  buffer_.push_back(',');
  append_csv_field(buffer_, field);
  buffer_.push_back(',');
  append_csv_field(buffer_, reason);
  buffer_.push_back(',');
  // Always quoted: raw rows are themselves CSV text.
  buffer_.push_back('"');
  for (char c : raw) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.append("\"\n");
  if (buffer_.size() > (1 << 20)) flush_locked();
}

void RejectsWriter::flush_locked() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    write_failed_ = true;
  buffer_.clear();
  if (std::fflush(file_) != 0) write_failed_ = true;
}

Status RejectsWriter::flush() {
  std::lock_guard lock(mutex_);
  flush_locked();
  if (write_failed_) return Error::unavailable(fmt::format("could not write all rejected rows to {}", path_));
  return {};
}

}  // namespace pingan::ingest
