#pragma once
// Money is counted in fen (分, 1/100 yuan) in a 64-bit integer, never in a
// double: sums of millions of amounts must add up to the fen, and the seeds'
// figures ("止付 9.9 亿余元, 冻结 1245.6 万余元") are rounded from exact totals.

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace pingan {

using Fen = std::int64_t;

// The largest single amount accepted: 10^15 fen (10 trillion yuan), far
// above any case, and small enough that adding a million of them cannot
// overflow an int64 (9.2 * 10^18).
inline constexpr Fen kMaxAmountFen = 1'000'000'000'000'000;

// Error::invalid(field, ...) for a negative amount or one above kMaxAmountFen.
Status check_amount(std::string_view field, Fen amount);

}  // namespace pingan
