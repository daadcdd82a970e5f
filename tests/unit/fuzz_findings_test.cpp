// Regression tests of what the fuzz targets (fuzz/, scripts/fuzz.sh) found,
// one test per finding, named after it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "http/incident_query.h"
#include "http/query_params.h"
#include "ingest/source_files.h"
#include "ingest_test_support.h"
#include "json/incident_json.h"
#include "json/json_fields.h"
#include "json/patrol_json.h"

namespace pingan {
namespace {

TimeZone zone(const char* name) {
  auto z = TimeZone::locate(name);
  EXPECT_TRUE(z.ok());
  return *z;
}

// time_fuzz: "0000-01-01T00:00:00+18:59" is an instant of the year -1, which
// format_utc wrote as "-001-12-31T05:01:00Z", a text parse_iso8601 refuses.
TEST(FuzzFindings, IsoTimesOutsideFourDigitYearsAreRefused) {
  EXPECT_FALSE(parse_iso8601("0000-01-01T00:00:00+18:59").ok());
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:60-18:00").ok());
  auto first = parse_iso8601("0000-01-02T00:00:00Z");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(format_utc(*first), "0000-01-02T00:00:00Z");
  EXPECT_TRUE(parse_iso8601("9999-12-30T23:59:59+01:00").ok());
}

// time_fuzz: before 1901 Shanghai kept local mean time, +08:05:43;
// format_local wrote the offset as +08:05 beside the clock time of +08:05:43,
// so the text named an instant 43 seconds later.
TEST(FuzzFindings, LocalTimesWithOffsetSecondsParseBackToTheSameInstant) {
  const TimeZone shanghai = zone("Asia/Shanghai");
  auto t = parse_iso8601("1800-01-01T00:00:00Z");
  ASSERT_TRUE(t.ok());
  auto back = parse_iso8601(format_local(*t, shanghai));
  ASSERT_TRUE(back.ok()) << format_local(*t, shanghai);
  EXPECT_EQ(*back, *t) << format_local(*t, shanghai);
}

// query_params_fuzz: "?=x" was refused with an empty field name.
TEST(FuzzFindings, AnUnnamedQueryParameterIsRefusedNamingTheQuery) {
  std::multimap<std::string, std::string> params{{"", "x"}};
  auto q = incident_query_from_params(params, zone("Asia/Shanghai"));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().field, "query");
  HttpRequest req;
  req.params = params;
  Status st = refuse_unknown_params(req, {"unit"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "query");
}

// incident_body_fuzz: {"type":"theft","":1} was refused with an empty field name.
TEST(FuzzFindings, AnUnnamedJsonMemberIsRefusedNamingItsObject) {
  const TimeZone z = zone("Asia/Shanghai");
  auto top = new_incident_from_json(nlohmann::json::parse(R"({"type":"theft","":1})"), z, 0);
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().field, "body");
  auto nested = new_incident_from_json(
      nlohmann::json::parse(R"({"type":"theft","location":{"lat":1,"lon":2,"":3}})"), z, 0);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().field, "location");
  auto batch = position_reports_from_json(nlohmann::json::parse(R"({"reports":[],"":1})"), z);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().field, "body");
}

// import_slo_fuzz (heap-use-after-free under ASan): probe_file read the
// first row before checking the header, and a header field kept in the CSV
// reader's scratch buffer ("case_"number: text after a closing quote) then
// showed the first row's bytes, or freed memory.
TEST(FuzzFindings, AHeaderFieldInTheReadersScratchSurvivesTheFirstRow) {
  testing::TempDir dir;
  const std::string path = dir.file("calls.csv");
  testing::write_bytes(path,
                       "\"case_\"number,date,received,dispatched,arrived,type,grid_location\n"
                       "\"21091\"4012,09/14/21,07:08,07:12,07:23,Suspicious,PN9\n");
  std::string first_column;
  Status st = ingest::probe_file(ingest::SourceFile{path, "calls.csv", 0},
                                 [&](const ingest::SourceFile&, const ingest::CsvRecord& header,
                                     const ingest::CsvRecord* row) -> Status {
                                   first_column = std::string(header[0]);
                                   EXPECT_NE(row, nullptr);
                                   return {};
                                 });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(first_column, "case_number");
}

}  // namespace
}  // namespace pingan
