// Ledger items from spreadsheets (issue 21, ingest/ledger_import.h), on
// SQLite and, in the `pg.` run, on PostgreSQL: a workbook LibreOffice writes
// from tests/data/ledger_dispute_import.fods (title row, two-row merged
// header, five bad rows) imported into the engine with the exact report of
// the rows not taken, the good rows stored as the sheet says, and a second
// import adding nothing; a CSV with a bureau's own headers through a mapping
// file keyed by its 编号 column; the mapping file's strictness.

#include "ingest/ledger_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kNow = 1'780'272'000;  // 2026-06-01T00:00:00Z

Unit named_unit(std::string code, std::string name, std::string parent, UnitKind kind) {
  Unit u = test_unit(std::move(code), std::move(parent), kind);
  u.name = std::move(name);
  return u;
}

std::unique_ptr<Engine> open_ledger_engine(const TempDir& dir) {
  auto opened = Engine::open(EngineConfig{test_store_location(dir, "import.db"), "", "Asia/Shanghai"});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  if (!opened.ok()) return nullptr;
  std::unique_ptr<Engine> engine = std::move(opened).value();
  EXPECT_TRUE(engine
                  ->upsert_units({named_unit("JN", "示范分局", "", UnitKind::kBureau),
                                  named_unit("JN-S1", "城东派出所", "JN", UnitKind::kStation),
                                  named_unit("JN-S1-C1", "城东社区警务室", "JN-S1", UnitKind::kCommunity),
                                  named_unit("JN-S2", "城西派出所", "JN", UnitKind::kStation)})
                  .ok());
  return engine;
}

ingest::LedgerImportOptions station_import(const std::string& type) {
  ingest::LedgerImportOptions o;
  o.type_code = type;
  o.actor = "民警 周七";
  o.grants = {"station"};
  o.scope = UnitScope::subtree("JN-S1");
  o.now = kNow;
  return o;
}

std::vector<LedgerItem> stored(Engine& engine, const std::string& type) {
  std::vector<LedgerItem> items;
  EXPECT_TRUE(engine.ledgers().scan(type, [&](const LedgerItem& i) { items.push_back(i); }).ok());
  return items;
}

std::string text_of(const LedgerItem& item, const std::string& field) {
  auto it = item.fields.find(field);
  if (it == item.fields.end()) return "<none>";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "<not text>";
}

std::int64_t number_of(const LedgerItem& item, const std::string& field) {
  auto it = item.fields.find(field);
  if (it == item.fields.end()) return -1;
  const auto* n = std::get_if<std::int64_t>(&it->second);
  return n ? *n : -2;
}

class LedgerImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = open_ledger_engine(dir_);
    ASSERT_TRUE(engine_);
  }
  Result<ingest::LedgerImportReport> import(const ingest::LedgerFile& file, const ingest::LedgerImportOptions& o) {
    return ingest::import_ledger(engine_->ledgers(), *engine_->units(), engine_->time_zone(), file, o);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(LedgerImportTest, LibreOfficeWorkbookWithMergedHeaderAndBadRows) {
  const std::string xlsx = libreoffice_convert(
      std::string(PINGAN_SOURCE_DIR) + "/tests/data/ledger_dispute_import.fods", "xlsx", "xlsx", dir_.path().string());
  ASSERT_FALSE(xlsx.empty());
  auto file = ingest::read_ledger_file(xlsx);
  ASSERT_TRUE(file.ok()) << file.error().describe();
  EXPECT_EQ(file->name, "ledger_dispute_import.xlsx");

  std::int64_t progress_calls = 0, progress_total = 0;
  ingest::LedgerImportOptions options = station_import("dispute");
  options.progress = [&](std::int64_t done, std::int64_t total) {
    ++progress_calls;
    EXPECT_EQ(done, progress_calls);
    progress_total = total;
  };
  auto report = import(*file, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(progress_calls, 8);
  EXPECT_EQ(progress_total, 8);

  // The header found alone: rows 2 and 3 under the title row.
  EXPECT_EQ(report->sheet, "纠纷台账");
  EXPECT_EQ(report->header_row, 2);
  EXPECT_EQ(report->header_rows, 2);
  EXPECT_EQ(report->read, 8);
  EXPECT_EQ(report->taken, 3);
  EXPECT_EQ(report->duplicates, 0);
  EXPECT_EQ(report->refused, 5);
  EXPECT_EQ(report->unused_columns, std::vector<std::string>{"序号"});

  // Every problem of every refused row: where, and why.
  struct Expected {
    std::int64_t row;
    std::string column, header, reason_part;
  };
  const std::vector<Expected> expected = {
      {6, "C", "基本信息/纠纷类别", "unknown value '打架' (allowed: 婚姻家庭 (marriage_family), 邻里 (neighbour)"},
      {6, "H", "纠纷情况/当事人数", "'三人' is not a whole number"},
      {7, "B", "基本信息/所属单位", "unit 城西派出所 (JN-S2) is another unit's: outside the importer's scope"},
      {8, "D", "基本信息/登记日期", "bad date"},
      {9, "G", "纠纷情况/纠纷简要情况", "missing required 纠纷简要情况 (summary)"},
      {10, "B", "基本信息/所属单位", "unknown unit '市南派出所' (neither a unit code nor a unit name)"},
  };
  ASSERT_EQ(report->problems.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ingest::RowProblem& p = report->problems[i];
    SCOPED_TRACE(p.describe());
    EXPECT_EQ(p.file, "ledger_dispute_import.xlsx");
    EXPECT_EQ(p.sheet, "纠纷台账");
    EXPECT_EQ(p.row, expected[i].row);
    EXPECT_EQ(p.column, expected[i].column);
    EXPECT_EQ(p.header, expected[i].header);
    EXPECT_NE(p.reason.find(expected[i].reason_part), std::string::npos) << p.reason;
  }
  EXPECT_NE(report->problems[3].reason.find("2026-13-40"), std::string::npos) << report->problems[3].reason;
  EXPECT_EQ(report->problems[0].describe().rfind(
                "ledger_dispute_import.xlsx, sheet '纠纷台账', row 6, column C (基本信息/纠纷类别): unknown value", 0),
            0u)
      << report->problems[0].describe();

  // The good rows as the sheet has them: unit by name or code, the date as
  // the creation time (local midnight), money from yuan to fen.
  auto items = stored(*engine_, "dispute");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(report->created_ids, (std::vector<std::int64_t>{items[0].id, items[1].id, items[2].id}));
  const TimeZone& zone = engine_->time_zone();
  EXPECT_EQ(items[0].unit_code, "JN-S1");
  EXPECT_EQ(text_of(items[0], "kind"), "neighbour");
  EXPECT_EQ(text_of(items[0], "party_name"), "张三丰");  // stored in clear (sealed at rest), masked when shown
  EXPECT_EQ(text_of(items[0], "party_phone"), "13812345678");
  EXPECT_EQ(text_of(items[0], "summary"), "楼上漏水引发纠纷");
  EXPECT_EQ(number_of(items[0], "parties"), 2);
  EXPECT_EQ(number_of(items[0], "amount_fen"), 120050);
  EXPECT_EQ(items[0].created_at, zone.to_utc(CivilTime{2026, 3, 1}));
  EXPECT_EQ(items[0].state, "found");
  EXPECT_EQ(items[0].history.front().actor, "民警 周七");
  EXPECT_EQ(items[1].unit_code, "JN-S1-C1");
  EXPECT_EQ(text_of(items[1], "kind"), "labour");
  EXPECT_EQ(number_of(items[1], "amount_fen"), 5600000);
  EXPECT_EQ(text_of(items[1], "party_phone"), "<none>");
  EXPECT_EQ(items[2].unit_code, "JN-S1-C1");  // by its name 城东社区警务室
  EXPECT_EQ(number_of(items[2], "parties"), 30);
  EXPECT_EQ(number_of(items[2], "amount_fen"), 300000);
  EXPECT_EQ(items[2].created_at, zone.to_utc(CivilTime{2026, 5, 1}));

  // Importing the same workbook again adds nothing.
  auto again = import(*file, station_import("dispute"));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->read, 8);
  EXPECT_EQ(again->taken, 0);
  EXPECT_EQ(again->duplicates, 3);
  EXPECT_EQ(again->refused, 5);
  EXPECT_EQ(stored(*engine_, "dispute").size(), 3u);
}

TEST_F(LedgerImportTest, CsvWithTheBureausHeadersThroughAMappingFile) {
  const LedgerDefinition& dispute = **engine_->ledgers().type("dispute");
  auto columns = ingest::parse_ledger_columns(
      R"json({"登记编号": "@key", "类别": "kind", "简况": "summary", "人数": "parties",
          "金额(元)": "amount_fen", "办理状态": "@state", "经办民警": "@officer"})json",
      "dispute.json", dispute);
  ASSERT_TRUE(columns.ok()) << columns.error().describe();
  const std::string csv =
      "登记编号,单位代码,类别,简况,人数,金额(元),办理状态,经办民警,备注\n"
      "CD-2026-001,JN-S1,neighbour,噪音扰民,2,\"1,234.5\",已发现,P1001,\n"
      "CD-2026-002,JN-S1-C1,债务,借款纠纷,3,200,已化解,P1002,已结\n"
      "CD-2026-003,JN-S1,劳资,欠薪,-4,,已发现,,\n"
      "CD-2026-004,JN-S1,劳资,欠薪,4,,搁置,,\n";
  ingest::LedgerImportOptions options = station_import("dispute");
  options.columns = *columns;
  auto report = import({"纠纷登记.csv", csv}, options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->sheet, "");
  EXPECT_EQ(report->header_row, 1);
  EXPECT_EQ(report->read, 4);
  EXPECT_EQ(report->taken, 2);
  EXPECT_EQ(report->refused, 2);
  EXPECT_EQ(report->later_state, 1);  // 已化解: the engine creates items as 已发现
  EXPECT_EQ(report->unused_columns, std::vector<std::string>{"备注"});
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_EQ(report->problems[0].row, 4);  // CSV: the line
  EXPECT_EQ(report->problems[0].column, "5");
  EXPECT_EQ(report->problems[0].header, "人数");
  EXPECT_NE(report->problems[0].reason.find("当事人数 (parties)"), std::string::npos) << report->problems[0].reason;
  EXPECT_EQ(report->problems[1].row, 5);
  EXPECT_EQ(report->problems[1].column, "7");
  EXPECT_NE(report->problems[1].reason.find("unknown state '搁置'"), std::string::npos) << report->problems[1].reason;
  bool noted = false;
  for (const auto& n : report->notes) noted |= n.find("imported as 已发现 (found)") != std::string::npos;
  EXPECT_TRUE(noted);

  auto items = stored(*engine_, "dispute");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(text_of(items[0], "kind"), "neighbour");
  EXPECT_EQ(number_of(items[0], "amount_fen"), 123450);
  EXPECT_EQ(items[0].officer_id, "P1001");
  EXPECT_EQ(items[0].created_at, kNow);
  EXPECT_EQ(text_of(items[1], "kind"), "debt");  // by its label 债务
  EXPECT_EQ(items[1].unit_code, "JN-S1-C1");
  EXPECT_EQ(items[1].state, "found");

  // The key is the 登记编号, not the file: the same rows in another file add nothing.
  auto again = import({"纠纷登记-副本.csv", csv}, options);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->taken, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(stored(*engine_, "dispute").size(), 2u);
}

TEST_F(LedgerImportTest, RefusesTheWholeFileOnlyForWhatNoRowCanMend) {
  // A required field without a column names it and the headers found.
  auto no_summary = import({"a.csv", "单位,纠纷类别\nJN-S1,邻里\n"}, station_import("dispute"));
  ASSERT_FALSE(no_summary.ok());
  EXPECT_NE(no_summary.error().message.find("纠纷简要情况 (summary)"), std::string::npos)
      << no_summary.error().message;
  // An actor whose roles may not create the type.
  ingest::LedgerImportOptions reader = station_import("dispute");
  reader.grants = {"leader"};
  auto refused = import({"a.csv", "单位,纠纷类别,纠纷简要情况\nJN-S1,邻里,x\n"}, reader);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(stored(*engine_, "dispute").size(), 0u);
  // An unknown type names the known ones.
  auto unknown = import({"a.csv", "x\n1\n"}, station_import("nope"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST(LedgerColumnsFile, IsParsedStrictlyNamingTheFile) {
  auto catalogue = LedgerCatalogue::load();
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().describe();
  const LedgerDefinition& dispute = *catalogue->find("dispute");
  auto refused = [&](const std::string& text) {
    auto parsed = ingest::parse_ledger_columns(text, "dispute.json", dispute);
    EXPECT_FALSE(parsed.ok()) << text;
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  EXPECT_NE(refused(R"({"类别": "kinds"})").find("dispute.json: '类别' maps to 'kinds', which is not a field"),
            std::string::npos);
  EXPECT_NE(refused(R"({"类别": "kind", "类别": "summary"})").find("dispute.json: header '类别' is listed twice"),
            std::string::npos);
  EXPECT_NE(refused(R"({"类别": "kind", "类型": "kind"})").find("both map to 'kind'"), std::string::npos);
  EXPECT_NE(refused(R"({"类别": 3})").find("must map to a field code as a string"), std::string::npos);
  EXPECT_NE(refused(R"(["kind"])").find("dispute.json: must be one object"), std::string::npos);
  EXPECT_NE(refused(R"({"类别": "kind",})").find("dispute.json: not valid JSON"), std::string::npos);
  EXPECT_NE(refused(R"({" ": "kind"})").find("a header is blank"), std::string::npos);

  // Through a file: the message names it.
  TempDir dir;
  const std::string path = dir.file("hazard-columns.json");
  std::ofstream(path) << R"({"隐患": "nothing"})";
  auto loaded = ingest::load_ledger_columns(path, *catalogue->find("hazard"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message.rfind("hazard-columns.json: ", 0), 0u) << loaded.error().message;
}

}  // namespace
}  // namespace pingan::testing
