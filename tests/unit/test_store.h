#pragma once
// Where a test of the suites that run on both backends keeps its store
// (issue 19): a SQLite file in the test's folder, or, when ctest runs the
// suite a second time on PostgreSQL (the `pg.` tests: PINGAN_TEST_BACKEND=
// postgres), a schema of its own in the throwaway cluster that ctest
// started (scripts/pg-test-cluster.sh; its state file in
// PINGAN_PG_TEST_STATE). The same folder and name give the same schema, so
// a test that reopens its store finds its records.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>

#include "test_support.h"

namespace pingan::testing {

inline bool testing_postgres() {
  const char* backend = std::getenv("PINGAN_TEST_BACKEND");
  return backend && std::string(backend) == "postgres";
}

// The test cluster's URL (line 2 of the state file); a test failure, and
// "", when there is none.
inline std::string pg_test_url() {
  // ctest's cluster (CMakeLists.txt) unless the environment names another.
  const char* state = std::getenv("PINGAN_PG_TEST_STATE");
  if (!state) state = PINGAN_PG_TEST_STATE_DEFAULT;
  std::ifstream in(state);
  std::string dir, url;
  std::getline(in, dir);
  std::getline(in, url);
  if (url.empty())
    ADD_FAILURE() << "no PostgreSQL test cluster in " << state
                  << ": run the test through ctest, or start one with scripts/pg-test-cluster.sh start FILE "
                     "and set PINGAN_PG_TEST_STATE=FILE";
  return url;
}

// Runs one statement on the test cluster (schema set-up, a test's own
// inspection); a test failure when it fails.
inline void pg_test_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot reach the PostgreSQL test cluster: " << PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
}

// A URL of the test cluster whose search path is a schema of its own,
// created if need be, named after `key`.
inline std::string pg_test_schema_url(const std::string& key) {
  const std::string base = pg_test_url();
  if (base.empty()) return "";
  const std::string schema = fmt::format("t{:016x}", std::hash<std::string>{}(key));
  pg_test_exec(base, fmt::format("CREATE SCHEMA IF NOT EXISTS {}", schema));
  return fmt::format("{}?options=-csearch_path%3D{}", base, schema);
}

// `dir`/`name` on SQLite; a PostgreSQL schema URL on the `pg.` run.
inline std::string test_store_location(const TempDir& dir, const std::string& name) {
  if (!testing_postgres()) return dir.file(name);
  return pg_test_schema_url(dir.file(name));
}

}  // namespace pingan::testing
