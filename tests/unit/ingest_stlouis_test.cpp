// St. Louis importer on small fixtures written here, then on one real file
// of each of the three layouts.

#include <gtest/gtest.h>

#include <cmath>

#include "core/text.h"

#include "ingest/importer.h"
#include "ingest_test_support.h"

namespace pingan {
namespace {

using ingest::import_incidents;
using ingest::ImportOptions;
using ingest::ImportProgress;
using ingest::ImportReport;
using ingest::incident_formats;
using testing::read_rejects;
using testing::reject_at;
using testing::stored_incidents;
using testing::TempDir;
using testing::write_bytes;

constexpr char kHeaderA[] =
    "Complaint,CodedMonth,DateOccur,FlagCrime,FlagUnfounded,FlagAdministrative,Count,FlagCleanup,Crime,District,"
    "Description,ILEADSAddress,ILEADSStreet,Neighborhood,LocationName,LocationComment,CADAddress,CADStreet,XCoord,"
    "YCoord\r\n";

// Line numbers in the file are the comments' numbers (the header is line 1).
std::string fixture_a() {
  std::string s = kHeaderA;
  s += "15-000001,2015-01,1/5/2015 14:30,Y, , ,1, ,31111,5,ROBBERY-HIGHWAY,3000,UNION BLVD,50, , ,3000,UNION,895608.4,1012194\r\n";  // 2 ok
  s += "15-000002,2015-01,13/45/2015 1:00,Y, , ,1, ,31111,5,ROBBERY,3000,UNION BLVD,50, , , , ,0,0\r\n";        // 3 bad date
  s += "15-000003,2015-01,1/1/1900 0:00,Y, , ,1, ,31111,5,ROBBERY,3000,UNION BLVD,50, , , , ,0,0\r\n";          // 4 placeholder
  s += "15-000004,2015-01,2/3/2015 10:00,Y, , ,1, ,31111,5,ROBBERY,3000,UNION BLVD,50, , , , ,0,0\r\n";         // 5 after month
  s += "15-000005,2015-01,1/6/2015 10:00,Y, , ,1, ,990000,5,MYSTERY,3000,UNION BLVD,50, , , , ,0,0\r\n";        // 6 unknown code
  s += "15-000006,2015-01,1/6/2015 10:00\r\n";                                                                   // 7 short row
  s += "15-000007,2015-01,1/6/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,5000000,5000000\r\n";   // 8 far away
  s += "15-000008,2015-01,1/7/2015 9:15,Y, , ,1, ,61000,5,LARCENY CAF\xC9 \xBD,1,MAIN ST,50, , , , ,0,0\r\n";   // 9 cp1252
  s += "15-000009,2015-01,1/8/2015 9:15,Y,Y, ,1, ,61000,5,LARCENY,1,MAIN ST,0, , , , ,0,0\r\n";                 // 10 unfounded
  s += "15-000001,2015-01,1/5/2015 14:30, , , ,-1, ,31111,5,ROBBERY-HIGHWAY,3000,UNION BLVD,50, , , , ,0,0\r\n";  // 11 correction
  s += "15-999999,2015-01,1/5/2015 14:30, , , ,-1, ,31111,5,ROBBERY-HIGHWAY,3000,UNION BLVD,50, , , , ,0,0\r\n";  // 12 unmatched
  s += "15-000010,2015-01,1/9/2015 23:59,Y, , ,1, , 142320,3,DESTRUCTION,1,MAIN ST,0, , , , ,0,0\r\n";          // 13 district
  return s;
}

class StLouisFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = testing::open_test_engine(dir_);
    ASSERT_NE(engine_, nullptr);
    write_bytes(dir_.file("january2015.csv"), fixture_a());
  }
  Result<ImportReport> run() {
    ImportOptions o;
    o.format = "stlouis";
    o.path = dir_.file("january2015.csv");
    o.rejects_path = dir_.file("rejects.csv");
    return import_incidents(*engine_, o);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(StLouisFixture, CountsEveryRowOnce) {
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 12);
  EXPECT_EQ(r->imported, 4);
  EXPECT_EQ(r->rejected, 6);
  EXPECT_EQ(r->corrections, 1);
  EXPECT_EQ(r->corrections_unmatched, 1);
  EXPECT_EQ(r->duplicates, 0);
  EXPECT_EQ(testing::report_total(*r), r->read);
  EXPECT_EQ(r->rejects_path, dir_.file("rejects.csv"));
}

TEST_F(StLouisFixture, RejectsNameTheFieldAndReason) {
  ASSERT_TRUE(run().ok());
  auto rejects = read_rejects(dir_.file("rejects.csv"));
  ASSERT_EQ(rejects.size(), 7u);  // 6 rejected rows + 1 unmatched correction
  struct Expect {
    long long line;
    const char* field;
    const char* reason_part;
  };
  for (const Expect& e : {Expect{3, "DateOccur", "not a M/D/YYYY"}, Expect{4, "DateOccur", "placeholder"},
                          Expect{5, "DateOccur", "after the end of coded month 2015-01"},
                          Expect{6, "Crime", "unknown category"}, Expect{7, "", "short row: 3 fields"},
                          Expect{8, "XCoord", "outside the St. Louis area"},
                          Expect{12, "Complaint", "matches no live record"}}) {
    const auto* row = reject_at(rejects, e.line);
    ASSERT_NE(row, nullptr) << "no reject for line " << e.line;
    EXPECT_EQ(row->file, "january2015.csv");
    EXPECT_EQ(row->field, e.field) << "line " << e.line;
    EXPECT_NE(row->reason.find(e.reason_part), std::string::npos) << "line " << e.line << ": " << row->reason;
  }
  // raw is the row as it was in the file.
  EXPECT_EQ(reject_at(rejects, 7)->raw, "15-000006,2015-01,1/6/2015 10:00");
}

TEST_F(StLouisFixture, StoresTimesPlacesUnitsAndFlags) {
  ASSERT_TRUE(run().ok());
  auto stored = stored_incidents(*engine_, "stlouis");
  ASSERT_EQ(stored.size(), 4u);

  const Incident& robbery = stored.at("2015-01:0000002");
  EXPECT_EQ(format_utc(robbery.reported_at), "2015-01-05T20:30:00Z");  // 14:30 CST = UTC-6
  EXPECT_EQ(robbery.type_code, "robbery");
  EXPECT_EQ(robbery.class_code, "criminal");
  EXPECT_EQ(robbery.case_number, "15-000001");
  EXPECT_EQ(robbery.original_code, "31111");
  EXPECT_EQ(robbery.unit_code, "STL-N50");
  EXPECT_EQ(robbery.status, IncidentStatus::kClosed);
  ASSERT_TRUE(robbery.location.has_value());
  // Missouri East State Plane (US ft) 895608.4 / 1012194 is near Union Blvd, St. Louis.
  EXPECT_NEAR(robbery.location->lat, 38.62, 0.05);
  EXPECT_NEAR(robbery.location->lon, -90.27, 0.05);
  // Voided by the Count = -1 row of line 11.
  EXPECT_TRUE(robbery.voided);
  EXPECT_NE(robbery.void_reason.find("2015-01:0000011"), std::string::npos);

  const Incident& cp1252 = stored.at("2015-01:0000009");
  EXPECT_EQ(cp1252.description, "LARCENY CAF\xC3\x89 \xC2\xBD");  // É and ½ in UTF-8
  EXPECT_FALSE(cp1252.location.has_value());

  const Incident& unfounded = stored.at("2015-01:0000010");
  EXPECT_TRUE(unfounded.voided);
  EXPECT_EQ(unfounded.void_reason, "unfounded");
  EXPECT_EQ(unfounded.unit_code, "STL-D5");  // neighbourhood 0: the district's station

  const Incident& vandalism = stored.at("2015-01:0000013");
  EXPECT_EQ(vandalism.original_code, "142320");  // leading space trimmed
  EXPECT_EQ(vandalism.type_code, "vandalism");
  EXPECT_EQ(vandalism.unit_code, "STL-D3");
  EXPECT_EQ(format_utc(vandalism.reported_at), "2015-01-10T05:59:00Z");
}

TEST_F(StLouisFixture, CreatesTheCityUnitTree) {
  ASSERT_TRUE(run().ok());
  auto units = engine_->units();
  ASSERT_NE(units->find("STL"), nullptr);
  EXPECT_EQ(units->find("STL")->kind, UnitKind::kBureau);
  for (int d = 1; d <= 6; ++d) {
    const Unit* u = units->find("STL-D" + std::to_string(d));
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->parent_code, "STL");
    EXPECT_EQ(u->kind, UnitKind::kStation);
  }
  const Unit* n = units->find("STL-N88");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kind, UnitKind::kCommunity);
  EXPECT_EQ(units->find("STL-D7"), nullptr);
}

TEST_F(StLouisFixture, ReimportIsIdempotent) {
  auto first = run();
  ASSERT_TRUE(first.ok());
  auto before = stored_incidents(*engine_, "stlouis");
  auto second = run();
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second->imported, 0);
  EXPECT_EQ(second->corrections, 0);
  EXPECT_EQ(second->corrections_unmatched, 0);
  EXPECT_EQ(second->rejected, first->rejected);
  EXPECT_EQ(second->duplicates, first->imported + first->corrections + first->corrections_unmatched);
  auto after = stored_incidents(*engine_, "stlouis");
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [id, inc] : before) EXPECT_EQ(after.at(id).voided, inc.voided) << id;
}

TEST_F(StLouisFixture, CorrectionVoidsTheEarliestLiveRecordOnly) {
  // Two +1 rows with the same complaint and code, one -1: exactly one stays live.
  std::string s = kHeaderA;
  s += "15-000050,2015-02,2/1/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  s += "15-000050,2015-02,2/1/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  s += "15-000050,2015-02,2/1/2015 10:00, , , ,-1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  write_bytes(dir_.file("february2015.csv"), s);
  ImportOptions o{"stlouis", dir_.file("february2015.csv"), dir_.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine_, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->corrections, 1);
  auto stored = stored_incidents(*engine_, "stlouis");
  EXPECT_TRUE(stored.at("2015-02:0000002").voided);
  EXPECT_FALSE(stored.at("2015-02:0000003").voided);
}

TEST_F(StLouisFixture, FolderIsImportedInCodedMonthOrder) {
  // The correction in March cancels a February record although its file sorts first by name.
  TempDir folder;
  std::string feb = kHeaderA;
  feb += "15-000070,2015-02,2/1/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  std::string mar = kHeaderA;
  mar += "15-000070,2015-03,2/1/2015 10:00, , , ,-1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  write_bytes(folder.file("1-march2015.csv"), mar);
  write_bytes(folder.file("2-february2015.csv"), feb);
  write_bytes(folder.file("notes.csv"), "this,is,not\r\na,crime,file\r\n");
  ImportOptions o{"stlouis", folder.path().string(), dir_.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine_, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->corrections, 1);
  EXPECT_EQ(r->corrections_unmatched, 0);
  // The stray file is skipped and named in the rejects file.
  auto rejects = read_rejects(dir_.file("rejects.csv"));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].file, "notes.csv");
  EXPECT_NE(rejects[0].reason.find("file skipped"), std::string::npos);
}

TEST_F(StLouisFixture, CorrectionNeverMatchesALaterMonthsRecord) {
  // February's -1 finds nothing live; March re-codes the same complaint and
  // code with +1. Both files share one write batch, yet March's record stays live.
  TempDir folder;
  std::string feb = kHeaderA;
  feb += "15-000080,2015-02,2/1/2015 10:00, , , ,-1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  std::string mar = kHeaderA;
  mar += "15-000080,2015-03,2/1/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  write_bytes(folder.file("february2015.csv"), feb);
  write_bytes(folder.file("march2015.csv"), mar);
  ImportOptions o{"stlouis", folder.path().string(), dir_.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine_, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->corrections, 0);
  EXPECT_EQ(r->corrections_unmatched, 1);
  EXPECT_FALSE(stored_incidents(*engine_, "stlouis").at("2015-03:0000002").voided);
}

TEST_F(StLouisFixture, AddingAMonthToAnImportedFolderAppliesOnlyTheNewCorrections) {
  TempDir folder;
  std::string jan = kHeaderA;
  jan += "15-000090,2015-01,1/3/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  jan += "15-000090,2015-01,1/3/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  jan += "15-000090,2015-01,1/3/2015 10:00, , , ,-1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  jan += "15-000091,2015-01,1/4/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  jan += "15-000091,2015-01,1/4/2015 10:00,Y, , ,1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  write_bytes(folder.file("january2015.csv"), jan);
  ImportOptions o{"stlouis", folder.path().string(), dir_.file("rejects.csv"), nullptr, ""};
  auto first = import_incidents(*engine_, o);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->corrections, 1);

  std::string feb = kHeaderA;
  feb += "15-000091,2015-02,1/4/2015 10:00, , , ,-1, ,61000,5,LARCENY,1,MAIN ST,50, , , , ,0,0\r\n";
  write_bytes(folder.file("february2015.csv"), feb);
  auto second = import_incidents(*engine_, o);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->imported, 0);
  EXPECT_EQ(second->duplicates, 5);  // January's 4 rows and its correction
  EXPECT_EQ(second->corrections, 1);  // February's
  auto stored = stored_incidents(*engine_, "stlouis");
  EXPECT_TRUE(stored.at("2015-01:0000002").voided);
  EXPECT_FALSE(stored.at("2015-01:0000003").voided);  // January's -1 was not applied twice
  EXPECT_TRUE(stored.at("2015-01:0000005").voided);
  EXPECT_FALSE(stored.at("2015-01:0000006").voided);
}

TEST_F(StLouisFixture, SingleFileOfAnotherLayoutIsAnError) {
  write_bytes(dir_.file("other.csv"), "a,b,c\r\n1,2,3\r\n");
  ImportOptions o{"stlouis", dir_.file("other.csv"), dir_.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine_, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("CodedMonth"), std::string::npos) << r.error().message;
}

TEST(IngestFormats, UnknownFormatIsAnError) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  ImportOptions o{"chicago", dir.path().string(), "", nullptr, ""};
  auto r = import_incidents(*engine, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "format");
  EXPECT_EQ(incident_formats(), (std::vector<std::string>{"stlouis", "portland-nij", "slo"}));
}

// --- real files, one per layout ---

struct LayoutCase {
  const char* file;
  char layout;
  long long rows;  // SOURCE.txt
};

class StLouisRealFile : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(StLouisRealFile, ImportsEveryRowAccountedFor) {
  const LayoutCase& c = GetParam();
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  std::string path = testing::shared_data_file(std::string("stlouis-crimes/") + c.file);
  ImportOptions o{"stlouis", path, dir.file("rejects.csv"), nullptr, ""};
  std::vector<ImportProgress> progress;
  o.progress = [&](const ImportProgress& p) { progress.push_back(p); };
  auto r = import_incidents(*engine, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, c.rows);
  EXPECT_EQ(testing::report_total(*r), r->read);
  // Nearly every row of a monthly file is a crime that is kept.
  EXPECT_GT(r->imported, c.rows * 95 / 100);
  EXPECT_LT(r->rejected, 20);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().rows_read, c.rows);
  EXPECT_EQ(progress.back().bytes_read, progress.back().bytes_total);

  auto stored = testing::stored_incidents(*engine, "stlouis");
  EXPECT_EQ(static_cast<long long>(stored.size()), r->imported);
  long long with_location = 0, in_neighbourhood = 0, with_case = 0;
  for (const auto& [id, inc] : stored) {
    if (inc.location) {
      ++with_location;
      EXPECT_NEAR(inc.location->lat, 38.65, 0.25) << id;
      EXPECT_NEAR(inc.location->lon, -90.25, 0.25) << id;
    }
    if (inc.unit_code.rfind("STL-N", 0) == 0) ++in_neighbourhood;
    if (!inc.case_number.empty()) ++with_case;
    // Layout C (2010/2013) uses the old nine districts: never mapped to today's stations.
    if (c.layout == 'C') {
      EXPECT_EQ(inc.unit_code.rfind("STL-D", 0), std::string::npos) << id;
    }
  }
  EXPECT_GT(with_location, r->imported * 9 / 10);
  EXPECT_GT(in_neighbourhood, r->imported * 9 / 10);
  if (c.layout == 'C') {
    EXPECT_EQ(with_case, 0);
  } else {
    EXPECT_EQ(with_case, r->imported);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, StLouisRealFile,
                         ::testing::Values(LayoutCase{"2015/january2015.csv", 'A', 3983},
                                           LayoutCase{"2017/may2017.csv", 'B', 4548},
                                           LayoutCase{"2010/january2010.csv", 'C', 4179},
                                           LayoutCase{"2017/january2017.csv", 'A', 3936}),  // BOM + cp1252
                         [](const auto& info) {
                           std::string name = info.param.file;
                           return std::string(1, info.param.layout) + "_" +
                                  name.substr(name.find('/') + 1, name.find('.') - name.find('/') - 1);
                         });

TEST(StLouisRealFile, Cp1252BytesAreDecodedNotRejected) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  std::string path = testing::shared_data_file("stlouis-crimes/2016/march2016.csv");
  ImportOptions o{"stlouis", path, dir.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  for (const auto& rej : read_rejects(dir.file("rejects.csv")))
    EXPECT_EQ(rej.reason.find("UTF-8"), std::string::npos) << rej.reason;
  // Every stored text is valid UTF-8 (the store would hold the raw bytes otherwise).
  for (const auto& [id, inc] : testing::stored_incidents(*engine, "stlouis")) {
    EXPECT_TRUE(is_valid_utf8(inc.description)) << id;
    EXPECT_TRUE(is_valid_utf8(inc.address)) << id;
  }
}

}  // namespace
}  // namespace pingan
