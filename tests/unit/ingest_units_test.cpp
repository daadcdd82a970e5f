// import_units: the generic GeoJSON layout and the two real files.

#include <gtest/gtest.h>

#include "ingest/importer.h"
#include "ingest_test_support.h"

namespace pingan {
namespace {

using ingest::import_incidents;
using ingest::import_units;
using ingest::ImportOptions;
using ingest::UnitImportReport;
using testing::TempDir;
using testing::write_bytes;

constexpr char kSquare[] = "[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]";

std::string feature(const std::string& props, const std::string& geometry) {
  return "{\"type\":\"Feature\",\"properties\":" + props + ",\"geometry\":" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string s = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

class UnitImport : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = testing::open_test_engine(dir_);
    ASSERT_NE(engine_, nullptr);
  }
  Result<UnitImportReport> import(const std::string& json, const std::string& format = "") {
    write_bytes(dir_.file("units.geojson"), json);
    return import_units(*engine_, dir_.file("units.geojson"), format);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(UnitImport, GenericTreeWithPolygonsAndNullGeometry) {
  auto r = import(collection({
      feature(R"({"code":"PA","name":"平安市公安局","kind":"bureau"})", "null"),
      feature(R"({"code":"PA-S01","name":"城关派出所","kind":"station","parent":"PA"})",
              std::string("{\"type\":\"Polygon\",\"coordinates\":") + kSquare + "}"),
      feature(R"({"code":"PA-S01-C01","name":"东街社区","kind":"community","parent":"PA-S01"})",
              std::string("{\"type\":\"MultiPolygon\",\"coordinates\":[") + kSquare + "]}"),
  }));
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 3);
  EXPECT_EQ(r->upserted, 3);
  auto tree = engine_->units();
  ASSERT_NE(tree->find("PA-S01-C01"), nullptr);
  EXPECT_TRUE(tree->find("PA")->boundary.empty());
  const Unit* deepest = tree->locate(GeoPoint{30.05, 120.05});
  ASSERT_NE(deepest, nullptr);
  EXPECT_EQ(deepest->code, "PA-S01-C01");
}

TEST_F(UnitImport, ErrorsNameTheFeatureAndProperty) {
  auto missing = import(collection({feature(R"({"code":"A","kind":"bureau"})", "null")}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "name");
  EXPECT_NE(missing.error().message.find("feature 0"), std::string::npos) << missing.error().message;

  auto kind = import(collection({feature(R"({"code":"A","name":"a","kind":"bureau"})", "null"),
                                 feature(R"({"code":"B","name":"b","kind":"precinct","parent":"A"})", "null")}));
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().field, "kind");
  EXPECT_NE(kind.error().message.find("feature 1"), std::string::npos);

  auto projected = import(collection({feature(R"({"code":"A","name":"a","kind":"bureau"})",
                                              R"({"type":"Polygon","coordinates":[[[7613256.0,720408.3],[7613214.2,718812.3],[7613000.0,718000.0],[7613256.0,720408.3]]]})")}));
  ASSERT_FALSE(projected.ok());
  EXPECT_EQ(projected.error().field, "geometry");

  auto point = import(collection({feature(R"({"code":"A","name":"a","kind":"bureau"})",
                                          R"({"type":"Point","coordinates":[120.0,30.0]})")}));
  ASSERT_FALSE(point.ok());
  EXPECT_NE(point.error().message.find("Point"), std::string::npos);

  auto orphan = import(collection({feature(R"({"code":"X","name":"x","kind":"station","parent":"NOPE"})", "null")}));
  ASSERT_FALSE(orphan.ok());

  auto not_json = import("{\"type\": ");
  ASSERT_FALSE(not_json.ok());
  // Nothing of the failed files was written.
  EXPECT_EQ(engine_->units()->find("A"), nullptr);
  EXPECT_EQ(engine_->units()->find("X"), nullptr);
}

TEST_F(UnitImport, UndetectableLayoutIsAnError) {
  auto r = import(collection({feature(R"({"foo":1})", "null")}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "format");
}

TEST(UnitImportRealData, StLouisNeighbourhoods) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  auto r = import_units(*engine, testing::shared_data_file("stlouis-neighborhoods/stl-neighborhoods.geojson"), "");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->read, 88);
  EXPECT_EQ(r->upserted, 88);
  auto tree = engine->units();
  int neighbourhoods = 0;
  for (const Unit& u : tree->units())
    if (u.code.rfind("STL-N", 0) == 0) {
      ++neighbourhoods;
      EXPECT_EQ(u.parent_code, "STL");
      EXPECT_EQ(u.kind, UnitKind::kCommunity);
      EXPECT_FALSE(u.boundary.empty()) << u.code;
    }
  EXPECT_EQ(neighbourhoods, 88);
  ASSERT_NE(tree->find("STL"), nullptr);
  // The Gateway Arch grounds are in Downtown (neighbourhood 35 in the crime files).
  const Unit* arch = tree->locate(GeoPoint{38.6247, -90.1848});
  ASSERT_NE(arch, nullptr);
  EXPECT_EQ(arch->code, "STL-N35");

  // A later crime import keeps the neighbourhoods' names and polygons.
  std::string name = tree->find("STL-N35")->name;
  ImportOptions o{"stlouis", testing::shared_data_file("stlouis-crimes/2015/january2015.csv"), dir.file("rejects.csv"),
                  nullptr, ""};
  ASSERT_TRUE(import_incidents(*engine, o).ok());
  EXPECT_EQ(engine->units()->find("STL-N35")->name, name);
  EXPECT_FALSE(engine->units()->find("STL-N35")->boundary.empty());
}

TEST(UnitImportRealData, PortlandDistrictsAndPrecincts) {
  TempDir dir;
  auto engine = testing::open_test_engine(dir);
  ASSERT_NE(engine, nullptr);
  auto r = import_units(*engine, testing::shared_data_file("portland-police-districts/portland-police-districts.geojson"),
                        "portland-districts");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->upserted, 60);
  auto tree = engine->units();
  for (const char* p : {"PORT-NO", "PORT-CE", "PORT-EA"}) {
    ASSERT_NE(tree->find(p), nullptr) << p;
    EXPECT_EQ(tree->find(p)->parent_code, "PORT");
    EXPECT_EQ(tree->find(p)->kind, UnitKind::kStation);
  }
  ASSERT_NE(tree->find("PORT-510"), nullptr);
  EXPECT_EQ(tree->find("PORT-510")->parent_code, "PORT-NO");
  EXPECT_EQ(tree->subtree_ids("PORT").size(), 64u);  // city + 3 precincts + 60 districts

  // The feet version of the same file is refused: units need lon/lat.
  auto feet = import_units(*engine, testing::shared_data_file("portland-police-districts/portland-police-districts-epsg2913.geojson"),
                           "");
  ASSERT_FALSE(feet.ok());
  EXPECT_NE(feet.error().message.find("2913"), std::string::npos);
}

}  // namespace
}  // namespace pingan
