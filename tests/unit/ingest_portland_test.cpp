// Portland NIJ calls-for-service importer: fixtures, then real August 2016.

#include <gtest/gtest.h>

#include "ingest/importer.h"
#include "ingest_test_support.h"

namespace pingan {
namespace {

using ingest::import_incidents;
using ingest::import_units;
using ingest::ImportOptions;
using ingest::ImportReport;
using testing::read_rejects;
using testing::reject_at;
using testing::stored_incidents;
using testing::TempDir;
using testing::write_bytes;

constexpr char kHeader[] = "CATEGORY,CALL_GROUP,final_case,CASE_DESC,occ_date,x_coordina,y_coordina,census_tra\r\n";

class PortlandFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = testing::open_test_engine(dir_);
    ASSERT_NE(engine_, nullptr);
    std::string s = kHeader;
    s += "STREET CRIMES,DISORDER,DISTP,DISTURBANCE - PRIORITY,2016-08-10,7660085.000000,672910.000000,802.000000\r\n";  // 2
    s += "OTHER, SUSPICIOUS,NEWCODE,SOMETHING NEW,2016-08-11,0.000000,0.000000,0.000000\r\n";  // 3 call-group fallback
    s += "OTHER,MYSTERY,NEWCODE,SOMETHING NEW,2016-08-11,0.000000,0.000000,0.000000\r\n";      // 4 unknown
    s += "OTHER,DISORDER,DISTP,DISTURBANCE,2016-08-32,0.000000,0.000000,0.000000\r\n";          // 5 bad date
    s += ",,,,,0.000000,0.000000,0.000000\r\n";                                                   // 6 blank record
    s += "OTHER,DISORDER,DISTP,DISTURBANCE,2016-08-12,99999999999.0,99999999999.0,0\r\n";       // 7 far away
    s += "OTHER,DISORDER,DISTP,DISTURBANCE,2016-08-12,abc,672910.0,0\r\n";                       // 8 not a number
    write_bytes(dir_.file("NIJ2016_AUG01_AUG31.csv"), s);
  }
  Result<ImportReport> run() {
    ImportOptions o{"portland-nij", dir_.file("NIJ2016_AUG01_AUG31.csv"), dir_.file("rejects.csv"), nullptr, ""};
    return import_incidents(*engine_, o);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(PortlandFixture, ImportsAndRejectsWithReasons) {
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 7);
  EXPECT_EQ(r->imported, 2);
  EXPECT_EQ(r->rejected, 5);
  auto rejects = read_rejects(dir_.file("rejects.csv"));
  ASSERT_EQ(rejects.size(), 5u);
  EXPECT_EQ(reject_at(rejects, 4)->field, "final_case");
  EXPECT_NE(reject_at(rejects, 4)->reason.find("unknown category"), std::string::npos);
  EXPECT_EQ(reject_at(rejects, 5)->field, "occ_date");
  EXPECT_NE(reject_at(rejects, 6)->reason.find("blank record"), std::string::npos);
  EXPECT_EQ(reject_at(rejects, 7)->field, "x_coordina");
  EXPECT_EQ(reject_at(rejects, 8)->field, "x_coordina");
  EXPECT_NE(reject_at(rejects, 8)->reason.find("not a pair of numbers"), std::string::npos);

  auto stored = stored_incidents(*engine_, "portland-nij");
  const Incident& dist = stored.at("NIJ2016_AUG01_AUG31:0000002");
  EXPECT_EQ(dist.type_code, "disorder");
  EXPECT_EQ(dist.original_code, "DISTP");
  // Date only: local midnight in Portland (PDT, UTC-7).
  EXPECT_EQ(format_utc(dist.reported_at), "2016-08-10T07:00:00Z");
  ASSERT_TRUE(dist.location.has_value());
  EXPECT_NEAR(dist.location->lat, 45.52, 0.1);
  EXPECT_NEAR(dist.location->lon, -122.65, 0.15);
  EXPECT_EQ(dist.unit_code, "PORT");  // no district polygons imported in this test

  const Incident& fallback = stored.at("NIJ2016_AUG01_AUG31:0000003");
  EXPECT_EQ(fallback.type_code, "suspicious");
  EXPECT_FALSE(fallback.location.has_value());
}

TEST_F(PortlandFixture, ReimportIsIdempotent) {
  ASSERT_TRUE(run().ok());
  auto second = run();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->imported, 0);
  EXPECT_EQ(second->duplicates, 2);
}

TEST(PortlandRealData, AugustWithDistrictsAndTheBlankRecord) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  auto units = import_units(*engine, testing::shared_data_file("portland-police-districts/portland-police-districts.geojson"), "");
  ASSERT_TRUE(units.ok()) << units.error().describe();
  EXPECT_EQ(units->upserted, 60);

  ImportOptions o{"portland-nij", testing::shared_data_file("portland-nij-cfs/NIJ2016_AUG01_AUG31.csv"),
                  dir.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 19376);
  EXPECT_EQ(r->rejected, 1);
  EXPECT_EQ(r->imported, 19375);
  auto rejects = read_rejects(dir.file("rejects.csv"));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 19377);
  EXPECT_NE(rejects[0].reason.find("blank record"), std::string::npos);

  // Most calls fall inside one of the 60 districts (SOURCE.txt: 1,992 of 2,000 sampled).
  auto stored = stored_incidents(*engine, "portland-nij");
  ASSERT_EQ(static_cast<long long>(stored.size()), r->imported);
  long long in_district = 0;
  for (const auto& [id, inc] : stored)
    if (inc.unit_code.size() == 8 && inc.unit_code.rfind("PORT-", 0) == 0) ++in_district;  // PORT-510
  EXPECT_GT(in_district, r->imported * 95 / 100);
}

TEST(PortlandRealData, FolderSkipsTheMetadataTables) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  std::string folder = testing::shared_data_file("portland-nij-cfs");
  ImportOptions o{"portland-nij", folder, dir.file("rejects.csv"), nullptr, ""};
  auto r = import_incidents(*engine, o);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 19376 + 18443);
  int skipped = 0;
  for (const auto& rej : read_rejects(dir.file("rejects.csv")))
    if (rej.reason.find("file skipped") != std::string::npos) ++skipped;
  EXPECT_EQ(skipped, 2);  // NIJ_CFS_PORTLAND.freqs.csv and .stats.csv
}

}  // namespace
}  // namespace pingan
