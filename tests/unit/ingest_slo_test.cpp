// San Luis Obispo call log importer: fixtures, then the whole real log.

#include <gtest/gtest.h>

#include <set>

#include "core/text.h"
#include "ingest/importer.h"
#include "ingest_test_support.h"

namespace pingan {
namespace {

using ingest::import_incidents;
using ingest::ImportOptions;
using ingest::ImportReport;
using testing::read_rejects;
using testing::reject_at;
using testing::stored_incidents;
using testing::TempDir;
using testing::write_bytes;

constexpr char kHeader[] =
    "case_number,date,received,dispatched,arrived,cleared,type,grid_location,location,address,observed_crime,"
    "responsible_officer,units,description,call_comments,clearance_code\r\n";

std::string row(const std::string& case_number, const std::string& date, const std::string& received,
                const std::string& dispatched, const std::string& arrived, const std::string& type,
                const std::string& grid, const std::string& comments = "TEST CALL") {
  return case_number + "," + date + "," + received + "," + dispatched + "," + arrived + ",," + type + "," + grid +
         ",J-14,2994 HIGUERA S; SHADY LANE MHP;,,\"Marx, C\",\"4267,4265\r\n\",(MDC) Completed call," + comments +
         ",No Report\r\n";
}

class SloFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = testing::open_test_engine(dir_);
    ASSERT_NE(engine_, nullptr);
    std::string s = kHeader;
    // Each row spans two lines (the units field holds a line break): row k starts on line 2k.
    s += row("210914001", "09/14/21", "23:50", "23:55", "00:10", "Suspicious", "PN9");        // 2 ok, arrives next day
    s += row("210914002", "09/14/21", "10:00", "10:30", "10:20", "Disorderly", "PN5");        // 4 arrived before dispatched
    s += row("210914003", "09/14/21", "10:00", "", "", "Theft", "PN5", "BROKEN \xC3\x28 BYTE");  // 6 invalid UTF-8
    s += row("210914004", "09/14/21", "10:00", "", "", "Alien Landing", "PN5");              // 8 unknown type
    s += row("210914005", "13/45/21", "10:00", "", "", "Theft", "PN5");                      // 10 bad date
    s += row("210914001", "09/14/21", "23:50", "23:55", "00:10", "Suspicious", "PN9");        // 12 duplicate
    s += row("210914006", "09/15/21", "08:00", "", "08:05", "9-1-1 ABANDON", "");             // 14 no beat
    s += "210914007,09/15/21,08:00\r\n";                                                       // 16 short
    s += row("210914008", "11/07/21", "01:30", "", "", "Noise Party", "LZ0");                 // 17 DST fall-back day
    s += row("210914009", "09/15/21", "11:39", "", "11:34", "Suspicious", "PN5");             // 19 arrived before received
    s += row("210914002", "09/14/21", "10:00", "10:30", "10:40", "Disorderly", "PN5");        // 21 repeat of a rejected call
    write_bytes(dir_.file("SLOPD_report.csv"), s);
  }
  Result<ImportReport> run() {
    ImportOptions o{"slo", dir_.file("SLOPD_report.csv"), dir_.file("rejects.csv"), nullptr, ""};
    return import_incidents(*engine_, o);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(SloFixture, CountsRejectsAndDuplicates) {
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 11);
  EXPECT_EQ(r->imported, 3);
  EXPECT_EQ(r->duplicates, 2);  // the first copy of a case number decides, even when rejected
  EXPECT_EQ(r->rejected, 6);
  EXPECT_EQ(testing::report_total(*r), r->read);

  auto rejects = read_rejects(dir_.file("rejects.csv"));
  ASSERT_EQ(rejects.size(), 6u);
  ASSERT_NE(reject_at(rejects, 19), nullptr);
  EXPECT_EQ(reject_at(rejects, 19)->field, "arrived_at");
  EXPECT_NE(reject_at(rejects, 19)->reason.find("before the call was received"), std::string::npos);
  ASSERT_NE(reject_at(rejects, 4), nullptr);
  EXPECT_EQ(reject_at(rejects, 4)->field, "arrived_at");
  EXPECT_NE(reject_at(rejects, 4)->reason.find("before the previous step"), std::string::npos);
  ASSERT_NE(reject_at(rejects, 6), nullptr);
  EXPECT_EQ(reject_at(rejects, 6)->field, "call_comments");
  EXPECT_NE(reject_at(rejects, 6)->reason.find("UTF-8"), std::string::npos);
  ASSERT_NE(reject_at(rejects, 8), nullptr);
  EXPECT_EQ(reject_at(rejects, 8)->field, "type");
  EXPECT_NE(reject_at(rejects, 8)->reason.find("unknown category"), std::string::npos);
  ASSERT_NE(reject_at(rejects, 10), nullptr);
  EXPECT_EQ(reject_at(rejects, 10)->field, "date");
  ASSERT_NE(reject_at(rejects, 16), nullptr);
  EXPECT_NE(reject_at(rejects, 16)->reason.find("short row"), std::string::npos);
  // The raw text keeps the embedded line break of the units field.
  EXPECT_NE(reject_at(rejects, 8)->raw.find("4267,4265\r\n"), std::string::npos);
}

TEST_F(SloFixture, StepTimesCrossMidnightAndDst) {
  ASSERT_TRUE(run().ok());
  auto stored = stored_incidents(*engine_, "slo");
  ASSERT_EQ(stored.size(), 3u);
  const Incident& late = stored.at("210914001");
  EXPECT_EQ(format_utc(late.reported_at), "2021-09-15T06:50:00Z");  // 23:50 PDT
  ASSERT_TRUE(late.times.dispatched_at && late.times.arrived_at);
  EXPECT_EQ(format_utc(*late.times.dispatched_at), "2021-09-15T06:55:00Z");
  EXPECT_EQ(format_utc(*late.times.arrived_at), "2021-09-15T07:10:00Z");  // 00:10 the next day
  EXPECT_FALSE(late.times.closed_at.has_value());
  EXPECT_EQ(late.status, IncidentStatus::kClosed);
  EXPECT_EQ(late.type_code, "suspicious");
  EXPECT_EQ(late.original_code, "Suspicious");
  EXPECT_EQ(late.unit_code, "SLO-PN9");
  EXPECT_EQ(late.address, "2994 HIGUERA S; SHADY LANE MHP");

  const Incident& abandoned = stored.at("210914006");
  EXPECT_EQ(abandoned.unit_code, "SLO");
  EXPECT_EQ(abandoned.type_code, "abandoned_call");
  EXPECT_FALSE(abandoned.times.dispatched_at.has_value());

  // 01:30 on 7 Nov 2021 happens twice in Los Angeles: the earlier (PDT) instant is taken.
  EXPECT_EQ(format_utc(stored.at("210914008").reported_at), "2021-11-07T08:30:00Z");
}

TEST_F(SloFixture, BeatsAreCreatedOnFirstSight) {
  ASSERT_TRUE(run().ok());
  auto units = engine_->units();
  ASSERT_NE(units->find("SLO"), nullptr);
  EXPECT_EQ(units->find("SLO")->kind, UnitKind::kBureau);
  for (const char* beat : {"SLO-PN9", "SLO-LZ0"}) {
    const Unit* u = units->find(beat);
    ASSERT_NE(u, nullptr) << beat;
    EXPECT_EQ(u->parent_code, "SLO");
  }
  // Only beats that appear in the log are created.
  EXPECT_EQ(units->find("SLO-PN1"), nullptr);
}

TEST_F(SloFixture, ReimportIsIdempotent) {
  auto first = run();
  ASSERT_TRUE(first.ok());
  auto second = run();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->imported, 0);
  EXPECT_EQ(second->duplicates, first->imported + first->duplicates);
  EXPECT_EQ(second->rejected, first->rejected);
  EXPECT_EQ(stored_incidents(*engine_, "slo").size(), 3u);
}

TEST(SloRealData, WholeLogImportsEveryDistinctCall) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  ImportOptions o{"slo", testing::shared_data_file("slo-police-calls/SLOPD_report.csv"), dir.file("rejects.csv"),
                  nullptr, ""};
  auto r = import_incidents(*engine, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 20076);
  EXPECT_EQ(r->duplicates, 1013);  // repeated case numbers from overlapping daily logs
  EXPECT_EQ(r->imported + r->rejected, 19063);  // distinct case numbers
  EXPECT_EQ(testing::report_total(*r), r->read);
  // Every call type is mapped: rejects are only rows whose step times are out of order.
  for (const auto& rej : read_rejects(dir.file("rejects.csv"))) {
    EXPECT_TRUE(rej.field == "dispatched_at" || rej.field == "arrived_at") << rej.line << " " << rej.reason;
  }
  EXPECT_LT(r->rejected, 200);

  auto stored = stored_incidents(*engine, "slo");
  EXPECT_EQ(static_cast<long long>(stored.size()), r->imported);
  long long arrived = 0;
  std::set<std::string> beats;
  for (const auto& [id, inc] : stored) {
    if (inc.times.arrived_at) {
      ++arrived;
      EXPECT_GE(*inc.times.arrived_at, inc.reported_at) << id;
      EXPECT_LE(*inc.times.arrived_at - inc.reported_at, 23 * 3600) << id;
    }
    beats.insert(inc.unit_code);
  }
  // SOURCE.txt: 16,205 of 19,063 distinct calls have an arrival time.
  EXPECT_GT(arrived, 15500);
  EXPECT_LE(arrived, 16205);
  EXPECT_EQ(beats.size(), 15u);  // SLO + PN1..PN13 + LZ0
}

}  // namespace
}  // namespace pingan
