#pragma once
// What the .xlsx tests share: LibreOffice run headless (a real spreadsheet
// program reading and writing our files) and small zips built with
// minizip, for workbooks written part by part.

#include <gtest/gtest.h>
#include <minizip/zip.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "ingest/csv_reader.h"

namespace pingan::testing {

// The rows of a CSV file (LibreOffice's conversion of a workbook), each as
// its fields; empty after a test failure (the file could not be read).
inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  auto text = ingest::read_whole_file(path);
  EXPECT_TRUE(text.ok()) << path;
  std::vector<std::vector<std::string>> rows;
  if (!text.ok()) return rows;
  ingest::CsvReader reader(*text);
  ingest::CsvRecord record;
  while (reader.next(record)) rows.emplace_back(record.fields.begin(), record.fields.end());
  return rows;
}

// Converts `input` with `libreoffice --headless --convert-to <filter>` into
// `outdir` and returns the output's path (empty after a test failure). Each
// call has its own profile folder, so tests running at once do not share
// ~/.config; a run over 180 s is killed. A missing LibreOffice fails the
// test: it is a dependency of the test suite, not optional.
inline std::string libreoffice_convert(const std::string& input, const std::string& filter,
                                       const std::string& extension, const std::string& outdir) {
  if (std::system("command -v libreoffice >/dev/null 2>&1") != 0) {
    ADD_FAILURE() << "libreoffice is not installed: run scripts/install-deps.sh (package "
                     "libreoffice-calc-nogui)";
    return "";
  }
  static std::atomic<int> counter{0};
  std::string profile =
      outdir + "/lo-profile-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  std::string log = outdir + "/libreoffice.log";
  std::string command = "timeout 180 libreoffice -env:UserInstallation=file://" + profile +
                        " --headless --norestore --convert-to '" + filter + "' --outdir '" +
                        outdir + "' '" + input + "' >'" + log + "' 2>&1";
  int rc = std::system(command.c_str());
  std::filesystem::path out = std::filesystem::path(outdir) / std::filesystem::path(input).stem();
  out += "." + extension;
  if (rc != 0 || !std::filesystem::exists(out)) {
    ADD_FAILURE() << "LibreOffice did not convert " << input << " (exit " << rc << "); see " << log;
    return "";
  }
  return out.string();
}

// Writes a zip of (name, content) entries, deflated.
inline void write_zip(const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& entries) {
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  ASSERT_NE(zip, nullptr) << path;
  for (const auto& [name, content] : entries) {
    zip_fileinfo info{};
    ASSERT_EQ(
        zipOpenNewFileInZip64(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                              Z_DEFAULT_COMPRESSION, content.size() > 0xFFFFFFF0ULL ? 1 : 0),
        ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(zip, content.data(), static_cast<unsigned>(content.size())),
              ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  ASSERT_EQ(zipClose(zip, nullptr), ZIP_OK);
}

// The parts of a minimal workbook with one sheet "Sheet1" whose part is
// `sheet_xml`, plus `extra` parts (shared strings, styles).
inline std::vector<std::pair<std::string, std::string>> minimal_workbook(
    const std::string& sheet_xml, std::vector<std::pair<std::string, std::string>> extra = {},
    const std::string& workbook_pr = "") {
  const std::string ns =
      R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::string rels =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type=")" +
      rel +
      R"(worksheet" Target="worksheets/sheet1.xml"/>)"
      R"(<Relationship Id="rId2" Type=")" +
      rel +
      R"(sharedStrings" Target="sharedStrings.xml"/>)"
      R"(<Relationship Id="rId3" Type=")" +
      rel + R"(styles" Target="/xl/styles.xml"/></Relationships>)";
  std::vector<std::pair<std::string, std::string>> parts = {
      {"_rels/.rels",
       R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type=")" +
           rel + R"(officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\"?><workbook " + ns + ">" + workbook_pr +
           R"(<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels", rels},
      {"xl/worksheets/sheet1.xml", sheet_xml},
  };
  for (auto& e : extra) parts.push_back(std::move(e));
  return parts;
}

}  // namespace pingan::testing
