// pingan keys generate|rotate|reencrypt|status: the personal-data key ring
// (issue 17, docs/personal-data.md).
//   pingan keys generate --key-file /etc/pingan/data.keys --cipher sm4-gcm
//   pingan keys rotate   --key-file /etc/pingan/data.keys --db var/pingan.db
//   pingan keys status   --key-file /etc/pingan/data.keys --db var/pingan.db
// With `pingan serve` running: `keys rotate --no-reencrypt`, then SIGHUP the
// server (it reads the key file again), then `keys reencrypt`; the re-sealing
// runs in batches of 1,000, one transaction each, beside the server's writes.

#include <fmt/format.h>
#include <sqlite3.h>

#include "cli/commands.h"
#include "cli/data_keys.h"
#include "crypto/key_file.h"

namespace pingan::cli {
namespace {

struct KeysOptions {
  DatabaseOptions db;
  std::string key_file;
  std::string cipher = "xchacha20poly1305";
  bool no_reencrypt = false;
};

// Opens the database with the key file's ring and re-seals every incident,
// person and dissuasion task not under its active key; the store logs the
// progress of each batch.
Status reencrypt_database(const KeysOptions& o) {
  PINGAN_ASSIGN_OR_RETURN(auto cipher, load_data_cipher(o.key_file));
  EngineConfig config{o.db.db, o.db.data_dir, o.db.time_zone};
  config.personal_data = PersonalDataOptions{cipher, /*reseal_all_on_open=*/true};
  PINGAN_ASSIGN_OR_RETURN(auto engine, Engine::open(config));
  fmt::print("{}: the personal data of every incident, person and dissuasion task is sealed under key {}\n",
             o.db.db, cipher->active_key_id());
  return {};
}

// The rows of `table` with personal data by sealing key, on `db`.
Status print_table_keys(sqlite3* db, const std::string& path, const char* table, const char* what) {
  sqlite3_stmt* st = nullptr;
  const std::string sql = fmt::format(
      "SELECT personal_key, COUNT(*) FROM {} WHERE personal_key IS NOT NULL GROUP BY personal_key "
      "ORDER BY personal_key",
      table);
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  if (rc != SQLITE_OK)
    return Error::unavailable(fmt::format("{}: {} (opened by pingan since migration 13?)", path, sqlite3_errmsg(db)));
  fmt::print("{}: {} with personal data, by sealing key\n", path, what);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::string key = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    fmt::print("  {:<12} {}\n", key.empty() ? "(plain text)" : key, sqlite3_column_int64(st, 1));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Error::unavailable(fmt::format("reading {}: {}", path, sqlite3_errmsg(db)));
  return {};
}

// The rows of each sealing key, read straight from the file (read-only):
// an old key may leave the ring once no table lists it.
Status print_database_keys(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error::unavailable(fmt::format("cannot open database {}: {}", path, why));
  }
  Status st = print_table_keys(db, path, "incidents", "incidents");
  if (st.ok()) st = print_table_keys(db, path, "persons", "persons (cases, fugitives)");
  if (st.ok()) st = print_table_keys(db, path, "dissuasion_tasks", "dissuasion tasks");
  if (st.ok()) st = print_table_keys(db, path, "places", "places (registry contacts)");
  if (st.ok()) st = print_table_keys(db, path, "residents", "residents (registry addresses)");
  if (st.ok()) st = print_table_keys(db, path, "ledger_items", "ledger items (with their histories)");
  sqlite3_close(db);
  return st;
}

void run_generate(const KeysOptions& o) {
  auto kind = crypto::parse_cipher_name(o.cipher);
  if (!kind) return report_error(Error::invalid("cipher", "xchacha20poly1305 or sm4-gcm"));
  crypto::KeyRing ring = crypto::KeyRing::generate(*kind);
  if (Status st = crypto::write_key_file(o.key_file, ring, /*create_only=*/true); !st.ok())
    return report_error(st.error());
  fmt::print("wrote {} (mode 0600): cipher {}, hash key and data key k1 (active).\n"
             "Back it up apart from the database: without it the personal data cannot be read.\n",
             o.key_file, o.cipher);
}

void run_rotate(const KeysOptions& o, bool reencrypt) {
  auto ring = crypto::load_key_file(o.key_file);
  if (!ring.ok()) return report_error(ring.error());
  std::string id = ring->add_active_key();
  if (Status st = crypto::write_key_file(o.key_file, *ring, /*create_only=*/false); !st.ok())
    return report_error(st.error());
  fmt::print("{}: new data key {} is active; the older keys stay for opening. The hash key is unchanged.\n",
             o.key_file, id);
  if (!reencrypt) {
    fmt::print("Send SIGHUP to a running `pingan serve`, then run `pingan keys reencrypt`.\n");
    return;
  }
  if (Status st = reencrypt_database(o); !st.ok()) report_error(st.error());
}

void run_status(const KeysOptions& o, bool with_db) {
  auto ring = crypto::load_key_file(o.key_file);
  if (!ring.ok()) return report_error(ring.error());
  fmt::print("{}: cipher {}, hash key present, {} data key(s)\n", o.key_file, crypto::cipher_name(ring->cipher()),
             ring->keys().size());
  for (const auto& key : ring->keys())
    fmt::print("  {}{}\n", key.id, key.id == ring->active().id ? " (active: seals new data)" : "");
  if (!with_db) return;
  if (Status st = print_database_keys(o.db.db); !st.ok()) report_error(st.error());
}

}  // namespace

void add_keys_command(CLI::App& app) {
  auto opts = std::make_shared<KeysOptions>();
  CLI::App* keys = app.add_subcommand("keys", "personal-data key ring: generate, rotate, reencrypt, status");
  keys->require_subcommand(1);

  CLI::App* generate = keys->add_subcommand("generate", "write a new key file (refuses to replace one)");
  generate->add_option("--key-file", opts->key_file, "key file to create (mode 0600)")->required();
  generate->add_option("--cipher", opts->cipher, "xchacha20poly1305 or sm4-gcm (GB/T 39786)")->capture_default_str();
  generate->callback([opts] { run_generate(*opts); });

  CLI::App* rotate = keys->add_subcommand("rotate", "add a new active data key; with --db, re-seal all personal data");
  rotate->add_option("--key-file", opts->key_file, "key file (mode 0600)")->required();
  add_database_options(*rotate, opts->db);
  rotate->add_flag("--no-reencrypt", opts->no_reencrypt, "only write the new key (a server is running)");
  rotate->callback([opts, rotate] { run_rotate(*opts, rotate->count("--db") > 0 && !opts->no_reencrypt); });

  CLI::App* reencrypt = keys->add_subcommand("reencrypt", "re-seal all personal data not under the active key");
  reencrypt->add_option("--key-file", opts->key_file, "key file (mode 0600)")->required();
  add_database_options(*reencrypt, opts->db);
  reencrypt->callback([opts] {
    if (Status st = reencrypt_database(*opts); !st.ok()) report_error(st.error());
  });

  CLI::App* status = keys->add_subcommand("status", "the keys of a key file and, with --db, what each seals");
  status->add_option("--key-file", opts->key_file, "key file (mode 0600)")->required();
  add_database_options(*status, opts->db);
  status->callback([opts, status] { run_status(*opts, status->count("--db") > 0); });
}

}  // namespace pingan::cli
