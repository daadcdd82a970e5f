#pragma once
// PostgreSQL array literals ('{…}') for one text parameter cast in SQL
// ($1::text[], $2::bigint[]): a batch of thousands of rows is one parameter
// per column and one statement (unnest), where a multi-row VALUES would
// pass PostgreSQL's limit of 65,535 parameters. The one place that quotes
// array elements.

#include <cstdint>
#include <string>
#include <string_view>

namespace pingan::pg {

class ArrayLiteral {
 public:
  // Text is always quoted, so "" is the empty text and "NULL" the word, not
  // a NULL element; " and \ are escaped with a backslash (array syntax, not
  // SQL: the literal travels as a parameter, never inside the statement).
  ArrayLiteral& add(std::string_view text);
  ArrayLiteral& add(std::int64_t v);
  std::size_t size() const { return size_; }
  // '{"a","b"}' or '{}'.
  std::string str() const { return body_ + '}'; }

 private:
  void separate();

  std::string body_ = "{";
  std::size_t size_ = 0;
};

}  // namespace pingan::pg
