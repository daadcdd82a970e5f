// `pingan import cases` (ingest/case_import.h): cases, parties, measures,
// money and fugitive lists from a folder of CSV files, bad rows reported
// with file, line, field and reason while the rest goes on, and a second
// run adding nothing. Then the figures the case index reads from them.

#include <gtest/gtest.h>

#include <fstream>

#include "case/case_attach.h"
#include "case/case_figures.h"
#include "case/fugitive_watch.h"
#include "engine/engine.h"
#include "ingest/case_import.h"
#include "ingest/csv_reader.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class CaseImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::open(EngineConfig{test_store_location(dir_, "cases.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(engine.ok()) << engine.error().describe();
    engine_ = std::move(engine).value();
    std::vector<Unit> units(3);
    units[0].code = "JN", units[0].name = "济南市公安局", units[0].kind = UnitKind::kBureau;
    units[1].code = "JN-S01", units[1].name = "泉城路派出所", units[1].parent_code = "JN";
    units[2].code = "JN-S02", units[2].name = "大明湖派出所", units[2].parent_code = "JN";
    ASSERT_TRUE(engine_->upsert_units(units).ok());
    folder_ = dir_.file("in");
    std::filesystem::create_directories(folder_);
    // Two good cases, then a wrong type, an unknown unit, and a solved case
    // whose solving comes before its opening.
    write_file(folder_ + "/cases.csv",
               "case_number,type,unit,opened_at,status,investigating_at,solved_at,summary,money_involved_fen\n"
               "A001,burglary,JN-S01,2026-06-03 10:00,solved,2026-06-03 11:00,2026-06-20 09:00,入室盗窃,\n"
               "A002,telecom_fraud_case,JN-S02,2026-06-05 09:00,investigating,2026-06-05 10:00,,冒充客服,5000000\n"
               "A003,no_such_type,JN-S01,2026-06-05 09:00,,,,,\n"
               "A004,burglary,JN-S99,2026-06-05 09:00,,,,,\n"
               "A005,robbery,JN-S01,2026-06-05 09:00,solved,,2026-06-01 09:00,,\n");
    // A suspect in both cases is one person; a wrong checksum is refused.
    write_file(folder_ + "/parties.csv",
               "case_number,role,name,id_number,phone\n"
               "A001,suspect,张某,11010519491231002X,13800000001\n"
               "A002,suspect,张某,11010519491231002x,\n"
               "A002,victim,李某,110105194912310038,\n"
               "A001,suspect,王某,110105194912310047,\n"
               "A009,suspect,赵某,11010519491231002X,\n");
    // 逮捕 before 抓获 is refused by the rules; the rest is in order.
    write_file(folder_ + "/measures.csv",
               "case_number,id_number,kind,at,unit\n"
               "A001,11010519491231002X,caught,2026-06-20 09:00,JN-S01\n"
               "A001,11010519491231002X,criminal_detention,2026-06-20 12:00,JN-S01\n"
               "A002,11010519491231002X,arrest,2026-06-21 12:00,JN-S02\n");
    // A return beyond what was stopped and frozen, unless overridden.
    write_file(folder_ + "/money.csv",
               "case_number,kind,amount_fen,at,unit,override_reason\n"
               "A002,stopped,2000000,2026-06-05 10:00,JN-S02,\n"
               "A002,returned,3000000,2026-06-10 10:00,JN-S02,\n"
               "A002,returned,1500000,2026-06-11 10:00,JN-S02,\n"
               "A002,frozen,-5,2026-06-11 10:00,JN-S02,\n");
    write_file(folder_ + "/fugitives.csv",
               "listing_number,name,id_number,listed_at,listing_unit,status,caught_at,caught_by_unit\n"
               "T001,钱某,11010519491231002X,2019-03-01,JN-S01,caught,2026-06-15 08:00,JN-S02\n"
               "T002,孙某,110105194912310054,2026-06-02,JN-S02,,,\n"
               "T003,周某,110105194912310063,2026-06-02,JN-S02,,,\n");
  }

  ingest::CaseImportReport import() {
    ingest::CaseImportOptions options;
    options.folder = folder_;
    auto report = ingest::import_case_files(*engine_, options);
    EXPECT_TRUE(report.ok()) << report.error().describe();
    return report.ok() ? *report : ingest::CaseImportReport{};
  }

  TempDir dir_;
  std::string folder_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(CaseImportTest, BadRowsAreReportedWithFileLineFieldAndReasonAndTheRestIsImported) {
  const ingest::CaseImportReport report = import();
  EXPECT_EQ(report.files.at("cases.csv").inserted, 2);
  EXPECT_EQ(report.files.at("cases.csv").rejected, 3);
  EXPECT_EQ(report.files.at("parties.csv").inserted, 3);
  EXPECT_EQ(report.files.at("parties.csv").rejected, 2);  // the bad checksum, the unknown case
  EXPECT_EQ(report.files.at("measures.csv").inserted, 2);
  EXPECT_EQ(report.files.at("measures.csv").rejected, 1);
  EXPECT_EQ(report.files.at("money.csv").inserted, 2);
  EXPECT_EQ(report.files.at("money.csv").rejected, 2);
  EXPECT_EQ(report.files.at("fugitives.csv").inserted, 2);
  EXPECT_EQ(report.files.at("fugitives.csv").rejected, 1);  // the bad checksum of T003

  // The rejects name file, line and field, in the order they were read.
  auto text = ingest::read_whole_file(report.rejects_path);
  ASSERT_TRUE(text.ok());
  ingest::CsvReader reader(*text);
  ingest::CsvRecord row;
  std::vector<std::string> seen;
  while (reader.next(row))
    if (row.line > 1) seen.push_back(fmt::format("{}:{}:{}", row[0], row[1], row[2]));
  const std::vector<std::string> expected = {
      "cases.csv:4:type",       "cases.csv:5:unit",       "cases.csv:6:solved_at",
      "parties.csv:5:id_number", "parties.csv:6:case_number", "measures.csv:4:kind",
      "money.csv:3:amount_fen", "money.csv:5:amount_fen", "fugitives.csv:4:id_number"};
  EXPECT_EQ(seen, expected) << *text;

  // One person across cases, matched on the number whatever its x's case.
  auto a1 = engine_->cases().get_case_by_number("A001", UnitScope::everything());
  auto a2 = engine_->cases().get_case_by_number("A002", UnitScope::everything());
  ASSERT_TRUE(a1.ok() && a2.ok());
  auto b1 = engine_->cases().case_detail(a1->id, UnitScope::everything());
  auto b2 = engine_->cases().case_detail(a2->id, UnitScope::everything());
  ASSERT_TRUE(b1.ok() && b2.ok());
  EXPECT_EQ(b1->parties.front().person_id, b2->parties.front().person_id);
  EXPECT_EQ(b1->measures.size(), 2u);
  EXPECT_TRUE(a1->is_solved());
}

TEST_F(CaseImportTest, ASecondRunAddsNothing) {
  import();
  const ingest::CaseImportReport again = import();
  for (const auto& [file, counts] : again.files) {
    EXPECT_EQ(counts.inserted, 0) << file;
    EXPECT_EQ(counts.duplicates + counts.rejected, counts.rows) << file;
  }
  EXPECT_EQ(again.files.at("cases.csv").duplicates, 2);
  EXPECT_EQ(again.files.at("measures.csv").duplicates, 2);
  EXPECT_EQ(again.files.at("money.csv").duplicates, 2);
  EXPECT_EQ(again.files.at("fugitives.csv").duplicates, 2);
}

TEST_F(CaseImportTest, TheFiguresAndTheFugitiveCheckReadTheImportedRecords) {
  import();
  auto index = cases::attach_case_index(*engine_);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  const TimeZone& zone = engine_->time_zone();
  const Timestamp june = *parse_iso8601("2026-06-01", &zone), july = *parse_iso8601("2026-07-01", &zone);
  auto figure = [&](const std::string& name, Timestamp from = 0, Timestamp to = 0) {
    cases::FigureQuery q;
    q.name = name;
    q.from = from ? from : june;
    q.to = to ? to : july;
    auto a = cases::query_figure(**index, q);
    EXPECT_TRUE(a.ok()) << name << ": " << a.error().describe();
    return a.ok() ? a->value : -1;
  };
  EXPECT_EQ(figure("cases_opened"), 2);
  EXPECT_EQ(figure("cases_solved"), 1);
  EXPECT_EQ(figure("suspects_caught"), 1);
  EXPECT_EQ(figure("money_stopped_fen"), 2000000);
  EXPECT_EQ(figure("money_returned_fen"), 1500000);
  EXPECT_EQ(figure("fugitives_caught_old"), 1);  // listed in 2019, caught in 2026
  EXPECT_EQ(figure("fugitives_listed"), 1);      // T002

  auto watch = cases::attach_fugitive_watch(*engine_);
  ASSERT_TRUE(watch.ok());
  auto wanted = cases::check_fugitive(*engine_, **watch, "110105194912310054");
  ASSERT_TRUE(wanted.ok());
  ASSERT_EQ(wanted->size(), 1u);
  EXPECT_EQ(wanted->front().listing_number, "T002");
  // Caught: no longer wanted.
  auto caught = cases::check_fugitive(*engine_, **watch, "11010519491231002X");
  ASSERT_TRUE(caught.ok());
  EXPECT_TRUE(caught->empty());
  // A capture written later reaches the check through the engine's event.
  auto t002 = engine_->cases().fugitives_by_id_number("110105194912310054");
  ASSERT_TRUE(t002.ok() && t002->size() == 1);
  FugitiveStepRequest step;
  step.to = FugitiveStatus::kCaught;
  step.unit = "JN-S01";
  step.actor = "王警官";
  ASSERT_TRUE(engine_->cases().step_fugitive(t002->front().listing.id, step).ok());
  auto after = cases::check_fugitive(*engine_, **watch, "110105194912310054");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
  // ... and the index: a listing of June caught today is a new fugitive caught.
  EXPECT_EQ(figure("fugitives_caught_new", now_utc() - 86400, now_utc() + 86400), 1);
  EXPECT_EQ(figure("fugitives_caught_old", now_utc() - 86400, now_utc() + 86400), 0);
}

}  // namespace
}  // namespace pingan::testing
