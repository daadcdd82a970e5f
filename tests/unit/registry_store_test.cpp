// The registry store (issue 21, store/registry_store.h), on SQLite and, in
// the `pg.` run, on PostgreSQL: upserts by key that write nothing when the
// record is unchanged, the unit scope on reads and lists, keyset pages,
// rental houses with their tenancies, residents by person, the place's
// contact and the resident's address sealed with a cipher, and the change
// log naming each camera another store wrote.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "pg_test_inspect.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

std::string id_number(const std::string& first17) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<size_t>(i)] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

Camera a_camera(const std::string& code, const std::string& unit, double lat, double lon) {
  Camera c;
  c.code = code;
  c.name = "路口" + code;
  c.location = {lat, lon};
  c.owner_name = "市中区公安分局";
  c.unit_code = unit;
  c.stream_url = fmt::format("rtsp://10.1.2.3:554/live/{}", code);
  return c;
}

Place a_place(const std::string& code, const std::string& unit) {
  Place p;
  p.code = code;
  p.name = "平安大酒店";
  p.category = "hotel";
  p.address = "济南市市中区经十路1号";
  p.location = {36.65, 117.00};
  p.unit_code = unit;
  p.licence_number = "旅001";
  p.contact_name = "王老板";
  p.contact_phone = "13800001111";
  p.opened = CivilDate{2015, 3, 1};
  return p;
}

bool is_postgres(const std::string& location) { return location.rfind("postgresql://", 0) == 0; }

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

std::vector<RegistryWrite> writes(const Result<std::vector<RegistryWrite>>& r) {
  EXPECT_TRUE(r.ok()) << r.error().describe();
  return r.ok() ? *r : std::vector<RegistryWrite>{};
}

constexpr RegistryWrite kCreated = RegistryWrite::kCreated;
constexpr RegistryWrite kUpdated = RegistryWrite::kUpdated;
constexpr RegistryWrite kUnchanged = RegistryWrite::kUnchanged;

class RegistryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open("registry.db", nullptr); }
  void open(const std::string& name, std::shared_ptr<const crypto::FieldCipher> cipher) {
    location_ = test_store_location(dir_, name);
    auto opened = open_store(location_, PersonalDataOptions{std::move(cipher), false});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened).value();
    const std::vector<Unit> units = {test_unit("JN", "", UnitKind::kBureau),
                                     test_unit("JN-S1", "JN", UnitKind::kStation),
                                     test_unit("JN-S2", "JN", UnitKind::kStation)};
    ASSERT_TRUE(store_->units().upsert_units(units).ok());
  }
  RegistryStore& registry() { return store_->registry(); }
  PersonId person(const std::string& name, const std::string& first17) {
    Person p;
    p.name = name;
    p.id_number = id_number(first17);
    auto saved = store_->cases().save_person(p);
    EXPECT_TRUE(saved.ok()) << saved.error().describe();
    return saved.ok() ? saved->person.id : 0;
  }

  TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_F(RegistryStoreTest, CamerasUpsertByCodeAndARerunWritesNothing) {
  std::vector<Camera> batch = {a_camera("C1", "JN-S1", 36.65, 117.00), a_camera("C2", "JN-S2", 36.66, 117.01)};
  batch[1].direction_deg = 90;
  batch[1].field_of_view_deg = 60;
  batch[1].owner_kind = CameraOwnerKind::kSocial;
  EXPECT_EQ(writes(registry().upsert_cameras(batch)), (std::vector{kCreated, kCreated}));
  EXPECT_EQ(writes(registry().upsert_cameras(batch)), (std::vector{kUnchanged, kUnchanged}));
  batch[0].status = CameraStatus::kOffline;
  EXPECT_EQ(writes(registry().upsert_cameras(batch)), (std::vector{kUpdated, kUnchanged}));
  EXPECT_EQ(registry().count_cameras().value(), 2);

  auto got = registry().get_camera("C2", UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->name, "路口C2");
  EXPECT_DOUBLE_EQ(got->location.lat, 36.66);
  EXPECT_EQ(got->direction_deg, std::optional<double>(90));
  EXPECT_EQ(got->field_of_view_deg, std::optional<double>(60));
  EXPECT_EQ(got->owner_kind, CameraOwnerKind::kSocial);
  EXPECT_EQ(got->stream_url, "rtsp://10.1.2.3:554/live/C2");
  EXPECT_EQ(registry().get_camera("C1", UnitScope::everything())->status, CameraStatus::kOffline);
  EXPECT_FALSE(registry().get_camera("C1", UnitScope::everything())->direction_deg.has_value());
  // Another station's camera is not found from JN-S1's scope.
  EXPECT_EQ(registry().get_camera("C2", UnitScope::subtree("JN-S1")).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(registry().get_camera("C1", UnitScope::subtree("JN")).ok());

  std::vector<std::string> scanned;
  ASSERT_TRUE(registry().scan_cameras([&](const StoredCamera& c) { scanned.push_back(c.camera.code); }).ok());
  EXPECT_EQ(scanned, (std::vector<std::string>{"C1", "C2"}));
}

TEST_F(RegistryStoreTest, ListsAreKeysetPagesWithinTheScope) {
  std::vector<Camera> batch;
  for (int i = 0; i < 7; ++i)
    batch.push_back(a_camera(fmt::format("K{}", i), i % 2 ? "JN-S2" : "JN-S1", 36.6 + i * 0.001, 117.0));
  ASSERT_EQ(writes(registry().upsert_cameras(batch)).size(), 7u);
  RegistryFilter f;
  f.scope = UnitScope::subtree("JN-S1");  // K0, K2, K4, K6
  f.limit = 3;
  auto first = registry().list_cameras(f);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_EQ(first->records.size(), 3u);
  EXPECT_EQ(first->records[2].code, "K4");
  EXPECT_TRUE(first->more);
  f.after = "K4";
  auto second = registry().list_cameras(f);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->records.size(), 1u);
  EXPECT_EQ(second->records[0].code, "K6");
  EXPECT_FALSE(second->more);
  f.limit = 0;
  EXPECT_EQ(registry().list_cameras(f).error().field, "limit");
}

TEST_F(RegistryStoreTest, RentalHousesKeepTheirTenanciesAndNamePersons) {
  const PersonId landlord = person("房东甲", "37010219700101123");
  const PersonId tenant = person("租客乙", "37010219950505123");
  RentalHouse h;
  h.code = "R1";
  h.address = "经十路2号3单元";
  h.location = {36.65, 117.0};
  h.unit_code = "JN-S1";
  h.landlord_id = landlord;
  h.rooms = 3;
  h.tenants = {Tenancy{tenant, "301", CivilDate{2024, 1, 1}, CivilDate{2024, 6, 30}},
               Tenancy{tenant, "302", CivilDate{2024, 6, 30}, std::nullopt}};
  const std::vector<RentalHouse> batch = {h};
  EXPECT_EQ(writes(registry().upsert_rental_houses(batch)), std::vector{kCreated});
  EXPECT_EQ(writes(registry().upsert_rental_houses(batch)), std::vector{kUnchanged});
  auto got = registry().get_rental_house("R1", UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->landlord_id, landlord);
  ASSERT_EQ(got->tenants.size(), 2u);
  EXPECT_EQ(got->tenants[1].room, "302");
  EXPECT_FALSE(got->tenants[1].to.has_value());
  EXPECT_EQ(got->tenants[0].to, std::optional<CivilDate>(CivilDate{2024, 6, 30}));

  // A tenancy ended: the house is updated and its tenancies replaced.
  RentalHouse moved = h;
  moved.tenants.pop_back();
  EXPECT_EQ(writes(registry().upsert_rental_houses(std::vector{moved})), std::vector{kUpdated});
  EXPECT_EQ(registry().get_rental_house("R1", UnitScope::everything())->tenants.size(), 1u);
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM rental_tenancies"), "1");

  // A person that does not exist is refused by name, and nothing is written.
  RentalHouse stranger = h;
  stranger.code = "R2";
  stranger.landlord_id = 999'999;
  auto refused = registry().upsert_rental_houses(std::vector{stranger});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(text_of(location_, "SELECT COUNT(*) FROM rental_houses"), "1");
}

TEST_F(RegistryStoreTest, ResidentsAreOnePerPersonAndPageByPersonId) {
  std::vector<Resident> batch;
  for (int i = 0; i < 3; ++i) {
    Resident r;
    r.person_id = person(fmt::format("居民{}", i), fmt::format("3701021990010{}123", i + 1));
    r.kind = i == 1 ? ResidentKind::kFloating : ResidentKind::kRegistered;
    r.address = fmt::format("经十路{}号", i);
    r.unit_code = "JN-S1";
    r.registered = CivilDate{2020, 1, 1 + i};
    batch.push_back(r);
  }
  EXPECT_EQ(writes(registry().upsert_residents(batch)), (std::vector{kCreated, kCreated, kCreated}));
  batch[1].left = CivilDate{2024, 5, 1};
  EXPECT_EQ(writes(registry().upsert_residents(batch)), (std::vector{kUnchanged, kUpdated, kUnchanged}));
  auto got = registry().get_resident(batch[1].person_id, UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->kind, ResidentKind::kFloating);
  EXPECT_EQ(got->address, "经十路1号");
  EXPECT_EQ(got->left, std::optional<CivilDate>(CivilDate{2024, 5, 1}));
  RegistryFilter f;
  f.limit = 2;
  f.after = std::to_string(batch[0].person_id);
  auto page = registry().list_residents(f);
  ASSERT_TRUE(page.ok()) << page.error().describe();
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->records[0].person_id, batch[1].person_id);
  EXPECT_FALSE(page->more);
  f.after = "x";
  EXPECT_EQ(registry().list_residents(f).error().field, "after");
  EXPECT_EQ(registry().get_resident(batch[0].person_id, UnitScope::subtree("JN-S2")).error().code,
            ErrorCode::kNotFound);
}

TEST_F(RegistryStoreTest, WithACipherContactsAndAddressesAreSealedAndARerunStillWritesNothing) {
  auto cipher = crypto::make_field_cipher(crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305));
  ASSERT_TRUE(cipher.ok());
  open("sealed.db", *cipher);
  const std::vector<Place> places = {a_place("P1", "JN-S1")};
  EXPECT_EQ(writes(registry().upsert_places(places)), std::vector{kCreated});
  // Sealing draws a fresh nonce each time: the comparison is of the opened fields.
  EXPECT_EQ(writes(registry().upsert_places(places)), std::vector{kUnchanged});
  for (const char* column : {"contact_name", "contact_phone"}) {
    const std::string stored = text_of(location_, fmt::format("SELECT {} FROM places WHERE code = 'P1'", column));
    EXPECT_EQ(stored.substr(0, 4), "pe1:") << column << " is stored as " << stored;
  }
  EXPECT_EQ(text_of(location_, "SELECT personal_key FROM places WHERE code = 'P1'"), (*cipher)->active_key_id());
  auto got = registry().get_place("P1", UnitScope::everything());
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->contact_name, "王老板");
  EXPECT_EQ(got->contact_phone, "13800001111");
  EXPECT_EQ(got->opened, std::optional<CivilDate>(CivilDate{2015, 3, 1}));
  EXPECT_FALSE(got->closed.has_value());

  Resident r;
  r.person_id = person("居民", "37010219900101123");
  r.address = "经十路9号";
  r.unit_code = "JN-S2";
  r.registered = CivilDate{2021, 2, 3};
  EXPECT_EQ(writes(registry().upsert_residents(std::vector{r})), std::vector{kCreated});
  EXPECT_EQ(writes(registry().upsert_residents(std::vector{r})), std::vector{kUnchanged});
  EXPECT_EQ(text_of(location_, "SELECT address FROM residents").substr(0, 4), "pe1:");
  EXPECT_EQ(registry().get_resident(r.person_id, UnitScope::everything())->address, "经十路9号");

  Enterprise e;
  e.code = "E1";
  e.name = "平安物流有限公司";
  e.credit_code = "91440300708461136T";
  e.address = "经十路3号";
  e.location = {36.65, 117.0};
  e.unit_code = "JN-S1";
  EXPECT_EQ(writes(registry().upsert_enterprises(std::vector{e})), std::vector{kCreated});
  EXPECT_EQ(writes(registry().upsert_enterprises(std::vector{e})), std::vector{kUnchanged});
  EXPECT_EQ(registry().list_enterprises({})->records.at(0).credit_code, "91440300708461136T");
}

TEST_F(RegistryStoreTest, TheChangeLogNamesEachCameraAnotherStoreWroteAndNothingForARerun) {
  auto other = open_store(location_);
  ASSERT_TRUE(other.ok()) << other.error().describe();
  RegistryStore& writer = (*other)->registry();
  ChangeLog& log = store_->changes();
  const std::int64_t start = log.last_position().value();
  const std::vector<Camera> batch = {a_camera("L1", "JN-S1", 36.65, 117.0)};
  ASSERT_EQ(writes(writer.upsert_cameras(batch)), std::vector{kCreated});
  auto seen = log.changes_by_others(start, 100);
  ASSERT_TRUE(seen.ok()) << seen.error().describe();
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ(seen->at(0).kind, ChangeKind::kCamera);
  const std::int64_t id = seen->at(0).record_id;
  EXPECT_EQ(text_of(location_, fmt::format("SELECT code FROM cameras WHERE id = {}", id)), "L1");
  const std::int64_t after_first = seen->at(0).seq;
  ASSERT_EQ(writes(writer.upsert_cameras(batch)), std::vector{kUnchanged});
  EXPECT_TRUE(log.changes_by_others(after_first, 100)->empty());
  // Places are not logged: nothing downstream keeps them in memory.
  ASSERT_EQ(writes(writer.upsert_places(std::vector{a_place("P9", "JN-S2")})), std::vector{kCreated});
  EXPECT_TRUE(log.changes_by_others(after_first, 100)->empty());
}

}  // namespace
}  // namespace pingan::testing
