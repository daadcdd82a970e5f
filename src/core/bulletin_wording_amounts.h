#pragma once
// How a bulletin (战果通报) writes an amount of money or a count, by the rules
// of /work/shared/DOMAIN.md ("How a bulletin reads") and the seeds'
// own figures; docs/bulletin-wording.md lists each rule with its source and
// its test. Pure functions, no I/O, thread-safe. Numbers are never grouped
// with commas (the seeds write 44065人, 1245.6万余元).
//
// "余" always means "the figure shown was rounded DOWN and something was
// dropped": it is written exactly when the shown figure is less than the
// true one, never for an exact figure (9900万元) and never for a rounded-up
// one (nothing is rounded up).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/status.h"

namespace pingan {

// The measure words (量词) the seeds put after a count.
enum class MeasureWord : std::uint8_t {
  kCases,          // 起  cases, incidents, disputes (破获刑事案件363起)
  kPeople,         // 人  people (抓获刑事犯罪嫌疑人368人)
  kPersonsNamed,   // 名  people counted one by one (抓获犯罪嫌疑人15名)
  kPlaces,         // 处  places, posts, hazards (整改安全隐患753处)
  kFirms,          // 家  firms, venues (寄递物流等重点单位413家)
  kFirmVisits,     // 家次 venue-visits (场所987家次)
  kTimes,          // 次  actions, sweeps (联合清查行动42次)
  kPersonShifts,   // 人次 person-shifts (出动警力4.2万余人次)
  kVehicleShifts,  // 辆次 vehicle-shifts (出动警车1.3万余辆次)
  kCopies,         // 份  leaflets, copies (发放宣传资料2.3万余份)
  kHouseholds,     // 户  rental houses (检查出租房屋1126户)
  kItems,          // 个  generic items (出租房屋2400余个)
  kEntries,        // 条  messages, data entries (制作发布专题信息150余条)
};

// The word itself, UTF-8 ("起").
std::string_view measure_word_text(MeasureWord word);
// The inverse, for templates that name a word: "起" -> kCases. An unknown
// word is Error::invalid("measure_word", ...) naming it.
Result<MeasureWord> parse_measure_word(std::string_view text);

// Money, written as the seeds write it:
// - below 1万元 (< 1,000,000 fen): the exact amount in 元, fen as up to two
//   decimals with trailing zeros dropped, never 余: "0元", "9999元",
//   "1234.5元", "0.01元";
// - from 1万元 to below 1亿元: in 万元 with one decimal, rounded DOWN, ".0"
//   dropped, "余" after 万 when anything (even one fen) was dropped:
//   99,000,000元 -> "9900万元", 12,456,789元 -> "1245.6万余元",
//   99,999,999元 -> "9999.9万余元", 10,000元 -> "1万元";
// - from 1亿元: the same in 亿元: 990,123,456元 -> "9.9亿余元",
//   100,000,000元 -> "1亿元".
// "余" stands after the unit (万余元) because the dropped part is below one
// tenth of the unit; the seeds' hand-rounded "300余万元" (余 before 万,
// "300-odd 万") is a coarser rounding this never produces.
// Errors: Error::invalid("amount", ...) for a negative amount or one above
// kMaxAmountFen (core/money.h).
Result<std::string> money_text(Fen amount);
// The same for a whole number of 元 (yuan <= kMaxAmountFen / 100).
Result<std::string> money_text_yuan(std::int64_t yuan);

enum class CountStyle : std::uint8_t {
  // The integer as it is: "44065人", "363起". The default: a count from the
  // records is exact, and the seeds print exact counts in full (预警劝阻群众44065人).
  kExact,
  // Rounded down for a figure a bulletin gives loosely (person-shifts,
  // leaflets, floating residents), with 余 when anything was dropped:
  // - below 10: exact ("8处");
  // - 10 to 999: rounded down to tens: 85 -> "80余次", 765 -> "760余人",
  //   10 -> "10次";
  // - 1,000 to 9,999: rounded down to hundreds: 1,850 -> "1800余人次",
  //   2,400 -> "2400个";
  // - 10,000 to below 1亿: in 万 with one decimal, rounded down, ".0"
  //   dropped, 余 after 万: 23,456 -> "2.3万余份", 20,045 -> "2万余人",
  //   10,000 -> "1万起";
  // - from 1亿: the same in 亿.
  kApproximate,
};

// A count with its measure word. Error::invalid("count", ...) when negative.
Result<std::string> count_text(std::int64_t count, MeasureWord word,
                               CountStyle style = CountStyle::kExact);

}  // namespace pingan
