#include "store/sqlite/sqlite_personal_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "store/ledger_reseal.h"
#include "store/sqlite/sqlite_statement.h"

namespace pingan {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Rows due: plain text ('' sorts first) or under another key than ?1; two
// ranges of the personal_key index rather than a scan of it.
constexpr std::string_view kDueCondition = "(personal_key < ?1 OR personal_key > ?1)";
constexpr std::string_view kPlainCondition = "personal_key = ''";

Result<std::int64_t> count_in(sqlite3* db, std::string_view table, std::string_view condition,
                              const std::string& active) {
  Statement st(db, fmt::format("SELECT COUNT(*) FROM {} WHERE {}", table, condition));
  if (!st.valid()) return Error::internal(st.prepare_error());
  if (condition == kDueCondition) st.bind(1, std::string_view(active));
  PINGAN_ASSIGN_OR_RETURN(bool counted, st.next_row(fmt::format("counting {} due for sealing", table)));
  if (!counted) return Error::internal("COUNT(*) gave no row");
  return st.column_int(0);
}

// The rows due in incidents, in every stored::kSealedTables table and in
// ledger_items.
Result<std::int64_t> count_on(sqlite3* db, std::string_view condition, const std::string& active) {
  PINGAN_ASSIGN_OR_RETURN(std::int64_t total, count_in(db, "incidents", condition, active));
  for (const stored::SealedTable& t : stored::kSealedTables) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t rows, count_in(db, t.table, condition, active));
    total += rows;
  }
  PINGAN_ASSIGN_OR_RETURN(std::int64_t items, count_in(db, stored::kLedgerItemsTable, condition, active));
  return total + items;
}

// Re-seals up to `limit` ledger items matching `condition`, each with its
// history, on the writer (inside the caller's transaction); returns how
// many items.
Result<std::int64_t> reseal_ledger_items(sqlite3* db, std::string_view condition, const std::string& active,
                                         std::int64_t limit, const stored::PersonalFields& fields) {
  Statement select(db, fmt::format("SELECT id, fields FROM ledger_items WHERE {} ORDER BY id LIMIT {}", condition,
                                   limit));
  if (!select.valid()) return Error::internal(select.prepare_error());
  if (condition == kDueCondition) select.bind(1, std::string_view(active));
  std::vector<std::pair<std::int64_t, std::string>> items;
  PINGAN_RETURN_IF_ERROR(select.each_row("reading ledger items due for sealing", [&](const Statement& row) {
    items.emplace_back(row.column_int(0), row.column_text(1));
  }));
  Statement update(db, "UPDATE ledger_items SET fields = ?, personal_key = ? WHERE id = ?");
  Statement steps(db, "SELECT seq, changes FROM ledger_steps WHERE item_id = ? ORDER BY seq");
  Statement update_step(db, "UPDATE ledger_steps SET changes = ? WHERE item_id = ? AND seq = ?");
  for (const Statement* st : {&update, &steps, &update_step})
    if (!st->valid()) return Error::internal(st->prepare_error());
  for (const auto& [id, text] : items) {
    PINGAN_ASSIGN_OR_RETURN(stored::ResealedLedgerFields fresh, stored::reseal_ledger_fields(fields, id, text));
    update.bind(1, std::string_view(fresh.fields));
    if (fresh.key) update.bind(2, std::string_view(*fresh.key));
    else update.bind_null(2);
    update.bind(3, id);
    if (update.step() != SQLITE_DONE) return sqlite::last_error(db, fmt::format("re-sealing ledger item {}", id));
    update.reset();
    std::vector<std::pair<std::int64_t, std::string>> history;
    steps.bind(1, id);
    PINGAN_RETURN_IF_ERROR(steps.each_row("reading a ledger item's history", [&](const Statement& row) {
      std::string changes = row.column_text(1);
      if (stored::may_hold_sealed(changes)) history.emplace_back(row.column_int(0), std::move(changes));
    }));
    steps.reset();
    for (const auto& [seq, changes] : history) {
      PINGAN_ASSIGN_OR_RETURN(std::string resealed, stored::reseal_ledger_changes(fields, id, seq, changes));
      update_step.bind(1, std::string_view(resealed));
      update_step.bind(2, id);
      update_step.bind(3, seq);
      if (update_step.step() != SQLITE_DONE)
        return sqlite::last_error(db, fmt::format("re-sealing entry {} of ledger item {}", seq, id));
      update_step.reset();
    }
  }
  return static_cast<std::int64_t>(items.size());
}

// Re-seals up to `limit` rows of `table` matching `condition` on the writer
// (inside the caller's transaction); returns how many.
Result<std::int64_t> reseal_table(sqlite3* db, const stored::SealedTable& table, std::string_view condition,
                                  const std::string& active, std::int64_t limit,
                                  const stored::PersonalFields& fields) {
  std::string columns, set;
  for (const stored::SealedColumn& c : table.columns) {
    columns += fmt::format(", {}", c.name);
    set += fmt::format("{} = ?, ", c.name);
  }
  Statement select(db, fmt::format("SELECT id{} FROM {} WHERE {} ORDER BY id LIMIT {}", columns, table.table,
                                   condition, limit));
  if (!select.valid()) return Error::internal(select.prepare_error());
  if (condition == kDueCondition) select.bind(1, std::string_view(active));
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> rows;
  PINGAN_RETURN_IF_ERROR(
      select.each_row(fmt::format("reading {} due for sealing", table.table), [&](const Statement& row) {
        std::vector<std::string> texts;
        for (std::size_t i = 0; i < table.columns.size(); ++i) texts.push_back(row.column_text(int(i) + 1));
        rows.emplace_back(row.column_int(0), std::move(texts));
      }));
  if (!table.id_key_column.empty()) set += fmt::format("{} = ?, ", table.id_key_column);
  Statement update(db, fmt::format("UPDATE {} SET {}personal_key = ? WHERE id = ?", table.table, set));
  if (!update.valid()) return Error::internal(update.prepare_error());
  for (const auto& [id, texts] : rows) {
    PINGAN_ASSIGN_OR_RETURN(stored::ResealedRow fresh, fields.reseal_row(table, id, texts));
    int i = 1;
    for (const std::string& text : fresh.columns) update.bind_text_or_null(i++, text);
    if (!table.id_key_column.empty()) update.bind_text_or_null(i++, fresh.id_key);
    if (fresh.key) update.bind(i++, std::string_view(*fresh.key));
    else update.bind_null(i++);
    update.bind(i, id);
    if (update.step() != SQLITE_DONE)
      return sqlite::last_error(db, fmt::format("re-sealing {} {}", table.what, id));
    update.reset();
  }
  return static_cast<std::int64_t>(rows.size());
}

void bind_or_null(Statement& st, int i, const std::string& text) {
  if (text.empty()) st.bind_null(i);
  else st.bind(i, std::string_view(text));
}

}  // namespace

Result<std::int64_t> SqlitePersonalStore::reencrypt_batch(int limit) {
  if (fields_.sealing()) {
    // Users first, all at once (few rows); incidents by the batch.
    PINGAN_ASSIGN_OR_RETURN(std::int64_t users, reseal_user_secrets(/*plain_only=*/false));
    (void)users;
  }
  return reseal_batch(limit, /*plain_only=*/false);
}

Result<std::int64_t> SqlitePersonalStore::count_due_users(sqlite3* db, bool plain_only) const {
  Statement st(db, "SELECT totp_secret FROM users WHERE totp_secret <> ''");
  if (!st.valid()) return Error::internal(st.prepare_error());
  std::int64_t due = 0;
  PINGAN_RETURN_IF_ERROR(st.each_row("reading TOTP secrets", [&](const Statement& row) {
    const std::string stored = row.column_text(0);
    if (plain_only ? !crypto::is_sealed(stored) : fields_.due(stored)) ++due;
  }));
  return due;
}

Result<std::int64_t> SqlitePersonalStore::reseal_user_secrets(bool plain_only) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement select(db_, "SELECT username, totp_secret FROM users WHERE totp_secret <> ''");
  if (!select.valid()) return Error::internal(select.prepare_error());
  std::vector<std::pair<std::string, std::string>> due;  // username, stored secret
  PINGAN_RETURN_IF_ERROR(select.each_row("reading TOTP secrets", [&](const Statement& row) {
    std::string stored = row.column_text(1);
    if (plain_only ? !crypto::is_sealed(stored) : fields_.due(stored)) due.emplace_back(row.column_text(0), stored);
  }));
  Statement update(db_, "UPDATE users SET totp_secret = ? WHERE username = ?");
  if (!update.valid()) return Error::internal(update.prepare_error());
  for (const auto& [username, stored] : due) {
    PINGAN_ASSIGN_OR_RETURN(std::string plain,
                            fields_.open_text(stored, stored::kTotpSecretContext, fmt::format("user {}", username)));
    PINGAN_ASSIGN_OR_RETURN(std::string sealed, fields_.seal_text(plain, stored::kTotpSecretContext));
    update.bind(1, std::string_view(sealed));
    update.bind(2, std::string_view(username));
    if (update.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("sealing the TOTP secret of user {}", username));
    update.reset();
  }
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return static_cast<std::int64_t>(due.size());
}

Result<std::int64_t> SqlitePersonalStore::count_due() {
  PINGAN_ASSIGN_OR_RETURN(sqlite::ReadLease reader, reads_.lease());
  if (!fields_.sealing()) {
    // Without keys, everything with personal data is plain.
    return count_on(reader.db(), "personal_key IS NOT NULL", "");
  }
  PINGAN_ASSIGN_OR_RETURN(std::int64_t users, count_due_users(reader.db(), /*plain_only=*/false));
  PINGAN_ASSIGN_OR_RETURN(std::int64_t rows, count_on(reader.db(), kDueCondition, fields_.active_key()));
  return users + rows;
}

Result<std::int64_t> SqlitePersonalStore::reseal_batch(int limit, bool plain_only) {
  if (!fields_.sealing())
    return Error::invalid("keys", "no key ring: personal data cannot be sealed (--key-file or PINGAN_DATA_KEYS)");
  if (limit < 1) return Error::invalid("limit", "a batch re-seals at least one row");
  std::lock_guard lock(mutex_);
  // Read once per batch: a key ring replaced meanwhile serves the next batch.
  const std::string active = fields_.active_key();
  std::string_view condition = plain_only ? kPlainCondition : kDueCondition;
  Transaction tx(db_);
  PINGAN_RETURN_IF_ERROR(tx.begin());
  Statement select(db_, fmt::format("SELECT id, reporter_phone, reporter_name, reporter_id_number FROM incidents "
                                    "WHERE {} ORDER BY id LIMIT {}",
                                    condition, limit));
  if (!select.valid()) return Error::internal(select.prepare_error());
  if (!plain_only) select.bind(1, std::string_view(active));
  std::vector<Incident> rows;
  PINGAN_RETURN_IF_ERROR(select.each_row("reading incidents due for sealing", [&](const Statement& row) {
    Incident inc;
    inc.id = row.column_int(0);
    inc.reporter_phone = row.column_text(1);
    inc.reporter_name = row.column_text(2);
    inc.reporter_id_number = row.column_text(3);
    rows.push_back(std::move(inc));
  }));
  Statement update(db_,
                   "UPDATE incidents SET reporter_phone = ?, reporter_name = ?, reporter_id_number = ?, "
                   "reporter_phone_hash = ?, reporter_id_hash = ?, personal_key = ? WHERE id = ?");
  if (!update.valid()) return Error::internal(update.prepare_error());
  for (Incident& inc : rows) {
    PINGAN_RETURN_IF_ERROR(fields_.open(inc));
    PINGAN_ASSIGN_OR_RETURN(stored::StoredPersonal sealed, fields_.seal(inc));
    bind_or_null(update, 1, sealed.phone);
    bind_or_null(update, 2, sealed.name);
    bind_or_null(update, 3, sealed.id_number);
    bind_or_null(update, 4, sealed.phone_hash);
    bind_or_null(update, 5, sealed.id_hash);
    if (sealed.key) update.bind(6, std::string_view(*sealed.key));
    else update.bind_null(6);
    update.bind(7, inc.id);
    if (update.step() != SQLITE_DONE)
      return sqlite::last_error(db_, fmt::format("re-sealing incident {}", inc.id));
    update.reset();
  }
  // What the incidents left of the batch goes to persons, tasks, places,
  // residents, then ledger items.
  std::int64_t budget = limit - static_cast<std::int64_t>(rows.size());
  for (const stored::SealedTable& table : stored::kSealedTables) {
    if (budget <= 0) break;
    PINGAN_ASSIGN_OR_RETURN(std::int64_t sealed, reseal_table(db_, table, condition, active, budget, fields_));
    budget -= sealed;
  }
  if (budget > 0) {
    PINGAN_ASSIGN_OR_RETURN(std::int64_t sealed, reseal_ledger_items(db_, condition, active, budget, fields_));
    budget -= sealed;
  }
  PINGAN_ASSIGN_OR_RETURN(std::int64_t left, count_on(db_, condition, active));
  PINGAN_RETURN_IF_ERROR(tx.commit());
  return left;
}

Status SqlitePersonalStore::seal_due_rows(bool all_keys) {
  if (!fields_.sealing()) return {};
  PINGAN_ASSIGN_OR_RETURN(std::int64_t users, reseal_user_secrets(/*plain_only=*/!all_keys));
  if (users > 0) spdlog::info("sealed the TOTP secrets of {} users under key {}", users, fields_.active_key());
  std::int64_t total = 0;
  {
    std::lock_guard lock(mutex_);
    PINGAN_ASSIGN_OR_RETURN(total, count_on(db_, all_keys ? kDueCondition : kPlainCondition, fields_.active_key()));
  }
  if (total == 0 && users == 0) return {};
  const char* what = all_keys ? "re-sealing personal data under key" : "sealing plain-text personal data under key";
  if (total > 0)
    spdlog::info("{} {}: {} rows of incidents, persons, dissuasion tasks, places, residents and ledger items, "
                 "in batches of {}",
                 what,
                 fields_.active_key(), total, kOpenBatchRows);
  for (std::int64_t left = total; left > 0;) {
    PINGAN_ASSIGN_OR_RETURN(left, reseal_batch(kOpenBatchRows, !all_keys));
    spdlog::info("{} {}: {} of {} rows done", what, fields_.active_key(), total - left, total);
  }
  // The WAL holds the pages as they were before (plain text): copied into
  // the file and emptied now, not at some later checkpoint.
  std::lock_guard lock(mutex_);
  Statement checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint.valid()) return Error::internal(checkpoint.prepare_error());
  if (checkpoint.step() != SQLITE_ROW) return sqlite::last_error(db_, "checkpointing after sealing");
  return {};
}

}  // namespace pingan
