#pragma once
// Versioned schema of the SQLite store. A migration is applied once, in
// order, inside a transaction; the applied versions are kept in
// schema_migrations. Never edit a released migration: add the next one.

#include <string_view>
#include <vector>

namespace pingan::sqlite {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& migrations();

}  // namespace pingan::sqlite
