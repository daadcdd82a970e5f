// MeasureRules::parse_json (core/measure_rules.h) over arbitrary bytes: it
// answers an error naming the field or a rule set, never crashes; a rule
// set it accepts names only known measures.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include "core/measure_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pingan::MeasureRules::parse_json(text, "measure_rules.json");
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();  // a refusal says why
    return 0;
  }
  constexpr auto kKinds = static_cast<int>(std::size(pingan::kAllMeasureKinds));
  auto known = [&](pingan::MeasureKind k) { return static_cast<int>(k) < kKinds; };
  for (const pingan::MeasureRule& r : parsed->rules()) {
    if (!known(r.measure)) std::abort();
    for (pingan::MeasureKind k : r.requires_any)
      if (!known(k)) std::abort();
    for (pingan::MeasureKind k : r.not_after)
      if (!known(k)) std::abort();
  }
  return 0;
}
