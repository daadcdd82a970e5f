// The case store (issue 20, store/case_store.h), on SQLite and, in the `pg.`
// run, on PostgreSQL: cases with their keys, scope, paging and history;
// one person across cases by ID number, sealed with a cipher; measures and
// money checked against exactly the rows stored before them; fugitives and
// their check by ID number; dissuasion tasks; the start-up scan; the change
// log naming each record another store wrote; and the SQLite migration that
// rebuilds the change log keeping its rows and position.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/case_lifecycle.h"
#include "core/dissuasion.h"
#include "core/fraud_money.h"
#include "core/fugitive.h"
#include "core/measure_rules.h"
#include "core/person.h"
#include "core/taxonomy.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "pg_test_inspect.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z
constexpr Timestamp kNow = kT0 + 365 * 86'400;

// An ID number (GB 11643) from its first 17 digits and the check character.
std::string id_number(const std::string& first17) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<size_t>(i)] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

CaseRecord a_case(const std::string& number, const std::string& unit, Timestamp opened,
                  const std::string& type = "burglary", CaseClass cls = CaseClass::kCriminal) {
  CaseRecord c;
  c.source = "api";
  c.case_number = number;
  c.type_code = type;
  c.case_class = cls;
  c.unit_code = unit;
  c.summary = "入室盗窃";
  c.opened_at = opened;
  return c;
}

std::vector<CaseStep> opened(const CaseRecord& c) {
  CaseStep s;
  s.to = CaseStatus::kOpened;
  s.at = c.opened_at;
  s.actor = "李警官";
  return {s};
}

// The first history entry the engine gives a new listing and a new task.
std::vector<FugitiveStep> listed_entry(const Fugitive& f) {
  return {FugitiveStep{std::nullopt, FugitiveStatus::kListed, f.listed_at, "刑警 李明", ""}};
}
std::vector<DissuasionStep> issued_entry(const DissuasionTask& t) {
  return {DissuasionStep{std::nullopt, DissuasionStatus::kIssued, t.issued_at, "反诈民警", ""}};
}

Person a_person(const std::string& name, const std::string& id = "", const std::string& phone = "",
                const std::string& address = "") {
  Person p;
  p.name = name;
  p.id_number = id;
  p.phone = phone;
  p.address = address;
  EXPECT_TRUE(validate_person(p, kNow).ok()) << name;
  return p;
}

MeasureRules shipped_rules() {
  std::ifstream in(shipped_data_dir() + "/" + kMeasureRulesFile, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << kMeasureRulesFile;
  std::stringstream ss;
  ss << in.rdbuf();
  auto rules = MeasureRules::parse_json(ss.str(), kMeasureRulesFile);
  EXPECT_TRUE(rules.ok()) << rules.error().describe();
  return rules.ok() ? *rules : MeasureRules{};
}

Measure a_measure(CaseId c, PersonId p, MeasureKind kind, Timestamp at) {
  Measure m;
  m.case_id = c;
  m.person_id = p;
  m.kind = kind;
  m.at = at;
  m.unit_code = "JN-S1";
  m.actor = "王警官";
  return m;
}

FraudMoneyEntry money(CaseId c, FraudMoneyKind kind, Fen fen, Timestamp at) {
  FraudMoneyEntry e;
  e.case_id = c;
  e.kind = kind;
  e.amount_fen = fen;
  e.at = at;
  e.unit_code = "JN-S1";
  e.actor = "反诈中心";
  return e;
}

bool is_postgres(const std::string& location) { return location.rfind("postgresql://", 0) == 0; }

// One value of the store's own tables, as an administrator's SQL sees it.
std::string text_of(const std::string& location, const std::string& sql) {
  if (is_postgres(location)) return PgInspector(location).text(sql);
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

std::vector<std::string> numbers_of(const CasePage& page) {
  std::vector<std::string> out;
  for (const CaseRecord& c : page.cases) out.push_back(c.case_number);
  return out;
}

class CaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = test_store_location(dir_, "cases.db");
    auto opened_store = open_store(location_);
    ASSERT_TRUE(opened_store.ok()) << opened_store.error().describe();
    store_ = std::move(opened_store).value();
    const std::vector<Unit> units = {test_unit("JN", "", UnitKind::kBureau),
                                     test_unit("JN-S1", "JN", UnitKind::kStation),
                                     test_unit("JN-S2", "JN", UnitKind::kStation)};
    ASSERT_TRUE(store_->units().upsert_units(units).ok());
  }
  CaseStore& cases() { return store_->cases(); }

  CaseRecord create(const CaseRecord& c) {
    auto made = cases().create_case(c, opened(c));
    EXPECT_TRUE(made.ok()) << made.error().describe();
    return made.ok() ? *made : CaseRecord{};
  }
  PersonId save(const Person& p) {
    auto saved = cases().save_person(p);
    EXPECT_TRUE(saved.ok()) << saved.error().describe();
    return saved.ok() ? saved->person.id : 0;
  }
  void add_party(CaseId c, PersonId p, PersonRole role, Timestamp at) {
    CaseParty party{c, p, role, at, "李警官"};
    auto added = cases().add_party(party);
    EXPECT_TRUE(added.ok()) << added.error().describe();
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

// ---- cases ----

TEST_F(CaseStoreTest, CreatesGetsAndListsByFilterScopeAndKeysetPages) {
  // Seven cases over two stations; two share an opening time, so the page
  // order falls back on the id there.
  const CaseRecord a = create(a_case("A1", "JN-S1", kT0));
  const CaseRecord b = create(a_case("A2", "JN-S2", kT0 + 100, "telecom_fraud_case"));
  const CaseRecord c = create(a_case("A3", "JN-S1", kT0 + 200, "admin_theft", CaseClass::kAdministrative));
  const CaseRecord d = create(a_case("A4", "JN-S1", kT0 + 200));
  CaseRecord linked = a_case("A5", "JN-S2", kT0 + 300);
  linked.incident_ids = {42, 7};
  linked.flags.gang = true;
  linked.money_involved_fen = 123'456;
  const CaseRecord e = create(linked);
  const CaseRecord f = create(a_case("A6", "JN-S1", kT0 + 400));
  const CaseRecord g = create(a_case("A7", "JN", kT0 + 500));
  ASSERT_GT(a.id, 0);
  EXPECT_EQ(cases().count_cases().value(), 7);

  auto got = cases().get_case(e.id, UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->case_number, "A5");
  EXPECT_EQ(got->unit_code, "JN-S2");
  EXPECT_EQ(got->summary, "入室盗窃");
  EXPECT_EQ(got->opened_at, kT0 + 300);
  EXPECT_EQ(got->status, CaseStatus::kOpened);
  EXPECT_TRUE(got->flags.gang);
  EXPECT_FALSE(got->flags.major);
  EXPECT_EQ(got->money_involved_fen, 123'456);
  std::vector<IncidentId> links = got->incident_ids;
  std::sort(links.begin(), links.end());
  EXPECT_EQ(links, (std::vector<IncidentId>{7, 42}));
  EXPECT_EQ(cases().get_case_by_number("A3", UnitScope::everything())->id, c.id);
  EXPECT_EQ(cases().get_case_by_number("A3", UnitScope::everything())->case_class, CaseClass::kAdministrative);
  // Outside the scope is not found, by id and by number.
  EXPECT_EQ(cases().get_case(e.id, UnitScope::subtree("JN-S1")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cases().get_case_by_number("A5", UnitScope::subtree("JN-S1")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cases().get_case(e.id, UnitScope::subtree("JN"))->id, e.id);
  EXPECT_EQ(cases().get_case(9999, UnitScope::everything()).error().code, ErrorCode::kNotFound);

  CaseFilter all;
  auto page = cases().list_cases(all);
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(numbers_of(*page), (std::vector<std::string>{"A7", "A6", "A5", "A4", "A3", "A2", "A1"}));
  EXPECT_FALSE(page->more);

  CaseFilter s1;
  s1.scope = UnitScope::subtree("JN-S1");
  EXPECT_EQ(numbers_of(*cases().list_cases(s1)), (std::vector<std::string>{"A6", "A4", "A3", "A1"}));
  CaseFilter admin;
  admin.case_class = CaseClass::kAdministrative;
  EXPECT_EQ(numbers_of(*cases().list_cases(admin)), (std::vector<std::string>{"A3"}));
  CaseFilter types;
  types.type_codes = {"telecom_fraud_case", "admin_theft"};
  EXPECT_EQ(numbers_of(*cases().list_cases(types)), (std::vector<std::string>{"A3", "A2"}));
  CaseFilter period;
  period.opened_from = kT0 + 100;  // inclusive
  period.opened_to = kT0 + 300;    // exclusive
  EXPECT_EQ(numbers_of(*cases().list_cases(period)), (std::vector<std::string>{"A4", "A3", "A2"}));
  CaseFilter none;
  none.scope = UnitScope{false, {}};
  EXPECT_TRUE(cases().list_cases(none)->cases.empty());

  // Keyset pages of two: every case once, in order, `more` until the last.
  std::vector<std::string> walked;
  CaseFilter paged;
  paged.limit = 2;
  int pages = 0;
  while (true) {
    auto p = cases().list_cases(paged);
    ASSERT_TRUE(p.ok()) << p.error().describe();
    ++pages;
    for (const auto& n : numbers_of(*p)) walked.push_back(n);
    if (!p->more) break;
    ASSERT_EQ(p->cases.size(), 2u);
    paged.before = std::make_pair(p->cases.back().opened_at, p->cases.back().id);
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"A7", "A6", "A5", "A4", "A3", "A2", "A1"}));
  EXPECT_EQ(pages, 4);
  // A page of exactly what is left says no more follows.
  CaseFilter last_two;
  last_two.limit = 2;
  last_two.before = std::make_pair(c.opened_at, c.id);
  auto tail = cases().list_cases(last_two);
  EXPECT_EQ(numbers_of(*tail), (std::vector<std::string>{"A2", "A1"}));
  EXPECT_FALSE(tail->more);
  // Of the two opened at the same second, the page after d holds c.
  CaseFilter after_d;
  after_d.limit = 1;
  after_d.before = std::make_pair(d.opened_at, d.id);
  EXPECT_EQ(numbers_of(*cases().list_cases(after_d)), (std::vector<std::string>{"A3"}));

  CaseFilter bad;
  bad.limit = 0;
  EXPECT_EQ(cases().list_cases(bad).error().field, "limit");
  bad.limit = 1001;
  EXPECT_EQ(cases().list_cases(bad).error().field, "limit");
  (void)b;
  (void)f;
  (void)g;
}

TEST_F(CaseStoreTest, ATakenCaseNumberOrSourceIdIsRefusedByName) {
  CaseRecord first = a_case("B1", "JN-S1", kT0);
  first.source = "import-x";
  first.source_id = "row-1";
  create(first);
  CaseRecord same_number = a_case("B1", "JN-S1", kT0);
  auto refused = cases().create_case(same_number, opened(same_number));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(refused.error().field, "case_number");
  CaseRecord same_source = a_case("B2", "JN-S1", kT0);
  same_source.source = "import-x";
  same_source.source_id = "row-1";
  refused = cases().create_case(same_source, opened(same_source));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(refused.error().field, "source_id");
  // The same source id from another source, and cases typed in without one,
  // are new.
  same_source.source = "import-y";
  EXPECT_TRUE(cases().create_case(same_source, opened(same_source)).ok());
  EXPECT_TRUE(cases().create_case(a_case("B3", "JN-S1", kT0), {}).ok());
  EXPECT_TRUE(cases().create_case(a_case("B4", "JN-S1", kT0), {}).ok());
  EXPECT_EQ(cases().count_cases().value(), 4);
}

TEST_F(CaseStoreTest, UpdateAppliesStepsInOrderAndAnErrorChangesNothing) {
  const CaseRecord made = create(a_case("C1", "JN-S1", kT0));
  auto step = [&](CaseStatus to, Timestamp at, const std::string& note = "") {
    return [=](CaseRecord& c) {
      CaseStepRequest r;
      r.to = to;
      r.at = at;
      r.actor = "赵警官";
      r.note = note;
      return apply_case_step(c, r, kNow, 0);
    };
  };
  auto investigating = cases().update_case(made.id, UnitScope::everything(), step(CaseStatus::kInvestigating, kT0 + 60));
  ASSERT_TRUE(investigating.ok()) << investigating.error().describe();
  EXPECT_EQ(investigating->status, CaseStatus::kInvestigating);

  // Refused by the rule (a step back in time), and an apply that changed the
  // record before failing: neither leaves a trace.
  auto back = cases().update_case(made.id, UnitScope::everything(), step(CaseStatus::kSolved, kT0 + 10));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().field, "at");
  auto half = cases().update_case(made.id, UnitScope::everything(), [](CaseRecord& c) -> Result<CaseStep> {
    c.summary = "改过";
    c.flags.major = true;
    c.incident_ids = {99};
    c.status = CaseStatus::kWithdrawn;
    return Error::conflict("to", "refused after changing the record");
  });
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().code, ErrorCode::kConflict);
  // Outside the scope: not found, and `apply` never runs.
  bool ran = false;
  auto outside = cases().update_case(made.id, UnitScope::subtree("JN-S2"), [&](CaseRecord&) -> Result<CaseStep> {
    ran = true;
    return CaseStep{};
  });
  EXPECT_EQ(outside.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(ran);
  auto unchanged = cases().get_case(made.id, UnitScope::everything());
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->status, CaseStatus::kInvestigating);
  EXPECT_EQ(unchanged->summary, "入室盗窃");
  EXPECT_FALSE(unchanged->flags.major);
  EXPECT_TRUE(unchanged->incident_ids.empty());
  EXPECT_EQ(cases().case_history(made.id, UnitScope::everything())->size(), 2u);

  // A change of flags and links with its own entry, then the solve.
  auto flagged = cases().update_case(made.id, UnitScope::everything(), [](CaseRecord& c) -> Result<CaseStep> {
    c.flags.major = true;
    c.incident_ids = {11, 5};
    CaseStep s;
    s.from = c.status;
    s.to = c.status;
    s.at = kT0 + 90;
    s.actor = "赵警官";
    s.note = "定为大案";
    return s;
  });
  ASSERT_TRUE(flagged.ok()) << flagged.error().describe();
  auto solved = cases().update_case(made.id, UnitScope::subtree("JN"), step(CaseStatus::kSolved, kT0 + 120));
  ASSERT_TRUE(solved.ok()) << solved.error().describe();
  auto now = cases().get_case(made.id, UnitScope::everything());
  EXPECT_EQ(now->status, CaseStatus::kSolved);
  EXPECT_EQ(now->times.investigating_at, kT0 + 60);
  EXPECT_EQ(now->times.solved_at, kT0 + 120);
  EXPECT_TRUE(now->flags.major);
  std::vector<IncidentId> links = now->incident_ids;
  std::sort(links.begin(), links.end());
  EXPECT_EQ(links, (std::vector<IncidentId>{5, 11}));

  auto history = cases().case_history(made.id, UnitScope::everything());
  ASSERT_TRUE(history.ok()) << history.error().describe();
  ASSERT_EQ(history->size(), 4u);
  EXPECT_FALSE((*history)[0].from.has_value());
  EXPECT_EQ((*history)[0].to, CaseStatus::kOpened);
  EXPECT_EQ((*history)[0].actor, "李警官");
  EXPECT_EQ((*history)[1].from, CaseStatus::kOpened);
  EXPECT_EQ((*history)[1].to, CaseStatus::kInvestigating);
  EXPECT_EQ((*history)[1].at, kT0 + 60);
  EXPECT_EQ((*history)[2].note, "定为大案");
  EXPECT_EQ((*history)[3].from, CaseStatus::kInvestigating);
  EXPECT_EQ((*history)[3].to, CaseStatus::kSolved);
  EXPECT_EQ((*history)[3].at, kT0 + 120);
  EXPECT_EQ((*history)[3].actor, "赵警官");
  EXPECT_EQ(cases().case_history(made.id, UnitScope::subtree("JN-S2")).error().code, ErrorCode::kNotFound);

  // A number corrected into one taken is refused, the case left as it was.
  create(a_case("C2", "JN-S1", kT0));
  auto taken = cases().update_case(made.id, UnitScope::everything(), [](CaseRecord& c) -> Result<CaseStep> {
    c.case_number = "C2";
    return CaseStep{c.status, c.status, kT0 + 130, "赵警官", "更正编号"};
  });
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(taken.error().field, "case_number");
  EXPECT_EQ(cases().get_case(made.id, UnitScope::everything())->case_number, "C1");
  EXPECT_EQ(cases().case_history(made.id, UnitScope::everything())->size(), 4u);
}

TEST_F(CaseStoreTest, AnImportedSolvedCaseKeepsTheHistoryItCarries) {
  CaseRecord c = a_case("D1", "JN-S1", kT0);
  c.status = CaseStatus::kSolved;
  c.times.investigating_at = kT0 + 10;
  c.times.solved_at = kT0 + 20;
  std::vector<CaseStep> history = opened(c);
  history.push_back(CaseStep{CaseStatus::kOpened, CaseStatus::kInvestigating, kT0 + 10, "导入", ""});
  history.push_back(CaseStep{CaseStatus::kInvestigating, CaseStatus::kSolved, kT0 + 20, "导入", ""});
  auto made = cases().create_case(c, history);
  ASSERT_TRUE(made.ok()) << made.error().describe();
  auto got = cases().get_case(made->id, UnitScope::everything());
  EXPECT_EQ(got->status, CaseStatus::kSolved);
  EXPECT_EQ(got->times.solved_at, kT0 + 20);
  auto stored = cases().case_history(made->id, UnitScope::everything());
  ASSERT_EQ(stored->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*stored)[i].from, history[i].from) << i;
    EXPECT_EQ((*stored)[i].to, history[i].to) << i;
    EXPECT_EQ((*stored)[i].at, history[i].at) << i;
  }
}

// ---- persons and parties ----

TEST_F(CaseStoreTest, OnePersonAcrossCasesIsOneRecordMatchedOnTheIdNumber) {
  const std::string id = id_number("11010519491231002");
  ASSERT_EQ(id.back(), 'X');
  std::string lower = id;
  lower.back() = 'x';
  const CaseRecord first = create(a_case("P1", "JN-S1", kT0));
  const CaseRecord second = create(a_case("P2", "JN-S2", kT0 + 50));
  create(a_case("P3", "JN-S2", kT0 + 60));

  auto saved = cases().save_person(a_person("张三", id, "13912340987"));
  ASSERT_TRUE(saved.ok()) << saved.error().describe();
  EXPECT_TRUE(saved->created);
  const PersonId zhang = saved->person.id;
  add_party(first.id, zhang, PersonRole::kSuspect, kT0 + 1);

  // Named again in another case, the number typed with a lower-case x and
  // spaces, another name, no phone but an address: the same person; the
  // address is filled, nothing stored is overwritten.
  Person again = a_person("张三丰", " " + lower + " ", "", "历下区泉城路1号");
  auto matched = cases().save_person(again);
  ASSERT_TRUE(matched.ok()) << matched.error().describe();
  EXPECT_FALSE(matched->created);
  EXPECT_EQ(matched->person.id, zhang);
  EXPECT_EQ(matched->person.name, "张三");
  EXPECT_EQ(matched->person.phone, "13912340987");
  EXPECT_EQ(matched->person.address, "历下区泉城路1号");
  add_party(second.id, zhang, PersonRole::kSuspect, kT0 + 51);
  add_party(second.id, zhang, PersonRole::kVictim, kT0 + 52);  // an affray: both sides
  add_party(second.id, zhang, PersonRole::kVictim, kT0 + 53);  // present: nothing added

  auto got = cases().get_person(zhang);
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->id_number, id);
  EXPECT_EQ(got->address, "历下区泉城路1号");
  ASSERT_TRUE(got->birth_date.has_value());
  EXPECT_EQ(*got->birth_date, (CivilDate{1949, 12, 31}));
  EXPECT_EQ(got->sex, Sex::kFemale);  // digit 17 is even
  EXPECT_EQ(cases().find_person_by_id_number(id)->id, zhang);
  EXPECT_EQ(cases().find_person_by_id_number(id_number("11010519491231003")).error().code, ErrorCode::kNotFound);

  // Without an ID number nobody is matched: two records.
  const PersonId w1 = save(a_person("王五"));
  const PersonId w2 = save(a_person("王五"));
  EXPECT_NE(w1, w2);
  EXPECT_FALSE(cases().get_person(w2)->birth_date.has_value());

  CaseFilter his;
  his.person_id = zhang;
  EXPECT_EQ(numbers_of(*cases().list_cases(his)), (std::vector<std::string>{"P2", "P1"}));
  auto bundle = cases().case_bundle(second.id);
  ASSERT_TRUE(bundle.ok()) << bundle.error().describe();
  ASSERT_EQ(bundle->parties.size(), 2u);
  std::set<PersonRole> roles;
  for (const CaseParty& p : bundle->parties) {
    EXPECT_EQ(p.person_id, zhang);
    roles.insert(p.role);
  }
  EXPECT_EQ(roles, (std::set<PersonRole>{PersonRole::kSuspect, PersonRole::kVictim}));

  EXPECT_EQ(cases().add_party(CaseParty{9999, zhang, PersonRole::kWitness, kT0, "x"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(cases().add_party(CaseParty{first.id, 9999, PersonRole::kWitness, kT0, "x"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(cases().get_person(9999).error().code, ErrorCode::kNotFound);
}

// save_party (the engine's add_party): the person and their role in one
// transaction, so that a party refused after the person is written leaves
// no person without a case behind.
TEST_F(CaseStoreTest, SavePartyWritesThePersonAndTheRoleTogetherOrNeither) {
  const CaseRecord c = create(a_case("SP1", "JN-S1", kT0));
  const std::string id = id_number("37010219700101005");
  CaseParty party{c.id, /*person_id=*/0, PersonRole::kSuspect, kT0 + 10, "李警官"};
  auto saved = cases().save_party(a_person("赵一", id, "13900000011"), party);
  ASSERT_TRUE(saved.ok()) << saved.error().describe();
  EXPECT_TRUE(saved->created);
  EXPECT_GT(saved->person.id, 0);
  // Named again (matched by number) as a victim: the same person, a second role.
  party.role = PersonRole::kVictim;
  auto again = cases().save_party(a_person("赵壹", id), party);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->person.id, saved->person.id);
  EXPECT_EQ(again->person.name, "赵一");
  auto bundle = cases().case_bundle(c.id);
  ASSERT_TRUE(bundle.ok()) << bundle.error().describe();
  ASSERT_EQ(bundle->parties.size(), 2u);
  EXPECT_EQ(bundle->parties[0].person_id, saved->person.id);
  EXPECT_EQ(bundle->parties[0].role, PersonRole::kSuspect);
  EXPECT_EQ(bundle->parties[0].actor, "李警官");
  EXPECT_EQ(bundle->parties[1].role, PersonRole::kVictim);
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM persons"), "1");

  // A case that does not exist: kNotFound, and no person written.
  const std::string stranger = id_number("37010219700101013");
  CaseParty nowhere{9999, 0, PersonRole::kWitness, kT0 + 20, "李警官"};
  auto refused = cases().save_party(a_person("钱二", stranger), nowhere);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM persons"), "1");
  EXPECT_EQ(cases().find_person_by_id_number(stranger).error().code, ErrorCode::kNotFound);

  // A fault after the person is written (the role's insert fails): the
  // person goes with it.
  if (is_postgres(location_)) {
    EXPECT_EQ(PgInspector(location_).error_of(
                  "CREATE FUNCTION party_fault() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$ BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
                  "CREATE TRIGGER party_fault BEFORE INSERT ON case_parties "
                  "FOR EACH ROW EXECUTE FUNCTION party_fault();"),
              "");
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(location_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER party_fault BEFORE INSERT ON case_parties "
                           "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
                           nullptr, nullptr, &err),
              SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  party.role = PersonRole::kWitness;
  auto faulted = cases().save_party(a_person("钱二", stranger, "13900000022"), party);
  ASSERT_FALSE(faulted.ok());
  EXPECT_NE(faulted.error().message.find("injected fault"), std::string::npos) << faulted.error().describe();
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM persons"), "1");
  EXPECT_EQ(cases().find_person_by_id_number(stranger).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cases().case_bundle(c.id)->parties.size(), 2u);
}

TEST_F(CaseStoreTest, WithACipherPersonalColumnsAreSealedAndTheMatchKeyIsTheKeyedHash) {
  auto cipher = crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305));
  ASSERT_TRUE(cipher.ok());
  const std::string location = test_store_location(dir_, "sealed.db");
  auto sealed = open_store(location, PersonalDataOptions{*cipher, false});
  ASSERT_TRUE(sealed.ok()) << sealed.error().describe();
  CaseStore& store = (*sealed)->cases();
  const std::string id = id_number("37010219900101123");
  auto saved = store.save_person(a_person("李四", id, "13800001111", "市中区"));
  ASSERT_TRUE(saved.ok()) << saved.error().describe();
  auto again = store.save_person(a_person("李四", id));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->person.id, saved->person.id);
  EXPECT_FALSE(again->created);

  const std::string row = fmt::format(" FROM persons WHERE id = {}", saved->person.id);
  for (const char* column : {"name", "id_number", "phone", "address"}) {
    const std::string stored = text_of(location, std::string("SELECT ") + column + row);
    EXPECT_EQ(stored.substr(0, 4), "pe1:") << column << " is stored as " << stored;
  }
  const std::string expected_key = (*cipher)->keyed_hash("id_number", id).value();
  EXPECT_EQ(text_of(location, "SELECT id_key" + row), expected_key);
  EXPECT_EQ(store.id_number_key(id).value(), expected_key);
  EXPECT_NE(expected_key, id);
  auto got = store.get_person(saved->person.id);
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->name, "李四");
  EXPECT_EQ(got->id_number, id);
  EXPECT_EQ(got->phone, "13800001111");
  EXPECT_EQ(got->address, "市中区");

  DissuasionTask task;
  task.warning_number = "W-SEALED";
  task.unit_code = "JN-S1";
  task.issued_at = kT0;
  task.target_phone = "13700002222";
  auto made = store.create_dissuasion(task, issued_entry(task));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  EXPECT_EQ(text_of(location, fmt::format("SELECT target_phone FROM dissuasion_tasks WHERE id = {}", made->id))
                .substr(0, 4),
            "pe1:");
  EXPECT_EQ(store.get_dissuasion(made->id, UnitScope::everything())->target_phone, "13700002222");

  // Without a cipher the match key is the number's normal form.
  EXPECT_EQ(cases().id_number_key(id).value(), id);
}

// ---- measures and money ----

TEST_F(CaseStoreTest, AMeasuresCheckSeesExactlyTheEarlierMeasuresOfThatSuspectInThatCase) {
  const CaseId a = create(a_case("M1", "JN-S1", kT0)).id;
  const CaseId b = create(a_case("M2", "JN-S1", kT0)).id;
  const PersonId p = save(a_person("嫌疑人甲"));
  const PersonId q = save(a_person("嫌疑人乙"));
  const auto accept = [](const std::vector<Measure>&) { return Status(); };
  ASSERT_TRUE(cases().add_measure(a_measure(a, p, MeasureKind::kCaught, kT0 + 10), accept).ok());
  ASSERT_TRUE(cases().add_measure(a_measure(a, q, MeasureKind::kCaught, kT0 + 11), accept).ok());
  ASSERT_TRUE(cases().add_measure(a_measure(b, p, MeasureKind::kCaught, kT0 + 12), accept).ok());
  auto detained = cases().add_measure(a_measure(a, p, MeasureKind::kCriminalDetention, kT0 + 20), accept);
  ASSERT_TRUE(detained.ok()) << detained.error().describe();
  EXPECT_GT(detained->id, 0);

  std::vector<Measure> seen;
  auto arrest = cases().add_measure(a_measure(a, p, MeasureKind::kArrest, kT0 + 30),
                                    [&](const std::vector<Measure>& earlier) {
                                      seen = earlier;
                                      return Status();
                                    });
  ASSERT_TRUE(arrest.ok()) << arrest.error().describe();
  ASSERT_EQ(seen.size(), 2u);  // p in a: caught, detained; not q's, not case b's
  EXPECT_EQ(seen[0].kind, MeasureKind::kCaught);
  EXPECT_EQ(seen[0].at, kT0 + 10);
  EXPECT_EQ(seen[1].kind, MeasureKind::kCriminalDetention);
  EXPECT_EQ(seen[1].id, detained->id);
  for (const Measure& m : seen) {
    EXPECT_EQ(m.case_id, a);
    EXPECT_EQ(m.person_id, p);
    EXPECT_EQ(m.unit_code, "JN-S1");
    EXPECT_EQ(m.actor, "王警官");
  }

  // The shipped rules, run as the engine will: q was only caught, so a
  // prosecution is refused and nothing is stored.
  const MeasureRules rules = shipped_rules();
  const Measure charge = a_measure(a, q, MeasureKind::kProsecution, kT0 + 40);
  auto refused = cases().add_measure(
      charge, [&](const std::vector<Measure>& earlier) { return check_measure(rules, earlier, charge); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "kind");
  const Measure arrest_q = a_measure(a, q, MeasureKind::kArrest, kT0 + 40);
  EXPECT_TRUE(cases()
                  .add_measure(arrest_q, [&](const std::vector<Measure>& earlier) {
                    return check_measure(rules, earlier, arrest_q);
                  })
                  .ok());
  auto bundle = cases().case_bundle(a);
  ASSERT_TRUE(bundle.ok());
  ASSERT_EQ(bundle->measures.size(), 5u);  // by time, the refused one absent
  for (size_t i = 1; i < bundle->measures.size(); ++i)
    EXPECT_LE(bundle->measures[i - 1].at, bundle->measures[i].at);
  EXPECT_EQ(bundle->measures.back().kind, MeasureKind::kArrest);
  EXPECT_EQ(bundle->measures.back().person_id, q);
  EXPECT_EQ(cases().add_measure(a_measure(9999, p, MeasureKind::kCaught, kT0), accept).error().code,
            ErrorCode::kNotFound);
}

TEST_F(CaseStoreTest, AMoneyCheckSeesTheCasesEntries) {
  const CaseId a = create(a_case("F1", "JN-S1", kT0, "telecom_fraud_case")).id;
  const CaseId b = create(a_case("F2", "JN-S1", kT0, "telecom_fraud_case")).id;
  const auto rule = [](const FraudMoneyEntry& next) {
    return [next](const std::vector<FraudMoneyEntry>& recorded) {
      return check_fraud_money_entry(recorded, next, kNow, 0);
    };
  };
  const auto add = [&](const FraudMoneyEntry& e) { return cases().add_fraud_money(e, rule(e)); };
  ASSERT_TRUE(add(money(a, FraudMoneyKind::kStopped, 100'000, kT0 + 10)).ok());
  ASSERT_TRUE(add(money(a, FraudMoneyKind::kFrozen, 50'000, kT0 + 20)).ok());
  ASSERT_TRUE(add(money(b, FraudMoneyKind::kStopped, 9'999'999, kT0 + 30)).ok());

  std::vector<FraudMoneyEntry> seen;
  const FraudMoneyEntry first_return = money(a, FraudMoneyKind::kReturned, 120'000, kT0 + 40);
  auto returned = cases().add_fraud_money(first_return, [&](const std::vector<FraudMoneyEntry>& recorded) {
    seen = recorded;
    return check_fraud_money_entry(recorded, first_return, kNow, 0);
  });
  ASSERT_TRUE(returned.ok()) << returned.error().describe();
  ASSERT_EQ(seen.size(), 2u);  // case a's, not b's
  EXPECT_EQ(seen[0].kind, FraudMoneyKind::kStopped);
  EXPECT_EQ(seen[0].amount_fen, 100'000);
  EXPECT_EQ(seen[1].kind, FraudMoneyKind::kFrozen);

  // 120,000 of 150,000 returned: 40,000 more is beyond it (b's money is not a's).
  auto beyond = add(money(a, FraudMoneyKind::kReturned, 40'000, kT0 + 50));
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().field, "amount_fen");
  FraudMoneyEntry overridden = money(a, FraudMoneyKind::kReturned, 40'000, kT0 + 50);
  overridden.override_limit = true;
  overridden.override_reason = "嫌疑人退赔";
  auto kept = add(overridden);
  ASSERT_TRUE(kept.ok()) << kept.error().describe();
  auto bundle = cases().case_bundle(a);
  ASSERT_TRUE(bundle.ok());
  ASSERT_EQ(bundle->money.size(), 4u);
  EXPECT_TRUE(bundle->money[3].override_limit);
  EXPECT_EQ(bundle->money[3].override_reason, "嫌疑人退赔");
  const FraudMoneyTotals totals = fraud_money_totals(bundle->money, a);
  EXPECT_EQ(totals.stopped, 100'000);
  EXPECT_EQ(totals.frozen, 50'000);
  EXPECT_EQ(totals.returned, 160'000);
}

// ---- fugitives ----

TEST_F(CaseStoreTest, FugitivesAreListedSteppedAndFoundByIdNumber) {
  const std::string id = id_number("37010219850615201");
  const PersonId wanted = save(a_person("在逃甲", id));
  const PersonId other = save(a_person("在逃乙", id_number("37010219850615202")));
  Fugitive old_listing;
  old_listing.listing_number = "T3701000000001";
  old_listing.person_id = wanted;
  old_listing.listed_at = kT0 - 3 * 365 * 86'400;
  old_listing.listing_unit = "JN-S1";
  auto first = cases().create_fugitive(old_listing, listed_entry(old_listing));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  Fugitive taken = old_listing;
  taken.person_id = other;
  auto dup = cases().create_fugitive(taken, listed_entry(taken));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().field, "listing_number");

  auto step = [](FugitiveStatus to, Timestamp at, const std::string& unit, const std::string& note) {
    return [=](Fugitive& f) {
      FugitiveStepRequest r;
      r.to = to;
      r.at = at;
      r.unit = unit;
      r.actor = "刘警官";
      r.note = note;
      return apply_fugitive_step(f, r, kNow, 0);
    };
  };
  auto revoked = cases().update_fugitive(first->id, step(FugitiveStatus::kRevoked, kT0 - 86'400, "", "案件撤销"));
  ASSERT_TRUE(revoked.ok()) << revoked.error().describe();
  // Final: a capture after the revocation is refused and changes nothing.
  auto late = cases().update_fugitive(first->id, step(FugitiveStatus::kCaught, kT0, "JN-S2", ""));
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);

  Fugitive new_listing = old_listing;
  new_listing.listing_number = "T3701000000002";
  new_listing.listed_at = kT0;
  auto second = cases().create_fugitive(new_listing, listed_entry(new_listing));
  ASSERT_TRUE(second.ok()) << second.error().describe();
  auto caught = cases().update_fugitive(second->id, step(FugitiveStatus::kCaught, kT0 + 3600, "JN-S2", ""));
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  auto got = cases().get_fugitive(second->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, FugitiveStatus::kCaught);
  EXPECT_EQ(got->caught_at, kT0 + 3600);
  EXPECT_EQ(got->caught_by_unit, "JN-S2");
  EXPECT_EQ(cases().get_fugitive(first->id)->revoke_reason, "案件撤销");

  // The history holds the listing's entry, then the steps taken.
  auto history = cases().fugitive_history(first->id);
  ASSERT_TRUE(history.ok()) << history.error().describe();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].from, std::nullopt);
  EXPECT_EQ((*history)[0].to, FugitiveStatus::kListed);
  EXPECT_EQ((*history)[0].at, old_listing.listed_at);
  EXPECT_EQ((*history)[0].actor, "刑警 李明");
  EXPECT_EQ((*history)[1].from, FugitiveStatus::kListed);
  EXPECT_EQ((*history)[1].to, FugitiveStatus::kRevoked);
  EXPECT_EQ((*history)[1].note, "案件撤销");
  EXPECT_EQ(cases().fugitive_history(9999).error().code, ErrorCode::kNotFound);

  auto hits = cases().fugitives_by_id_number(id);
  ASSERT_TRUE(hits.ok()) << hits.error().describe();
  ASSERT_EQ(hits->size(), 2u);  // newest listing first, every status
  EXPECT_EQ((*hits)[0].listing.listing_number, "T3701000000002");
  EXPECT_EQ((*hits)[0].listing.status, FugitiveStatus::kCaught);
  EXPECT_EQ((*hits)[1].listing.status, FugitiveStatus::kRevoked);
  EXPECT_EQ((*hits)[0].person_id, wanted);
  EXPECT_TRUE(cases().fugitives_by_id_number(id_number("37010219850615203"))->empty());
  EXPECT_TRUE(cases().fugitives_by_id_number(id_number("37010219850615202"))->empty());  // a person, no listing

  std::vector<CaseStore::ListingKey> keys;
  ASSERT_TRUE(cases().scan_fugitives([&](const CaseStore::ListingKey& k) { keys.push_back(k); }).ok());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].listing.id, first->id);
  EXPECT_EQ(keys[1].listing.id, second->id);
  EXPECT_EQ(keys[0].id_hash, cases().id_number_key(id).value());
  Fugitive nobody = new_listing;
  nobody.listing_number = "T3701000000003";
  nobody.person_id = 9999;
  EXPECT_EQ(cases().create_fugitive(nobody, listed_entry(nobody)).error().code, ErrorCode::kNotFound);
}

// ---- dissuasion ----

TEST_F(CaseStoreTest, ADissuasionTaskIsSteppedWithinItsScopeAndKeepsItsHistory) {
  DissuasionTask task;
  task.warning_number = "YJ-2024-0001";
  task.unit_code = "JN-S1";
  task.issued_at = kT0;
  task.target_phone = "13911112222";
  auto made = cases().create_dissuasion(task, issued_entry(task));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  auto dup = cases().create_dissuasion(task, issued_entry(task));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().field, "warning_number");
  EXPECT_EQ(cases().get_dissuasion(made->id, UnitScope::subtree("JN-S2")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cases().get_dissuasion(made->id, UnitScope::subtree("JN"))->target_phone, "13911112222");

  auto step = [](DissuasionStatus to, Timestamp at, std::optional<CaseId> case_id = std::nullopt) {
    return [=](DissuasionTask& t) {
      DissuasionStepRequest r;
      r.to = to;
      r.at = at;
      r.actor = "反诈民警";
      r.case_id = case_id;
      return apply_dissuasion_step(t, r, kNow, 0);
    };
  };
  EXPECT_EQ(cases()
                .update_dissuasion(made->id, UnitScope::subtree("JN-S2"), step(DissuasionStatus::kContacted, kT0 + 60))
                .error()
                .code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(
      cases().update_dissuasion(made->id, UnitScope::everything(), step(DissuasionStatus::kContacted, kT0 + 60)).ok());
  ASSERT_TRUE(
      cases().update_dissuasion(made->id, UnitScope::everything(), step(DissuasionStatus::kDissuaded, kT0 + 120)).ok());
  EXPECT_FALSE(
      cases().update_dissuasion(made->id, UnitScope::everything(), step(DissuasionStatus::kContacted, kT0 + 130)).ok());
  const CaseId fraud = create(a_case("YJ1", "JN-S1", kT0 + 200, "telecom_fraud_case")).id;
  auto defrauded = cases().update_dissuasion(made->id, UnitScope::subtree("JN-S1"),
                                             step(DissuasionStatus::kDefrauded, kT0 + 300, fraud));
  ASSERT_TRUE(defrauded.ok()) << defrauded.error().describe();

  auto got = cases().get_dissuasion(made->id, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, DissuasionStatus::kDefrauded);
  EXPECT_EQ(got->times.contacted_at, kT0 + 60);
  EXPECT_EQ(got->times.dissuaded_at, kT0 + 120);
  EXPECT_EQ(got->times.defrauded_at, kT0 + 300);
  EXPECT_EQ(got->case_id, fraud);
  EXPECT_EQ(got->target_phone, "13911112222");
  auto history = cases().dissuasion_history(made->id, UnitScope::everything());
  ASSERT_TRUE(history.ok()) << history.error().describe();
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[0].from, std::nullopt);
  EXPECT_EQ((*history)[0].to, DissuasionStatus::kIssued);
  EXPECT_EQ((*history)[0].at, kT0);
  EXPECT_EQ((*history)[0].actor, "反诈民警");
  EXPECT_EQ((*history)[1].from, DissuasionStatus::kIssued);
  EXPECT_EQ((*history)[1].to, DissuasionStatus::kContacted);
  EXPECT_EQ((*history)[2].to, DissuasionStatus::kDissuaded);
  EXPECT_EQ((*history)[3].from, DissuasionStatus::kDissuaded);
  EXPECT_EQ((*history)[3].to, DissuasionStatus::kDefrauded);
  EXPECT_EQ((*history)[3].at, kT0 + 300);
  EXPECT_EQ(cases().dissuasion_history(made->id, UnitScope::subtree("JN-S2")).error().code, ErrorCode::kNotFound);

  DissuasionTask second = task;
  second.warning_number = "YJ-2024-0002";
  second.target_phone.clear();
  second.person_id = save(a_person("老人甲"));
  ASSERT_TRUE(cases().create_dissuasion(second, issued_entry(second)).ok());
  std::vector<DissuasionTask> scanned;
  ASSERT_TRUE(cases().scan_dissuasions([&](const DissuasionTask& t) { scanned.push_back(t); }).ok());
  ASSERT_EQ(scanned.size(), 2u);
  EXPECT_EQ(scanned[0].warning_number, "YJ-2024-0001");
  EXPECT_EQ(scanned[1].person_id, second.person_id);
  EXPECT_TRUE(scanned[1].target_phone.empty());
}

// ---- the start-up scan ----

TEST_F(CaseStoreTest, ScanReturnsEveryCaseInIdOrderWithItsPartiesMeasuresAndMoney) {
  std::vector<CaseId> ids;
  for (int n = 0; n < 4; ++n) ids.push_back(create(a_case(fmt::format("S{}", n), "JN-S1", kT0 + n)).id);
  const PersonId p = save(a_person("甲"));
  const PersonId q = save(a_person("乙"));
  const auto accept_m = [](const std::vector<Measure>&) { return Status(); };
  const auto accept_f = [](const std::vector<FraudMoneyEntry>&) { return Status(); };
  // Written out of case order, so a scan in write order would be wrong.
  add_party(ids[2], q, PersonRole::kVictim, kT0 + 5);
  add_party(ids[0], p, PersonRole::kSuspect, kT0 + 6);
  add_party(ids[2], p, PersonRole::kSuspect, kT0 + 7);
  ASSERT_TRUE(cases().add_measure(a_measure(ids[2], p, MeasureKind::kCaught, kT0 + 30), accept_m).ok());
  ASSERT_TRUE(cases().add_measure(a_measure(ids[0], p, MeasureKind::kCaught, kT0 + 20), accept_m).ok());
  ASSERT_TRUE(cases().add_measure(a_measure(ids[2], p, MeasureKind::kBail, kT0 + 25), accept_m).ok());
  ASSERT_TRUE(cases().add_fraud_money(money(ids[3], FraudMoneyKind::kFrozen, 700, kT0 + 9), accept_f).ok());
  ASSERT_TRUE(cases().add_fraud_money(money(ids[3], FraudMoneyKind::kStopped, 500, kT0 + 8), accept_f).ok());
  ASSERT_TRUE(cases().update_case(ids[1], UnitScope::everything(), [](CaseRecord& c) -> Result<CaseStep> {
    c.incident_ids = {3, 1};
    return CaseStep{c.status, c.status, kT0 + 40, "x", "关联警情"};
  }).ok());

  std::vector<CaseBundle> scanned;
  ASSERT_TRUE(cases().scan_cases([&](const CaseBundle& b) { scanned.push_back(b); }).ok());
  ASSERT_EQ(scanned.size(), 4u);
  for (size_t i = 0; i < scanned.size(); ++i) {
    EXPECT_EQ(scanned[i].record.id, ids[i]);
    auto one = cases().case_bundle(ids[i]);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(scanned[i].parties.size(), one->parties.size()) << i;
    EXPECT_EQ(scanned[i].measures.size(), one->measures.size()) << i;
    EXPECT_EQ(scanned[i].money.size(), one->money.size()) << i;
    for (size_t k = 0; k < std::min(scanned[i].measures.size(), one->measures.size()); ++k)
      EXPECT_EQ(scanned[i].measures[k].id, one->measures[k].id) << i;
    for (size_t k = 0; k < std::min(scanned[i].money.size(), one->money.size()); ++k)
      EXPECT_EQ(scanned[i].money[k].id, one->money[k].id) << i;
  }
  EXPECT_EQ(scanned[0].parties.size(), 1u);
  EXPECT_EQ(scanned[0].measures.size(), 1u);
  std::vector<IncidentId> links = scanned[1].record.incident_ids;
  std::sort(links.begin(), links.end());
  EXPECT_EQ(links, (std::vector<IncidentId>{1, 3}));
  EXPECT_TRUE(scanned[1].parties.empty());
  ASSERT_EQ(scanned[2].parties.size(), 2u);
  ASSERT_EQ(scanned[2].measures.size(), 2u);
  EXPECT_EQ(scanned[2].measures[0].kind, MeasureKind::kBail);  // by time: 25 before 30
  EXPECT_EQ(scanned[2].measures[1].kind, MeasureKind::kCaught);
  ASSERT_EQ(scanned[3].money.size(), 2u);
  EXPECT_EQ(scanned[3].money[0].kind, FraudMoneyKind::kStopped);  // by time: 8 before 9
  EXPECT_EQ(scanned[3].money[1].amount_fen, 700);
}

TEST_F(CaseStoreTest, BulkModeWritesAreReadAndDurableAfterItsEnd) {
  ASSERT_TRUE(cases().begin_bulk().ok());
  for (int n = 0; n < 20; ++n) create(a_case(fmt::format("BK{}", n), "JN-S1", kT0 + n));
  EXPECT_EQ(cases().count_cases().value(), 20);
  ASSERT_TRUE(cases().end_bulk().ok());
  store_.reset();
  auto reopened = open_store(location_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->cases().count_cases().value(), 20);
}

// ---- the change log ----

TEST_F(CaseStoreTest, TheChangeLogNamesTheRecordEachWriteOfAnotherStoreChanged) {
  auto other = open_store(location_);
  ASSERT_TRUE(other.ok()) << other.error().describe();
  CaseStore& writer = (*other)->cases();
  ChangeLog& log = store_->changes();
  std::int64_t position = log.last_position().value();
  // The changes since the last look: each must name `kind` and `id`, and
  // there must be some (or none, for a write that is not logged).
  const auto expect_logged = [&](const char* what, ChangeKind kind, std::int64_t id, bool logged = true) {
    auto seen = log.changes_by_others(position, 1000);
    ASSERT_TRUE(seen.ok()) << seen.error().describe();
    EXPECT_EQ(!seen->empty(), logged) << what;
    for (const ChangeRecord& r : *seen) {
      EXPECT_EQ(r.kind, kind) << what;
      EXPECT_EQ(r.record_id, id) << what;
      position = r.seq;
    }
  };
  CaseRecord c = a_case("L1", "JN-S1", kT0);
  c.incident_ids = {8};
  auto made = writer.create_case(c, opened(c));
  ASSERT_TRUE(made.ok());
  expect_logged("create_case", ChangeKind::kCase, made->id);
  auto person = writer.save_person(a_person("丙", id_number("37010219900101123")));
  ASSERT_TRUE(person.ok());
  expect_logged("save_person", ChangeKind::kCase, 0, false);
  ASSERT_TRUE(writer.add_party(CaseParty{made->id, person->person.id, PersonRole::kSuspect, kT0, "x"}).ok());
  expect_logged("add_party", ChangeKind::kCase, made->id);
  ASSERT_TRUE(writer.add_party(CaseParty{made->id, person->person.id, PersonRole::kSuspect, kT0, "x"}).ok());
  expect_logged("add_party of a present role", ChangeKind::kCase, made->id, false);
  ASSERT_TRUE(writer
                  .add_measure(a_measure(made->id, person->person.id, MeasureKind::kCaught, kT0 + 5),
                               [](const std::vector<Measure>&) { return Status(); })
                  .ok());
  expect_logged("add_measure", ChangeKind::kCase, made->id);
  ASSERT_TRUE(writer
                  .add_fraud_money(money(made->id, FraudMoneyKind::kStopped, 100, kT0 + 6),
                                   [](const std::vector<FraudMoneyEntry>&) { return Status(); })
                  .ok());
  expect_logged("add_fraud_money", ChangeKind::kCase, made->id);
  ASSERT_TRUE(writer.update_case(made->id, UnitScope::everything(), [](CaseRecord& r) -> Result<CaseStep> {
    r.flags.homicide = true;
    return CaseStep{r.status, r.status, kT0 + 7, "x", "命案"};
  }).ok());
  expect_logged("update_case", ChangeKind::kCase, made->id);
  EXPECT_FALSE(writer.update_case(made->id, UnitScope::everything(), [](CaseRecord&) -> Result<CaseStep> {
    return Error::conflict("to", "no");
  }).ok());
  expect_logged("a refused update_case", ChangeKind::kCase, made->id, false);

  Fugitive f;
  f.listing_number = "T-LOG";
  f.person_id = person->person.id;
  f.listed_at = kT0;
  f.listing_unit = "JN-S1";
  auto listed = writer.create_fugitive(f, listed_entry(f));
  ASSERT_TRUE(listed.ok()) << listed.error().describe();
  expect_logged("create_fugitive", ChangeKind::kFugitive, listed->id);
  ASSERT_TRUE(writer.update_fugitive(listed->id, [](Fugitive& g) {
    FugitiveStepRequest r;
    r.to = FugitiveStatus::kCaught;
    r.at = kT0 + 100;
    r.unit = "JN-S1";
    r.actor = "x";
    return apply_fugitive_step(g, r, kNow, 0);
  }).ok());
  expect_logged("update_fugitive", ChangeKind::kFugitive, listed->id);

  DissuasionTask t;
  t.warning_number = "W-LOG";
  t.unit_code = "JN-S1";
  t.issued_at = kT0;
  t.target_phone = "13900001111";
  auto task = writer.create_dissuasion(t, issued_entry(t));
  ASSERT_TRUE(task.ok()) << task.error().describe();
  expect_logged("create_dissuasion", ChangeKind::kDissuasion, task->id);
  ASSERT_TRUE(writer.update_dissuasion(task->id, UnitScope::everything(), [](DissuasionTask& d) {
    DissuasionStepRequest r;
    r.to = DissuasionStatus::kContacted;
    r.at = kT0 + 10;
    r.actor = "x";
    return apply_dissuasion_step(d, r, kNow, 0);
  }).ok());
  expect_logged("update_dissuasion", ChangeKind::kDissuasion, task->id);
  // A store's own writes are not news to it.
  EXPECT_TRUE((*other)->changes().changes_by_others(log.last_position().value() - 1, 10)->empty());
}

// A database at version 12 keeps its change log's rows and position through
// migration 13, which rebuilds the SQLite table.
TEST_F(CaseStoreTest, TheSqliteRebuildOfTheLogKeepsItsRowsAndPosition) {
  if (testing_postgres()) GTEST_SKIP() << "PostgreSQL alters the table in place";
  const std::string path = dir_.file("v12.db");
  {
    // Migrations 1 to 12 as a build before issue 20 applied them.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL);";
    for (const auto& m : sqlite::migrations()) {
      if (m.version > 12) continue;
      sql += std::string(m.sql);
      sql += fmt::format("INSERT INTO schema_migrations VALUES ({}, 'v', 0);", m.version);
    }
    // Three changes, the newest pruned: the position is only in sqlite_sequence.
    sql +=
        "INSERT INTO changes (at, kind, incident_id, call_sign, writer) VALUES "
        "(unixepoch(), 'incident', 5, NULL, 'w'), (unixepoch(), 'patrol', NULL, 'U1', 'w'), "
        "(unixepoch(), 'units', NULL, NULL, 'w');"
        "DELETE FROM changes WHERE seq = 3;";
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  }
  auto reopened = open_store(path);
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  EXPECT_GE((*reopened)->schema_version(), 13);
  EXPECT_EQ((*reopened)->changes().last_position().value(), 3);
  auto kept = (*reopened)->changes().changes_by_others(0, 100);
  ASSERT_TRUE(kept.ok()) << kept.error().describe();
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].kind, ChangeKind::kIncident);
  EXPECT_EQ((*kept)[0].incident_id, 5);
  EXPECT_EQ((*kept)[1].kind, ChangeKind::kPatrol);
  EXPECT_EQ((*kept)[1].call_sign, "U1");
  // And a case written after it takes the next position.
  auto other = open_store(path);
  ASSERT_TRUE(other.ok());
  CaseRecord c = a_case("V1", "JN", kT0);
  auto made = (*other)->cases().create_case(c, opened(c));
  ASSERT_TRUE(made.ok()) << made.error().describe();
  auto seen = (*reopened)->changes().changes_by_others(3, 100);
  ASSERT_TRUE(seen.ok());
  ASSERT_FALSE(seen->empty());
  EXPECT_EQ((*seen)[0].seq, 4);
  EXPECT_EQ((*seen)[0].kind, ChangeKind::kCase);
  EXPECT_EQ((*seen)[0].record_id, made->id);
}

}  // namespace
}  // namespace pingan::testing
