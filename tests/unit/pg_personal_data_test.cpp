// Personal data at rest on PostgreSQL (issues 17 and 19), where
// personal_data_test.cpp scans the SQLite file, its WAL and its backup:
// canaries of this run absent from every row of the store's schema read as
// text, from the cluster's WAL, from pg_dump's output and from the server's
// log with a key ring, and found there without one (so the search proves
// something); rows over several partitions sealed and re-sealed; a TOTP
// secret written under the old key behind a rotation's pass over the users
// still re-sealed. Always on the test cluster (tests/unit/test_store.h).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/id_number.h"
#include "core/incident.h"
#include "crypto/encoding.h"
#include "crypto/field_cipher.h"
#include "crypto/key_ring.h"
#include "crypto/reloadable_cipher.h"
#include "pg_test_inspect.h"
#include "store/postgres/pg_store.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan {
namespace {

using testing::PgInspector;

// A phone, a name and an ID number that no other run wrote: the cluster's
// WAL and log are shared by every test, and kept between runs.
struct Canaries {
  std::string phone, name, id_number;

  static Canaries fresh() {
    static std::mt19937_64 rng{std::random_device{}()};
    static const std::vector<std::string> kHan = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈",
                                                  "褚", "卫", "蒋", "沈", "韩", "杨", "朱", "秦", "尤", "许"};
    auto digits = [](int n) {
      std::string out;
      for (int i = 0; i < n; ++i) out += char('0' + rng() % 10);
      return out;
    };
    Canaries c;
    c.phone = "139" + digits(8);
    for (int i = 0; i < 4; ++i) c.name += kHan[rng() % kHan.size()];
    std::string first17 = "370102" + digits(11);
    c.id_number = first17 + id_number_check_char(first17);
    return c;
  }

  std::vector<std::pair<std::string, std::string>> values() const {
    return {{"phone", phone}, {"name", name}, {"id", id_number}};
  }
};

// Every form a value could take in bytes: itself, UTF-16 both ways, hex in
// both cases, base64, and for digits the 64-bit integer.
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

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The forms of the canaries in `bytes`, as "phone/hex in <where>".
std::vector<std::string> canaries_in(const Canaries& c, const std::string& bytes, const std::string& where) {
  std::vector<std::string> found;
  for (const auto& [what, value] : c.values())
    for (const auto& [form, needle] : forms_of(value))
      if (bytes.find(needle) != std::string::npos) found.push_back(what + "/" + form + " in " + where);
  return found;
}

// The canaries in any row of the store's schema, every column read as text.
std::vector<std::string> canaries_in_rows(const Canaries& c, const std::string& url) {
  PgInspector db(url);
  std::vector<std::string> found;
  for (const auto& [what, value] : c.values())
    for (const auto& [form, needle] : forms_of(value))
      for (const auto& table : db.rows_holding(needle)) found.push_back(what + "/" + form + " in " + table);
  return found;
}

// Line `n` (1-based) of the test cluster's state file (the one test_store.h
// reads): its folder, URL, bin.
std::string cluster_state(int n) {
  const char* state = std::getenv("PINGAN_PG_TEST_STATE");
  if (!state) state = PINGAN_PG_TEST_STATE_DEFAULT;
  std::ifstream in(state);
  std::string line;
  for (int i = 0; i < n && std::getline(in, line);) ++i;
  return line;
}

// The cluster's WAL segments written since `since`, and its server log.
std::vector<std::string> cluster_files_since(std::filesystem::file_time_type since) {
  const std::filesystem::path dir = cluster_state(1);
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "data" / "pg_wal"))
    if (entry.is_regular_file() && entry.path().filename().string().size() == 24 && entry.last_write_time() >= since)
      out.push_back(entry.path().string());
  out.push_back((dir / "server.log").string());
  return out;
}

Incident reported(const Canaries& c, int n, Timestamp at) {
  Incident inc;
  inc.source = "test";
  inc.source_id = fmt::format("p{}", n);
  inc.type_code = "theft";
  inc.class_code = "criminal";
  inc.reported_at = at;
  inc.reporter_phone = c.phone;
  inc.reporter_name = c.name;
  inc.reporter_id_number = c.id_number;
  inc.description = "电动车被盗";
  return inc;
}

std::shared_ptr<const crypto::FieldCipher> cipher_for(const crypto::KeyRing& ring) {
  return crypto::make_field_cipher(ring).value();
}

std::unique_ptr<PostgresStore> open_pg(const std::string& url, std::shared_ptr<const crypto::FieldCipher> cipher,
                                       bool reseal_all = false) {
  PostgresStoreOptions options;
  options.personal = PersonalDataOptions{std::move(cipher), reseal_all};
  auto store = PostgresStore::open(url, options);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  return store.ok() ? std::move(store).value() : nullptr;
}

TEST(PostgresPersonalDataTest, CanariesAreAbsentFromRowsWalDumpAndServerLog) {
  ASSERT_FALSE(testing::pg_test_url().empty());
  const std::string pg_dump = cluster_state(3) + "/pg_dump";
  ASSERT_TRUE(std::filesystem::exists(pg_dump)) << pg_dump;
  struct Run {
    const char* name;
    std::optional<crypto::CipherKind> kind;  // nullopt: no key ring
  } runs[] = {{"plain", std::nullopt},
              {"xchacha", crypto::CipherKind::kXChaCha20Poly1305},
              {"sm4-gcm", crypto::CipherKind::kSm4Gcm}};
  for (const Run& run : runs) {
    SCOPED_TRACE(run.name);
    const auto since = std::filesystem::file_time_type::clock::now() - std::chrono::seconds(2);
    const Canaries c = Canaries::fresh();
    testing::TempDir dir;
    const std::string url = testing::pg_test_schema_url(dir.file("canary"));
    ASSERT_FALSE(url.empty());
    auto store = open_pg(url, run.kind ? cipher_for(crypto::KeyRing::generate(*run.kind)) : nullptr);
    ASSERT_TRUE(store);
    IncidentId first = 0;
    for (int n = 0; n < 20; ++n) {
      Incident inc = reported(c, n, 1'700'000'000 + n);
      auto made = store->incidents().create_incident(inc, intake_event(inc, "test"));
      ASSERT_TRUE(made.ok()) << made.error().describe();
      if (n == 0) first = made->id;
    }
    std::vector<Incident> batch;
    for (int n = 20; n < 60; ++n) batch.push_back(reported(c, n, 1'700'000'000 + n));
    ASSERT_TRUE(store->incidents().insert_incidents(batch).ok());
    auto got = store->incidents().get_incident(first, UnitScope::everything());
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got->reporter_phone, c.phone);
    EXPECT_EQ(got->reporter_name, c.name);
    EXPECT_EQ(got->reporter_id_number, c.id_number);

    const std::string schema = PgInspector(url).text("SELECT current_schema()");
    const std::string dump = dir.file("dump.sql");
    ASSERT_EQ(std::system(fmt::format("'{}' --dbname='{}' --schema='{}' --file='{}'", pg_dump, testing::pg_test_url(),
                                      schema, dump)
                              .c_str()),
              0);
    std::vector<std::string> rows = canaries_in_rows(c, url), written = canaries_in(c, file_bytes(dump), "pg_dump");
    std::vector<std::string> wal;
    for (const std::string& file : cluster_files_since(since))
      for (auto& f : canaries_in(c, file_bytes(file), file)) wal.push_back(f);
    if (run.kind) {
      EXPECT_TRUE(rows.empty()) << ::testing::PrintToString(rows);
      EXPECT_TRUE(written.empty()) << ::testing::PrintToString(written);
      EXPECT_TRUE(wal.empty()) << ::testing::PrintToString(wal);
      const std::string token = PgInspector(url).text(fmt::format("SELECT reporter_phone FROM incidents WHERE id = {}", first));
      EXPECT_EQ(token.substr(0, 9), fmt::format("pe1:{}:k1:", crypto::cipher_token_id(*run.kind))) << token;
    } else {
      // Without keys the same steps leave them there: the searches work.
      EXPECT_FALSE(rows.empty());
      EXPECT_FALSE(written.empty());
      EXPECT_FALSE(wal.empty());
    }
  }
}

// Rows of several months (partitions) written plain are sealed when the
// store opens with a key ring, then re-sealed by batches after a rotation,
// each in its own partition, none lost.
TEST(PostgresPersonalDataTest, RowsOfEveryPartitionAreSealedAndResealed) {
  testing::TempDir dir;
  const std::string url = testing::pg_test_schema_url(dir.file("partitions"));
  ASSERT_FALSE(url.empty());
  constexpr int kRows = 1300;
  constexpr Timestamp kStep = 86400 / 10;  // 130 days: five months
  std::map<IncidentId, std::string> written;
  {
    auto store = open_pg(url, nullptr);
    ASSERT_TRUE(store);
    std::vector<Incident> batch;
    for (int n = 0; n < kRows; ++n) {
      Canaries c = Canaries::fresh();
      batch.push_back(reported(c, n, 1'700'000'000 + n * kStep));
    }
    batch[5].reporter_phone = batch[5].reporter_name = batch[5].reporter_id_number = "";  // nothing to seal
    auto inserted = store->incidents().insert_incidents(batch);
    ASSERT_TRUE(inserted.ok()) << inserted.error().describe();
    ASSERT_EQ(inserted->inserted_ids.size(), size_t(kRows));
    for (int n = 0; n < kRows; ++n) written[inserted->inserted_ids[n]] = batch[n].reporter_phone;
    EXPECT_EQ(store->personal_data().count_due().value(), kRows - 1);
  }
  PgInspector psql(url);
  EXPECT_GE(std::stoi(psql.text("SELECT count(DISTINCT tableoid) FROM incidents")), 4);

  crypto::KeyRing ring = crypto::KeyRing::generate(crypto::CipherKind::kXChaCha20Poly1305);
  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring));
  auto store = open_pg(url, holder);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->personal_data().count_due().value(), 0);
  EXPECT_EQ(psql.text("SELECT count(*) FROM incidents WHERE personal_key = 'k1'"), std::to_string(kRows - 1));
  EXPECT_EQ(psql.text("SELECT count(*) FROM incidents WHERE personal_key IS NULL"), "1");
  // Every partition's rows sealed (none left plain in one of them).
  EXPECT_EQ(psql.text("SELECT count(*) FROM incidents WHERE reporter_phone NOT LIKE 'pe1:x:k1:%'"), "0");

  ring.add_active_key();
  ASSERT_TRUE(holder->replace(cipher_for(ring)).ok());
  EXPECT_EQ(store->personal_data().count_due().value(), kRows - 1);
  std::vector<std::int64_t> left;
  for (std::int64_t l = 1; l > 0 && left.size() < 10;) {
    auto r = store->personal_data().reencrypt_batch(500);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    left.push_back(l = *r);
  }
  EXPECT_EQ(left, (std::vector<std::int64_t>{kRows - 1 - 500, kRows - 1 - 1000, 0}));
  EXPECT_EQ(psql.text("SELECT count(*) FROM incidents WHERE personal_key = 'k2'"), std::to_string(kRows - 1));
  std::map<IncidentId, std::string> stored;
  ASSERT_TRUE(store->incidents().scan_incidents([&](const Incident& inc) { stored[inc.id] = inc.reporter_phone; }).ok());
  EXPECT_TRUE(stored == written) << "a row was lost or changed";
}

// reencrypt_batch() passes over the users once per active key; a secret
// written under the old key after that pass (a sign-in racing it) is found
// by count_due(), and the next batch re-seals it.
TEST(PostgresPersonalDataTest, ASecretWrittenUnderTheOldKeyAfterTheUsersPassIsStillResealed) {
  testing::TempDir dir;
  const std::string url = testing::pg_test_schema_url(dir.file("totp"));
  ASSERT_FALSE(url.empty());
  const std::string secret = "JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK";
  crypto::KeyRing ring = crypto::KeyRing::generate(crypto::CipherKind::kSm4Gcm);
  auto holder = std::make_shared<crypto::ReloadableCipher>(cipher_for(ring));
  auto store = open_pg(url, holder);
  ASSERT_TRUE(store);
  User user;
  user.username = "chief";
  user.display_name = "局长";
  user.unit_code = "*";
  user.role = "admin";
  user.totp_secret = secret;
  ASSERT_TRUE(store->users().add_user(user).ok());
  PgInspector psql(url);
  const std::string old_token = psql.text("SELECT totp_secret FROM users WHERE username = 'chief'");
  ASSERT_EQ(old_token.substr(0, 9), "pe1:s:k1:");
  EXPECT_TRUE(psql.rows_holding(secret).empty());

  ring.add_active_key();
  ASSERT_TRUE(holder->replace(cipher_for(ring)).ok());
  ASSERT_EQ(store->personal_data().reencrypt_batch(100).value(), 0);
  EXPECT_EQ(psql.text("SELECT substr(totp_secret, 1, 9) FROM users WHERE username = 'chief'"), "pe1:s:k2:");
  ASSERT_EQ(psql.error_of("UPDATE users SET totp_secret = '" + old_token + "' WHERE username = 'chief'"), "");
  EXPECT_EQ(store->personal_data().count_due().value(), 1);
  ASSERT_EQ(store->personal_data().reencrypt_batch(100).value(), 0);
  EXPECT_EQ(store->personal_data().count_due().value(), 0);
  EXPECT_EQ(psql.text("SELECT substr(totp_secret, 1, 9) FROM users WHERE username = 'chief'"), "pe1:s:k2:");
  EXPECT_EQ(store->users().find_user("chief").value()->totp_secret, secret);
}

}  // namespace
}  // namespace pingan
