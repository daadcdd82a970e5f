// CaseTypes::parse_csv (core/case_types.h) over arbitrary bytes: it answers
// an error or a table, never crashes; every group a type names exists, and
// every type found by code is the one stored under it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/case_types.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pingan::CaseTypes::parse_csv(text, "case_types.csv");
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();  // a refusal says why
    return 0;
  }
  for (const pingan::CaseType& t : parsed->types()) {
    if (parsed->find_type(t.code) != &t) std::abort();
    for (const std::string& g : t.groups) {
      if (!parsed->find_group(g) || !parsed->in_group(t.code, g)) std::abort();
    }
  }
  return 0;
}
