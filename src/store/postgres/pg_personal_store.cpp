// PostgresStore's re-sealing of personal data: incidents found through the
// personal_key index (migration 9), each row re-sealed by its full primary
// key so that the UPDATE touches one partition; persons and dissuasion
// tasks (stored::kSealedTables) through theirs (migration 13); users' TOTP
// secrets once per key rather than once per batch.

#include "store/postgres/pg_personal_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iterator>
#include <utility>
#include <vector>

#include "store/ledger_reseal.h"

namespace pingan {
namespace {

using pg::Params;
using pg::PgResult;

// Rows due, as counted: plain text ('' sorts first) or under another key
// than $1; two ranges of the personal_key index (<> is no range).
constexpr std::string_view kDueCondition = "(personal_key < $1 OR personal_key > $1)";
constexpr std::string_view kPlainCondition = "personal_key = ''";
// The batches read each range on its own: an OR of the two becomes a
// bitmap of every due row before the LIMIT applies (a rotation of millions
// would read the remaining millions at every batch); one range is an index
// scan that stops at the LIMIT.
constexpr std::string_view kDueRanges[] = {"personal_key < $1", "personal_key > $1"};

Result<std::int64_t> count_in(pg::Connection& c, std::string_view table, bool plain_only,
                              const std::string& active) {
  Params p;
  if (!plain_only) p.add(active);
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c.exec(fmt::format("SELECT count(*) FROM {} WHERE {}", table,
                                                         plain_only ? kPlainCondition : kDueCondition),
                                             p, fmt::format("counting {} due for sealing", table)));
  return r.int64(0, 0);
}

// The rows due in incidents, in every stored::kSealedTables table and in
// ledger_items.
Result<std::int64_t> count_rows(pg::Connection& c, bool plain_only, const std::string& active) {
  PINGAN_ASSIGN_OR_RETURN(std::int64_t total, count_in(c, "incidents", plain_only, active));
  for (const stored::SealedTable& t : stored::kSealedTables) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t rows, count_in(c, t.table, plain_only, active));
    total += rows;
  }
  PINGAN_ASSIGN_OR_RETURN(std::int64_t items, count_in(c, stored::kLedgerItemsTable, plain_only, active));
  return total + items;
}

// Re-seals up to `limit` ledger items due, each with its history, inside the
// caller's transaction; returns how many items. The item rows are locked
// (FOR UPDATE) as a step locks them, so no step writes the item or adds to
// its history between this read and this write.
Result<std::int64_t> reseal_ledger_items(pg::Connection& c, int limit, bool plain_only, const std::string& active,
                                         const stored::PersonalFields& fields) {
  std::vector<std::string_view> ranges;
  if (plain_only) ranges.push_back(kPlainCondition);
  else ranges.assign(std::begin(kDueRanges), std::end(kDueRanges));
  std::int64_t sealed = 0;
  for (std::string_view range : ranges) {
    if (sealed >= limit) break;
    Params p;
    if (!plain_only) p.add(active);
    PINGAN_ASSIGN_OR_RETURN(PgResult rows,
                            c.exec(fmt::format("SELECT id, fields FROM ledger_items WHERE {} LIMIT {} FOR UPDATE",
                                               range, limit - sealed),
                                   p, "reading ledger items due for sealing"));
    for (int i = 0; i < rows.rows(); ++i) {
      const std::int64_t id = rows.int64(i, 0);
      PINGAN_ASSIGN_OR_RETURN(stored::ResealedLedgerFields fresh,
                              stored::reseal_ledger_fields(fields, id, rows.view(i, 1)));
      Params u;
      u.add(fresh.fields);
      if (fresh.key) u.add(*fresh.key);
      else u.add_null();
      u.add(id);
      PINGAN_RETURN_IF_ERROR(c.run("UPDATE ledger_items SET fields = $1, personal_key = $2 WHERE id = $3", u,
                                   fmt::format("re-sealing ledger item {}", id)));
      Params s;
      s.add(id);
      PINGAN_ASSIGN_OR_RETURN(PgResult history,
                              c.exec("SELECT seq, changes FROM ledger_steps WHERE item_id = $1 ORDER BY seq", s,
                                     fmt::format("reading the history of ledger item {}", id)));
      for (int k = 0; k < history.rows(); ++k) {
        if (!stored::may_hold_sealed(history.view(k, 1))) continue;
        const std::int64_t seq = history.int64(k, 0);
        PINGAN_ASSIGN_OR_RETURN(std::string changes,
                                stored::reseal_ledger_changes(fields, id, seq, history.view(k, 1)));
        Params e;
        e.add(changes).add(id).add(seq);
        PINGAN_RETURN_IF_ERROR(c.run("UPDATE ledger_steps SET changes = $1 WHERE item_id = $2 AND seq = $3", e,
                                     fmt::format("re-sealing entry {} of ledger item {}", seq, id)));
      }
    }
    sealed += rows.rows();
  }
  return sealed;
}

}  // namespace

bool PgPersonalStore::users_due_under(const std::string& active) {
  std::lock_guard lock(users_mutex_);
  return users_key_ != active;
}

void PgPersonalStore::users_sealed_under(const std::string& active) {
  std::lock_guard lock(users_mutex_);
  users_key_ = active;
}

Result<std::int64_t> PgPersonalStore::reencrypt_batch(int limit) {
  if (!fields_.sealing())
    return Error::invalid("keys", "no key ring: personal data cannot be sealed (--key-file or PINGAN_DATA_KEYS)");
  if (limit < 1) return Error::invalid("limit", "a batch re-seals at least one row");
  // Read once per batch: a key ring replaced meanwhile serves the next batch.
  const std::string active = fields_.active_key();
  // Users first, all at once (few rows), but once per active key, not once
  // per batch as the SQLite store does: a rotation's thousands of batches
  // would read the whole users table thousands of times. A secret written
  // under the old key by a sign-in racing that pass is found by count_due(),
  // which then owes the users another pass.
  if (users_due_under(active)) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t users, reseal_user_secrets(/*plain_only=*/false));
    (void)users;
    users_sealed_under(active);
  }
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(std::int64_t sealed, reseal_rows(*c, limit, /*plain_only=*/false, active));
  (void)sealed;
  PINGAN_ASSIGN_OR_RETURN(std::int64_t left, count_rows(*c, /*plain_only=*/false, active));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return left;
}

Result<std::int64_t> PgPersonalStore::count_due_users(pg::Connection& c) {
  PINGAN_ASSIGN_OR_RETURN(PgResult r,
                          c.exec("SELECT totp_secret FROM users WHERE totp_secret <> ''", "reading TOTP secrets"));
  std::int64_t due = 0;
  for (int i = 0; i < r.rows(); ++i)
    if (fields_.due(r.view(i, 0))) ++due;
  return due;
}

Result<std::int64_t> PgPersonalStore::reseal_user_secrets(bool plain_only) {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  PINGAN_ASSIGN_OR_RETURN(PgResult r, c->exec("SELECT username, totp_secret FROM users WHERE totp_secret <> ''",
                                              "reading TOTP secrets"));
  std::int64_t sealed = 0;
  for (int i = 0; i < r.rows(); ++i) {
    const std::string username = r.text(i, 0);
    const std::string_view stored = r.view(i, 1);
    if (plain_only ? crypto::is_sealed(stored) : !fields_.due(stored)) continue;
    PINGAN_ASSIGN_OR_RETURN(std::string plain,
                            fields_.open_text(stored, stored::kTotpSecretContext, fmt::format("user {}", username)));
    PINGAN_ASSIGN_OR_RETURN(std::string token, fields_.seal_text(plain, stored::kTotpSecretContext));
    // Only over the value read: a sign-in that wrote the user meanwhile
    // (its step, a new secret) keeps its write, sealed by the user store,
    // and no user's row is locked for the whole pass.
    Params p;
    p.add(token).add(username).add(stored);
    PINGAN_ASSIGN_OR_RETURN(PgResult updated,
                            c->exec("UPDATE users SET totp_secret = $1 WHERE username = $2 AND totp_secret = $3", p,
                                    fmt::format("sealing the TOTP secret of user {}", username)));
    sealed += updated.affected();
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return sealed;
}

Result<std::int64_t> PgPersonalStore::count_due() {
  PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
  pg::Transaction tx(*c);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  // Users and incidents counted in one snapshot.
  PINGAN_RETURN_IF_ERROR(c->run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", Params{},
                                "starting a read snapshot"));
  if (!fields_.sealing()) {
    // Without keys, everything with personal data is plain.
    std::vector<std::string_view> tables{"incidents"};
    for (const stored::SealedTable& t : stored::kSealedTables) tables.push_back(t.table);
    tables.push_back(stored::kLedgerItemsTable);
    std::int64_t plain = 0;
    for (std::string_view table : tables) {
      PINGAN_ASSIGN_OR_RETURN(PgResult r,
                              c->exec(fmt::format("SELECT count(*) FROM {} WHERE personal_key IS NOT NULL", table),
                                      fmt::format("counting {} with personal data", table)));
      plain += r.int64(0, 0);
    }
    PINGAN_RETURN_IF_ERROR(tx.commit());
    return plain;
  }
  const std::string active = fields_.active_key();
  PINGAN_ASSIGN_OR_RETURN(std::int64_t users, count_due_users(*c));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t rows, count_rows(*c, /*plain_only=*/false, active));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  if (users > 0) users_sealed_under("");  // the next batch passes over the users again
  return users + rows;
}

Result<std::int64_t> PgPersonalStore::reseal_incidents(pg::Connection& c, int limit, bool plain_only,
                                                       const std::string& active) {
  // No ORDER BY: the index range is read up to `limit` rows and no further
  // (sorting every due row of a province to take a thousand would make a
  // rotation quadratic). FOR UPDATE: a writer updating one of these rows
  // waits for this batch, and a row it re-sealed meanwhile is no longer due.
  std::vector<std::string_view> ranges;
  if (plain_only) ranges.push_back(kPlainCondition);
  else ranges.assign(std::begin(kDueRanges), std::end(kDueRanges));
  std::int64_t sealed = 0;
  for (std::string_view range : ranges) {
    if (sealed >= limit) break;
    Params p;
    if (!plain_only) p.add(active);
    PINGAN_ASSIGN_OR_RETURN(
        PgResult rows, c.exec(fmt::format("SELECT id, reported_at, reporter_phone, reporter_name, reporter_id_number "
                                          "FROM incidents WHERE {} LIMIT {} FOR UPDATE",
                                          range, limit - sealed),
                              p, "reading incidents due for sealing"));
    for (int i = 0; i < rows.rows(); ++i) {
      Incident inc;
      inc.id = rows.int64(i, 0);
      inc.reporter_phone = rows.text(i, 2);
      inc.reporter_name = rows.text(i, 3);
      inc.reporter_id_number = rows.text(i, 4);
      PINGAN_RETURN_IF_ERROR(fields_.open(inc));
      PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal fresh, fields_.seal(inc));
      Params u;
      u.add_text_or_null(fresh.phone).add_text_or_null(fresh.name).add_text_or_null(fresh.id_number);
      u.add_text_or_null(fresh.phone_hash).add_text_or_null(fresh.id_hash);
      if (fresh.key) u.add(*fresh.key);
      else u.add_null();
      // reported_at as read: the partition key, so one partition is searched.
      u.add(inc.id).add(rows.view(i, 1));
      PINGAN_RETURN_IF_ERROR(c.run("UPDATE incidents SET reporter_phone = $1, reporter_name = $2, "
                                   "reporter_id_number = $3, reporter_phone_hash = $4, reporter_id_hash = $5, "
                                   "personal_key = $6 WHERE id = $7 AND reported_at = $8",
                                   u, fmt::format("re-sealing incident {}", inc.id)));
    }
    sealed += rows.rows();
  }
  return sealed;
}

Result<std::int64_t> PgPersonalStore::reseal_table(pg::Connection& c, const stored::SealedTable& table, int limit,
                                                   bool plain_only, const std::string& active) {
  std::string columns, set;
  int n = 1;
  for (const stored::SealedColumn& col : table.columns) {
    columns += fmt::format(", {}", col.name);
    set += fmt::format("{} = ${}, ", col.name, n++);
  }
  if (!table.id_key_column.empty()) set += fmt::format("{} = ${}, ", table.id_key_column, n++);
  const int key_param = n++, id_param = n;
  // As for incidents: each range on its own, read up to the limit, locked.
  std::vector<std::string_view> ranges;
  if (plain_only) ranges.push_back(kPlainCondition);
  else ranges.assign(std::begin(kDueRanges), std::end(kDueRanges));
  std::int64_t sealed = 0;
  for (std::string_view range : ranges) {
    if (sealed >= limit) break;
    Params p;
    if (!plain_only) p.add(active);
    PINGAN_ASSIGN_OR_RETURN(PgResult rows, c.exec(fmt::format("SELECT id{} FROM {} WHERE {} LIMIT {} FOR UPDATE",
                                                              columns, table.table, range, limit - sealed),
                                                  p, fmt::format("reading {} due for sealing", table.table)));
    for (int i = 0; i < rows.rows(); ++i) {
      const std::int64_t id = rows.int64(i, 0);
      std::vector<std::string> texts;
      for (std::size_t k = 0; k < table.columns.size(); ++k) texts.push_back(rows.text(i, int(k) + 1));
      PINGAN_ASSIGN_OR_RETURN(stored::ResealedRow fresh, fields_.reseal_row(table, id, texts));
      Params u;
      for (const std::string& text : fresh.columns) u.add_text_or_null(text);
      if (!table.id_key_column.empty()) u.add_text_or_null(fresh.id_key);
      if (fresh.key) u.add(*fresh.key);
      else u.add_null();
      u.add(id);
      PINGAN_RETURN_IF_ERROR(c.run(fmt::format("UPDATE {} SET {}personal_key = ${} WHERE id = ${}", table.table, set,
                                               key_param, id_param),
                                   u, fmt::format("re-sealing {} {}", table.what, id)));
    }
    sealed += rows.rows();
  }
  return sealed;
}

Result<std::int64_t> PgPersonalStore::reseal_rows(pg::Connection& c, int limit, bool plain_only,
                                                  const std::string& active) {
  PINGAN_ASSIGN_OR_RETURN(std::int64_t sealed, reseal_incidents(c, limit, plain_only, active));
  // What the incidents left of the batch goes to persons, tasks, places,
  // residents, then ledger items.
  for (const stored::SealedTable& table : stored::kSealedTables) {
    if (sealed >= limit) break;
    PINGAN_ASSIGN_OR_RETURN(std::int64_t more,
                            reseal_table(c, table, static_cast<int>(limit - sealed), plain_only, active));
    sealed += more;
  }
  if (sealed < limit) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t more, reseal_ledger_items(c, static_cast<int>(limit - sealed), plain_only,
                                                                   active, fields_));
    sealed += more;
  }
  return sealed;
}

Status PgPersonalStore::seal_due_rows(bool all_keys) {
  if (!fields_.sealing()) return {};
  const std::string active = fields_.active_key();
  PINGAN_ASSIGN_OR_RETURN(std::int64_t users, reseal_user_secrets(/*plain_only=*/!all_keys));
  if (all_keys) users_sealed_under(active);
  if (users > 0) spdlog::info("sealed the TOTP secrets of {} users under key {}", users, active);
  std::int64_t total = 0;
  {
    PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
    PINGAN_ASSIGN_OR_RETURN(total, count_rows(*c, /*plain_only=*/!all_keys, active));
  }
  if (total == 0) return {};
  const char* what = all_keys ? "re-sealing personal data under key" : "sealing plain-text personal data under key";
  spdlog::info("{} {}: {} rows of incidents, persons, dissuasion tasks, places, residents and ledger items, "
               "in batches of {}",
               what, active, total, kOpenBatchRows);
  // Counted once, not after every batch (a count of the rows left is a
  // range of the index each time): the batches run until one comes back
  // short.
  std::int64_t done = 0;
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(pg::Lease c, pool_.lease());
    pg::Transaction tx(*c);
    PINGAN_RETURN_IF_ERROR(tx.begin());
    PINGAN_ASSIGN_OR_RETURN(std::int64_t sealed, reseal_rows(*c, kOpenBatchRows, !all_keys, active));
    PINGAN_RETURN_IF_ERROR(tx.commit());
    done += sealed;
    if (sealed > 0) spdlog::info("{} {}: {} of {} rows done", what, active, done, total);
    if (sealed < kOpenBatchRows) break;
  }
  // Unlike SQLite's WAL, emptied by a checkpoint, the old row versions keep
  // their plain text in the table files until VACUUM reclaims them and in
  // PostgreSQL's WAL until its segments are recycled: never readable
  // through SQL, but on disk.
  return {};
}

}  // namespace pingan
