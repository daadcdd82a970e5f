// A ledger type's items to .xlsx (issue 21, report/ledger_export.h), on
// SQLite and, in the `pg.` run, on PostgreSQL: disputes created and moved
// through the engine, exported, read back by LibreOffice as CSV with the
// same rows and totals and the personal values masked; the unit and date
// filters; the clear text only when asked; and an export imported again.

#include "report/ledger_export.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/engine.h"
#include "ingest/csv_reader.h"
#include "ingest/ledger_import.h"
#include "ingest/xlsx_reader.h"
#include "test_store.h"
#include "test_support.h"
#include "xlsx_test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'780'272'000;  // 2026-06-01T00:00:00Z, 08:00 in Asia/Shanghai
constexpr Timestamp kDay = 86'400;

Unit named_unit(std::string code, std::string name, std::string parent, UnitKind kind) {
  Unit u = test_unit(std::move(code), std::move(parent), kind);
  u.name = std::move(name);
  return u;
}

NewLedgerItem dispute(const std::string& unit, Timestamp at, LedgerFields fields) {
  NewLedgerItem r;
  r.unit_code = unit;
  r.actor = "民警 周七";
  r.actor_grants = {"station"};
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

StepRequest step(const std::string& code, Timestamp at, LedgerFields fields = {}) {
  StepRequest r;
  r.step = code;
  r.actor = "所长 王强";
  r.actor_grants = {"station"};
  r.at = at;
  r.fields = std::move(fields);
  return r;
}

size_t column(const std::vector<std::string>& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  EXPECT_NE(it, header.end()) << "no column " << name;
  return static_cast<size_t>(it - header.begin());
}

class LedgerExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Engine::open(EngineConfig{test_store_location(dir_, "export.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({named_unit("JN", "示范分局", "", UnitKind::kBureau),
                                    named_unit("JN-S1", "城东派出所", "JN", UnitKind::kStation),
                                    named_unit("JN-S2", "城西派出所", "JN", UnitKind::kStation)})
                    .ok());
    const UnitScope all = UnitScope::everything();
    auto a = ledgers().create("dispute",
                              dispute("JN-S1", kT0,
                                      {{"kind", std::string("neighbour")},
                                       {"summary", std::string("楼上漏水")},
                                       {"parties", std::int64_t{2}},
                                       {"party_name", std::string("张三丰")},
                                       {"party_phone", std::string("13812345678")},
                                       {"amount_fen", std::int64_t{120050}}}),
                              all);
    ASSERT_TRUE(a.ok()) << a.error().describe();
    auto b = ledgers().create("dispute",
                              dispute("JN-S2", kT0 + kDay,
                                      {{"kind", std::string("labour")},
                                       {"summary", std::string("拖欠工资")},
                                       {"parties", std::int64_t{12}},
                                       {"party_name", std::string("欧阳娜娜")},
                                       {"amount_fen", std::int64_t{5600000}}}),
                              all);
    ASSERT_TRUE(b.ok()) << b.error().describe();
    auto c = ledgers().create(
        "dispute", dispute("JN-S1", kT0 + 2 * kDay, {{"kind", std::string("debt")}, {"summary", std::string("借款")}}),
        all);
    ASSERT_TRUE(c.ok()) << c.error().describe();
    // The first one mediated and resolved: its state label is exported.
    StepRequest assign = step("assign", kT0 + kHalfDay);
    assign.unit_code = "JN-S1";
    assign.officer_id = "P1001";
    ASSERT_TRUE(ledgers().step(a->id, assign, all).ok());
    ASSERT_TRUE(ledgers().step(a->id, step("mediate", kT0 + kDay), all).ok());
    auto resolved = ledgers().step(a->id,
                                   step("resolve", kT0 + 2 * kDay,
                                        {{"resolution", std::string("agreement")},
                                         {"mediation_summary", std::string("达成协议")},
                                         {"agreement_amount_fen", std::int64_t{100000}}}),
                                   all);
    ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
    ids_ = {a->id, b->id, c->id};
  }
  LedgerRecords& ledgers() { return engine_->ledgers(); }
  Result<std::size_t> export_to(const std::string& path, const report::LedgerExportOptions& o) {
    return report::export_ledger_xlsx(ledgers(), *engine_->units(), engine_->time_zone(), o, path);
  }

  static constexpr Timestamp kHalfDay = kDay / 2;
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::int64_t> ids_;
};

TEST_F(LedgerExportTest, LibreOfficeReadsTheRowsTotalsAndMaskedValues) {
  const std::string path = dir_.file("disputes.xlsx");
  report::LedgerExportOptions options;
  options.type_code = "dispute";
  auto written = export_to(path, options);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_EQ(*written, 3u);

  std::string csv = libreoffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv",
                                        dir_.path().string());
  ASSERT_FALSE(csv.empty());
  auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 5u);  // header, three items, totals
  const auto& h = rows[0];
  EXPECT_EQ(std::vector<std::string>(h.begin(), h.begin() + 8),
            (std::vector<std::string>{"编号", "责任单位", "责任民警", "状态", "登记时间", "纠纷类别", "纠纷简要情况",
                                      "线索来源"}));
  const size_t name = column(h, "主要当事人"), phone = column(h, "当事人电话"), parties = column(h, "当事人数"),
               amount = column(h, "涉及金额(元)"), agreed = column(h, "协议金额(元)"),
               resolution = column(h, "化解方式");

  EXPECT_EQ(rows[1][0], std::to_string(ids_[0]));
  EXPECT_EQ(rows[1][1], "城东派出所");
  EXPECT_EQ(rows[1][2], "P1001");
  EXPECT_EQ(rows[1][3], "已化解");
  EXPECT_EQ(rows[1][4], "2026-06-01 08:00:00");  // local time
  EXPECT_EQ(rows[1][5], "邻里");
  EXPECT_EQ(rows[1][name], "张**");
  EXPECT_EQ(rows[1][phone], "138****5678");
  EXPECT_EQ(rows[1][parties], "2");
  EXPECT_EQ(rows[1][amount], "1,200.50");
  EXPECT_EQ(rows[1][agreed], "1,000.00");
  EXPECT_EQ(rows[1][resolution], "达成调解协议");

  EXPECT_EQ(rows[2][1], "城西派出所");
  EXPECT_EQ(rows[2][2], "");
  EXPECT_EQ(rows[2][3], "已发现");
  EXPECT_EQ(rows[2][name], "欧***");
  EXPECT_EQ(rows[2][phone], "");
  EXPECT_EQ(rows[2][amount], "56,000.00");
  EXPECT_EQ(rows[3][5], "债务");
  EXPECT_EQ(rows[3][parties], "");

  // The totals: the count of items, 2 + 12 people, 1200.50 + 56000 yuan.
  EXPECT_EQ(rows[4][0], "合计 3 条");
  EXPECT_EQ(rows[4][parties], "14");
  EXPECT_EQ(rows[4][amount], "57,200.50");
  EXPECT_EQ(rows[4][agreed], "1,000.00");
  // Nothing of the clear text anywhere.
  for (const auto& row : rows)
    for (const auto& cell : row) {
      EXPECT_EQ(cell.find("张三丰"), std::string::npos);
      EXPECT_EQ(cell.find("13812345678"), std::string::npos);
      EXPECT_EQ(cell.find("欧阳娜娜"), std::string::npos);
    }
}

TEST_F(LedgerExportTest, FiltersByUnitAndDateAndRevealsOnlyWhenAsked) {
  report::LedgerExportOptions options;
  options.type_code = "dispute";
  options.scope = UnitScope::subtree("JN-S1");
  options.created_from = kT0 + kDay;  // the third only (the first was created at kT0)
  options.reveal = true;
  const std::string path = dir_.file("s1.xlsx");
  auto written = export_to(path, options);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_EQ(*written, 1u);
  auto sheet = report::ledger_sheet(ledgers(), *engine_->units(), engine_->time_zone(), options);
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->title, "矛盾纠纷台账");
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(sheet->rows[0][0]), ids_[2]);

  // Revealed: the clear name, read back by pingan's own reader.
  options.created_from.reset();
  ASSERT_TRUE(export_to(path, options).ok());
  auto book = ingest::XlsxWorkbook::open_file(path);
  ASSERT_TRUE(book.ok()) << book.error().describe();
  auto table = ingest::TableSource::from_xlsx(*book, {});
  ASSERT_TRUE(table.ok()) << table.error().describe();
  ASSERT_EQ(table->rows().size(), 3u);  // two of JN-S1 and the totals
  const size_t name = *table->column_of("主要当事人");
  EXPECT_EQ(table->rows()[0].at(name).text, "张三丰");
  EXPECT_EQ(table->rows()[0].at(*table->column_of("当事人电话")).text, "13812345678");
  EXPECT_EQ(table->rows()[2].at(0).text, "合计 2 条");
}

TEST_F(LedgerExportTest, AnExportImportsBackAsDuplicatesOfNothingButNewItems) {
  // Round trip: the exported headers are the labels the importer maps by
  // default (money in yuan, units by name, states by label).
  report::LedgerExportOptions options;
  options.type_code = "dispute";
  options.reveal = true;
  const std::string path = dir_.file("round.xlsx");
  ASSERT_TRUE(export_to(path, options).ok());
  auto file = ingest::read_ledger_file(path);
  ASSERT_TRUE(file.ok());
  ingest::LedgerImportOptions in;
  in.type_code = "dispute";
  in.actor = "导入";
  in.grants = {"station"};
  in.now = kT0 + 10 * kDay;
  auto report = ingest::import_ledger(ledgers(), *engine_->units(), engine_->time_zone(), *file, in);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  // Three items; the totals row is known for what it is and not read as one.
  EXPECT_EQ(report->read, 3);
  EXPECT_EQ(report->taken, 3);
  EXPECT_EQ(report->later_state, 1);
  EXPECT_EQ(report->refused, 0);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_NE(std::find(report->notes.begin(), report->notes.end(),
                      "row 5 ('合计 3 条') is a totals row: not imported"),
            report->notes.end());
  EXPECT_EQ(report->unused_columns, std::vector<std::string>{"编号"});
  std::vector<LedgerItem> items;
  ASSERT_TRUE(ledgers().scan("dispute", [&](const LedgerItem& i) { items.push_back(i); }).ok());
  ASSERT_EQ(items.size(), 6u);
  const LedgerItem& copy = items[3];
  EXPECT_EQ(copy.unit_code, "JN-S1");
  EXPECT_EQ(copy.officer_id, "P1001");
  EXPECT_EQ(copy.created_at, kT0);
  EXPECT_EQ(std::get<std::string>(copy.fields.at("party_name")), "张三丰");
  EXPECT_EQ(std::get<std::int64_t>(copy.fields.at("amount_fen")), 120050);
  EXPECT_EQ(std::get<std::string>(copy.fields.at("resolution")), "agreement");
}

}  // namespace
}  // namespace pingan::testing
