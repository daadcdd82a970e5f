// Number parsing: parse_plain_number (core/text.h: every number of a query
// string and a bbox), the importers' parse_integer and parse_decimal
// (ingest/field_parsers.h) and parse_id_param (http/route.h: ids in paths).
//
// Checked: a plain number is finite and written plainly (no sign '+', no
// space, no hex, no inf or nan) and its shortest text reads back to the same
// double; an importer's decimal agrees with the plain reading of the same
// text trimmed of spaces and a '+'; an id is positive.

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/text.h"
#include "fuzz_support.h"
#include "http/route.h"
#include "ingest/field_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  const std::string_view text = fuzz::as_text(data, size);

  if (auto v = parse_plain_number(text)) {
    fuzz::check(std::isfinite(*v), "a plain number is finite");
    fuzz::check(
        text.find_first_not_of("0123456789.eE-+") == std::string_view::npos && text.front() != '+',
        "a plain number is written plainly");
    auto again = parse_plain_number(fmt::format("{}", *v));
    fuzz::check(again && *again == *v, "the shortest text of a number reads back the same");
  }

  if (auto d = ingest::parse_decimal(text)) {
    std::string_view t = trim(text);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    auto plain = parse_plain_number(t);
    fuzz::check(!std::isfinite(*d) || (plain && *plain == *d),
                "an importer's decimal reads as a plain number");
  }
  if (auto i = ingest::parse_integer(text)) {
    std::string_view t = trim(text);
    fuzz::check(!t.empty(), "an integer has digits");
  }

  auto id = parse_id_param(std::string(text), "id");
  if (id.ok())
    fuzz::check(*id > 0, "an id is positive");
  else
    fuzz::check(id.error().code == ErrorCode::kInvalidArgument && id.error().field == "id",
                "a bad id names id");
  return 0;
}
