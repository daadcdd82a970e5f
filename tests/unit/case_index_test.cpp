// The case index and its figures (issue 20): each seed figure of
// docs/cases.md from constructed records whose true value is known, among
// distractors that a wrong date, class, unit or status rule would count.

#include "case/case_figures.h"
#include "case/case_index.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/taxonomy.h"

namespace pingan::cases {
namespace {

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return shanghai().to_utc(CivilTime{y, mo, d, h, mi, s});
}

CaseTypes shipped_types() {
  std::ifstream in(shipped_data_dir() + "/" + kCaseTypesFile, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return CaseTypes::parse_csv(text.str(), kCaseTypesFile).value();
}

// City C: branches B1 (stations S11, S12, S13) and B2 (station S21).
std::shared_ptr<const UnitTree> city(bool with_s14 = false) {
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
  add("S13", "B1", UnitKind::kStation);
  add("B2", "C", UnitKind::kBureau);
  add("S21", "B2", UnitKind::kStation);
  if (with_s14) add("S14", "B1", UnitKind::kStation);
  return std::make_shared<const UnitTree>(UnitTree::build(units).value());
}

// Records built the way the store hands them over.
class Records {
 public:
  explicit Records(const CaseTypes& types) : types_(types) {}

  CaseBundle& open(const std::string& type, const std::string& unit, Timestamp at) {
    CaseBundle& b = bundles_.emplace_back();
    b.record.id = ++next_case_;
    b.record.type_code = type;
    b.record.case_class = types_.find_type(type)->case_class;
    b.record.unit_code = unit;
    b.record.opened_at = at;
    b.record.case_number = "A" + std::to_string(b.record.id);
    return b;
  }
  static void solve(CaseBundle& b, Timestamp at) {
    b.record.status = CaseStatus::kSolved;
    b.record.times.solved_at = at;
  }
  static void measure(CaseBundle& b, PersonId person, MeasureKind kind, Timestamp at, std::string unit = "") {
    Measure m;
    m.id = static_cast<MeasureId>(b.measures.size() + 1);
    m.case_id = b.record.id;
    m.person_id = person;
    m.kind = kind;
    m.at = at;
    m.unit_code = std::move(unit);
    b.measures.push_back(std::move(m));
  }
  static void money(CaseBundle& b, FraudMoneyKind kind, Fen fen, Timestamp at) {
    FraudMoneyEntry e;
    e.id = static_cast<std::int64_t>(b.money.size() + 1);
    e.case_id = b.record.id;
    e.kind = kind;
    e.amount_fen = fen;
    e.at = at;
    b.money.push_back(std::move(e));
  }
  std::vector<CaseBundle>& bundles() { return bundles_; }

 private:
  const CaseTypes& types_;
  std::vector<CaseBundle> bundles_;
  CaseId next_case_ = 0;
};

class CaseIndexTest : public ::testing::Test {
 protected:
  CaseIndexTest() : types(shipped_types()), records(types), index(types, city(), shanghai()) {}

  void load() {
    for (const CaseBundle& b : records.bundles()) index.apply(b);
  }
  FigureAnswer ask(FigureQuery q) {
    auto a = query_figure(index, q);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().describe());
    return a.ok() ? *a : FigureAnswer{};
  }
  std::int64_t value(const std::string& name, const std::string& unit, Timestamp from, Timestamp to,
                     std::optional<CaseClass> cls = std::nullopt, std::vector<std::string> groups = {}) {
    FigureQuery q;
    q.name = name;
    q.unit = unit;
    q.case_class = cls;
    q.groups = std::move(groups);
    q.from = from;
    q.to = to;
    return ask(q).value;
  }

  CaseTypes types;
  Records records;
  CaseIndex index;
};

// "破获刑事案件363起,抓获刑事犯罪嫌疑人368人" (Jinan Shizhong, 2023 campaign).
TEST_F(CaseIndexTest, JinanSolvedCasesAndSuspectsCaught) {
  const Timestamp from = local(2023, 6, 1), to = local(2023, 9, 1);
  const char* stations[] = {"S11", "S12", "S13", "B1"};
  const char* criminal[] = {"burglary", "telecom_fraud_case", "intentional_injury", "drug_trafficking"};
  PersonId person = 0;
  for (int i = 0; i < 363; ++i) {
    // Solved from the first second of the period to its last; some opened years before (a cold case).
    CaseBundle& b = records.open(criminal[i % 4], stations[i % 4], i % 50 == 0 ? local(2019, 3, 1) : from - 86'400);
    Records::solve(b, i == 0 ? from : i == 1 ? to - 1 : from + i * 20'000);
    Records::measure(b, ++person, MeasureKind::kCaught, i == 0 ? from : b.record.times.solved_at.value());
    if (i < 5) Records::measure(b, ++person, MeasureKind::kCaught, from + 3'600);  // a second suspect
    // Later measures on the same suspect do not add a person caught.
    Records::measure(b, person, MeasureKind::kCriminalDetention, to - 60);
  }
  ASSERT_EQ(person, 368);
  // Distractors.
  Records::solve(records.open("burglary", "S11", from - 86'400), to);        // solved at the period's end
  Records::solve(records.open("burglary", "S11", from - 86'400), from - 1);  // solved the second before
  Records::solve(records.open("admin_theft", "S11", from), from + 10);       // administrative
  Records::solve(records.open("burglary", "S21", from), from + 10);          // another branch
  records.open("burglary", "S12", from + 100);                               // opened, not solved
  CaseBundle& withdrawn = records.open("burglary", "S12", from + 100);
  withdrawn.record.status = CaseStatus::kWithdrawn;
  withdrawn.record.times.withdrawn_at = from + 200;
  CaseBundle& repeat = records.open("fraud_general", "S13", from);           // person 1 caught again
  Records::measure(repeat, 1, MeasureKind::kCaught, from + 500);
  CaseBundle& early = records.open("fraud_general", "S13", from - 90'000);   // caught before the period
  Records::measure(early, 9'001, MeasureKind::kCaught, from - 1);
  CaseBundle& admin = records.open("admin_battery", "S13", from);            // an administrative suspect
  Records::measure(admin, 9'002, MeasureKind::kCaught, from + 10);
  CaseBundle& elsewhere = records.open("burglary", "S21", from);             // caught in B2
  Records::measure(elsewhere, 9'003, MeasureKind::kCaught, from + 10);
  CaseBundle& detained = records.open("burglary", "S11", from);              // detained, never caught in the period
  Records::measure(detained, 9'004, MeasureKind::kCriminalDetention, from + 10);
  load();

  EXPECT_EQ(value("cases_solved", "B1", from, to, CaseClass::kCriminal), 363);
  EXPECT_EQ(value("suspects_caught", "B1", from, to, CaseClass::kCriminal), 368);
  // Without the class filter the administrative case and its suspect count too.
  EXPECT_EQ(value("cases_solved", "B1", from, to), 364);
  EXPECT_EQ(value("suspects_caught", "B1", from, to), 369);
  // The city sees B2's as well.
  EXPECT_EQ(value("cases_solved", "C", from, to, CaseClass::kCriminal), 364);
  EXPECT_EQ(value("suspects_caught", "", from, to, CaseClass::kCriminal), 369);
}

// "立案刑事案件1395起、行政案件3789起,刑事拘留843人,行政拘留1640人,破获侵财案件230起" (Liaocheng 2024).
TEST_F(CaseIndexTest, LiaochengOpenedDetainedAndPropertySolved) {
  const Timestamp from = local(2024, 1, 1), to = local(2025, 1, 1);
  const char* criminal[] = {"robbery", "intentional_injury", "burglary", "drunk_driving", "gambling_den"};
  const char* administrative[] = {"admin_theft", "admin_battery", "drink_driving_admin", "admin_gambling"};
  const char* units[] = {"S11", "S12", "S13", "S21", "C"};
  PersonId person = 0;
  int property_solved = 0;
  for (int i = 0; i < 1395; ++i) {
    CaseBundle& b = records.open(criminal[i % 5], units[i % 5], from + i * 22'000);
    if (i < 843) Records::measure(b, ++person, MeasureKind::kCriminalDetention, b.record.opened_at + 3'600);
    if (i % 5 == 0 || i % 5 == 2) {  // robbery, burglary: property
      if (property_solved < 200) {
        Records::solve(b, b.record.opened_at + 7'200);
        ++property_solved;
      }
    } else if (i % 3 == 0) {
      Records::solve(b, b.record.opened_at + 7'200);  // solved, not property
    }
  }
  for (int i = 0; i < 3789; ++i) {
    CaseBundle& b = records.open(administrative[i % 4], units[i % 5], from + i * 8'300);
    if (i < 1640) Records::measure(b, ++person, MeasureKind::kAdministrativeDetention, b.record.opened_at + 600);
    if (i % 4 == 0 && property_solved < 230) {  // admin_theft: property too
      Records::solve(b, b.record.opened_at + 600);
      ++property_solved;
    }
  }
  ASSERT_EQ(property_solved, 230);
  // Distractors: opened the year before and after, and one withdrawn in the year.
  CaseBundle& before = records.open("robbery", "S11", from - 1);
  Records::solve(before, from - 1);
  Records::measure(before, 99'001, MeasureKind::kCriminalDetention, from - 1);
  records.open("admin_theft", "S11", to);
  CaseBundle& withdrawn = records.open("robbery", "S11", from + 5);
  withdrawn.record.status = CaseStatus::kWithdrawn;
  withdrawn.record.times.withdrawn_at = from + 50;
  // A person detained in two cases of the year counts once.
  Records::measure(records.open("burglary", "S12", to - 86'400), 1, MeasureKind::kCriminalDetention, to - 3'600);
  load();

  EXPECT_EQ(value("cases_opened", "", from, to, CaseClass::kCriminal), 1396);  // + the detention case above
  EXPECT_EQ(value("cases_opened", "", from, to, CaseClass::kAdministrative), 3789);
  EXPECT_EQ(value("measure.criminal_detention", "", from, to), 843);
  EXPECT_EQ(value("measure.administrative_detention", "", from, to), 1640);
  EXPECT_EQ(value("cases_solved", "", from, to, std::nullopt, {"property"}), 230);
  EXPECT_EQ(value("cases_solved", "C", from, to, std::nullopt, {"property"}), 230);
}

// "抓获历年逃犯41人,新增逃犯345人" and "打击处理702人" by type (Wenzhou Lucheng 2022).
TEST_F(CaseIndexTest, WenzhouFugitivesOldAndNew) {
  const Timestamp from = local(2022, 6, 1), to = local(2022, 8, 1);
  const Timestamp year = local(2022, 1, 1);
  FugitiveId id = 0;
  auto listing = [&](Timestamp listed, std::optional<Timestamp> caught, FugitiveStatus status = FugitiveStatus::kCaught) {
    Fugitive f;
    f.id = ++id;
    f.listing_number = "T" + std::to_string(id);
    f.person_id = 1'000 + id;
    f.listed_at = listed;
    f.listing_unit = "S21";  // listed elsewhere; the capture is credited to the capturing unit
    f.status = status;
    f.caught_at = caught;
    f.caught_by_unit = caught ? "S11" : "";
    index.apply(f);
  };
  for (int i = 0; i < 40; ++i) listing(local(2015 + i % 7, 3, 1), from + i * 3'600);
  listing(year - 1, from + 77);  // the last second of 2021: old
  for (int i = 0; i < 344; ++i) listing(year + 86'400 * (i % 150), from + i * 7'200);
  listing(year, to - 1);  // midnight of 1 January: new
  // Distractors: caught before and at the end of the period, revoked, still listed.
  listing(local(2020, 1, 1), from - 1);
  listing(local(2020, 1, 1), to);
  listing(local(2020, 1, 1), std::nullopt, FugitiveStatus::kRevoked);
  listing(year + 5, std::nullopt, FugitiveStatus::kListed);

  EXPECT_EQ(value("fugitives_caught_old", "B1", from, to), 41);
  EXPECT_EQ(value("fugitives_caught_new", "B1", from, to), 345);
  EXPECT_EQ(value("fugitives_caught", "", from, to), 386);
  EXPECT_EQ(value("fugitives_caught", "B2", from, to), 0);
  EXPECT_EQ(value("fugitives_listed", "B2", year, local(2023, 1, 1)), 346);
}

TEST_F(CaseIndexTest, FugitiveAgeIsTheCaptureYearsAcrossTheNewYear) {
  const Timestamp from = local(2021, 12, 1), to = local(2022, 2, 1);
  Fugitive f;
  f.listing_number = "T1";
  f.person_id = 5;
  f.listing_unit = "S11";
  f.status = FugitiveStatus::kCaught;
  f.caught_by_unit = "S11";
  f.id = 1;  // listed in December, caught in January: of a past year then
  f.listed_at = local(2021, 12, 10);
  f.caught_at = local(2022, 1, 5);
  index.apply(f);
  f.id = 2;  // listed and caught in December: new
  f.caught_at = local(2021, 12, 20);
  index.apply(f);
  EXPECT_EQ(value("fugitives_caught_old", "", from, to), 1);
  EXPECT_EQ(value("fugitives_caught_new", "", from, to), 1);
  // The December capture is new whatever window is asked.
  EXPECT_EQ(value("fugitives_caught_new", "", local(2021, 12, 15), local(2021, 12, 31)), 1);
  EXPECT_EQ(value("fugitives_caught_old", "", local(2022, 1, 1), to), 1);
}

TEST_F(CaseIndexTest, WenzhouDealtWithByType) {
  const Timestamp from = local(2022, 1, 1), to = local(2023, 1, 1);
  struct Share {
    const char* type;
    const char* group;
    int persons;
  };
  // Fraud 40, theft 226, elderly fraud 45, drugs 19, gangs 27, 黄赌 105, 食药环知 40.
  const Share shares[] = {{"telecom_fraud_case", "telecom_fraud", 40}, {"other_theft", "theft", 225},
                          {"elderly_fraud_case", "elderly_fraud", 45}, {"drug_trafficking", "drugs", 18},
                          {"organised_crime", "gang_crime", 27},      {"gambling_den", "prostitution_gambling", 105},
                          {"pollution", "food_drug_env_ip", 40},      {"intentional_injury", "violent", 201}};
  PersonId person = 0;
  for (const Share& s : shares)
    for (int i = 0; i < s.persons; ++i) {
      CaseBundle& b = records.open(s.type, i % 2 ? "S11" : "S12", from + i * 40'000);
      Records::measure(b, ++person, MeasureKind::kCaught, b.record.opened_at + 10);
      Records::measure(b, person, MeasureKind::kCriminalDetention, b.record.opened_at + 20);
      Records::measure(b, person, MeasureKind::kDealtWith, b.record.opened_at + 30);
    }
  ASSERT_EQ(person, 701);
  // One person dealt with in a theft case and in a drug case: once in each
  // type's figure, once in the total.
  for (const char* type : {"burglary", "drug_premises"}) {
    CaseBundle& b = records.open(type, "S13", from + 1'000);
    Records::measure(b, 5'000, MeasureKind::kCriminalDetention, from + 2'000);
    Records::measure(b, 5'000, MeasureKind::kDealtWith, from + 3'000);
  }
  // Distractors: dealt with the year before; caught but not dealt with; another branch.
  Records::measure(records.open("burglary", "S11", from - 9'000), 6'001, MeasureKind::kDealtWith, from - 1);
  Records::measure(records.open("burglary", "S11", from), 6'002, MeasureKind::kCaught, from + 1);
  Records::measure(records.open("burglary", "S21", from), 6'003, MeasureKind::kDealtWith, from + 1);
  load();

  EXPECT_EQ(value("dealt_with", "B1", from, to), 702);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"telecom_fraud"}), 40);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"theft"}), 226);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"elderly_fraud"}), 45);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"drugs"}), 19);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"gang_crime"}), 27);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"prostitution_gambling"}), 105);
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"food_drug_env_ip"}), 40);
  // Theft and drugs together: the person of both is one.
  EXPECT_EQ(value("dealt_with", "B1", from, to, std::nullopt, {"theft", "drugs"}), 244);
  EXPECT_EQ(value("measure.dealt_with", "", from, to), 703);
  // A type asked by code: the one burglary of the year.
  FigureQuery q;
  q.name = "dealt_with";
  q.unit = "B1";
  q.types = {"burglary"};
  q.from = from;
  q.to = to;
  EXPECT_EQ(ask(q).value, 1);
}

// "预警劝阻群众44065人,止付涉案金额9.9亿余元,冻结1245.6万余元" (Jinan) and "返还300万元" (Zaozhuang).
TEST_F(CaseIndexTest, JinanDissuasionAndFraudMoneyToTheFen) {
  const Timestamp from = local(2023, 1, 1), to = local(2024, 1, 1);
  std::int64_t task_id = 0;
  auto task = [&](const char* unit, DissuasionStatus status, Timestamp issued, std::optional<Timestamp> dissuaded) {
    DissuasionTask t;
    t.id = ++task_id;
    t.warning_number = "W" + std::to_string(task_id);
    t.unit_code = unit;
    t.issued_at = issued;
    t.target_phone = "13800000000";
    t.status = status;
    t.times.contacted_at = issued + 60;
    t.times.dissuaded_at = dissuaded;
    if (status == DissuasionStatus::kDefrauded) t.times.defrauded_at = issued + 86'400 * 3;
    index.apply(t);
    return t;
  };
  for (int i = 0; i < 44'065; ++i) {
    const Timestamp issued = from + (i % 360) * 86'400 + i % 80'000;
    task(i % 3 ? "S11" : "S13", DissuasionStatus::kDissuaded, issued, issued + 600);
  }
  // Distractors: dissuaded then defrauded; not reached; still contacted;
  // dissuaded after the year; another branch.
  DissuasionTask later_defrauded = task("S11", DissuasionStatus::kDissuaded, from + 10, from + 100);
  later_defrauded.status = DissuasionStatus::kDefrauded;
  later_defrauded.times.defrauded_at = from + 86'400;
  index.apply(later_defrauded);
  task("S11", DissuasionStatus::kNotReached, from + 10, std::nullopt);
  task("S11", DissuasionStatus::kContacted, from + 10, std::nullopt);
  task("S12", DissuasionStatus::kDissuaded, to - 60, to);
  task("S21", DissuasionStatus::kDissuaded, from + 10, from + 20);

  // 990,123,456.78 元 stopped in 4,000 entries of uneven fen amounts.
  const Fen stopped = 99'012'345'678, frozen = 1'245'678'901, returned = 300'000'000;
  auto spread = [&](FraudMoneyKind kind, Fen total, int entries, const char* unit) {
    Fen left = total;
    for (int i = 0; i < entries; ++i) {
      CaseBundle& b = records.open("telecom_fraud_case", unit, from + i * 7'000);
      const Fen amount = i + 1 == entries ? left : total / entries + (i % 7) * 13 - 39;
      Records::money(b, kind, amount, b.record.opened_at + 3'600);
      left -= amount;
    }
  };
  spread(FraudMoneyKind::kStopped, stopped, 4'000, "S11");
  spread(FraudMoneyKind::kFrozen, frozen, 1'250, "S12");
  spread(FraudMoneyKind::kReturned, returned, 77, "S13");
  CaseBundle& outside = records.open("telecom_fraud_case", "S11", to - 10);
  Records::money(outside, FraudMoneyKind::kStopped, 123, to);  // the next year
  Records::money(outside, FraudMoneyKind::kFrozen, 456, from - 1);  // the year before
  Records::money(records.open("telecom_fraud_case", "S21", from), FraudMoneyKind::kStopped, 789, from + 1);
  load();

  EXPECT_EQ(value("dissuaded", "B1", from, to), 44'065);
  EXPECT_EQ(value("dissuasion_issued", "B1", from, to), 44'069);
  EXPECT_EQ(value("money_stopped_fen", "B1", from, to), stopped);
  EXPECT_EQ(value("money_frozen_fen", "B1", from, to), frozen);
  EXPECT_EQ(value("money_returned_fen", "B1", from, to), returned);
  EXPECT_EQ(value("money_stopped_fen", "", from, to), stopped + 789);
  EXPECT_EQ(value("money_stopped_fen", "B1", from, to, std::nullopt, {"telecom_fraud"}), stopped);
  EXPECT_EQ(value("money_stopped_fen", "B1", from, to, CaseClass::kAdministrative), 0);
}

TEST_F(CaseIndexTest, YearOnYearAndPreviousPeriod) {
  const Timestamp from = local(2024, 6, 1), to = local(2024, 7, 1);
  for (int i = 0; i < 50; ++i) records.open("burglary", "S11", from + i * 50'000);
  for (int i = 0; i < 40; ++i) records.open("burglary", "S12", local(2023, 6, 1) + i * 60'000);
  records.open("burglary", "S12", local(2023, 7, 1));  // just after last year's June
  // The 30 days before June: 2 May to 1 June.
  for (int i = 0; i < 60; ++i) records.open("burglary", "S13", local(2024, 5, 2) + i * 40'000);
  records.open("burglary", "S13", local(2024, 5, 2) - 1);  // 1 May, the day before
  load();

  FigureQuery q;
  q.name = "cases_opened";
  q.unit = "B1";
  q.from = from;
  q.to = to;
  const FigureAnswer a = ask(q);
  EXPECT_EQ(a.value, 50);
  EXPECT_EQ(a.year_on_year.from, local(2023, 6, 1));
  EXPECT_EQ(a.year_on_year.to, local(2023, 7, 1));
  EXPECT_EQ(a.year_on_year.value, 40);
  EXPECT_EQ(a.year_on_year.change, 10);
  EXPECT_DOUBLE_EQ(a.year_on_year.change_pct.value(), 25.0);
  EXPECT_EQ(a.previous.from, local(2024, 5, 2));
  EXPECT_EQ(a.previous.to, from);
  EXPECT_EQ(a.previous.value, 60);
  EXPECT_EQ(a.previous.change, -10);
  EXPECT_NEAR(a.previous.change_pct.value(), -100.0 / 6, 1e-9);

  // 29 February maps to 28 February; a period of hours is compared with the hours just before.
  q.from = local(2024, 2, 29, 8);
  q.to = local(2024, 2, 29, 20);
  const FigureAnswer hours = ask(q);
  EXPECT_EQ(hours.year_on_year.from, local(2023, 2, 28, 8));
  EXPECT_EQ(hours.previous.from, local(2024, 2, 28, 20));
  EXPECT_EQ(hours.previous.to, q.from);
  EXPECT_FALSE(hours.year_on_year.change_pct.has_value());  // nothing a year earlier
}

TEST_F(CaseIndexTest, RanksChildUnitsWithTies) {
  const Timestamp from = local(2024, 6, 1), to = local(2024, 7, 1);
  for (int i = 0; i < 5; ++i) Records::solve(records.open("robbery", "S11", from), from + i);
  for (int i = 0; i < 5; ++i) Records::solve(records.open("robbery", "S12", from), from + i);
  for (int i = 0; i < 2; ++i) Records::solve(records.open("robbery", "S13", from), from + i);
  for (int i = 0; i < 3; ++i) Records::solve(records.open("robbery", "S21", from), from + i);
  Records::solve(records.open("robbery", "B1", from), from);  // the branch itself: in B1's total only
  load();

  FigureQuery q;
  q.name = "cases_solved";
  q.unit = "B1";
  q.from = from;
  q.to = to;
  q.rank_units = true;
  const FigureAnswer b1 = ask(q);
  EXPECT_EQ(b1.value, 13);
  ASSERT_EQ(b1.units.size(), 3u);
  EXPECT_EQ(b1.units[0].code, "S11");
  EXPECT_EQ(b1.units[0].rank, 1);
  EXPECT_EQ(b1.units[1].code, "S12");
  EXPECT_EQ(b1.units[1].rank, 1);
  EXPECT_EQ(b1.units[2].code, "S13");
  EXPECT_EQ(b1.units[2].value, 2);
  EXPECT_EQ(b1.units[2].rank, 3);
  EXPECT_EQ(b1.units[2].name, "单位S13");

  q.unit = "";  // the tree's roots: the city alone
  const FigureAnswer all = ask(q);
  ASSERT_EQ(all.units.size(), 1u);
  EXPECT_EQ(all.units[0].value, 16);
  q.unit = "C";
  const FigureAnswer c = ask(q);
  ASSERT_EQ(c.units.size(), 2u);
  EXPECT_EQ(c.units[0].code, "B1");
  EXPECT_EQ(c.units[0].value, 13);
  EXPECT_EQ(c.units[1].code, "B2");
  EXPECT_EQ(c.units[1].rank, 2);
}

TEST_F(CaseIndexTest, ApplyingAChangedBundleReplacesIt) {
  const Timestamp from = local(2024, 6, 1), to = local(2024, 7, 1);
  CaseBundle b = records.open("burglary", "S11", from + 10);
  Records::solve(b, from + 100);
  Records::measure(b, 1, MeasureKind::kCaught, from + 50);
  Records::measure(b, 2, MeasureKind::kCaught, from + 60);
  Records::money(b, FraudMoneyKind::kStopped, 500, from + 70);
  index.apply(b);
  index.apply(b);  // the same again: nothing doubles
  EXPECT_EQ(value("cases_opened", "", from, to), 1);
  EXPECT_EQ(value("cases_solved", "", from, to), 1);
  EXPECT_EQ(value("suspects_caught", "", from, to), 2);
  EXPECT_EQ(value("money_stopped_fen", "", from, to), 500);

  // Retyped to fraud, moved to S21, a suspect dropped, the money corrected.
  b.record.type_code = "fraud_general";
  b.record.unit_code = "S21";
  b.measures.pop_back();
  b.money[0].amount_fen = 700;
  index.apply(b);
  EXPECT_EQ(value("cases_opened", "B1", from, to), 0);
  EXPECT_EQ(value("cases_opened", "B2", from, to), 1);
  EXPECT_EQ(value("cases_solved", "", from, to, std::nullopt, {"theft"}), 0);
  EXPECT_EQ(value("cases_solved", "", from, to, std::nullopt, {"fraud"}), 1);
  EXPECT_EQ(value("suspects_caught", "", from, to), 1);
  EXPECT_EQ(value("money_stopped_fen", "", from, to), 700);

  // Withdrawn: leaves the cases opened.
  b.record.status = CaseStatus::kWithdrawn;
  b.record.times.solved_at.reset();
  b.record.times.withdrawn_at = from + 200;
  index.apply(b);
  EXPECT_EQ(value("cases_opened", "", from, to), 0);
  EXPECT_EQ(value("cases_solved", "", from, to), 0);
  EXPECT_EQ(index.cases(), 1);

  index.reset();
  EXPECT_EQ(index.cases(), 0);
  EXPECT_EQ(index.rows(), 0);
}

// A person's rows move between the runs of persons seen once and those of
// persons seen several times (case_index_data.h); every step counts right.
TEST_F(CaseIndexTest, PersonCaughtInSeveralCasesCountsOnceThroughChanges) {
  const Timestamp from = local(2024, 6, 1), to = local(2024, 7, 1);
  CaseBundle a = records.open("burglary", "S11", from);
  CaseBundle b = records.open("robbery", "S21", from);
  Records::measure(a, 7, MeasureKind::kCaught, from + 10);
  index.apply(a);
  EXPECT_EQ(value("suspects_caught", "", from, to), 1);
  Records::measure(b, 7, MeasureKind::kCaught, from + 20);
  Records::measure(b, 8, MeasureKind::kCaught, from + 20);
  index.apply(b);
  EXPECT_EQ(value("suspects_caught", "", from, to), 2);
  EXPECT_EQ(value("suspects_caught", "B1", from, to), 1);
  EXPECT_EQ(value("suspects_caught", "B2", from, to), 2);
  EXPECT_EQ(value("suspects_caught", "", from, from + 15), 1);
  b.measures.erase(b.measures.begin());  // person 7 was not in case b after all
  index.apply(b);
  EXPECT_EQ(value("suspects_caught", "", from, to), 2);
  EXPECT_EQ(value("suspects_caught", "B2", from, to), 1);
  a.measures.clear();
  index.apply(a);
  EXPECT_EQ(value("suspects_caught", "", from, to), 1);
  EXPECT_EQ(value("suspects_caught", "B1", from, to), 0);
  Records::measure(a, 7, MeasureKind::kCaught, from + 10);
  Records::measure(a, 7, MeasureKind::kCaught, from + 30);  // escaped and caught again
  index.apply(a);
  EXPECT_EQ(value("suspects_caught", "", from, to), 2);
  EXPECT_EQ(value("suspects_caught", "B1", from, to), 1);
}

TEST_F(CaseIndexTest, BulkApplyCountsAsOneByOne) {
  const Timestamp from = local(2024, 1, 1), to = local(2024, 4, 1);
  for (int i = 0; i < 500; ++i) {
    // Out of time order, so the bulk sort matters.
    CaseBundle& b = records.open(i % 2 ? "robbery" : "admin_theft", i % 3 ? "S11" : "S21",
                                 from + ((i * 7919) % 500) * 17'000);
    if (i % 4 == 0) Records::solve(b, b.record.opened_at + 100);
    Records::measure(b, i % 450, MeasureKind::kCaught, b.record.opened_at + 5);
  }
  CaseIndex one_by_one(types, city(), shanghai());
  for (const CaseBundle& b : records.bundles()) one_by_one.apply(b);
  std::vector<CaseBundle> twice = records.bundles();
  twice.push_back(records.bundles()[7]);  // a record twice in a batch
  index.apply_all(twice);
  for (const char* name : {"cases_opened", "cases_solved", "suspects_caught"})
    for (const auto& [a, b] : {std::pair{from, to}, std::pair{from + 86'400 * 10, from + 86'400 * 40}}) {
      FigureQuery q;
      q.name = name;
      q.unit = "B1";
      q.from = a;
      q.to = b;
      EXPECT_EQ(query_figure(index, q)->value, query_figure(one_by_one, q)->value) << name;
      EXPECT_GT(query_figure(index, q)->value, 0) << name;
    }
  // Applying one record live after the bulk load keeps the runs in order.
  CaseBundle late = records.open("robbery", "S11", from + 5);
  index.apply(late);
  EXPECT_EQ(value("cases_opened", "S11", from, from + 6), 1 + value("cases_opened", "S11", from, from + 5));
}

TEST_F(CaseIndexTest, NewUnitTreeRenumbersRows) {
  const Timestamp from = local(2024, 6, 1), to = local(2024, 7, 1);
  for (int i = 0; i < 4; ++i) records.open("robbery", "S14", from + i);  // a unit the tree lacks yet
  records.open("robbery", "S11", from);
  load();
  EXPECT_EQ(value("cases_opened", "B1", from, to), 1);
  EXPECT_EQ(value("cases_opened", "S14", from, to), 4);  // known from the records
  EXPECT_EQ(value("cases_opened", "", from, to), 5);
  index.set_units(city(true));
  EXPECT_EQ(value("cases_opened", "B1", from, to), 5);
  EXPECT_EQ(value("cases_opened", "S14", from, to), 4);
  EXPECT_EQ(value("cases_opened", "B2", from, to), 0);
}

TEST_F(CaseIndexTest, ErrorsNameWhatIsWrong) {
  FigureQuery q;
  q.name = "cases_sovled";
  q.from = local(2024, 1, 1);
  q.to = local(2024, 2, 1);
  auto unknown = query_figure(index, q);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "name");
  EXPECT_NE(unknown.error().message.find("'cases_sovled'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("cases_solved"), std::string::npos);  // the known names

  q.name = "fugitives_caught_old";
  q.groups = {"theft"};
  auto filtered = query_figure(index, q);
  ASSERT_FALSE(filtered.ok());
  EXPECT_EQ(filtered.error().field, "group");

  q.name = "cases_solved";
  q.groups = {"no_such_group"};
  EXPECT_EQ(query_figure(index, q).error().field, "group");
  q.groups = {};
  q.types = {"no_such_type"};
  EXPECT_EQ(query_figure(index, q).error().field, "type");
  q.types = {};
  q.unit = "S99";
  EXPECT_EQ(query_figure(index, q).error().field, "unit");
  q.unit = "";
  q.to = q.from;
  EXPECT_EQ(query_figure(index, q).error().field, "to");
}

TEST(CaseFigures, EveryFigureIsDefinedAndFoundByName) {
  std::set<std::string> names;
  for (const FigureInfo& f : case_figures()) {
    EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
    EXPECT_GT(f.definition.size(), 80u) << f.name;
    EXPECT_FALSE(f.kinds.empty()) << f.name;
    EXPECT_EQ(find_case_figure(f.name).value(), &f);
  }
  for (const char* seed : {"cases_opened", "cases_solved", "suspects_caught", "measure.criminal_detention",
                           "measure.administrative_detention", "dealt_with", "fugitives_caught_old",
                           "fugitives_caught_new", "fugitives_listed", "money_stopped_fen", "money_frozen_fen",
                           "money_returned_fen", "dissuaded"})
    EXPECT_TRUE(names.count(seed)) << seed;
}

}  // namespace
}  // namespace pingan::cases
