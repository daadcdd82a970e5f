// pingan backup --db var/pingan.db --to backups/pingan-2024-06-01.db: a
// consistent copy of a database while it is in use (SQLite's online backup
// API, which reads committed pages, the WAL's included). The copy holds the
// personal data as the database does, sealed; the key file is backed up
// apart from it (docs/personal-data.md).

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/commands.h"

namespace pingan::cli {
namespace {

struct BackupOptions {
  std::string db;
  std::string to;
};

struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close(db); }
};

Status backup(const BackupOptions& o) {
  if (::access(o.to.c_str(), F_OK) == 0)
    return Error::invalid("to", fmt::format("{} exists already; a backup never replaces a file", o.to));
  Connection from, to;
  if (sqlite3_open_v2(o.db.c_str(), &from.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return Error::unavailable(fmt::format("cannot open {}: {}", o.db, from.db ? sqlite3_errmsg(from.db) : "no memory"));
  sqlite3_busy_timeout(from.db, 5000);
  if (sqlite3_open_v2(o.to.c_str(), &to.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return Error::unavailable(fmt::format("cannot create {}: {}", o.to, to.db ? sqlite3_errmsg(to.db) : "no memory"));
  ::chmod(o.to.c_str(), 0600);  // records of people: readable by the owner alone
  sqlite3_backup* copy = sqlite3_backup_init(to.db, "main", from.db, "main");
  if (!copy) return Error::unavailable(fmt::format("cannot back up {}: {}", o.db, sqlite3_errmsg(to.db)));
  int rc;
  // Pages in steps, so that a writer waiting on the source is not held up long.
  while ((rc = sqlite3_backup_step(copy, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  int pages = sqlite3_backup_pagecount(copy);
  sqlite3_backup_finish(copy);
  if (rc != SQLITE_DONE)
    return Error::unavailable(fmt::format("backing up {} to {}: {}", o.db, o.to, sqlite3_errstr(rc)));
  fmt::print("{} -> {}: {} pages\n", o.db, o.to, pages);
  return {};
}

}  // namespace

void add_backup_command(CLI::App& app) {
  auto opts = std::make_shared<BackupOptions>();
  CLI::App* cmd = app.add_subcommand("backup", "copy a database while it is in use (SQLite online backup)");
  cmd->add_option("--db", opts->db, "database to copy")->required();
  cmd->add_option("--to", opts->to, "new file to write (refuses an existing one)")->required();
  cmd->callback([opts] {
    if (Status st = backup(*opts); !st.ok()) report_error(st.error());
  });
}

}  // namespace pingan::cli
