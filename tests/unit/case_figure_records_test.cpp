// The records behind a case figure (case/figure_records.h): for constructed
// records, the rows listed number the figure's value (count and person
// figures) or add up to it (money figures), for every figure, unit subtree,
// class and period; and the rows name the records that make the figure.

#include "case/figure_records.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "case/case_figures.h"
#include "case/case_index.h"
#include "core/taxonomy.h"

namespace pingan::cases {
namespace {

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(int y, int mo, int d) { return shanghai().to_utc(CivilTime{y, mo, d, 0, 0, 0}); }

CaseTypes shipped_types() {
  std::ifstream in(shipped_data_dir() + "/" + kCaseTypesFile, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return CaseTypes::parse_csv(text.str(), kCaseTypesFile).value();
}

// City C: branches B1 (stations S11, S12) and B2 (station S21).
std::shared_ptr<const UnitTree> city() {
  std::vector<Unit> units;
  auto add = [&](std::string code, std::string parent, UnitKind kind) {
    Unit u;
    u.code = code;
    u.name = "单位" + code;
    u.kind = kind;
    u.parent_code = std::move(parent);
    units.push_back(std::move(u));
  };
  add("C", "", UnitKind::kBureau);
  add("B1", "C", UnitKind::kBureau);
  add("S11", "B1", UnitKind::kStation);
  add("S12", "B1", UnitKind::kStation);
  add("B2", "C", UnitKind::kBureau);
  add("S21", "B2", UnitKind::kStation);
  return std::make_shared<const UnitTree>(UnitTree::build(units).value());
}

class CaseFigureRecordsTest : public ::testing::Test {
 protected:
  CaseFigureRecordsTest() : types(shipped_types()), index(types, city(), shanghai()) {}

  // Two years of mixed records: cases of both classes in every unit (and
  // none), solved or withdrawn, with measures on a small pool of persons
  // (so that persons recur across cases, units and types), money entries,
  // fugitives old and new, warnings dissuaded or not.
  void fill() {
    std::mt19937 rng(20230601);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const char* case_types[] = {"burglary", "telecom_fraud_case", "intentional_injury", "admin_theft",
                                "admin_battery"};
    const char* units[] = {"S11", "S12", "B1", "S21", "C", ""};
    const Timestamp start = local(2022, 1, 1);
    const Timestamp span = local(2024, 1, 1) - start;
    auto when = [&] { return start + static_cast<Timestamp>(rng() % static_cast<unsigned>(span)); };
    for (CaseId id = 1; id <= 900; ++id) {
      CaseBundle b;
      b.record.id = id;
      b.record.type_code = case_types[pick(5)];
      b.record.case_class = types.find_type(b.record.type_code)->case_class;
      b.record.unit_code = units[pick(6)];
      b.record.opened_at = when();
      b.record.case_number = "A" + std::to_string(id);
      if (pick(3) == 0) b.record.money_involved_fen = 1 + pick(5'000'000);
      if (pick(2) == 0) {
        b.record.status = CaseStatus::kSolved;
        b.record.times.solved_at = b.record.opened_at + pick(86'400 * 90);
      } else if (pick(10) == 0) {
        b.record.status = CaseStatus::kWithdrawn;
        b.record.times.withdrawn_at = b.record.opened_at + 3'600;
      }
      for (int m = pick(4); m > 0; --m) {
        Measure me;
        me.id = static_cast<MeasureId>(b.measures.size() + 1);
        me.case_id = id;
        me.person_id = 1 + pick(250);
        me.kind = kAllMeasureKinds[pick(4) == 0 ? pick(10) : 0];  // mostly 抓获
        me.at = b.record.opened_at + pick(86'400 * 60);
        me.unit_code = pick(3) == 0 ? units[pick(5)] : "";
        b.measures.push_back(std::move(me));
      }
      for (int m = pick(3); m > 0; --m) {
        FraudMoneyEntry e;
        e.id = static_cast<std::int64_t>(b.money.size() + 1);
        e.case_id = id;
        e.kind = static_cast<FraudMoneyKind>(pick(3));
        e.amount_fen = 1 + pick(90'000'000);
        e.at = b.record.opened_at + pick(86'400 * 30);
        b.money.push_back(std::move(e));
      }
      index.apply(b);
    }
    for (FugitiveId id = 1; id <= 200; ++id) {
      Fugitive f;
      f.id = id;
      f.listing_number = "T" + std::to_string(id);
      f.person_id = 5'000 + id;
      f.listed_at = when() - 86'400 * 365 * pick(3);
      f.listing_unit = units[pick(5)];
      if (pick(3) != 0) {
        f.status = FugitiveStatus::kCaught;
        f.caught_at = f.listed_at + pick(86'400 * 400);
        f.caught_by_unit = pick(2) == 0 ? units[pick(5)] : "";
      }
      index.apply(f);
    }
    for (std::int64_t id = 1; id <= 300; ++id) {
      DissuasionTask t;
      t.id = id;
      t.warning_number = "W" + std::to_string(id);
      t.unit_code = units[pick(5)];
      t.issued_at = when();
      t.target_phone = "13800000000";
      if (pick(2) == 0) {
        t.status = DissuasionStatus::kDissuaded;
        t.times.dissuaded_at = t.issued_at + pick(86'400 * 3);
      }
      index.apply(t);
    }
  }

  CaseTypes types;
  CaseIndex index;
};

TEST_F(CaseFigureRecordsTest, RowsMakeTheValueOfEveryFigureUnitAndPeriod) {
  fill();
  struct Span {
    Timestamp from, to;
  };
  const Span periods[] = {{local(2022, 1, 1), local(2024, 1, 1)},
                          {local(2023, 6, 1), local(2023, 9, 1)},
                          {local(2022, 3, 15), local(2022, 3, 22)}};
  const char* units[] = {"", "C", "B1", "S11", "B2"};
  int checked = 0, nonzero = 0;
  for (const FigureInfo& figure : case_figures())
    for (const Span& p : periods)
      for (const char* unit : units)
        for (int filter = 0; filter < (figure.case_filters ? 2 : 1); ++filter) {
          FigureQuery q;
          q.name = figure.name;
          q.unit = unit;
          q.from = p.from;
          q.to = p.to;
          if (filter == 1) q.case_class = CaseClass::kCriminal;
          Result<FigureAnswer> answer = query_figure(index, q);
          Result<FigureRecords> records = list_figure_records(index, q);
          ASSERT_TRUE(answer.ok()) << answer.error().describe();
          ASSERT_TRUE(records.ok()) << records.error().describe();
          const std::string where = figure.name + " unit '" + unit + "' class " + std::to_string(filter);
          EXPECT_EQ(records->value, answer->value) << where;
          std::int64_t made = 0;
          std::set<std::pair<EventKind, std::int64_t>> persons;
          for (const FigureRecordRow& row : records->rows) {
            EXPECT_GE(row.at, q.from) << where;
            EXPECT_LT(row.at, q.to) << where;
            if (row.amount_fen) {
              made += *row.amount_fen;
            } else {
              ++made;
            }
            if (row.person_id) {  // a person once per kind
              EXPECT_TRUE(persons.emplace(row.kind, *row.person_id).second) << where;
            }
          }
          EXPECT_EQ(made, answer->value) << where;
          ++checked;
          if (answer->value > 0) ++nonzero;
        }
  // Every figure in three periods and five subtrees; most are not zero.
  EXPECT_EQ(checked, 3 * 5 * (2 * 18 + 6));  // 18 figures take a class, 6 do not
  EXPECT_GT(nonzero, checked / 2);
}

TEST_F(CaseFigureRecordsTest, RowsNameTheRecordsThatMakeTheFigure) {
  const Timestamp from = local(2023, 6, 1), to = local(2023, 7, 1);
  auto open = [&](CaseId id, const char* type, const char* unit, Timestamp at) {
    CaseBundle b;
    b.record.id = id;
    b.record.type_code = type;
    b.record.case_class = types.find_type(type)->case_class;
    b.record.unit_code = unit;
    b.record.opened_at = at;
    b.record.case_number = "A" + std::to_string(id);
    return b;
  };
  auto caught = [](CaseBundle& b, PersonId person, Timestamp at) {
    Measure m;
    m.id = static_cast<MeasureId>(b.measures.size() + 1);
    m.case_id = b.record.id;
    m.person_id = person;
    m.kind = MeasureKind::kCaught;
    m.at = at;
    b.measures.push_back(m);
  };
  CaseBundle a = open(7, "burglary", "S11", from + 100);
  caught(a, 42, from + 5'000);  // person 42 caught in case 7, then again in case 9
  caught(a, 43, from + 6'000);
  CaseBundle b = open(9, "burglary", "S12", from + 200);
  caught(b, 42, from + 1'000);  // ... earlier here: case 9 is the row that counts 42
  CaseBundle c = open(11, "admin_theft", "S11", from + 300);  // administrative
  caught(c, 44, from + 2'000);
  CaseBundle d = open(13, "burglary", "S21", from + 400);  // another branch
  caught(d, 45, from + 2'000);
  CaseBundle e = open(15, "burglary", "S11", to);  // after the period
  FraudMoneyEntry stop;
  stop.id = 1;
  stop.case_id = 7;
  stop.kind = FraudMoneyKind::kStopped;
  stop.amount_fen = 123'456;
  stop.at = from + 9'000;
  a.money.push_back(stop);
  for (const CaseBundle* x : {&a, &b, &c, &d, &e}) index.apply(*x);

  FigureQuery q;
  q.name = "suspects_caught";
  q.unit = "B1";
  q.case_class = CaseClass::kCriminal;
  q.from = from;
  q.to = to;
  Result<FigureRecords> caught_rows = list_figure_records(index, q);
  ASSERT_TRUE(caught_rows.ok()) << caught_rows.error().describe();
  ASSERT_EQ(caught_rows->rows.size(), 2u);
  EXPECT_EQ(caught_rows->value, 2);
  EXPECT_EQ(caught_rows->rows[0].record_id, 9);  // person 42's earliest, first by time
  EXPECT_EQ(caught_rows->rows[0].person_id, 42);
  EXPECT_EQ(caught_rows->rows[0].unit, "S12");
  EXPECT_EQ(event_kind_name(caught_rows->rows[0].kind), "measure.caught");
  EXPECT_EQ(caught_rows->rows[1].record_id, 7);
  EXPECT_EQ(caught_rows->rows[1].person_id, 43);
  EXPECT_EQ(record_source_name(caught_rows->rows[1].source), std::string("case"));

  q.name = "cases_opened";
  q.case_class.reset();
  Result<FigureRecords> opened = list_figure_records(index, q);
  ASSERT_TRUE(opened.ok());
  std::vector<std::int64_t> ids;
  for (const FigureRecordRow& r : opened->rows) ids.push_back(r.record_id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{7, 9, 11}));

  q.name = "money_stopped_fen";
  Result<FigureRecords> money = list_figure_records(index, q);
  ASSERT_TRUE(money.ok());
  ASSERT_EQ(money->rows.size(), 1u);
  EXPECT_EQ(money->rows[0].record_id, 7);
  EXPECT_EQ(money->rows[0].amount_fen, 123'456);
  EXPECT_EQ(money->value, 123'456);
}

TEST_F(CaseFigureRecordsTest, ErrorsAreQueryFiguresErrors) {
  FigureQuery q;
  q.name = "cases_found";
  q.from = local(2023, 1, 1);
  q.to = local(2023, 2, 1);
  EXPECT_EQ(list_figure_records(index, q).error().field, "name");
  q.name = "cases_opened";
  q.unit = "NOWHERE";
  EXPECT_EQ(list_figure_records(index, q).error().field, "unit");
  q.unit = "";
  q.to = q.from;
  EXPECT_EQ(list_figure_records(index, q).error().field, "to");
  q.to = local(2023, 2, 1);
  q.name = "fugitives_caught";
  q.case_class = CaseClass::kCriminal;
  EXPECT_EQ(list_figure_records(index, q).error().field, "class");
}

}  // namespace
}  // namespace pingan::cases
