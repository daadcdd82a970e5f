// The PostgreSQL case store where two servers share one database (issue
// 20): the checks only one of two writes may pass (a second 打击处理 of a
// suspect, returns beyond stopped + frozen, a second step of one case) run
// under the case's row lock, so of two servers writing at once exactly one
// succeeds; a person saved by both at once with one ID number is one row,
// sealed; the change log one store writes is read by the other with the
// record's id. Always against the test cluster (scripts/pg-test-cluster.sh).

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

#include "core/measure_rules.h"
#include "core/taxonomy.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "test_store.h"

namespace pingan {
namespace {

using testing::TempDir;

constexpr Timestamp kT0 = 1'780'000'000;  // 2026-05-28, in the past of any run
constexpr auto kCheckPause = std::chrono::milliseconds(50);

// Two stores on one schema, as two servers; one key ring, as servers share it.
struct TwoServers {
  TempDir dir;
  std::string url;
  std::unique_ptr<PostgresStore> a, b;

  explicit TwoServers(const std::string& name) {
    url = testing::pg_test_schema_url(dir.file(name));
    auto cipher = crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305));
    EXPECT_TRUE(cipher.ok());
    a = open(*cipher);
    b = open(*cipher);
  }
  std::unique_ptr<PostgresStore> open(std::shared_ptr<const crypto::FieldCipher> cipher) const {
    PostgresStoreOptions options;
    options.personal = PersonalDataOptions{std::move(cipher), false};
    auto store = PostgresStore::open(url, options);
    EXPECT_TRUE(store.ok()) << store.error().describe();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // One value of a query on the schema, for looking behind the stores.
  std::string scalar(const std::string& sql) const {
    auto c = pg::Connection::open(url, "");
    if (!c.ok()) return "connection failed: " + c.error().describe();
    auto r = (*c)->exec(sql, sql);
    if (!r.ok()) return "query failed: " + r.error().describe();
    return r->rows() ? r->text(0, 0) : "";
  }
};

// Runs `one` and `two` on two threads released together; both results.
template <typename R>
std::pair<R, R> at_once(const std::function<R()>& one, const std::function<R()>& two) {
  std::atomic<int> ready{0};
  std::optional<R> r1, r2;
  auto go = [&](const std::function<R()>& f, std::optional<R>& out) {
    ready.fetch_add(1);
    while (ready.load() < 2) std::this_thread::yield();
    out.emplace(f());
  };
  std::thread t1(go, std::cref(one), std::ref(r1));
  std::thread t2(go, std::cref(two), std::ref(r2));
  t1.join();
  t2.join();
  return {std::move(*r1), std::move(*r2)};
}

// A valid GB 11643 number: region, birth date, `serial` (0..999), check digit.
std::string id_number(int serial) {
  std::string body = fmt::format("37010219900101{:03}", serial);
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return body + "10X98765432"[sum % 11];
}

Person person(const std::string& name, const std::string& number, const std::string& phone = "",
              const std::string& address = "") {
  Person p;
  p.name = name;
  p.id_number = number;
  p.phone = phone;
  p.address = address;
  EXPECT_TRUE(validate_person(p, kT0).ok()) << number;
  return p;
}

CaseRecord new_case(const std::string& number) {
  CaseRecord c;
  c.source = "api";
  c.source_id = number;
  c.case_number = number;
  c.type_code = "fraud";
  c.unit_code = "S01";
  c.summary = "冒充客服诈骗";
  c.opened_at = kT0;
  c.money_involved_fen = 50'000'00;
  return c;
}

CaseStep opened_step() {
  CaseStep s;
  s.to = CaseStatus::kOpened;
  s.at = kT0;
  s.actor = "刑警 李明";
  return s;
}

CaseRecord create(CaseStore& store, const std::string& number) {
  const CaseStep first = opened_step();
  auto c = store.create_case(new_case(number), std::span(&first, 1));
  EXPECT_TRUE(c.ok()) << c.error().describe();
  return c.ok() ? *c : CaseRecord{};
}

MeasureRules shipped_rules() {
  std::ifstream in(shipped_data_dir() + "/" + kMeasureRulesFile, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto rules = MeasureRules::parse_json(ss.str(), kMeasureRulesFile);
  EXPECT_TRUE(rules.ok()) << rules.error().describe();
  return rules.ok() ? *rules : MeasureRules{};
}

Measure measure(CaseId case_id, PersonId person_id, MeasureKind kind, Timestamp at) {
  Measure m;
  m.case_id = case_id;
  m.person_id = person_id;
  m.kind = kind;
  m.at = at;
  m.unit_code = "S01";
  m.actor = "刑警 李明";
  return m;
}

// add_measure with core's check, pausing inside the check: without the
// case's lock both servers would read no 打击处理 and both pass.
Result<Measure> add_checked(CaseStore& store, const MeasureRules& rules, const Measure& m) {
  return store.add_measure(m, [&](const std::vector<Measure>& earlier) {
    Status s = check_measure(rules, earlier, m);
    std::this_thread::sleep_for(kCheckPause);
    return s;
  });
}

FraudMoneyEntry money(CaseId case_id, FraudMoneyKind kind, Fen fen, Timestamp at) {
  FraudMoneyEntry e;
  e.case_id = case_id;
  e.kind = kind;
  e.amount_fen = fen;
  e.at = at;
  e.unit_code = "S01";
  e.actor = "反诈中心 王芳";
  return e;
}

Result<FraudMoneyEntry> add_checked(CaseStore& store, const FraudMoneyEntry& e) {
  return store.add_fraud_money(e, [&](const std::vector<FraudMoneyEntry>& recorded) {
    Status s = check_fraud_money_entry(recorded, e, kT0 + 86'400);
    std::this_thread::sleep_for(kCheckPause);
    return s;
  });
}

TEST(PostgresCaseStore, OfTwoServersAddingASecondDealtWithAtOnceExactlyOneSucceeds) {
  TwoServers s("measures");
  ASSERT_TRUE(s.a && s.b);
  const MeasureRules rules = shipped_rules();
  ASSERT_FALSE(rules.rules().empty());
  for (int round = 0; round < 8; ++round) {
    const CaseRecord c = create(s.a->cases(), fmt::format("A-MEASURE-{}", round));
    auto suspect = s.a->cases().save_person(person("张三", id_number(100 + round)));
    ASSERT_TRUE(suspect.ok()) << suspect.error().describe();
    const PersonId pid = suspect->person.id;
    ASSERT_TRUE(s.a->cases().add_party({c.id, pid, PersonRole::kSuspect, kT0, "刑警 李明"}).ok());
    ASSERT_TRUE(add_checked(s.a->cases(), rules, measure(c.id, pid, MeasureKind::kCaught, kT0 + 60)).ok());
    ASSERT_TRUE(
        add_checked(s.b->cases(), rules, measure(c.id, pid, MeasureKind::kCriminalDetention, kT0 + 120)).ok());

    const Measure dealt = measure(c.id, pid, MeasureKind::kDealtWith, kT0 + 200);
    auto [ra, rb] = at_once<Result<Measure>>([&] { return add_checked(s.a->cases(), rules, dealt); },
                                             [&] { return add_checked(s.b->cases(), rules, dealt); });
    ASSERT_EQ(int(ra.ok()) + int(rb.ok()), 1) << "round " << round;
    const Error& refused = ra.ok() ? rb.error() : ra.error();
    EXPECT_EQ(refused.code, ErrorCode::kConflict) << refused.describe();
    EXPECT_EQ(refused.field, "kind");

    auto bundle = s.b->cases().case_bundle(c.id);
    ASSERT_TRUE(bundle.ok()) << bundle.error().describe();
    ASSERT_EQ(bundle->measures.size(), 3u);
    EXPECT_EQ(bundle->measures[0].kind, MeasureKind::kCaught);
    EXPECT_EQ(bundle->measures[1].kind, MeasureKind::kCriminalDetention);
    EXPECT_EQ(bundle->measures[2].kind, MeasureKind::kDealtWith);
    EXPECT_EQ(bundle->measures[2].id, ra.ok() ? ra->id : rb->id);
  }
}

TEST(PostgresCaseStore, OfTwoReturnsThatTogetherExceedStoppedAndFrozenExactlyOneIsRecorded) {
  TwoServers s("money");
  ASSERT_TRUE(s.a && s.b);
  for (int round = 0; round < 8; ++round) {
    const CaseRecord c = create(s.a->cases(), fmt::format("A-MONEY-{}", round));
    ASSERT_TRUE(add_checked(s.a->cases(), money(c.id, FraudMoneyKind::kStopped, 10'000'00, kT0 + 60)).ok());
    ASSERT_TRUE(add_checked(s.b->cases(), money(c.id, FraudMoneyKind::kFrozen, 5'000'00, kT0 + 120)).ok());
    // Each alone fits 15,000 yuan; together they are 18,000.
    const FraudMoneyEntry back = money(c.id, FraudMoneyKind::kReturned, 9'000'00, kT0 + 200);
    auto [ra, rb] = at_once<Result<FraudMoneyEntry>>([&] { return add_checked(s.a->cases(), back); },
                                                     [&] { return add_checked(s.b->cases(), back); });
    ASSERT_EQ(int(ra.ok()) + int(rb.ok()), 1) << "round " << round;
    const Error& refused = ra.ok() ? rb.error() : ra.error();
    EXPECT_EQ(refused.code, ErrorCode::kInvalidArgument) << refused.describe();
    EXPECT_EQ(refused.field, "amount_fen");

    auto bundle = s.a->cases().case_bundle(c.id);
    ASSERT_TRUE(bundle.ok()) << bundle.error().describe();
    const FraudMoneyTotals t = fraud_money_totals(bundle->money, c.id);
    EXPECT_EQ(t.stopped, 10'000'00);
    EXPECT_EQ(t.frozen, 5'000'00);
    EXPECT_EQ(t.returned, 9'000'00);
  }
}

TEST(PostgresCaseStore, OfTwoServersSteppingOneCaseAtOnceTheSecondSeesTheFirstsStep) {
  TwoServers s("steps");
  ASSERT_TRUE(s.a && s.b);
  const CaseRecord c = create(s.a->cases(), "A-STEP-1");
  auto step = [&](PostgresStore& store) {
    return store.cases().update_case(c.id, UnitScope::everything(), [](CaseRecord& r) -> Result<CaseStep> {
      CaseStepRequest req;
      req.to = CaseStatus::kInvestigating;
      req.at = kT0 + 600;
      req.actor = "刑警 李明";
      auto applied = apply_case_step(r, req, kT0 + 86'400, 0);
      std::this_thread::sleep_for(kCheckPause);
      return applied;
    });
  };
  auto [ra, rb] = at_once<Result<CaseRecord>>([&] { return step(*s.a); }, [&] { return step(*s.b); });
  ASSERT_EQ(int(ra.ok()) + int(rb.ok()), 1);
  EXPECT_EQ((ra.ok() ? rb : ra).error().code, ErrorCode::kConflict);
  auto history = s.b->cases().case_history(c.id, UnitScope::everything());
  ASSERT_TRUE(history.ok()) << history.error().describe();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[0].from.has_value());
  EXPECT_EQ((*history)[1].from, CaseStatus::kOpened);
  EXPECT_EQ((*history)[1].to, CaseStatus::kInvestigating);
  EXPECT_EQ((*history)[1].at, kT0 + 600);
}

TEST(PostgresCaseStore, OnePersonSavedByTwoServersAtOnceIsOneSealedRow) {
  TwoServers s("persons");
  ASSERT_TRUE(s.a && s.b);
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    const std::string number = id_number(200 + round);
    // A knows the phone, B the address: the row ends with both.
    const Person from_a = person("李四", number, "13800138000");
    const Person from_b = person("李四", number, "", "济南市历下区泉城路1号");
    auto [ra, rb] = at_once<Result<CaseStore::PersonSaved>>([&] { return s.a->cases().save_person(from_a); },
                                                            [&] { return s.b->cases().save_person(from_b); });
    ASSERT_TRUE(ra.ok()) << ra.error().describe();
    ASSERT_TRUE(rb.ok()) << rb.error().describe();
    EXPECT_EQ(ra->person.id, rb->person.id);
    EXPECT_EQ(int(ra->created) + int(rb->created), 1);
    auto found = s.b->cases().find_person_by_id_number(number);
    ASSERT_TRUE(found.ok()) << found.error().describe();
    EXPECT_EQ(found->id, ra->person.id);
    EXPECT_EQ(found->name, "李四");
    EXPECT_EQ(found->phone, "13800138000");
    EXPECT_EQ(found->address, "济南市历下区泉城路1号");
    EXPECT_EQ(found->birth_date, (CivilDate{1990, 1, 1}));
  }
  EXPECT_EQ(s.scalar("SELECT COUNT(*) FROM persons"), std::to_string(kRounds));
  // Sealed at rest: no plain name, number or phone in any row.
  EXPECT_EQ(s.scalar("SELECT COUNT(*) FROM persons WHERE name LIKE '%李四%' OR id_number LIKE '3701%' "
                     "OR phone LIKE '%138%' OR id_key LIKE '3701%'"),
            "0");
  // Persons without an ID number are never merged.
  auto x = s.a->cases().save_person(person("无名氏", ""));
  auto y = s.b->cases().save_person(person("无名氏", ""));
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_NE(x->person.id, y->person.id);
  EXPECT_TRUE(x->created && y->created);
}

TEST(PostgresCaseStore, TheChangeLogOneServerWritesIsReadByTheOtherWithTheRecordsId) {
  TwoServers s("change-log");
  ASSERT_TRUE(s.a && s.b);
  std::int64_t pos = *s.b->changes().last_position();
  // What B reads after `pos`, moving on.
  auto next = [&] {
    auto got = s.b->changes().changes_by_others(pos, 100);
    EXPECT_TRUE(got.ok()) << got.error().describe();
    if (!got.ok() || got->empty()) return std::vector<ChangeRecord>{};
    pos = got->back().seq;
    return *got;
  };
  auto is = [](const std::vector<ChangeRecord>& got, ChangeKind kind, std::int64_t id) {
    return got.size() == 1 && got[0].kind == kind && got[0].record_id == id;
  };

  // A case with two steps and two incidents, in one transaction: one change.
  CaseRecord draft = new_case("A-LOG-1");
  draft.incident_ids = {11, 12};
  const CaseStep steps[] = {opened_step(), CaseStep{CaseStatus::kOpened, CaseStatus::kInvestigating, kT0 + 60,
                                                    "刑警 李明", ""}};
  draft.status = CaseStatus::kInvestigating;
  draft.times.investigating_at = kT0 + 60;
  auto c = s.a->cases().create_case(draft, steps);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_TRUE(is(next(), ChangeKind::kCase, c->id));

  // A person alone is personal data: not logged.
  auto p = s.a->cases().save_person(person("王五", id_number(300)));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(next().empty());

  ASSERT_TRUE(s.a->cases().add_party({c->id, p->person.id, PersonRole::kVictim, kT0 + 70, "刑警 李明"}).ok());
  EXPECT_TRUE(is(next(), ChangeKind::kCase, c->id));
  // Present already: nothing written, nothing logged.
  ASSERT_TRUE(s.a->cases().add_party({c->id, p->person.id, PersonRole::kVictim, kT0 + 70, "刑警 李明"}).ok());
  EXPECT_TRUE(next().empty());

  auto entry = s.a->cases().add_fraud_money(money(c->id, FraudMoneyKind::kStopped, 100, kT0 + 80),
                                            [](const std::vector<FraudMoneyEntry>&) { return Status(); });
  ASSERT_TRUE(entry.ok());
  EXPECT_TRUE(is(next(), ChangeKind::kCase, c->id));

  Fugitive f;
  f.listing_number = "T3701002026000001";
  f.person_id = p->person.id;
  f.listed_at = kT0 + 90;
  f.listing_unit = "S01";
  const FugitiveStep listing_entry{std::nullopt, FugitiveStatus::kListed, f.listed_at, "民警 赵六", ""};
  auto listed = s.a->cases().create_fugitive(f, {&listing_entry, 1});
  ASSERT_TRUE(listed.ok()) << listed.error().describe();
  EXPECT_TRUE(is(next(), ChangeKind::kFugitive, listed->id));
  auto caught = s.a->cases().update_fugitive(listed->id, [](Fugitive& g) -> Result<FugitiveStep> {
    FugitiveStepRequest req;
    req.to = FugitiveStatus::kCaught;
    req.at = kT0 + 3600;
    req.unit = "S01";
    req.actor = "民警 赵六";
    return apply_fugitive_step(g, req, kT0 + 86'400, 0);
  });
  ASSERT_TRUE(caught.ok()) << caught.error().describe();
  EXPECT_TRUE(is(next(), ChangeKind::kFugitive, listed->id));
  // B finds the listing through the ID number's keyed hash.
  auto hits = s.b->cases().fugitives_by_id_number(id_number(300));
  ASSERT_TRUE(hits.ok()) << hits.error().describe();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].person_id, p->person.id);
  EXPECT_EQ((*hits)[0].listing.status, FugitiveStatus::kCaught);

  DissuasionTask t;
  t.warning_number = "YJ-2026-0001";
  t.unit_code = "S01";
  t.issued_at = kT0 + 100;
  t.target_phone = "13900139000";
  const DissuasionStep issued_entry{std::nullopt, DissuasionStatus::kIssued, t.issued_at, "反诈民警", ""};
  auto task = s.a->cases().create_dissuasion(t, {&issued_entry, 1});
  ASSERT_TRUE(task.ok()) << task.error().describe();
  EXPECT_TRUE(is(next(), ChangeKind::kDissuasion, task->id));
  EXPECT_EQ(s.scalar("SELECT COUNT(*) FROM dissuasion_tasks WHERE target_phone LIKE '%139%'"), "0");
  auto read = s.b->cases().get_dissuasion(task->id, UnitScope::everything());
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->target_phone, "13900139000");

  // A reads none of its own changes.
  auto own = s.a->changes().changes_by_others(0, 100);
  ASSERT_TRUE(own.ok());
  for (const ChangeRecord& r : *own) EXPECT_NE(r.kind, ChangeKind::kCase);
}

// Bulk mode's commits skip the wait for the flush, which no test can see
// short of a crash; what it must keep is every write, read by the other
// server, and the normal mode after end_bulk().
TEST(PostgresCaseStore, BulkModeKeepsEveryWriteAndEnds) {
  TwoServers s("bulk");
  ASSERT_TRUE(s.a && s.b);
  ASSERT_TRUE(s.a->cases().begin_bulk().ok());
  for (int i = 0; i < 20; ++i) create(s.a->cases(), fmt::format("A-BULK-{}", i));
  ASSERT_TRUE(s.a->cases().end_bulk().ok());
  create(s.a->cases(), "A-AFTER-BULK");
  auto count = s.b->cases().count_cases();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 21);
  std::vector<std::string> numbers;
  ASSERT_TRUE(s.b->cases().scan_cases([&](const CaseBundle& b) { numbers.push_back(b.record.case_number); }).ok());
  ASSERT_EQ(numbers.size(), 21u);
  EXPECT_EQ(numbers.front(), "A-BULK-0");
  EXPECT_EQ(numbers.back(), "A-AFTER-BULK");
}

}  // namespace
}  // namespace pingan
