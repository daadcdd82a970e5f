#pragma once
// Decoding request targets: "%E8%A5%BF" percent escapes (and '+' as a space
// in the query), strictly. A malformed escape, a NUL byte or a decoded text
// that is not UTF-8 is refused with the parameter it was found in, rather
// than passed on as bytes that no route expects.

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan {

// "/api/patrol-units/%E8%A5%BF" -> "/api/patrol-units/西". '+' stays '+'.
Result<std::string> decode_path(std::string_view raw_path);

// "a=1&b=x+y&c" -> {a:1, b:"x y", c:""}. Empty pairs ("a=1&&b=2") are skipped.
Result<std::multimap<std::string, std::string>> parse_query(std::string_view query);

}  // namespace pingan
