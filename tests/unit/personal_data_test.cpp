// Personal data at rest (issue 17): masks and the GB 11643 check in core,
// the incident's reporter fields through validation and JSON, and the
// SQLite store sealing them: a canary phone, name and ID number absent from
// the raw database file, its WAL and its backup with both ciphers; look-up
// by phone through the keyed hash; plain rows sealed when a key ring is
// first given; tampered and misplaced tokens refused; rotation under
// concurrent writes with nothing lost. On the `pg.` run (tests/unit/
// test_store.h) the store is a PostgreSQL schema, SQL goes through libpq,
// and the scans of the SQLite file, its WAL and its backup are skipped:
// pg_personal_data_test.cpp scans PostgreSQL's rows, WAL and dump instead.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/id_number.h"
#include "core/incident.h"
#include "core/personal_masks.h"
#include "core/taxonomy.h"
#include "crypto/encoding.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "crypto/reloadable_cipher.h"
#include "http/incident_query.h"
#include "json/incident_json.h"
#include "pg_test_inspect.h"
#include "store/store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan {
namespace {

// ---- masks and the ID check (core) ----

TEST(PersonalMasks, MaskPhonesIdNumbersNamesAndAddresses) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("+86 138-1234-5678"), "138****5678");
  EXPECT_EQ(mask_phone("0531-86012345"), "053*****2345");
  EXPECT_EQ(mask_phone("110"), "***");
  EXPECT_EQ(mask_phone(""), "");
  EXPECT_EQ(mask_id_number("370102199001011234"), "370102********1234");
  EXPECT_EQ(mask_id_number("11010519491231002x"), "110105********002X");
  EXPECT_EQ(mask_id_number("12345"), "*****");
  EXPECT_EQ(mask_name("张三"), "张*");
  EXPECT_EQ(mask_name("欧阳娜娜"), "欧***");
  EXPECT_EQ(mask_name("张"), "*");
  EXPECT_EQ(mask_name("Li Lei"), "L*****");
  EXPECT_EQ(mask_name(""), "");
  EXPECT_EQ(mask_address("山东省济南市历下区经十路88号"), "山东省济南市历下区****");
  EXPECT_EQ(mask_address("经十路 88 号 3 单元"), "经十路 88****");
  EXPECT_EQ(mask_address("经十路"), "经十****");
}

TEST(PersonalMasks, AnIdNumberFieldHoldingOtherTextMasksWholeCharacters) {
  // Twelve Chinese characters (36 bytes) typed where the number goes: the
  // first six and last four characters kept, never a byte of one.
  EXPECT_EQ(mask_id_number("张三李四王五赵六钱七孙八"), "张三李四王五**钱七孙八");
  EXPECT_EQ(mask_id_number("张三李四"), "****");
}

TEST(PersonalMasks, NormalFormsForLookUps) {
  EXPECT_EQ(normalise_phone("138-1234 5678"), "13812345678");
  EXPECT_EQ(normalise_phone("+86 138 1234 5678"), "13812345678");
  EXPECT_EQ(normalise_phone("0086 13812345678"), "13812345678");
  EXPECT_EQ(normalise_phone("0531-86012345"), "053186012345");  // a landline keeps its area code
  EXPECT_EQ(normalise_id_number(" 11010519491231002x "), "11010519491231002X");
}

TEST(IdNumberCheck, AcceptsGbT11643NumbersAndNamesTheFieldOtherwise) {
  EXPECT_TRUE(check_id_number("f", "11010519491231002X").ok());  // the standard's own example
  EXPECT_TRUE(check_id_number("f", "11010519491231002x").ok());
  EXPECT_TRUE(check_id_number("f", "370102199001011231").ok());
  EXPECT_EQ(id_number_check_char("44030419850315567"), '0');
  struct Case {
    std::string id, says;
  } bad[] = {{"370102199001011234", "check character"},  // one digit off
             {"370102199001011321", "check character"},  // two digits swapped
             {"37010219900101123", "18 characters"},
             {"3701021990010112X1", "not a digit"},
             {"37010219900101123Y", "digit or X"}};
  for (const auto& c : bad) {
    Status st = check_id_number("reporter_id_number", c.id);
    ASSERT_FALSE(st.ok()) << c.id;
    EXPECT_EQ(st.error().field, "reporter_id_number");
    EXPECT_NE(st.error().message.find(c.says), std::string::npos) << st.error().message;
    EXPECT_EQ(st.error().message.find(c.id), std::string::npos) << "the error repeats the number";
  }
}

TEST(IncidentPersonalFields, ValidationChecksTheIdNumberAndLengths) {
  Taxonomy tax = Taxonomy::load_default().value();
  Incident inc;
  inc.type_code = "theft";
  inc.reported_at = 1'700'000'000;
  inc.reporter_id_number = "370102199001011234";
  Status st = validate_new_incident(inc, tax, 1'700'000'100);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "reporter_id_number");
  inc.reporter_id_number = "370102199001011231";
  inc.reporter_name = std::string(101, 'a');
  st = validate_new_incident(inc, tax, 1'700'000'100);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "reporter_name");
  inc.reporter_name = "欧阳娜娜";
  EXPECT_TRUE(validate_new_incident(inc, tax, 1'700'000'100).ok());
}

TEST(IncidentPersonalFields, JsonReadsThemAndShowsThemMasked) {
  const TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  auto inc = new_incident_from_json({{"type", "theft"},
                                     {"reporter_phone", "13812345678"},
                                     {"reporter_name", "欧阳娜娜"},
                                     {"reporter_id_number", "370102199001011231"}},
                                    zone, 1'700'000'000);
  ASSERT_TRUE(inc.ok()) << inc.error().describe();
  EXPECT_EQ(inc->reporter_name, "欧阳娜娜");
  EXPECT_EQ(inc->reporter_id_number, "370102199001011231");
  Taxonomy tax = Taxonomy::load_default().value();
  auto out = incident_to_json(*inc, IncidentJsonContext{tax, zone});
  EXPECT_EQ(out["reporter_phone"], "138****5678");
  EXPECT_EQ(out["reporter_name"], "欧***");
  EXPECT_EQ(out["reporter_id_number"], "370102********1231");
  EXPECT_EQ(out.dump().find("12345678"), std::string::npos);
  auto revealed = reveal_json(*inc);
  EXPECT_EQ(revealed["reporter_phone"], "13812345678");
  EXPECT_EQ(revealed["reporter_id_number"], "370102199001011231");
}

TEST(IncidentPersonalFields, ListQueryTakesAPhoneToLookUp) {
  const TimeZone zone = TimeZone::locate("Asia/Shanghai").value();
  auto q = incident_query_from_params({{"reporter_phone", "138-1234-5678"}}, zone);
  ASSERT_TRUE(q.ok()) << q.error().describe();
  EXPECT_EQ(q->filter.reporter_phone, "138-1234-5678");
  auto bad = incident_query_from_params({{"reporter_phone", "abc"}}, zone);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "reporter_phone");
}

// ---- the store ----

const std::string kCanaryPhone = "13912340987";
const std::string kCanaryName = "欧阳娜娜";
const std::string kCanaryId = "11010519491231002X";

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every form a value could take in a file: its bytes, UTF-16 both ways, hex
// of its bytes in both cases, base64, and for digits the 64-bit integer.
std::vector<std::pair<std::string, std::string>> forms_of(const std::string& value) {
  std::vector<std::pair<std::string, std::string>> out = {{"plain", value}};
  std::string le, be;
  for (char c : value) {
    le += c, le += '\0';
    be += '\0', be += c;
  }
  out.push_back({"utf-16le", le});
  out.push_back({"utf-16be", be});
  std::string hex = crypto::to_hex(value), upper = hex;
  for (auto& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  out.push_back({"hex", hex});
  out.push_back({"HEX", upper});
  out.push_back({"base64", crypto::to_base64(value)});
  if (value.find_first_not_of("0123456789") == std::string::npos) {
    std::uint64_t n = std::stoull(value);
    std::string big(8, '\0');
    for (int i = 0; i < 8; ++i) big[i] = char(n >> (56 - 8 * i));
    out.push_back({"int64", big});
  }
  return out;
}

// The forms of the canaries found in `path`, as "phone/hex in db.wal".
std::vector<std::string> canaries_in(const std::string& path) {
  std::string bytes = file_bytes(path);
  std::vector<std::string> found;
  for (const auto& [what, value] :
       std::vector<std::pair<std::string, std::string>>{{"phone", kCanaryPhone}, {"name", kCanaryName}, {"id", kCanaryId}})
    for (const auto& [form, needle] : forms_of(value))
      if (bytes.find(needle) != std::string::npos) found.push_back(what + "/" + form + " in " + path);
  return found;
}

bool is_postgres(const std::string& location) { return location.rfind("postgresql://", 0) == 0; }

// The canaries where the store keeps its records: the SQLite file, or on
// PostgreSQL every row of the store's schema read as text (the cluster's WAL
// and a dump: PostgresPersonalDataTest, with canaries of its own, since the
// WAL is shared by every test of the cluster).
std::vector<std::string> canaries_stored(const std::string& location) {
  if (!is_postgres(location)) return canaries_in(location);
  testing::PgInspector db(location);
  std::vector<std::string> found;
  for (const auto& [what, value] :
       std::vector<std::pair<std::string, std::string>>{{"phone", kCanaryPhone}, {"name", kCanaryName}, {"id", kCanaryId}})
    for (const auto& [form, needle] : forms_of(value))
      for (const auto& where : db.rows_holding(needle)) found.push_back(what + "/" + form + " in " + where);
  return found;
}

// The canaries in SQLite's WAL; none to look at on PostgreSQL here.
std::vector<std::string> canaries_in_wal(const std::string& location) {
  return is_postgres(location) ? std::vector<std::string>{} : canaries_in(location + "-wal");
}

// Whether `text` is stored anywhere: the SQLite file (and `wal`: its WAL),
// or a row of the PostgreSQL store's schema.
bool stored_anywhere(const std::string& location, const std::string& text, bool wal = false) {
  if (is_postgres(location)) return !testing::PgInspector(location).rows_holding(text).empty();
  return file_bytes(wal ? location + "-wal" : location).find(text) != std::string::npos;
}

Incident reported(const std::string& phone, const std::string& name, const std::string& id_number, int n) {
  Incident inc;
  inc.source = "test";
  inc.source_id = fmt::format("p{}", n);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = 1'700'000'000 + n;
  inc.reporter_phone = phone;
  inc.reporter_name = name;
  inc.reporter_id_number = id_number;
  inc.description = "电动车被盗";
  return inc;
}

Result<Incident> create(Store& store, const Incident& inc) {
  return store.incidents().create_incident(inc, intake_event(inc, "test"));
}

std::shared_ptr<const crypto::FieldCipher> cipher_for(const crypto::KeyRing& ring) {
  return crypto::make_field_cipher(ring).value();
}

// `location`: a SQLite file, or a PostgreSQL URL on the `pg.` run.
Result<std::unique_ptr<Store>> open_with(const std::string& location, std::shared_ptr<const crypto::FieldCipher> c,
                                         bool reseal_all = false) {
  return open_store(location, PersonalDataOptions{std::move(c), reseal_all});
}

std::string text_of(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) return testing::PgInspector(path).text(sql);
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

void exec(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) {
    EXPECT_EQ(testing::PgInspector(path).error_of(sql), "");
    return;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

int run_backup(const std::string& db, const std::string& to) {
  return std::system(fmt::format("'{}' backup --db '{}' --to '{}' > /dev/null", PINGAN_BINARY, db, to).c_str());
}

class PersonalStoreTest : public ::testing::TestWithParam<crypto::CipherKind> {
 protected:
  crypto::KeyRing ring_ = crypto::KeyRing::generate(GetParam());
  pingan::testing::TempDir dir_;
};

// The canaries must be absent from the file, the WAL (checked while the
// store is open, so the WAL holds the writes) and a backup; without a key
// ring the same steps leave them there, which shows the search finds them.
TEST_P(PersonalStoreTest, CanaryIsAbsentFromDatabaseWalAndBackup) {
  if (testing::testing_postgres()) GTEST_SKIP() << "scans the SQLite file, WAL and backup: see PostgresPersonalDataTest";
  for (bool sealed : {false, true}) {
    std::string path = dir_.file(sealed ? "sealed.db" : "plain.db");
    auto store = open_with(path, sealed ? cipher_for(ring_) : nullptr);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    for (int n = 0; n < 20; ++n) {
      Incident inc = reported(kCanaryPhone, kCanaryName, kCanaryId, n);
      ASSERT_TRUE(create(**store, inc).ok());
    }
    std::vector<Incident> batch;
    for (int n = 20; n < 60; ++n) batch.push_back(reported(kCanaryPhone, kCanaryName, kCanaryId, n));
    ASSERT_TRUE((*store)->incidents().insert_incidents(batch).ok());
    auto got = (*store)->incidents().get_incident(1, UnitScope::everything());
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got->reporter_phone, kCanaryPhone);
    EXPECT_EQ(got->reporter_name, kCanaryName);
    EXPECT_EQ(got->reporter_id_number, kCanaryId);
    ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
    ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
    ASSERT_EQ(run_backup(path, path + ".backup"), 0);
    auto found = canaries_in(path);
    for (auto& f : canaries_in(path + "-wal")) found.push_back(f);
    for (auto& f : canaries_in(path + ".backup")) found.push_back(f);
    if (sealed) {
      EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
    } else {
      EXPECT_FALSE(found.empty()) << "the search does not find plain text: it proves nothing";
    }
    store->reset();
    if (sealed) {
      EXPECT_TRUE(canaries_in(path).empty());
      EXPECT_TRUE(canaries_in(path + ".backup").empty());
      std::string token = text_of(path, "SELECT reporter_phone FROM incidents WHERE id = 1");
      EXPECT_EQ(token.substr(0, 6), fmt::format("pe1:{}:", crypto::cipher_token_id(GetParam())));
    }
  }
}

TEST_P(PersonalStoreTest, FindsByPhoneThroughTheKeyedHash) {
  std::string path = testing::test_store_location(dir_, "lookup.db");
  auto store = open_with(path, cipher_for(ring_));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(create(**store, reported(kCanaryPhone, "", "", 1)).ok());
  ASSERT_TRUE(create(**store, reported("13800000000", "", "", 2)).ok());
  ASSERT_TRUE(create(**store, reported(kCanaryPhone, "张三", "", 3)).ok());
  IncidentFilter f;
  f.reporter_phone = "+86 139-1234-0987";
  auto page = (*store)->incidents().list_incidents(f);
  ASSERT_TRUE(page.ok()) << page.error().describe();
  ASSERT_EQ(page->total, 2);
  for (const auto& inc : page->items) EXPECT_EQ(inc.reporter_phone, kCanaryPhone);
  auto hash = cipher_for(ring_)->keyed_hash("phone", kCanaryPhone);
  EXPECT_EQ(text_of(path, "SELECT reporter_phone_hash FROM incidents WHERE id = 1"), *hash);
  EXPECT_EQ(text_of(path, "SELECT COUNT(*) FROM incidents WHERE reporter_phone_hash = '" + *hash + "'"), "2");
  f.reporter_phone = "13900000000";
  EXPECT_EQ((*store)->incidents().list_incidents(f)->total, 0);
}

TEST_P(PersonalStoreTest, PlainRowsAreSealedWhenAKeyRingIsFirstGiven) {
  std::string path = testing::test_store_location(dir_, "migrate.db");
  {
    auto store = open_with(path, nullptr);
    ASSERT_TRUE(store.ok());
    std::vector<Incident> batch;
    for (int n = 0; n < 2500; ++n) batch.push_back(reported(fmt::format("139{:08}", n), "", "", n));
    batch[7] = reported(kCanaryPhone, kCanaryName, kCanaryId, 7);
    batch[8].reporter_phone.clear();  // a row without personal data stays without
    ASSERT_TRUE((*store)->incidents().insert_incidents(batch).ok());
    EXPECT_EQ((*store)->personal_data().count_due().value(), 2499);
  }
  EXPECT_FALSE(canaries_stored(path).empty());
  // As migration 9 leaves a database written before it: personal_key ''.
  EXPECT_EQ(text_of(path, "SELECT COUNT(*) FROM incidents WHERE personal_key = ''"), "2499");
  {
    auto store = open_with(path, cipher_for(ring_));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
    auto got = (*store)->incidents().get_incident(8, UnitScope::everything());
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got->reporter_phone, kCanaryPhone);
    EXPECT_EQ(got->reporter_id_number, kCanaryId);
    EXPECT_EQ((*store)->incidents().get_incident(2000, UnitScope::everything())->reporter_phone, "13900001999");
    IncidentFilter f;
    f.reporter_phone = kCanaryPhone;
    EXPECT_EQ((*store)->incidents().list_incidents(f)->total, 1);
    // The WAL of the sealing pass holds no plain page either.
    auto in_wal = canaries_in_wal(path);
    EXPECT_TRUE(in_wal.empty()) << ::testing::PrintToString(in_wal);
  }
  EXPECT_EQ(text_of(path, "SELECT COUNT(*) FROM incidents WHERE personal_key IS NULL"), "1");
  EXPECT_EQ(text_of(path, "SELECT COUNT(*) FROM incidents WHERE personal_key = 'k1'"), "2499");
  auto left = canaries_stored(path);
  EXPECT_TRUE(left.empty()) << ::testing::PrintToString(left);
}

// A user's TOTP secret lets whoever holds it compute their codes: it is
// sealed like personal data (context users.totp_secret), sealed when a key
// ring is first given, re-sealed by rotation, and unreadable without keys.
TEST_P(PersonalStoreTest, TotpSecretsAreSealedAtRestAndFollowRotation) {
  const std::string secret = "JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK";
  std::string path = testing::test_store_location(dir_, "totp.db");
  User user;
  user.username = "chief";
  user.display_name = "局长";
  user.unit_code = "*";
  user.role = "admin";
  user.totp_secret = secret;
  {
    auto store = open_with(path, nullptr);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->users().add_user(user).ok());
  }
  EXPECT_TRUE(stored_anywhere(path, secret)) << "the search does not find plain text: it proves nothing";

  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring_));
  auto store = open_with(path, holder);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  const std::string token = text_of(path, "SELECT totp_secret FROM users WHERE username = 'chief'");
  EXPECT_EQ(token.substr(0, 9), fmt::format("pe1:{}:k1:", crypto::cipher_token_id(GetParam()))) << token;
  EXPECT_FALSE(stored_anywhere(path, secret));
  EXPECT_FALSE(stored_anywhere(path, secret, /*wal=*/true));
  auto found = (*store)->users().find_user("chief");
  ASSERT_TRUE(found.ok() && *found) << (found.ok() ? "no user" : found.error().describe());
  EXPECT_EQ((*found)->totp_secret, secret);

  // An update (a used code's step) writes it sealed again.
  user.totp_last_step = 42;
  ASSERT_TRUE((*store)->users().update_user(user).ok());
  EXPECT_EQ(text_of(path, "SELECT substr(totp_secret, 1, 4) FROM users WHERE username = 'chief'"), "pe1:");
  EXPECT_FALSE(stored_anywhere(path, secret, /*wal=*/true));

  // Rotation: the secret is due, then under the new key, and still opens.
  crypto::KeyRing rotated = ring_;
  rotated.add_active_key();
  ASSERT_TRUE(holder->replace(cipher_for(rotated)).ok());
  EXPECT_EQ((*store)->personal_data().count_due().value(), 1);
  ASSERT_TRUE((*store)->personal_data().reencrypt_batch(100).ok());
  EXPECT_EQ((*store)->personal_data().count_due().value(), 0);
  EXPECT_EQ(text_of(path, "SELECT substr(totp_secret, 1, 9) FROM users WHERE username = 'chief'"),
            fmt::format("pe1:{}:k2:", crypto::cipher_token_id(GetParam())));
  EXPECT_EQ((*store)->users().find_user("chief").value()->totp_secret, secret);
  store->reset();

  // Without the keys the secret is an error naming the user, not garbage.
  auto unkeyed = open_with(path, nullptr);
  ASSERT_TRUE(unkeyed.ok());
  auto refused = (*unkeyed)->users().find_user("chief");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("user chief"), std::string::npos) << refused.error().message;
  EXPECT_FALSE((*unkeyed)->users().list_users().ok());
}

TEST_P(PersonalStoreTest, TamperedMovedOrUnkeyedTokensAreErrorsNotGarbage) {
  std::string path = testing::test_store_location(dir_, "tamper.db");
  {
    auto store = open_with(path, cipher_for(ring_));
    ASSERT_TRUE(store.ok());
    for (int n = 1; n <= 3; ++n) ASSERT_TRUE(create(**store, reported(kCanaryPhone, kCanaryName, kCanaryId, n)).ok());
  }
  // 1: one character of the phone's token changed; 2: the name's token in
  // the phone's column.
  std::string token = text_of(path, "SELECT reporter_phone FROM incidents WHERE id = 1");
  token[token.size() - 3] = token[token.size() - 3] == 'A' ? 'B' : 'A';
  exec(path, "UPDATE incidents SET reporter_phone = '" + token + "' WHERE id = 1");
  exec(path, "UPDATE incidents SET reporter_phone = reporter_name WHERE id = 2");
  auto store = open_with(path, cipher_for(ring_));
  ASSERT_TRUE(store.ok());
  for (IncidentId id : {1, 2}) {
    auto got = (*store)->incidents().get_incident(id, UnitScope::everything());
    ASSERT_FALSE(got.ok()) << id << " read as " << got->reporter_phone;
    EXPECT_NE(got.error().message.find(fmt::format("incident {}", id)), std::string::npos) << got.error().message;
    EXPECT_NE(got.error().message.find("reporter_phone"), std::string::npos);
  }
  EXPECT_TRUE((*store)->incidents().get_incident(3, UnitScope::everything()).ok());
  EXPECT_FALSE((*store)->incidents().list_incidents(IncidentFilter{}).ok()) << "a list hid a bad row";
  store->reset();
  // Another installation's keys, and none at all.
  auto foreign = open_with(path, cipher_for(crypto::KeyRing::generate(GetParam())));
  ASSERT_TRUE(foreign.ok());
  EXPECT_FALSE((*foreign)->incidents().get_incident(3, UnitScope::everything()).ok());
  foreign->reset();
  auto unkeyed = open_with(path, nullptr);
  ASSERT_TRUE(unkeyed.ok());
  auto refused = (*unkeyed)->incidents().get_incident(3, UnitScope::everything());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

// Writers insert and update while the key ring is rotated and the batches
// re-seal; afterwards every row opens under the new key alone and holds
// what was written.
TEST_P(PersonalStoreTest, RotationUnderConcurrentWritesLosesNothing) {
  std::string path = testing::test_store_location(dir_, "rotate.db");
  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring_));
  auto store = open_with(path, holder);
  ASSERT_TRUE(store.ok());
  std::mutex written_mutex;
  std::map<IncidentId, std::string> written;  // GUARDED_BY(written_mutex): id -> phone
  std::vector<Incident> first;
  for (int n = 0; n < 3000; ++n) first.push_back(reported(fmt::format("137{:08}", n), "张三", "", n));
  auto batch = (*store)->incidents().insert_incidents(first);
  ASSERT_TRUE(batch.ok());
  for (size_t i = 0; i < batch->inserted_ids.size(); ++i) written[batch->inserted_ids[i]] = first[i].reporter_phone;

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      for (int n = 0; !stop.load() || n < 50; ++n) {
        Incident inc = reported(fmt::format("136{}{:07}", w, n), "李四", "", 100000 * (w + 1) + n);
        auto made = create(**store, inc);
        if (!made.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard lock(written_mutex);
        written[made->id] = inc.reporter_phone;
      }
    });
  crypto::KeyRing rotated = ring_;
  rotated.add_active_key();
  ASSERT_TRUE(holder->replace(cipher_for(rotated)).ok());
  int batches = 0;
  std::int64_t left = 1;
  while (left > 0) {
    auto r = (*store)->personal_data().reencrypt_batch(500);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    left = *r;
    ++batches;
  }
  stop = true;
  for (auto& t : writers) t.join();
  // Writers that sealed with k1 just before the swap: one more pass.
  while ((*store)->personal_data().reencrypt_batch(500).value() > 0) ++batches;
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(batches, 6);
  store->reset();

  EXPECT_EQ(text_of(path, "SELECT COUNT(*) FROM incidents WHERE personal_key <> 'k2'"), "0");
  // A ring holding k2 alone (k1 removed) opens every row.
  std::string text = rotated.format(), only_new;
  for (std::string_view rest = text; !rest.empty();) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end + 1);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.substr(0, 3) != "k1 ") only_new += line;
  }
  auto k2_only = crypto::KeyRing::parse(only_new, "k2 only");
  ASSERT_TRUE(k2_only.ok()) << k2_only.error().describe();
  auto reopened = open_with(path, cipher_for(*k2_only));
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  std::map<IncidentId, std::string> stored;
  ASSERT_TRUE((*reopened)->incidents().scan_incidents([&](const Incident& inc) {
    stored[inc.id] = inc.reporter_phone;
  }).ok());
  EXPECT_EQ(stored.size(), written.size());
  EXPECT_TRUE(stored == written) << "a row was lost or changed";
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, PersonalStoreTest,
                         ::testing::Values(crypto::CipherKind::kXChaCha20Poly1305, crypto::CipherKind::kSm4Gcm),
                         [](const auto& info) {
                           return info.param == crypto::CipherKind::kSm4Gcm ? std::string("Sm4Gcm")
                                                                           : std::string("XChaCha");
                         });

}  // namespace
}  // namespace pingan
