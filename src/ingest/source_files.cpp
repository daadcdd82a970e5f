#include "ingest/source_files.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "core/text.h"

namespace pingan::ingest {

namespace fs = std::filesystem;

Result<std::vector<SourceFile>> list_csv_files(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Error::invalid("path", fmt::format("{} does not exist", path));
  std::vector<SourceFile> files;
  if (fs::is_regular_file(st)) {
    files.push_back({path, fs::path(path).filename().string(), static_cast<std::int64_t>(fs::file_size(path, ec))});
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext != ".csv") continue;
    files.push_back({it->path().string(), fs::relative(it->path(), path, ec).string(),
                     static_cast<std::int64_t>(it->file_size(ec))});
  }
  if (ec) return Error::invalid("path", fmt::format("cannot list {}: {}", path, ec.message()));
  if (files.empty()) return Error::invalid("path", fmt::format("no .csv file in {}", path));
  std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return files;
}

Status probe_file(const SourceFile& file,
                  const std::function<Status(const SourceFile& file, const CsvRecord& header, const CsvRecord* first_row)>& check) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) return Error::invalid("path", fmt::format("cannot read {}", file.path));
  std::string prefix(64 * 1024, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<size_t>(in.gcount()));
  CsvReader reader(prefix);
  CsvRecord header, first;
  if (!reader.next(header)) return Error::invalid("path", fmt::format("{} is empty", file.display));
  // A field with a "" escape or text after its closing quote lives in the
  // reader's scratch buffer, which reading the first row reuses: the header
  // keeps copies of its fields.
  std::vector<std::string> header_fields(header.fields.begin(), header.fields.end());
  for (size_t i = 0; i < header_fields.size(); ++i) header.fields[i] = header_fields[i];
  bool has_first = reader.next(first);
  return check(file, header, has_first ? &first : nullptr);
}

Result<FilePlan> plan_files(const std::string& path,
                            const std::function<Status(const SourceFile& file, const CsvRecord& header, const CsvRecord* first_row)>& check) {
  PINGAN_ASSIGN_OR_RETURN(auto files, list_csv_files(path));
  std::error_code ec;
  bool single = fs::is_regular_file(path, ec);
  FilePlan plan;
  for (SourceFile& f : files) {
    Status st = probe_file(f, check);
    if (st.ok()) plan.files.push_back(std::move(f));
    else if (single) return st.error();
    else plan.skipped.emplace_back(f.display, st.error().message);
  }
  if (plan.files.empty())
    return Error::invalid("path", fmt::format("no file in {} has the expected layout ({})", path,
                                              plan.skipped.front().second));
  return plan;
}

std::string file_stem(const std::string& path) { return fs::path(path).stem().string(); }

std::string row_source_id(std::string_view prefix, std::int64_t line) {
  // By hand: fmt::format cost more than the rest of building the id, once per row.
  constexpr size_t kDigits = 7;
  char digits[20];
  size_t n = static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, line).ptr - digits);
  std::string id;
  id.reserve(prefix.size() + 1 + std::max(n, kDigits));
  id.append(prefix);
  id.push_back(':');
  if (n < kDigits) id.append(kDigits - n, '0');
  id.append(digits, n);
  return id;
}

HeaderColumns::HeaderColumns(const CsvRecord& header) : size_(header.size()) {
  for (size_t i = 0; i < header.size(); ++i) index_.emplace(std::string(trim(header[i])), static_cast<int>(i));
}

int HeaderColumns::find(std::initializer_list<std::string_view> names) const {
  for (std::string_view n : names) {
    auto it = index_.find(std::string(n));
    if (it != index_.end()) return it->second;
  }
  return -1;
}

}  // namespace pingan::ingest
