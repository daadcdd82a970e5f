// PlaceCategories::parse_csv (core/place_categories.h) over arbitrary bytes:
// it answers an error or a table, never crashes; every category's group
// exists, a key place has an interval in range and any other place none, and
// every category found by code is the one stored under it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/place_categories.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pingan::PlaceCategories::parse_csv(text, "place_categories.csv");
  if (!parsed.ok()) {
    if (parsed.error().message.empty() || parsed.error().field.empty()) std::abort();  // a refusal says why and where
    return 0;
  }
  for (const pingan::PlaceCategory& c : parsed->categories()) {
    if (parsed->find(c.code) != &c) std::abort();
    if (!parsed->find_group(c.group)) std::abort();
    if (c.key_place != c.inspect_every_days.has_value()) std::abort();
    if (c.inspect_every_days &&
        (*c.inspect_every_days < 1 || *c.inspect_every_days > pingan::PlaceCategories::kMaxInspectEveryDays))
      std::abort();
  }
  return 0;
}
