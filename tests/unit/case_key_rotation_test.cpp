// A key rotation re-seals the personal data of issue 20 as it does
// incidents' (store/personal_data_store.h): persons' name, ID number, phone
// and address and dissuasion tasks' target phone move to the new key in
// batches, so the old key can leave the ring and every row still opens;
// persons.id_key, a hash under the ring's hash key, does not change, and
// the fugitive check finds the same listing after. On SQLite and, in the
// `pg.` run, on PostgreSQL.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <sstream>
#include <vector>

#include "core/dissuasion.h"
#include "core/fugitive.h"
#include "core/person.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "crypto/reloadable_cipher.h"
#include "pg_test_inspect.h"
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

std::shared_ptr<const crypto::FieldCipher> cipher_for(const crypto::KeyRing& ring) {
  return crypto::make_field_cipher(ring).value();
}

// `ring` without data key `id`: what an operator's key file holds once the
// re-sealing is done and the old key is deleted.
crypto::KeyRing without_key(const crypto::KeyRing& ring, const std::string& id) {
  std::istringstream in(ring.format());
  std::string kept, line;
  while (std::getline(in, line))
    if (line.rfind(id + " ", 0) != 0) kept += line + "\n";
  return crypto::KeyRing::parse(kept, "test").value();
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

class CaseKeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { location_ = test_store_location(dir_, "rotation.db"); }

  Result<std::unique_ptr<Store>> open_with(std::shared_ptr<const crypto::FieldCipher> cipher,
                                           bool reseal_all = false) {
    return open_store(location_, PersonalDataOptions{std::move(cipher), reseal_all});
  }

  // Seven persons (two without a phone, one without an ID number or
  // address), six tasks (five naming a phone), and a listing of the first
  // person; remembered in persons_ and tasks_.
  void fill(Store& store) {
    const std::vector<std::vector<std::string>> people = {
        {"张伟", id_number("37010219800101001"), "13900000001", "历下区泉城路1号"},
        {"王芳", id_number("37010219810202002"), "13900000002", "市中区经四路2号"},
        {"李娜", id_number("37010219820303003"), "", "槐荫区经十路3号"},
        {"刘洋", id_number("37010219830404004"), "13900000004", ""},
        {"陈静", id_number("37010219840505005"), "", "天桥区北园大街5号"},
        {"杨磊", id_number("37010219850606006"), "13900000006", "历城区花园路6号"},
        {"无名氏", "", "13900000007", ""},
    };
    for (const auto& f : people) {
      Person p;
      p.name = f[0];
      p.id_number = f[1];
      p.phone = f[2];
      p.address = f[3];
      ASSERT_TRUE(validate_person(p, kNow).ok()) << f[0];
      auto saved = store.cases().save_person(p);
      ASSERT_TRUE(saved.ok()) << saved.error().describe();
      p.id = saved->person.id;
      persons_.push_back(p);
    }
    for (int n = 0; n < 6; ++n) {
      DissuasionTask t;
      t.warning_number = fmt::format("YJ-ROT-{}", n);
      t.unit_code = "JN-S1";
      t.issued_at = kT0 + n;
      if (n < 5) t.target_phone = fmt::format("1370000000{}", n);
      else t.person_id = persons_[0].id;
      const DissuasionStep issued{std::nullopt, DissuasionStatus::kIssued, t.issued_at, "反诈民警", ""};
      auto made = store.cases().create_dissuasion(t, {&issued, 1});
      ASSERT_TRUE(made.ok()) << made.error().describe();
      tasks_.push_back(*made);
    }
    Fugitive f;
    f.listing_number = "T-ROT-1";
    f.person_id = persons_[0].id;
    f.listed_at = kT0;
    f.listing_unit = "JN-S1";
    const FugitiveStep listed{std::nullopt, FugitiveStatus::kListed, f.listed_at, "刑警 李明", ""};
    auto made = store.cases().create_fugitive(f, {&listed, 1});
    ASSERT_TRUE(made.ok()) << made.error().describe();
    listing_ = *made;
  }

  // Every person and task reads back as written, and the listed person's
  // ID number still finds the listing, in memory's way (scan_fugitives'
  // hash) and the database's (fugitives_by_id_number).
  void expect_all_read_back(Store& store, const std::string& listed_hash) {
    for (const Person& p : persons_) {
      auto got = store.cases().get_person(p.id);
      ASSERT_TRUE(got.ok()) << p.name << ": " << got.error().describe();
      EXPECT_EQ(got->name, p.name);
      EXPECT_EQ(got->id_number, p.id_number);
      EXPECT_EQ(got->phone, p.phone);
      EXPECT_EQ(got->address, p.address);
    }
    for (const DissuasionTask& t : tasks_) {
      auto got = store.cases().get_dissuasion(t.id, UnitScope::everything());
      ASSERT_TRUE(got.ok()) << t.warning_number << ": " << got.error().describe();
      EXPECT_EQ(got->target_phone, t.target_phone);
    }
    auto hits = store.cases().fugitives_by_id_number(persons_[0].id_number);
    ASSERT_TRUE(hits.ok()) << hits.error().describe();
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].listing.id, listing_.id);
    EXPECT_EQ((*hits)[0].person_id, persons_[0].id);
    std::vector<CaseStore::ListingKey> keys;
    ASSERT_TRUE(store.cases().scan_fugitives([&](const CaseStore::ListingKey& k) { keys.push_back(k); }).ok());
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].id_hash, listed_hash);
    EXPECT_EQ(store.cases().id_number_key(persons_[0].id_number).value(), listed_hash);
    auto found = store.cases().find_person_by_id_number(persons_[2].id_number);
    ASSERT_TRUE(found.ok()) << found.error().describe();
    EXPECT_EQ(found->id, persons_[2].id);
  }

  // How many rows of `table` carry personal_key `key`.
  std::string rows_under(const std::string& table, const std::string& key) {
    return text_of(location_, fmt::format("SELECT COUNT(*) FROM {} WHERE personal_key = '{}'", table, key));
  }

  TempDir dir_;
  std::string location_;
  crypto::KeyRing ring_ = crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305);
  std::vector<Person> persons_;
  std::vector<DissuasionTask> tasks_;
  Fugitive listing_;
};

TEST_F(CaseKeyRotationTest, ARotationReSealsPersonsAndTasksInBatchesAndTheOldKeyCanGo) {
  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring_));
  auto store = open_with(holder);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  fill(**store);
  if (HasFatalFailure()) return;
  PersonalDataStore& personal = (*store)->personal_data();
  EXPECT_EQ(personal.count_due().value(), 0);
  EXPECT_EQ(rows_under("persons", "k1"), "7");
  EXPECT_EQ(rows_under("dissuasion_tasks", "k1"), "5");  // the sixth names no phone: NULL
  const std::string listed_hash = (*store)->cases().id_number_key(persons_[0].id_number).value();
  const std::string id_key_before =
      text_of(location_, fmt::format("SELECT id_key FROM persons WHERE id = {}", persons_[0].id));
  EXPECT_EQ(id_key_before, listed_hash);

  crypto::KeyRing rotated = ring_;
  ASSERT_EQ(rotated.add_active_key(), "k2");
  ASSERT_TRUE(holder->replace(cipher_for(rotated)).ok());
  // Seven persons and five tasks sealed under k1, no incident, no user.
  EXPECT_EQ(personal.count_due().value(), 12);
  // Batches of five: 12 due, then 7, 2, 0.
  std::vector<std::int64_t> left;
  for (int batch = 0; batch < 10; ++batch) {
    auto r = personal.reencrypt_batch(5);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    left.push_back(*r);
    if (*r == 0) break;
  }
  EXPECT_EQ(left, (std::vector<std::int64_t>{7, 2, 0}));
  EXPECT_EQ(personal.count_due().value(), 0);
  EXPECT_EQ(rows_under("persons", "k2"), "7");
  EXPECT_EQ(rows_under("dissuasion_tasks", "k2"), "5");
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM dissuasion_tasks WHERE personal_key IS NULL"), "1");
  const std::string name = text_of(location_, fmt::format("SELECT name FROM persons WHERE id = {}", persons_[1].id));
  EXPECT_EQ(name.substr(0, 9), "pe1:x:k2:") << name;
  const std::string phone =
      text_of(location_, fmt::format("SELECT target_phone FROM dissuasion_tasks WHERE id = {}", tasks_[4].id));
  EXPECT_EQ(phone.substr(0, 9), "pe1:x:k2:") << phone;
  // The keyed hash is the hash key's, which does not rotate.
  EXPECT_EQ(text_of(location_, fmt::format("SELECT id_key FROM persons WHERE id = {}", persons_[0].id)),
            id_key_before);

  // The old key deleted from the ring: everything still opens, here and in
  // a store opened afresh with the new ring alone.
  const crypto::KeyRing k2_only = without_key(rotated, "k1");
  ASSERT_EQ(k2_only.keys().size(), 1u);
  ASSERT_TRUE(holder->replace(cipher_for(k2_only)).ok());
  expect_all_read_back(**store, listed_hash);
  store->reset();
  auto reopened = open_with(cipher_for(k2_only));
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  expect_all_read_back(**reopened, listed_hash);
}

// `pingan keys reencrypt` opens the store with reseal_all_on_open; persons
// and tasks are re-sealed there too, before the store serves anything.
TEST_F(CaseKeyRotationTest, OpeningWithResealAllMovesPersonsAndTasksToTheNewKey) {
  std::string listed_hash;
  {
    auto store = open_with(cipher_for(ring_));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    fill(**store);
    if (HasFatalFailure()) return;
    listed_hash = (*store)->cases().id_number_key(persons_[0].id_number).value();
  }
  crypto::KeyRing rotated = ring_;
  rotated.add_active_key();
  {
    auto store = open_with(cipher_for(rotated), /*reseal_all=*/true);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
  }
  EXPECT_EQ(rows_under("persons", "k2"), "7");
  EXPECT_EQ(rows_under("dissuasion_tasks", "k2"), "5");
  auto store = open_with(cipher_for(without_key(rotated, "k1")));
  ASSERT_TRUE(store.ok()) << store.error().describe();
  expect_all_read_back(**store, listed_hash);
}

// Persons and tasks written without a key ring are sealed the first time
// the store opens with one, as incidents are; a person's match key, the ID
// number's plain normal form until then, becomes its keyed hash, so the
// fugitive check and the matching across cases find them as before.
TEST_F(CaseKeyRotationTest, PlainPersonsAndTasksAreSealedWhenAKeyRingFirstComes) {
  {
    auto store = open_with(nullptr);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    fill(**store);
    if (HasFatalFailure()) return;
    EXPECT_EQ((*store)->personal_data().count_due().value(), 12);  // plain: 7 persons, 5 tasks
  }
  EXPECT_EQ(rows_under("persons", ""), "7");
  EXPECT_EQ(text_of(location_, fmt::format("SELECT id_key FROM persons WHERE id = {}", persons_[0].id)),
            persons_[0].id_number);
  auto cipher = cipher_for(ring_);
  auto store = open_with(cipher);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
  EXPECT_EQ(rows_under("persons", "k1"), "7");
  EXPECT_EQ(rows_under("dissuasion_tasks", "k1"), "5");
  const std::string address =
      text_of(location_, fmt::format("SELECT address FROM persons WHERE id = {}", persons_[0].id));
  EXPECT_EQ(address.substr(0, 9), "pe1:x:k1:") << address;
  const std::string hash = cipher->keyed_hash("id_number", persons_[0].id_number).value();
  EXPECT_EQ(text_of(location_, fmt::format("SELECT id_key FROM persons WHERE id = {}", persons_[0].id)), hash);
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM persons WHERE id_key IS NULL"), "1");
  expect_all_read_back(**store, hash);
}

}  // namespace
}  // namespace pingan::testing
