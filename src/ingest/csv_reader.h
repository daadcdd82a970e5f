#pragma once
// A streaming RFC 4180 reader over text already in memory (one big read of
// the file). Fields are string_views: into the text itself when the field
// has no "" escape, else into a scratch buffer of the reader. Nothing is
// allocated per field once the record's vectors have grown to size, which
// keeps the import of a few hundred thousand rows parse-bound at memory speed.
//
// Accepted: quoted fields with embedded CR/LF and "" escapes, CRLF or LF
// line ends (a lone CR ends a line too), a leading UTF-8 BOM (skipped).
// Lenient where real exports are sloppy: a quote inside an unquoted field is
// kept as text, text after a closing quote is appended to the field, and an
// unterminated quote runs to the end of the text (the record is flagged).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::ingest {

struct CsvRecord {
  std::vector<std::string_view> fields;
  std::int64_t line = 0;   // 1-based line of the text where the record starts
  std::string_view raw;    // the record's bytes as in the text, without the line end
  bool unterminated_quote = false;

  size_t size() const { return fields.size(); }
  std::string_view operator[](size_t i) const { return fields[i]; }
  // A blank line reads as one empty field.
  bool blank() const { return fields.size() == 1 && fields[0].empty(); }
};

class CsvReader {
 public:
  // `text` must outlive the reader and every record it fills. Views into the
  // scratch buffer stay valid until the next call to next().
  explicit CsvReader(std::string_view text);

  // Fills `record` with the next record (reusing its storage); false at the end.
  bool next(CsvRecord& record);

  // Bytes of the text consumed so far (BOM included), for progress reports.
  std::int64_t bytes_consumed() const { return static_cast<std::int64_t>(pos_); }

 private:
  // Offsets are kept while a record is read and turned into views at its end,
  // because the scratch buffer may move while it grows.
  struct FieldSpan {
    size_t begin = 0, size = 0;
    bool in_scratch = false;
  };

  std::string_view text_;
  size_t pos_ = 0;
  std::int64_t line_ = 1;
  std::string scratch_;
  std::vector<FieldSpan> spans_;
};

// Reads a whole file into memory with one read. Errors name the path.
Result<std::string> read_whole_file(const std::string& path);
// The same into `buffer`, reusing its memory (an import of many files then
// does not fault in fresh pages for each).
Status read_whole_file_into(const std::string& path, std::string& buffer);

}  // namespace pingan::ingest
