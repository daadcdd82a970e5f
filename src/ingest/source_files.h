#pragma once
// Finding a source's files and the columns of their headers.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "ingest/csv_reader.h"

namespace pingan::ingest {

struct SourceFile {
  std::string path;     // full path
  std::string display;  // relative to the import path, for the rejects file
  std::int64_t size = 0;
};

// `path` itself when it is a file, else every *.csv below it (recursively),
// sorted by path. Errors when the path does not exist or holds no CSV file.
Result<std::vector<SourceFile>> list_csv_files(const std::string& path);

// Reads the first 64 KiB of `file` and calls `check` with its header and its
// first data row (null when there is none), so that files can be ordered and
// their layout checked before anything is written.
Status probe_file(const SourceFile& file,
                  const std::function<Status(const SourceFile& file, const CsvRecord& header, const CsvRecord* first_row)>& check);

// Files to import and the ones skipped in a folder because their header is
// not the format's (e.g. the NIJ metadata tables beside the call files).
struct FilePlan {
  std::vector<SourceFile> files;
  std::vector<std::pair<std::string, std::string>> skipped;  // display name, reason
};
// Probes every file with `check`. A single file given by path that fails is
// an error; in a folder, a failing file is skipped.
Result<FilePlan> plan_files(const std::string& path,
                            const std::function<Status(const SourceFile& file, const CsvRecord& header, const CsvRecord* first_row)>& check);

// "NIJ2016_AUG01_AUG31" for ".../NIJ2016_AUG01_AUG31.csv".
std::string file_stem(const std::string& path);

// The source id of a row known only by its place in a file: "<prefix>:<line>"
// with the line zero-padded to 7 digits, so that a file's ids sort in line
// order and consecutive files' in file order. The store's (source, source_id)
// key then grows at its end during an import, which costs SQLite far fewer
// instructions than inserting into its middle.
std::string row_source_id(std::string_view prefix, std::int64_t line);

// Column positions by header name (trimmed, exact case).
class HeaderColumns {
 public:
  explicit HeaderColumns(const CsvRecord& header);
  // The index of the first of `names` present, or -1.
  int find(std::initializer_list<std::string_view> names) const;
  size_t size() const { return size_; }

 private:
  std::unordered_map<std::string, int> index_;
  size_t size_ = 0;
};

}  // namespace pingan::ingest
