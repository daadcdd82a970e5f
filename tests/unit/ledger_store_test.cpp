// The ledger store (issue 21, store/ledger_store.h), on SQLite and, in the
// `pg.` run, on PostgreSQL: an item created with its creating entry, one
// import key making one item, lists by type, unit subtree, state and period
// in keyset pages, a step written with its entry under the row lock and a
// refused one writing nothing, an opened item written in the step's
// transaction, personal fields sealed in the row and in the history, and the
// scan of one type.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "core/ledger_item.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "engine/ledger_records.h"
#include "pg_test_inspect.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

constexpr Timestamp kT0 = 1'717'200'000;  // 2024-06-01T00:00:00Z

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

std::string text(const LedgerFields& fields, const std::string& code) {
  auto it = fields.find(code);
  return it == fields.end() ? "<absent>" : ledger_value_text(it->second);
}

class LedgerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto types = LedgerCatalogue::load();
    ASSERT_TRUE(types.ok()) << types.error().describe();
    types_ = std::move(types).value();
    for (const LedgerDefinition& d : types_.list()) {
      if (d.code() == "dispute") dispute_ = &d;
      if (d.code() == "hazard") hazard_ = &d;
    }
    ASSERT_TRUE(dispute_ && hazard_);
    location_ = test_store_location(dir_, "ledgers.db");
    open(location_, nullptr);
  }

  void open(const std::string& location, std::shared_ptr<const crypto::FieldCipher> cipher) {
    auto opened = open_store(location, PersonalDataOptions{std::move(cipher), false});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened).value();
    const std::vector<Unit> units = {test_unit("JN", "", UnitKind::kBureau),
                                     test_unit("JN-S1", "JN", UnitKind::kStation),
                                     test_unit("JN-S1-C1", "JN-S1", UnitKind::kCommunity),
                                     test_unit("JN-S2", "JN", UnitKind::kStation)};
    ASSERT_TRUE(store_->units().upsert_units(units).ok());
  }
  LedgerStore& ledgers() { return store_->ledgers(); }

  LedgerItem new_dispute(const std::string& unit, Timestamp at, const std::string& party = "张三") {
    NewLedgerItem r;
    r.unit_code = unit;
    r.fields = {{"kind", std::string("neighbour")},
                {"summary", std::string("楼上楼下因噪音发生纠纷")},
                {"party_name", party},
                {"party_phone", std::string("13800001111")},
                {"parties", std::int64_t{2}}};
    r.actor = "社区民警 李明";
    r.actor_grants = {"community"};
    r.at = at;
    auto item = create_ledger_item(*dispute_, r);
    EXPECT_TRUE(item.ok()) << item.error().describe();
    return item.ok() ? *item : LedgerItem{};
  }
  LedgerItem create(const LedgerItem& item, LedgerOrigin origin = {}) {
    auto made = ledgers().create_item(LedgerNewRow{dispute_, item, std::move(origin)});
    EXPECT_TRUE(made.ok()) << made.error().describe();
    return made.ok() ? *made : LedgerItem{};
  }
  // Takes `request` on item `id` through the store, as the engine does.
  Result<LedgerStepped> step(std::int64_t id, const StepRequest& request,
                             const UnitScope& scope = UnitScope::everything()) {
    return ledgers().update_item(
        id, scope, *dispute_, [&](const LedgerItem& item) -> Result<LedgerUpdate> {
          PINGAN_ASSIGN_OR_RETURN(LedgerItem next, apply_step(*dispute_, item, request));
          return LedgerUpdate{std::move(next), std::nullopt};
        });
  }
  static StepRequest assign(Timestamp at, const std::string& unit = "JN-S1",
                            const std::string& officer = "P1001") {
    StepRequest r;
    r.step = "assign";
    r.actor = "所长 王强";
    r.actor_grants = {"leader"};
    r.at = at;
    r.unit_code = unit;
    r.officer_id = officer;
    return r;
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
  LedgerCatalogue types_;
  const LedgerDefinition* dispute_ = nullptr;
  const LedgerDefinition* hazard_ = nullptr;
};

TEST_F(LedgerStoreTest, AnItemIsStoredWithItsCreatingEntryAndReadBackWhole) {
  const LedgerItem made = create(new_dispute("JN-S1", kT0));
  ASSERT_GT(made.id, 0);
  auto got = ledgers().get_item(made.id, UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->type_code, "dispute");
  EXPECT_EQ(got->type_version, 1);
  EXPECT_EQ(got->unit_code, "JN-S1");
  EXPECT_EQ(got->state, "found");
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->fields.size(), 5u);
  EXPECT_EQ(text(got->fields, "party_name"), "张三");
  EXPECT_EQ(std::get<std::int64_t>(got->fields.at("parties")), 2);
  ASSERT_EQ(got->history.size(), 1u);
  EXPECT_EQ(got->history[0].step, kLedgerCreateStep);
  EXPECT_EQ(got->history[0].from_state, "");
  EXPECT_EQ(got->history[0].to_state, "found");
  EXPECT_EQ(got->history[0].actor, "社区民警 李明");
  EXPECT_EQ(got->history[0].changes.size(), made.history[0].changes.size());

  // Outside the scope it is not found, as a missing one.
  auto other = ledgers().get_item(made.id, UnitScope::subtree("JN-S2"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledgers().get_item(made.id + 100, UnitScope::everything()).error().code,
            ErrorCode::kNotFound);
}

TEST_F(LedgerStoreTest, OneImportKeyMakesOneItem) {
  const LedgerItem first = create(new_dispute("JN-S1", kT0), LedgerOrigin{"grid_xlsx", "row-7"});
  auto again = ledgers().create_item(
      LedgerNewRow{dispute_, new_dispute("JN-S1", kT0 + 5), {"grid_xlsx", "row-7"}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "source_id");
  EXPECT_NE(again.error().message.find(fmt::format("ledger item {}", first.id)), std::string::npos)
      << again.error().message;
  // Another source with the same id, and items without a key, are new items.
  EXPECT_GT(create(new_dispute("JN-S1", kT0), LedgerOrigin{"other", "row-7"}).id, first.id);
  create(new_dispute("JN-S1", kT0));
  create(new_dispute("JN-S1", kT0));
  LedgerFilter f;
  f.type_code = "dispute";
  EXPECT_EQ(ledgers().list_items(f)->items.size(), 4u);
}

TEST_F(LedgerStoreTest, ListsOneTypeByUnitSubtreeStateAndPeriodInKeysetPages) {
  // Five disputes: three under JN-S1 (one in its community), two in JN-S2;
  // two share a creation time, so the page order falls back on the id.
  const LedgerItem a = create(new_dispute("JN-S1", kT0));
  const LedgerItem b = create(new_dispute("JN-S1-C1", kT0 + 100));
  const LedgerItem c = create(new_dispute("JN-S2", kT0 + 100));
  const LedgerItem d = create(new_dispute("JN-S1", kT0 + 200));
  const LedgerItem e = create(new_dispute("JN-S2", kT0 + 300));
  ASSERT_TRUE(step(d.id, assign(kT0 + 250)).ok());
  // A hazard is another type: never in the disputes' list.
  NewLedgerItem h;
  h.unit_code = "JN-S1";
  h.fields = {{"kind", std::string("fire")},
              {"level", std::string("general")},
              {"description", std::string("灭火器过期")}};
  h.actor = "民警";
  h.actor_grants = {"station"};
  h.at = kT0 + 50;
  ASSERT_TRUE(ledgers()
                  .create_item(LedgerNewRow{hazard_, create_ledger_item(*hazard_, h).value(), {}})
                  .ok());

  auto ids = [&](LedgerFilter f) {
    auto page = ledgers().list_items(f);
    EXPECT_TRUE(page.ok()) << page.error().describe();
    std::vector<std::int64_t> out;
    if (page.ok())
      for (const LedgerItem& i : page->items) out.push_back(i.id);
    return out;
  };
  LedgerFilter all;
  all.type_code = "dispute";
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{e.id, d.id, c.id, b.id, a.id}));
  LedgerFilter s1 = all;
  s1.scope = UnitScope::subtree("JN-S1");
  EXPECT_EQ(ids(s1), (std::vector<std::int64_t>{d.id, b.id, a.id}));
  LedgerFilter assigned = all;
  assigned.state = "assigned";
  EXPECT_EQ(ids(assigned), (std::vector<std::int64_t>{d.id}));
  LedgerFilter period = all;
  period.created_from = kT0 + 100;
  period.created_to = kT0 + 300;
  EXPECT_EQ(ids(period), (std::vector<std::int64_t>{d.id, c.id, b.id}));

  // Pages of two, each after the last of the one before.
  LedgerFilter paged = all;
  paged.limit = 2;
  std::vector<std::int64_t> walked;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = ledgers().list_items(paged);
    ASSERT_TRUE(page.ok());
    for (const LedgerItem& i : page->items) walked.push_back(i.id);
    if (!page->more) break;
    paged.before = std::make_pair(page->items.back().created_at, page->items.back().id);
  }
  EXPECT_EQ(walked, (std::vector<std::int64_t>{e.id, d.id, c.id, b.id, a.id}));
  // The list carries each item's history.
  auto page = ledgers().list_items(assigned);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].history.size(), 2u);
  LedgerFilter bad = all;
  bad.limit = 0;
  EXPECT_EQ(ledgers().list_items(bad).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, AStepIsWrittenWithItsEntryAndARefusedOneWritesNothing) {
  const LedgerItem made = create(new_dispute("JN-S1", kT0));
  auto assigned = step(made.id, assign(kT0 + 60, "JN-S1-C1", "P2002"));
  ASSERT_TRUE(assigned.ok()) << assigned.error().describe();
  EXPECT_FALSE(assigned->opened.has_value());

  // resolve is not allowed from assigned: core refuses inside the store's
  // transaction and nothing changes.
  StepRequest resolve;
  resolve.step = "resolve";
  resolve.actor = "社区民警 李明";
  resolve.actor_grants = {"community"};
  resolve.at = kT0 + 120;
  resolve.fields = {{"resolution", std::string("agreement")},
                    {"mediation_summary", std::string("双方达成协议")}};
  auto refused = step(made.id, resolve);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);

  auto got = ledgers().get_item(made.id, UnitScope::everything());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, "assigned");
  EXPECT_EQ(got->unit_code, "JN-S1-C1");
  EXPECT_EQ(got->officer_id, "P2002");
  EXPECT_EQ(got->updated_at, kT0 + 60);
  ASSERT_EQ(got->history.size(), 2u);
  EXPECT_EQ(got->history[1].step, "assign");
  EXPECT_EQ(got->history[1].from_state, "found");
  EXPECT_EQ(got->history[1].unit_code, "JN-S1-C1");

  // The same step within the item's scope goes; from another unit's scope
  // the item is not found.
  StepRequest mediate;
  mediate.step = "mediate";
  mediate.actor = "社区民警 李明";
  mediate.actor_grants = {"community"};
  mediate.at = kT0 + 180;
  EXPECT_EQ(step(made.id, mediate, UnitScope::subtree("JN-S2")).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(step(made.id, mediate, UnitScope::subtree("JN-S1")).ok());
  resolve.at = kT0 + 240;
  auto resolved = step(made.id, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  got = ledgers().get_item(made.id, UnitScope::everything());
  EXPECT_EQ(got->state, "resolved");
  ASSERT_EQ(got->history.size(), 4u);
  EXPECT_EQ(text(got->fields, "resolution"), "agreement");
  ASSERT_EQ(got->history[3].changes.size(), 2u);
  EXPECT_FALSE(got->history[3].changes[0].before.has_value());
}

TEST_F(LedgerStoreTest, AnOpenedItemIsWrittenInTheStepsTransactionOrNeitherIs) {
  const LedgerItem made = create(new_dispute("JN-S1", kT0));
  const LedgerItem holder = create(new_dispute("JN-S1", kT0), LedgerOrigin{"ledger", "taken"});
  auto with_opened = [&](const std::string& key) {
    return ledgers().update_item(
        made.id, UnitScope::everything(), *dispute_,
        [&](const LedgerItem& item) -> Result<LedgerUpdate> {
          PINGAN_ASSIGN_OR_RETURN(LedgerItem next, apply_step(*dispute_, item, assign(kT0 + 60)));
          return LedgerUpdate{std::move(next),
                              LedgerNewRow{dispute_, new_dispute("JN-S1", kT0 + 60, "李四"),
                                           LedgerOrigin{"ledger", key}}};
        });
  };
  // The opened item's key is taken: the step is rolled back with it.
  auto refused = with_opened("taken");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(ledgers().get_item(made.id, UnitScope::everything())->state, "found");
  EXPECT_EQ(ledgers().get_item(made.id, UnitScope::everything())->history.size(), 1u);

  auto stepped = with_opened("fresh");
  ASSERT_TRUE(stepped.ok()) << stepped.error().describe();
  ASSERT_TRUE(stepped->opened.has_value());
  EXPECT_GT(stepped->opened->id, holder.id);
  auto opened = ledgers().get_item(stepped->opened->id, UnitScope::everything());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(text(opened->fields, "party_name"), "李四");
  EXPECT_EQ(ledgers().get_item(made.id, UnitScope::everything())->state, "assigned");
}

TEST_F(LedgerStoreTest, WithACipherPersonalFieldsAreSealedInTheRowAndInTheHistory) {
  auto cipher =
      crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305));
  ASSERT_TRUE(cipher.ok());
  const std::string location = test_store_location(dir_, "sealed.db");
  open(location, *cipher);
  const LedgerItem made = create(new_dispute("JN-S1", kT0, "欧阳娜娜"));
  const std::string row = fmt::format(" FROM ledger_items WHERE id = {}", made.id);
  const std::string fields = text_of(location, "SELECT fields" + row);
  EXPECT_EQ(fields.find("欧阳娜娜"), std::string::npos) << fields;
  EXPECT_EQ(fields.find("13800001111"), std::string::npos) << fields;
  EXPECT_NE(fields.find("\"sealed\":\"pe1:"), std::string::npos) << fields;
  EXPECT_NE(fields.find("楼上楼下"), std::string::npos)
      << "only personal fields are sealed: " << fields;
  EXPECT_EQ(text_of(location, "SELECT personal_key" + row), (*cipher)->active_key_id());
  const std::string changes = text_of(
      location,
      fmt::format("SELECT changes FROM ledger_steps WHERE item_id = {} AND seq = 1", made.id));
  EXPECT_EQ(changes.find("欧阳娜娜"), std::string::npos) << changes;
  EXPECT_NE(changes.find("\"sealed\":\"pe1:"), std::string::npos) << changes;

  auto got = ledgers().get_item(made.id, UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(text(got->fields, "party_name"), "欧阳娜娜");
  EXPECT_EQ(text(got->fields, "party_phone"), "13800001111");
  bool seen = false;
  for (const LedgerFieldChange& c : got->history[0].changes)
    if (c.field == "party_name") seen = ledger_value_text(c.after) == "欧阳娜娜";
  EXPECT_TRUE(seen);

  // Without a cipher the values stay plain and the key is ''.
  open(location_, nullptr);
  const LedgerItem plain = create(new_dispute("JN-S1", kT0));
  EXPECT_EQ(text_of(location_,
                    fmt::format("SELECT personal_key FROM ledger_items WHERE id = {}", plain.id)),
            "");
  EXPECT_NE(
      text_of(location_, fmt::format("SELECT fields FROM ledger_items WHERE id = {}", plain.id))
          .find("张三"),
      std::string::npos);
}

TEST_F(LedgerStoreTest, TheScanGivesEveryItemOfOneTypeInIdOrderWithItsHistory) {
  std::vector<std::int64_t> made;
  for (int i = 0; i < 7; ++i)
    made.push_back(create(new_dispute(i % 2 ? "JN-S1" : "JN-S2", kT0 + i)).id);
  ASSERT_TRUE(step(made[3], assign(kT0 + 100)).ok());
  std::vector<std::int64_t> seen;
  std::size_t entries = 0;
  ASSERT_TRUE(ledgers()
                  .scan_items("dispute",
                              [&](const LedgerItem& item) {
                                seen.push_back(item.id);
                                entries += item.history.size();
                              })
                  .ok());
  EXPECT_EQ(seen, made);
  EXPECT_EQ(entries, 8u);
  int hazards = 0;
  ASSERT_TRUE(ledgers().scan_items("hazard", [&](const LedgerItem&) { ++hazards; }).ok());
  EXPECT_EQ(hazards, 0);
}

}  // namespace
}  // namespace pingan::testing
