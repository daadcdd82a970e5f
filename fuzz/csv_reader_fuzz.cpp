// CsvReader (ingest/csv_reader.h) over arbitrary bytes: every record's fields
// and raw bytes must lie inside the text or the reader's scratch buffer, the
// reader must always advance, and lines only grow.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pingan::ingest::CsvReader reader(text);
  pingan::ingest::CsvRecord record;
  std::int64_t consumed = reader.bytes_consumed(), line = 0;
  while (reader.next(record)) {
    if (reader.bytes_consumed() <= consumed) std::abort();  // no progress: an endless loop
    consumed = reader.bytes_consumed();
    if (record.line < line || record.line < 1 || record.fields.empty()) std::abort();
    line = record.line;
    if (record.raw.data() < text.data() ||
        record.raw.data() + record.raw.size() > text.data() + text.size())
      std::abort();
    volatile std::size_t sum = 0;  // touches every byte of every field (ASan checks the views)
    for (std::string_view f : record.fields)
      for (char c : f) sum = sum + static_cast<unsigned char>(c);
  }
  if (consumed != static_cast<std::int64_t>(size)) std::abort();  // the whole text is read
  return 0;
}
