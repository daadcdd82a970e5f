#pragma once
// How a bulletin writes a percentage: a change against a base (同比上升12.50%,
// 同比下降14.93%, 环比持平) and a rate (化解率达96.34%). Rules from
// /work/shared/DOMAIN.md ("percentages to two decimals; 同比上升/下降") and the
// seeds; docs/bulletin-wording.md lists each with its test. Pure, thread-safe.
//
// Rounding: every percentage is rounded to hundredths of a percent, a half
// away from zero (96.335% -> 96.34%, -0.005% -> -0.01%). From integer counts
// the division is done exactly in integers, so 19267 of 20000 (96.335% exactly)
// gives 96.34%, where printf("%.2f", 96.335) gives 96.33 (the double is
// 96.33499999...). A percentage handed in as a double is first fixed to six
// decimals (nearest), then rounded as above, so a typed 96.335 also gives 96.34.
// Two decimals are always written: 12.50%, 15.00%.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bulletin_wording_amounts.h"
#include "core/money.h"
#include "core/status.h"

namespace pingan {

enum class ChangeBasis : std::uint8_t {
  kYearOnYear,      // 同比: against the same period a year earlier
  kPeriodOnPeriod,  // 环比: against the period just before
};

// "同比" or "环比".
std::string_view change_basis_text(ChangeBasis basis);

// (current - base) / base in hundredths of a percent, rounded half away from
// zero: 29 against 34 -> -1471 (-14.71%). Errors (Error::invalid, field
// "base" or "current"): a negative value, a zero base (there is no
// percentage), a result beyond +-10^15 hundredths.
Result<std::int64_t> change_hundredths(std::int64_t current, std::int64_t base);

// A percentage given as a double (-14.934) in hundredths, rounded half away
// from zero after fixing it to six decimals: -14.934 -> -1493. Errors
// (field "percent"): NaN, infinity, |percent| > 10^12.
Result<std::int64_t> percent_hundredths(double percent);

// The magnitude with two decimals and "%": 1493 and -1493 -> "14.93%".
std::string percent_text(std::int64_t hundredths);

// The direction and size of a change in hundredths: "上升12.50%",
// "下降14.93%", and "持平" when it rounds to 0.00% (so -0.004% reads 持平,
// never "下降0.00%").
std::string direction_text(std::int64_t hundredths);
// The same from a double, the form: -14.934 -> "下降14.93%".
Result<std::string> direction_text(double percent);

// A change of a count against its base: "同比上升12.50%", "同比下降14.93%",
// "环比持平". A zero base has no percentage; the seeds show none, so the
// phrase gives the absolute change and says the base was zero:
// 0 against 0 -> "同比持平"; 5 against 0 -> "同比增加5起(上年同期为0)", for
// 环比 "环比增加5起(上期为0)". Errors as change_hundredths (zero base aside).
Result<std::string> change_phrase(ChangeBasis basis, std::int64_t current, std::int64_t base,
                                  MeasureWord word);
// The same for money in fen; a zero base gives "同比增加3万元(上年同期为0)".
// Errors as money_text for either amount.
Result<std::string> money_change_phrase(ChangeBasis basis, Fen current, Fen base);
// From a percentage given as a double: -14.934 -> "同比下降14.93%".
Result<std::string> change_phrase_from_percent(ChangeBasis basis, double percent);

struct CountChange {
  std::int64_t current = 0;
  std::int64_t base = 0;
};

// Several changes named together, as the seed "刑事警情、治安警情同比分别下降
// 14.93%、17.57%": "同比分别下降14.93%、17.57%" when all move the same way,
// else each with its own direction ("同比分别下降14.93%、上升2.00%"; 持平 for
// a change that rounds to zero). Errors: fewer than two changes, a zero base
// (field "changes[i].base": write that figure on its own), any error of
// change_hundredths naming its index.
Result<std::string> joint_change_phrase(ChangeBasis basis, const std::vector<CountChange>& changes);

// part / whole as a percentage with two decimals: 369 of 383 -> "96.34%".
// Errors (Error::invalid): negative part or whole, a zero whole. A part
// above the whole is allowed (a 完成率 may pass 100%).
Result<std::string> rate_text(std::int64_t part, std::int64_t whole);
// The seeds' rate sentence: ("化解率", 369, 383) -> "化解率达96.34%".
// Errors as rate_text, and an empty name (field "name").
Result<std::string> rate_phrase(std::string_view name, std::int64_t part, std::int64_t whole);

}  // namespace pingan
