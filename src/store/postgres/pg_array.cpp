#include "store/postgres/pg_array.h"

#include <fmt/format.h>

namespace pingan::pg {

void ArrayLiteral::separate() {
  if (size_++ > 0) body_ += ',';
}

ArrayLiteral& ArrayLiteral::add(std::string_view text) {
  separate();
  body_ += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') body_ += '\\';
    body_ += c;
  }
  body_ += '"';
  return *this;
}

ArrayLiteral& ArrayLiteral::add(std::int64_t v) {
  separate();
  fmt::format_to(std::back_inserter(body_), "{}", v);
  return *this;
}

}  // namespace pingan::pg
