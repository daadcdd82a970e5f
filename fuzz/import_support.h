#pragma once
// One importer run over one fuzz input: the bytes become a file of the
// format's usual name, imported into a fresh in-memory engine, and the
// importer's promises are checked:
// - it returns an error (a header that is not the format's) or a report;
// - every data row read lands in exactly one counter (importer.h);
// - the rejects file is CSV that reads back as one 5-field row per rejected
//   row and unmatched correction, quotes closed.

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ingest/csv_reader.h"
#include "ingest/importer.h"

namespace pingan::fuzz {

inline void check_rejects_file(const std::string& path, std::int64_t expected_rows) {
  std::string text = must(ingest::read_whole_file(path), "reading the rejects file");
  ingest::CsvReader reader(text);
  ingest::CsvRecord rec;
  check(reader.next(rec) && rec.raw == "file,line,field,reason,raw", "rejects header");
  std::int64_t rows = 0;
  while (reader.next(rec)) {
    check(rec.size() == 5, "a rejects row has 5 fields");
    check(!rec.unterminated_quote, "a rejects row closes its quotes");
    ++rows;
  }
  check(rows == expected_rows, "one rejects row per rejected row and unmatched correction");
}

inline void fuzz_import(const char* format, const char* file_name, std::string_view bytes) {
  const std::string path = scratch().file(file_name);
  const std::string rejects = scratch().file("rejects.csv");
  write_file(path, bytes);
  auto engine = fresh_engine();
  ingest::ImportOptions options{format, path, rejects, nullptr, ""};
  Result<ingest::ImportReport> report = ingest::import_incidents(*engine, options);
  if (!report.ok()) {
    check(report.error().code == ErrorCode::kInvalidArgument, "an import fails only on its input");
    return;
  }
  const ingest::ImportReport& r = *report;
  check(r.read == r.imported + r.duplicates + r.rejected + r.corrections + r.corrections_unmatched,
        "read = imported + duplicates + rejected + corrections + corrections_unmatched");
  check(r.imported >= 0 && r.duplicates >= 0 && r.rejected >= 0, "counters are not negative");
  check_rejects_file(rejects, r.rejected + r.corrections_unmatched);
  auto stored = must(engine->count_incidents(), "counting the stored incidents");
  check(stored == r.imported, "every imported row is stored");
}

}  // namespace pingan::fuzz
