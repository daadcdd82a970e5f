// A key rotation re-seals the personal data of issue 21 as it does persons'
// (store/personal_data_store.h): the registry's place contacts and resident
// addresses column by column, and the ledger items' personal values inside
// their fields JSON and their histories' changes ({"sealed": token}), so the
// old key can leave the ring and every value still reads. On SQLite and, in
// the `pg.` run, on PostgreSQL.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <sstream>
#include <vector>

#include "core/person.h"
#include "core/registry_records.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "crypto/reloadable_cipher.h"
#include "ledger_test_support.h"
#include "pg_test_inspect.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

std::shared_ptr<const crypto::FieldCipher> cipher_for(const crypto::KeyRing& ring) {
  return crypto::make_field_cipher(ring).value();
}

// `ring` without data key `id`, as an operator's key file is once the old
// key is deleted.
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

Place a_place(int n, bool with_contact) {
  Place p;
  p.code = fmt::format("P-ROT-{}", n);
  p.name = fmt::format("平安宾馆{}号店", n);
  p.category = "hotel";
  p.address = fmt::format("济南市市中区经十路{}号", n);
  p.location = {36.65, 117.0 + 0.001 * n};
  p.unit_code = "JN-S1";
  if (with_contact) {
    p.contact_name = fmt::format("王老板{}", n);
    p.contact_phone = fmt::format("1380000111{}", n);
  }
  return p;
}

class RegistryLedgerKeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { location_ = test_store_location(dir_, "rotation.db"); }

  Result<std::unique_ptr<Store>> open_with(std::shared_ptr<const crypto::FieldCipher> cipher,
                                           bool reseal_all = false) {
    return open_store(location_, PersonalDataOptions{std::move(cipher), reseal_all});
  }

  // Three places (two with a contact), two residents (one with an address)
  // and two hazards with a responsible person and phone, the second's phone
  // changed by a step (sealed in its history's before and after).
  void fill(Store& store) {
    for (int n = 0; n < 3; ++n) places_.push_back(a_place(n, n < 2));
    auto placed = store.registry().upsert_places(places_);
    ASSERT_TRUE(placed.ok()) << placed.error().describe();
    for (int n = 0; n < 2; ++n) {
      Person p;
      p.name = fmt::format("居民{}", n);
      auto saved = store.cases().save_person(p);
      ASSERT_TRUE(saved.ok()) << saved.error().describe();
      Resident r;
      r.person_id = saved->person.id;
      r.kind = ResidentKind::kRegistered;
      if (n == 0) r.address = "历下区泉城路1号";
      r.unit_code = "JN-S1";
      r.registered = CivilDate{2020, 1, 1 + n};
      residents_.push_back(r);
    }
    auto settled = store.registry().upsert_residents(residents_);
    ASSERT_TRUE(settled.ok()) << settled.error().describe();

    const LedgerDefinition& hazard = shipped_ledger("hazard");
    for (int n = 0; n < 2; ++n) {
      NewLedgerItem request;
      request.unit_code = "JN-S1";
      request.actor = "民警 周七";
      request.actor_grants = {"station"};
      request.at = kLedgerT0 + n;
      request.fields = {{"kind", std::string("fire")},
                        {"level", std::string("general")},
                        {"description", std::string("安全出口被杂物堵塞")},
                        {"responsible_person", fmt::format("赵老板{}", n)},
                        {"responsible_phone", fmt::format("1390000000{}", n)}};
      auto item = create_ledger_item(hazard, request);
      ASSERT_TRUE(item.ok()) << item.error().describe();
      auto stored = store.ledgers().create_item(LedgerNewRow{&hazard, *item, {}});
      ASSERT_TRUE(stored.ok()) << stored.error().describe();
      items_.push_back(stored->id);
    }
    StepRequest order = step_request("order_rectify", "所长 王强", "leader", kLedgerT0 + kDay,
                                     {{"rectify_measures", std::string("三日内清理安全出口")},
                                      {"responsible_phone", std::string("13900000099")}});
    order.unit_code = "JN-S1";
    order.officer_id = "P1001";
    auto stepped = store.ledgers().update_item(
        items_[1], UnitScope::everything(), hazard, [&](const LedgerItem& item) -> Result<LedgerUpdate> {
          PINGAN_ASSIGN_OR_RETURN(LedgerItem next, apply_step(hazard, item, order));
          return LedgerUpdate{std::move(next), std::nullopt};
        });
    ASSERT_TRUE(stepped.ok()) << stepped.error().describe();
  }

  // Every sealed value reads back as written.
  void expect_all_read_back(Store& store) {
    for (const Place& p : places_) {
      auto got = store.registry().get_place(p.code, UnitScope::everything());
      ASSERT_TRUE(got.ok()) << p.code << ": " << got.error().describe();
      EXPECT_EQ(got->contact_name, p.contact_name);
      EXPECT_EQ(got->contact_phone, p.contact_phone);
    }
    for (const Resident& r : residents_) {
      auto got = store.registry().get_resident(r.person_id, UnitScope::everything());
      ASSERT_TRUE(got.ok()) << r.person_id << ": " << got.error().describe();
      EXPECT_EQ(got->address, r.address);
    }
    for (int n = 0; n < 2; ++n) {
      auto got = store.ledgers().get_item(items_[static_cast<std::size_t>(n)], UnitScope::everything());
      ASSERT_TRUE(got.ok()) << got.error().describe();
      EXPECT_EQ(std::get<std::string>(got->fields.at("responsible_person")), fmt::format("赵老板{}", n));
      EXPECT_EQ(std::get<std::string>(got->fields.at("responsible_phone")),
                n == 0 ? "13900000000" : "13900000099");
    }
    auto second = store.ledgers().get_item(items_[1], UnitScope::everything());
    ASSERT_TRUE(second.ok()) << second.error().describe();
    ASSERT_EQ(second->history.size(), 2u);
    const LedgerHistoryEntry& order = second->history[1];
    bool found = false;
    for (const LedgerFieldChange& c : order.changes)
      if (c.field == "responsible_phone") {
        found = true;
        ASSERT_TRUE(c.before.has_value());
        EXPECT_EQ(std::get<std::string>(*c.before), "13900000001");
        EXPECT_EQ(std::get<std::string>(c.after), "13900000099");
      }
    EXPECT_TRUE(found) << "the step's change of responsible_phone";
    const LedgerHistoryEntry& created = second->history[0];
    bool created_phone = false;
    for (const LedgerFieldChange& c : created.changes)
      if (c.field == "responsible_phone") {
        created_phone = true;
        EXPECT_EQ(std::get<std::string>(c.after), "13900000001");
      }
    EXPECT_TRUE(created_phone) << "the creating entry's responsible_phone";
  }

  std::string rows_under(const std::string& table, const std::string& key) {
    return text_of(location_, fmt::format("SELECT COUNT(*) FROM {} WHERE personal_key = '{}'", table, key));
  }
  // The stored changes of every history entry of the ledger items, joined.
  std::string all_changes() {
    std::string out;
    for (std::int64_t id : items_)
      for (int seq = 1; seq <= 2; ++seq)
        out += text_of(location_,
                       fmt::format("SELECT changes FROM ledger_steps WHERE item_id = {} AND seq = {}", id, seq));
    return out;
  }

  TempDir dir_;
  std::string location_;
  crypto::KeyRing ring_ = crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305);
  std::vector<Place> places_;
  std::vector<Resident> residents_;
  std::vector<std::int64_t> items_;
};

TEST_F(RegistryLedgerKeyRotationTest, ARotationReSealsPlacesResidentsAndLedgerItemsAndTheOldKeyCanGo) {
  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring_));
  auto store = open_with(holder);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  fill(**store);
  if (HasFatalFailure()) return;
  PersonalDataStore& personal = (*store)->personal_data();
  EXPECT_EQ(personal.count_due().value(), 0);
  EXPECT_EQ(rows_under("places", "k1"), "2");
  EXPECT_EQ(rows_under("residents", "k1"), "1");
  EXPECT_EQ(rows_under("ledger_items", "k1"), "2");
  EXPECT_NE(all_changes().find(":k1:"), std::string::npos);

  crypto::KeyRing rotated = ring_;
  ASSERT_EQ(rotated.add_active_key(), "k2");
  ASSERT_TRUE(holder->replace(cipher_for(rotated)).ok());
  // Two persons (the residents' names), two places, one resident, two ledger items.
  EXPECT_EQ(personal.count_due().value(), 7);
  // Batches of three: 7 due, then 4, 1, 0.
  std::vector<std::int64_t> left;
  for (int batch = 0; batch < 10; ++batch) {
    auto r = personal.reencrypt_batch(3);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    left.push_back(*r);
    if (*r == 0) break;
  }
  EXPECT_EQ(left, (std::vector<std::int64_t>{4, 1, 0}));
  EXPECT_EQ(rows_under("places", "k2"), "2");
  EXPECT_EQ(rows_under("residents", "k2"), "1");
  EXPECT_EQ(rows_under("ledger_items", "k2"), "2");
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM places WHERE personal_key IS NULL"), "1");
  const std::string phone =
      text_of(location_, fmt::format("SELECT contact_phone FROM places WHERE code = '{}'", places_[0].code));
  EXPECT_EQ(phone.substr(0, 9), "pe1:x:k2:") << phone;
  const std::string fields =
      text_of(location_, fmt::format("SELECT fields FROM ledger_items WHERE id = {}", items_[1]));
  EXPECT_NE(fields.find(":k2:"), std::string::npos) << fields;
  EXPECT_EQ(fields.find(":k1:"), std::string::npos) << fields;
  EXPECT_EQ(fields.find("13900000099"), std::string::npos) << fields;  // sealed, not plain
  const std::string changes = all_changes();
  EXPECT_NE(changes.find(":k2:"), std::string::npos) << changes;
  EXPECT_EQ(changes.find(":k1:"), std::string::npos) << changes;

  // k1 deleted from the ring: everything still reads, here and in a store
  // opened afresh with k2 alone.
  const crypto::KeyRing k2_only = without_key(rotated, "k1");
  ASSERT_EQ(k2_only.keys().size(), 1u);
  ASSERT_TRUE(holder->replace(cipher_for(k2_only)).ok());
  expect_all_read_back(**store);
  store->reset();
  auto reopened = open_with(cipher_for(k2_only));
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  expect_all_read_back(**reopened);
}

// `pingan keys reencrypt` opens the store with reseal_all_on_open: the
// registry and the ledger items move to the new key before it serves.
TEST_F(RegistryLedgerKeyRotationTest, OpeningWithResealAllMovesThemToTheNewKey) {
  {
    auto store = open_with(cipher_for(ring_));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    fill(**store);
    if (HasFatalFailure()) return;
  }
  crypto::KeyRing rotated = ring_;
  rotated.add_active_key();
  {
    auto store = open_with(cipher_for(rotated), /*reseal_all=*/true);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
  }
  EXPECT_EQ(rows_under("ledger_items", "k2"), "2");
  EXPECT_EQ(rows_under("places", "k2"), "2");
  auto store = open_with(cipher_for(without_key(rotated, "k1")));
  ASSERT_TRUE(store.ok()) << store.error().describe();
  expect_all_read_back(**store);
}

// Written without a key ring (plain text, personal_key ''), sealed the
// first time the store opens with one.
TEST_F(RegistryLedgerKeyRotationTest, PlainValuesAreSealedWhenAKeyRingFirstComes) {
  {
    auto store = open_with(nullptr);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    fill(**store);
    if (HasFatalFailure()) return;
    EXPECT_EQ((*store)->personal_data().count_due().value(), 7);
  }
  EXPECT_EQ(rows_under("ledger_items", ""), "2");
  EXPECT_NE(all_changes().find("13900000099"), std::string::npos);
  auto store = open_with(cipher_for(ring_));
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
  EXPECT_EQ(rows_under("ledger_items", "k1"), "2");
  EXPECT_EQ(rows_under("residents", "k1"), "1");
  EXPECT_EQ(all_changes().find("13900000099"), std::string::npos);
  expect_all_read_back(**store);
}

}  // namespace
}  // namespace pingan::testing
