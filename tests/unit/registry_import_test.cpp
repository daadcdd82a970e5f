// Registry lists from spreadsheets (issue 21, ingest/registry_import.h), on
// SQLite and, in the `pg.` run, on PostgreSQL, with the personal data key
// ring on: workbooks LibreOffice writes from tests/data/registry_places_import.fods
// and registry_residents_import.fods (title row, two-row merged headers,
// bad rows) imported through the engine with the exact report of the rows
// not taken, the good rows stored as the sheet says, personal data sealed
// at rest and masked when listed, and a second import changing nothing;
// CSV files of places (a bureau's mapping file), residents and rental
// houses with their tenants (rows grouped by house code); the labels and
// mapping files' strictness.

#include "ingest/registry_import.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "core/personal_masks.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "engine/engine.h"
#include "json/registry_json.h"
#include "pg_test_inspect.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

Unit named_unit(std::string code, std::string name, std::string parent, UnitKind kind) {
  Unit u = test_unit(std::move(code), std::move(parent), kind);
  u.name = std::move(name);
  return u;
}

// One value of the store's own tables, as an administrator's SQL sees it.
std::string text_of(const std::string& location, const std::string& sql) {
  if (location.rfind("postgresql://", 0) == 0) return PgInspector(location).text(sql);
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(location.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

struct Expected {
  std::int64_t row;
  std::string column, header, reason_part;
};

void expect_problems(const ingest::RegistryImportReport& report, const std::string& file, const std::string& sheet,
                     const std::vector<Expected>& expected) {
  ASSERT_EQ(report.problems.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ingest::RowProblem& p = report.problems[i];
    SCOPED_TRACE(p.describe());
    EXPECT_EQ(p.file, file);
    EXPECT_EQ(p.sheet, sheet);
    EXPECT_EQ(p.row, expected[i].row);
    EXPECT_EQ(p.column, expected[i].column);
    EXPECT_EQ(p.header, expected[i].header);
    EXPECT_NE(p.reason.find(expected[i].reason_part), std::string::npos) << p.reason;
  }
}

class RegistryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = test_store_location(dir_, "registry-import.db");
    EngineConfig config{location_, "", "Asia/Shanghai"};
    config.personal_data.cipher =
        crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305)).value();
    auto opened = Engine::open(config);
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({named_unit("JN", "示范分局", "", UnitKind::kBureau),
                                    named_unit("JN-S1", "城东派出所", "JN", UnitKind::kStation),
                                    named_unit("JN-S1-C1", "城东社区警务室", "JN-S1", UnitKind::kCommunity),
                                    named_unit("JN-S2", "城西派出所", "JN", UnitKind::kStation)})
                    .ok());
  }

  ingest::RegistryImportOptions station_import(ingest::RegistryKind kind) {
    ingest::RegistryImportOptions o;
    o.kind = kind;
    auto labels = ingest::load_registry_labels("", kind);
    EXPECT_TRUE(labels.ok()) << labels.error().describe();
    if (labels.ok()) o.labels = *labels;
    o.scope = UnitScope::subtree("JN-S1");
    return o;
  }

  Result<ingest::RegistryImportReport> import(const ingest::RegistryFile& file,
                                              const ingest::RegistryImportOptions& o) {
    return ingest::import_registry(engine_->registry(), *engine_->units(), file, o);
  }

  ingest::RegistryFile workbook(const std::string& fods) {
    const std::string xlsx = libreoffice_convert(std::string(PINGAN_SOURCE_DIR) + "/tests/data/" + fods, "xlsx",
                                                 "xlsx", dir_.path().string());
    EXPECT_FALSE(xlsx.empty());
    auto file = ingest::read_registry_file(xlsx);
    EXPECT_TRUE(file.ok()) << file.error().describe();
    return file.ok() ? *file : ingest::RegistryFile{};
  }

  std::vector<Place> places() {
    RegistryFilter f;
    f.limit = 1000;
    auto page = engine_->registry().list_places(f);
    EXPECT_TRUE(page.ok()) << page.error().describe();
    return page.ok() ? page->records : std::vector<Place>{};
  }

  std::vector<Resident> residents() {
    RegistryFilter f;
    f.limit = 1000;
    auto page = engine_->registry().list_residents(f);
    EXPECT_TRUE(page.ok()) << page.error().describe();
    return page.ok() ? page->records : std::vector<Resident>{};
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(RegistryImportTest, PlacesFromALibreOfficeWorkbookWithMergedHeaderAndBadRows) {
  const ingest::RegistryFile file = workbook("registry_places_import.fods");
  ASSERT_EQ(file.name, "registry_places_import.xlsx");
  std::int64_t progress_calls = 0;
  ingest::RegistryImportOptions options = station_import(ingest::RegistryKind::kPlaces);
  options.progress = [&](std::int64_t done, std::int64_t total) {
    EXPECT_EQ(done, ++progress_calls);
    EXPECT_EQ(total, 9);
  };
  auto report = import(file, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(progress_calls, 9);
  EXPECT_EQ(report->sheet, "场所台账");
  EXPECT_EQ(report->header_row, 2);  // under the title row, found alone
  EXPECT_EQ(report->header_rows, 2);
  EXPECT_EQ(report->read, 9);
  EXPECT_EQ(report->taken, 3);
  EXPECT_EQ(report->refused, 6);
  EXPECT_EQ(report->created, 3);
  EXPECT_EQ(report->unchanged, 0);
  EXPECT_EQ(report->unused_columns, std::vector<std::string>{"序号"});
  expect_problems(*report, "registry_places_import.xlsx", "场所台账",
                  {{6, "D", "基本信息/场所类别", "unknown place category '足疗城'"},
                   {7, "E", "基本信息/所属派出所", "unit 城西派出所 (JN-S2) is another unit's: outside the importer's scope"},
                   {8, "H", "位置/纬度", "latitude 136.5 is outside -90..90"},
                   {9, "C", "基本信息/场所名称", "missing required 场所名称 (name)"},
                   {10, "B", "基本信息/场所编号", "'P-001' repeats row 4"},
                   {11, "J", "负责人信息/联系电话", "'电话待补' may hold only digits"}});

  // The store holds exactly what was taken, as the sheet has it.
  std::vector<Place> stored = places();
  ASSERT_EQ(stored.size(), static_cast<size_t>(report->taken));
  EXPECT_EQ(stored[0].code, "P-001");
  EXPECT_EQ(stored[0].category, "hotel");  // by its name 旅馆
  EXPECT_EQ(stored[0].unit_code, "JN-S1");  // by its name 城东派出所
  EXPECT_DOUBLE_EQ(stored[0].location.lat, 36.651);
  EXPECT_DOUBLE_EQ(stored[0].location.lon, 117.001);
  EXPECT_EQ(stored[0].contact_name, "王老板");
  EXPECT_EQ(stored[0].opened, std::optional<CivilDate>(CivilDate{2015, 3, 1}));
  EXPECT_EQ(stored[1].code, "P-002");
  EXPECT_EQ(stored[1].category, "internet_cafe");
  EXPECT_EQ(stored[1].unit_code, "JN-S1-C1");
  EXPECT_FALSE(stored[1].opened.has_value());
  EXPECT_EQ(stored[2].code, "P-008");
  EXPECT_EQ(stored[2].unit_code, "JN-S1-C1");  // by its name 城东社区警务室
  EXPECT_EQ(stored[2].opened, std::optional<CivilDate>(CivilDate{2020, 5, 1}));  // text 2020年5月1日

  // The contact is sealed at rest and masked when listed.
  EXPECT_EQ(text_of(location_, "SELECT contact_name FROM places WHERE code = 'P-001'").substr(0, 4), "pe1:");
  EXPECT_EQ(text_of(location_, "SELECT contact_phone FROM places WHERE code = 'P-001'").substr(0, 4), "pe1:");
  const nlohmann::json shown = place_to_json(stored[0], engine_->registry().place_categories());
  EXPECT_EQ(shown["contact_name"], "王**");
  EXPECT_EQ(shown["contact_phone"], mask_phone("13800001111"));
  EXPECT_NE(shown["contact_phone"], "13800001111");

  // Importing the same workbook again changes nothing.
  auto again = import(file, station_import(ingest::RegistryKind::kPlaces));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->taken, 3);
  EXPECT_EQ(again->refused, 6);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(places().size(), 3u);
}

TEST_F(RegistryImportTest, ResidentsFromALibreOfficeWorkbookAreSealedAndMatchedByIdNumber) {
  const ingest::RegistryFile file = workbook("registry_residents_import.fods");
  auto report = import(file, station_import(ingest::RegistryKind::kResidents));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->sheet, "实有人口");
  EXPECT_EQ(report->header_row, 1);
  EXPECT_EQ(report->header_rows, 2);
  EXPECT_EQ(report->read, 6);
  EXPECT_EQ(report->taken, 2);
  EXPECT_EQ(report->refused, 4);
  EXPECT_EQ(report->created, 2);
  expect_problems(*report, "registry_residents_import.xlsx", "实有人口",
                  {{5, "C", "人员信息/公民身份号码", "check"},
                   {6, "G", "居住信息/所属派出所", "unit 城西派出所 (JN-S2) is another unit's"},
                   {7, "E", "居住信息/人口类别", "unknown value '暂住' (allowed: 户籍 (registered), 流动 (floating))"},
                   {8, "C", "人员信息/公民身份号码", "'370102198503121014' repeats row 3"}});

  std::vector<Resident> stored = residents();
  ASSERT_EQ(stored.size(), static_cast<size_t>(report->taken));
  auto person = engine_->registry().get_person(stored[0].person_id);
  ASSERT_TRUE(person.ok()) << person.error().describe();
  EXPECT_EQ(person->name, "张三");
  EXPECT_EQ(person->id_number, "370102198503121014");
  EXPECT_EQ(person->birth_date, std::optional<CivilDate>(CivilDate{1985, 3, 12}));
  EXPECT_EQ(stored[0].kind, ResidentKind::kRegistered);
  EXPECT_EQ(stored[0].unit_code, "JN-S1");
  EXPECT_EQ(stored[0].address, "经十路1号1单元101");
  EXPECT_EQ(stored[0].registered, (CivilDate{2020, 1, 2}));
  EXPECT_EQ(stored[1].kind, ResidentKind::kFloating);  // 流动人口
  EXPECT_EQ(stored[1].unit_code, "JN-S1-C1");
  // Sealed at rest: the person's name and number, the resident's address; masked when shown.
  const std::string id = std::to_string(stored[0].person_id);
  EXPECT_EQ(text_of(location_, "SELECT name FROM persons WHERE id = " + id).substr(0, 4), "pe1:");
  EXPECT_EQ(text_of(location_, "SELECT id_number FROM persons WHERE id = " + id).substr(0, 4), "pe1:");
  EXPECT_EQ(text_of(location_, "SELECT address FROM residents WHERE person_id = " + id).substr(0, 4), "pe1:");
  EXPECT_EQ(mask_name(person->name), "张*");
  EXPECT_EQ(mask_id_number(person->id_number).find("19850312"), std::string::npos);

  // Again: the same persons are found by ID number, nothing changes.
  auto again = import(file, station_import(ingest::RegistryKind::kResidents));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->taken, 2);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(residents().size(), 2u);
}

TEST_F(RegistryImportTest, PlacesCsvWithTheBureausHeadersAndADefaultUnit) {
  auto mapping = ingest::parse_registry_mapping(R"({"店名": "name", "行业": "category", "X": "lon", "Y": "lat"})",
                                                "places-map.json", ingest::RegistryKind::kPlaces);
  ASSERT_TRUE(mapping.ok()) << mapping.error().describe();
  ingest::RegistryImportOptions options = station_import(ingest::RegistryKind::kPlaces);
  options.mapping = *mapping;
  options.default_unit = "JN-S1-C1";
  const std::string csv =
      "编号,店名,行业,地址,X,Y,备注\n"
      "C-1,老王烧烤,small_shop,经十路11号,117.011,36.661,\n"
      "C-2,老李修车,九小场所,经十路12号,117.012,36.662,\n"
      "C-3,老赵五金,小商店,经十路13号,东经117度,36.663,\n";
  auto report = import({"场所.csv", csv}, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->read, 3);
  EXPECT_EQ(report->taken, 1);
  EXPECT_EQ(report->unused_columns, std::vector<std::string>{"备注"});
  expect_problems(*report, "场所.csv", "",
                  {{3, "3", "行业", "'九小场所' is a group of categories, not a category"},
                   {4, "5", "X", "东经117度"}});
  std::vector<Place> stored = places();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].name, "老王烧烤");
  EXPECT_EQ(stored[0].unit_code, "JN-S1-C1");  // the default: no unit column
  EXPECT_DOUBLE_EQ(stored[0].location.lon, 117.011);
  EXPECT_TRUE(stored[0].contact_name.empty());
}

TEST_F(RegistryImportTest, RentalHousesGroupTheirTenantRowsAndAreWrittenWhole) {
  const std::string csv =
      "房屋编号,房屋地址,经度,纬度,所属单位,房东姓名,房东身份证号,租客姓名,租客身份证号,房间号,入住日期,退租日期\n"
      "H-1,经十路21号,117.021,36.671,JN-S1,房东甲,370102197005055056,租客一,370102199007042020,301,2024-01-01,\n"
      "H-1,,,,,,,租客二,370102197811203033,302,2024-02-01,2024-12-31\n"
      "H-2,经十路22号,117.022,36.672,JN-S1,房东乙,370102198808086061,租客三,370102199501014041,101,2024-03-01,\n"
      "H-2,经十路22号,,,,,,租客四,370102198503121015,102,2024-04-01,\n"
      "H-3,经十路23号,117.023,36.673,JN-S1,房东甲,370102197005055056,,,,,\n"
      "H-3,经十路24号,,,,,,租客五,370102199501014041,1,2024-05-01,\n"
      "H-4,经十路25号,117.025,36.675,JN-S1,房东丙,370102198808086061,,,,,\n";
  auto report = import({"出租房屋.csv", csv}, station_import(ingest::RegistryKind::kRentalHouses));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->read, 7);
  EXPECT_EQ(report->taken, 3);  // H-1's two rows, H-4's
  EXPECT_EQ(report->refused, 4);
  EXPECT_EQ(report->created, 2);
  expect_problems(*report, "出租房屋.csv", "",
                  {{4, "1", "房屋编号", "refused with its house: row 5 is refused"},
                   {5, "9", "租客身份证号", "check"},
                   {6, "1", "房屋编号", "refused with its house: row 7 is refused"},
                   {7, "2", "房屋地址", "'经十路24号' differs from row 6's '经十路23号' for house H-3"}});
  RegistryFilter f;
  auto houses = engine_->registry().list_rental_houses(f);
  ASSERT_TRUE(houses.ok()) << houses.error().describe();
  ASSERT_EQ(houses->records.size(), 2u);
  const RentalHouse& h1 = houses->records[0];
  EXPECT_EQ(h1.code, "H-1");
  ASSERT_EQ(h1.tenants.size(), 2u);
  EXPECT_EQ(h1.tenants[1].room, "302");
  EXPECT_EQ(h1.tenants[1].to, std::optional<CivilDate>(CivilDate{2024, 12, 31}));
  EXPECT_EQ(engine_->registry().get_person(h1.landlord_id)->name, "房东甲");
  EXPECT_EQ(houses->records[1].code, "H-4");
  EXPECT_TRUE(houses->records[1].tenants.empty());

  auto again = import({"出租房屋.csv", csv}, station_import(ingest::RegistryKind::kRentalHouses));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 2);
}

TEST_F(RegistryImportTest, RefusesTheWholeFileOnlyForWhatNoRowCanMend) {
  auto no_lat = import({"a.csv", "场所编号,场所名称,场所类别,地址,经度,所属单位\nP,x,hotel,y,117,JN-S1\n"},
                       station_import(ingest::RegistryKind::kPlaces));
  ASSERT_FALSE(no_lat.ok());
  EXPECT_NE(no_lat.error().message.find("no column for 纬度 (lat)"), std::string::npos) << no_lat.error().message;
  ingest::RegistryImportOptions other = station_import(ingest::RegistryKind::kPlaces);
  other.default_unit = "JN-S2";
  auto refused = import({"a.csv", "x\n1\n"}, other);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(places().empty());
}

TEST(RegistryColumnsFiles, EveryShippedLabelsFileParsesAndBadOnesAreRefusedNamingTheFile) {
  for (auto kind : {ingest::RegistryKind::kPlaces, ingest::RegistryKind::kCameras, ingest::RegistryKind::kEnterprises,
                    ingest::RegistryKind::kRentalHouses, ingest::RegistryKind::kResidents}) {
    auto labels = ingest::load_registry_labels("", kind);
    ASSERT_TRUE(labels.ok()) << labels.error().describe();
    // Every required target has a label, so a sheet with the shipped headers imports.
    for (const ingest::RegistryTarget& t : ingest::registry_targets(kind)) {
      if (t.required) {
        EXPECT_NE(labels->label_of(t.code), t.code) << ingest::registry_kind_name(kind) << " " << t.code;
      }
    }
  }
  const auto places = ingest::RegistryKind::kPlaces;
  auto labels_error = [&](const std::string& text) {
    auto parsed = ingest::parse_registry_labels(text, "places.json", places);
    EXPECT_FALSE(parsed.ok()) << text;
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  EXPECT_NE(labels_error(R"({"columns": {"names": ["名称"]}})").find("places.json: 'names' is not a column of places"),
            std::string::npos);
  EXPECT_NE(labels_error(R"({"columns": {"name": ["名称"], "address": ["名称"]}})")
                .find("label '名称' is listed under 'address' and 'name'"),
            std::string::npos);
  EXPECT_NE(labels_error(R"({"columns": {"name": ["名称"], "name": ["店名"]}})").find("column 'name' is listed twice"),
            std::string::npos);
  EXPECT_NE(labels_error(R"({"columns": {"name": []}})").find("must list its header labels"), std::string::npos);
  EXPECT_NE(labels_error(R"({"columns": {"name": [" "]}})").find("blank or not a string"), std::string::npos);
  EXPECT_NE(labels_error(R"(["name"])").find("places.json: must be an object"), std::string::npos);

  auto mapping_error = [&](const std::string& text) {
    auto parsed = ingest::parse_registry_mapping(text, "map.json", places);
    EXPECT_FALSE(parsed.ok()) << text;
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  EXPECT_NE(mapping_error(R"({"店名": "title"})").find("map.json: 'title' is not a column of places"),
            std::string::npos);
  EXPECT_NE(mapping_error(R"({"店名": "name", "店名": "address"})").find("header '店名' is listed twice"),
            std::string::npos);
  EXPECT_NE(mapping_error(R"({"店名": "name", "名字": "name"})").find("both map to 'name'"), std::string::npos);
  EXPECT_NE(mapping_error(R"({"店名": 1})").find("must map to a target as a string"), std::string::npos);
  EXPECT_NE(mapping_error("{").find("map.json: not valid JSON"), std::string::npos);
  EXPECT_FALSE(ingest::parse_registry_kind("shops").ok());
}

}  // namespace
}  // namespace pingan::testing
