#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <random>

#include <string>
#include <vector>

#include "ingest/rejects_writer.h"
#include "test_support.h"

namespace pingan {
namespace {

using ingest::append_csv_field;
using ingest::CsvReader;
using ingest::CsvRecord;
using ingest::read_whole_file;

struct Read {
  std::vector<std::string> fields;
  std::int64_t line;
  std::string raw;
  bool unterminated;
};

std::vector<Read> read_all(std::string_view text) {
  CsvReader reader(text);
  CsvRecord rec;
  std::vector<Read> out;
  while (reader.next(rec))
    out.push_back({std::vector<std::string>(rec.fields.begin(), rec.fields.end()), rec.line, std::string(rec.raw),
                   rec.unterminated_quote});
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainFieldsWithLfAndCrlf) {
  auto r = read_all("a,b,c\r\n1,,3\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(r[1].fields, (Fields{"1", "", "3"}));
  EXPECT_EQ(r[0].raw, "a,b,c");
  EXPECT_EQ(r[1].line, 2);
}

TEST(CsvReader, LastLineWithoutLineEnd) {
  auto r = read_all("a,b\n1,2");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(r[1].raw, "1,2");
}

TEST(CsvReader, TrailingCommaGivesAnEmptyLastField) {
  auto r = read_all("a,b,\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b", ""}));
}

TEST(CsvReader, QuotedFieldsWithEscapesAndDelimiters) {
  auto r = read_all("\"x, y\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (Fields{"x, y", "say \"hi\"", ""}));
}

TEST(CsvReader, EmbeddedLineBreaksKeepLineNumbersRight) {
  // The SLO log's units column: "4267,4265\r\n" inside quotes.
  auto r = read_all("h1,h2\r\n1,\"4267,4265\r\n\"\r\n2,\"a\nb\nc\"\r\n3,x\r\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].fields, (Fields{"1", "4267,4265\r\n"}));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[1].raw, "1,\"4267,4265\r\n\"");
  EXPECT_EQ(r[2].fields, (Fields{"2", "a\nb\nc"}));
  EXPECT_EQ(r[2].line, 4);
  EXPECT_EQ(r[3].line, 7);
}

TEST(CsvReader, EscapedFieldAmongPlainOnesStaysIntact) {
  // Escaped fields live in a scratch buffer that grows: earlier views must survive.
  std::string text = "\"a\"\"1\",plain,\"" + std::string(500, 'z') + "\"\"\",\"b\"\"2\"\n";
  auto r = read_all(text);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].fields.size(), 4u);
  EXPECT_EQ(r[0].fields[0], "a\"1");
  EXPECT_EQ(r[0].fields[1], "plain");
  EXPECT_EQ(r[0].fields[2], std::string(500, 'z') + "\"");
  EXPECT_EQ(r[0].fields[3], "b\"2");
}

TEST(CsvReader, Utf8BomIsSkipped) {
  auto r = read_all("\xEF\xBB\xBF" "Complaint,CodedMonth\r\nx,y\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields[0], "Complaint");
  EXPECT_EQ(r[0].line, 1);
}

TEST(CsvReader, BlankLineIsOneEmptyField) {
  CsvReader reader("a\n\nb\n");
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  ASSERT_TRUE(reader.next(rec));
  EXPECT_TRUE(rec.blank());
  EXPECT_EQ(rec.line, 2);
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(rec[0], "b");
  EXPECT_FALSE(reader.next(rec));
}

TEST(CsvReader, LoneCarriageReturnEndsALine) {
  auto r = read_all("a,b\rc,d\r");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(r[1].line, 2);
}

TEST(CsvReader, SloppyQuotingIsKeptAsText) {
  auto r = read_all("ab\"c,\"quoted\"tail,x\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (Fields{"ab\"c", "quotedtail", "x"}));
}

TEST(CsvReader, UnterminatedQuoteRunsToTheEndAndIsFlagged) {
  auto r = read_all("1,\"open\nstill open");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].unterminated);
  EXPECT_EQ(r[0].fields, (Fields{"1", "open\nstill open"}));
}

TEST(CsvReader, EmptyTextHasNoRecord) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, BytesConsumedReachesTheEnd) {
  std::string text = "a,b\r\n1,2\r\n";
  CsvReader reader(text);
  CsvRecord rec;
  while (reader.next(rec)) {
  }
  EXPECT_EQ(reader.bytes_consumed(), static_cast<std::int64_t>(text.size()));
}

TEST(CsvReader, ReadWholeFileReportsAMissingFile) {
  auto r = read_whole_file("/nonexistent/pingan/file.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/pingan/file.csv"), std::string::npos);
}

TEST(CsvReader, RoundTripsRandomTables) {
  // Random fields from an alphabet heavy in the characters that need care,
  // written with the rejects writer's quoting, must read back unchanged.
  std::mt19937 rng(20240601);
  const std::string alphabet = "ab,\"\r\n \xC3\xA9";
  for (int round = 0; round < 300; ++round) {
    std::vector<std::vector<std::string>> table(1 + rng() % 6);
    size_t width = 1 + rng() % 5;
    std::string text;
    for (auto& row : table) {
      for (size_t c = 0; c < width; ++c) {
        std::string field;
        size_t len = rng() % 8;
        for (size_t k = 0; k < len; ++k) field.push_back(alphabet[rng() % alphabet.size()]);
        // A lone empty field is a blank line; give one-column rows some text.
        if (width == 1 && field.empty()) field = "x";
        if (c) text.push_back(',');
        append_csv_field(text, field);
        row.push_back(field);
      }
      text += (rng() % 2) ? "\r\n" : "\n";
    }
    CsvReader reader(text);
    CsvRecord rec;
    for (const auto& row : table) {
      ASSERT_TRUE(reader.next(rec)) << "round " << round;
      ASSERT_EQ(std::vector<std::string>(rec.fields.begin(), rec.fields.end()), row) << "round " << round;
      EXPECT_FALSE(rec.unterminated_quote);
    }
    EXPECT_FALSE(reader.next(rec)) << "round " << round;
    EXPECT_EQ(reader.bytes_consumed(), static_cast<std::int64_t>(text.size()));
  }
}

TEST(CsvReader, SurvivesArbitraryBytes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) c = "a,\"\r\n\xEF\xBB\xBF"[rng() % 9];
    CsvReader reader(text);
    CsvRecord rec;
    std::int64_t last_line = 0, consumed = 0;
    while (reader.next(rec)) {
      EXPECT_GT(rec.line, last_line);
      EXPECT_GT(reader.bytes_consumed(), consumed);  // always makes progress
      last_line = rec.line;
      consumed = reader.bytes_consumed();
      for (auto f : rec.fields) EXPECT_LE(f.size(), text.size());
    }
  }
}

TEST(CsvReader, ReadsTheRealSloLogWithSixteenFieldsPerRow) {
  auto text = read_whole_file(testing::shared_data_file("slo-police-calls/SLOPD_report.csv"));
  ASSERT_TRUE(text.ok()) << text.error().message;
  CsvReader reader(*text);
  CsvRecord rec;
  size_t rows = 0, wrong_width = 0;
  ASSERT_TRUE(reader.next(rec));
  while (reader.next(rec)) {
    ++rows;
    if (rec.size() != 16) ++wrong_width;
  }
  EXPECT_EQ(rows, 20076u);  // SOURCE.txt: 20,076 data rows
  EXPECT_EQ(wrong_width, 0u);
}

}  // namespace
}  // namespace pingan
