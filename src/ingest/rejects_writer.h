#pragma once
// Rows an import could not take are written to a CSV for a person to read:
// file,line,field,reason,raw. `raw` is the row's text as it was in the file
// (quoted, embedded line breaks kept), so a fixed row can be pasted back.
//
// Thread safety: write() may be called from the parsing and the writing
// thread at once; a mutex guards the buffer and the file.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan::ingest {

class RejectsWriter {
 public:
  // Creates (truncates) the file and writes the header.
  static Result<std::unique_ptr<RejectsWriter>> create(const std::string& path);
  ~RejectsWriter();
  RejectsWriter(const RejectsWriter&) = delete;
  RejectsWriter& operator=(const RejectsWriter&) = delete;

  void write(std::string_view file, std::int64_t line, std::string_view field, std::string_view reason,
             std::string_view raw);
  // Flushes the buffer to disk; errors when the disk refused it.
  Status flush();
  const std::string& path() const { return path_; }

 private:
  RejectsWriter(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
  void flush_locked();

  std::mutex mutex_;
  std::FILE* file_;          // GUARDED_BY(mutex_)
  std::string buffer_;       // GUARDED_BY(mutex_)
  bool write_failed_ = false;  // GUARDED_BY(mutex_)
  std::string path_;
};

// Appends `value` to `out` as one CSV field, quoted when it holds a comma,
// quote or line break.
void append_csv_field(std::string& out, std::string_view value);

}  // namespace pingan::ingest
