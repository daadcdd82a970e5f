#pragma once
// Looking at a PostgreSQL store from beside it, as an administrator with
// psql would (issue 19): SQL through libpq on the store's own URL, and what
// every row of its schema holds as text. The PostgreSQL counterpart of the
// tests' raw SQLite file access.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pingan::testing {

// Whether `bytes` can be a PostgreSQL text value: UTF-8, no NUL byte. (A
// needle that cannot be one is in no text column either.)
inline bool pg_text_can_hold(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = b == 0 ? 0 : b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > bytes.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(bytes[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

// One connection to a test cluster's URL (a store's, search path included).
class PgInspector {
 public:
  explicit PgInspector(const std::string& url) : c_(PQconnectdb(url.c_str()), &PQfinish) {
    EXPECT_EQ(PQstatus(c_.get()), CONNECTION_OK) << PQerrorMessage(c_.get());
  }

  // Runs `sql` (one or more statements); the server's error message, "" on
  // success.
  std::string error_of(const std::string& sql) {
    PGresult* r = PQexec(c_.get(), sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    std::string out = ok ? "" : PQresultErrorMessage(r);
    if (!ok && out.empty()) out = "error";
    PQclear(r);
    return out;
  }

  // The first column of every row of `sql` with parameters `params` (text);
  // a test failure when it fails. NULL reads as "".
  std::vector<std::string> column(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(c_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
    std::vector<std::string> out;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    } else {
      for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetisnull(r, i, 0) ? "" : PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return out;
  }

  // The first value of `sql`; "" when it has no row.
  std::string text(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto values = column(sql, params);
    return values.empty() ? "" : values.front();
  }

  // The tables of the store's schema (partitions of incidents each, not
  // their parent: every row once), as "table" names quoted for SQL.
  std::vector<std::string> tables() {
    return column("SELECT quote_ident(relname) FROM pg_class "
                  "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname");
  }

  // Rows of the schema's tables whose text, every column of them, holds
  // `needle`, as "table: n"; none when no text can hold it.
  std::vector<std::string> rows_holding(const std::string& needle) {
    std::vector<std::string> found;
    if (!pg_text_can_hold(needle)) return found;
    for (const std::string& table : tables()) {
      const std::string n = text("SELECT count(*) FROM " + table + " AS r WHERE strpos(r::text, $1) > 0", {needle});
      if (n != "0") found.push_back(table + ": " + n);
    }
    return found;
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> c_;
};

}  // namespace pingan::testing
