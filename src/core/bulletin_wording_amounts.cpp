#include "core/bulletin_wording_amounts.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace pingan {
namespace {

constexpr std::array<std::pair<MeasureWord, std::string_view>, 13> kMeasureWords = {{
    {MeasureWord::kCases, "起"},
    {MeasureWord::kPeople, "人"},
    {MeasureWord::kPersonsNamed, "名"},
    {MeasureWord::kPlaces, "处"},
    {MeasureWord::kFirms, "家"},
    {MeasureWord::kFirmVisits, "家次"},
    {MeasureWord::kTimes, "次"},
    {MeasureWord::kPersonShifts, "人次"},
    {MeasureWord::kVehicleShifts, "辆次"},
    {MeasureWord::kCopies, "份"},
    {MeasureWord::kHouseholds, "户"},
    {MeasureWord::kItems, "个"},
    {MeasureWord::kEntries, "条"},
}};

constexpr std::int64_t kFenPerYuan = 100;
constexpr std::int64_t kWan = 10'000;      // 万
constexpr std::int64_t kYi = 100'000'000;  // 亿

// `value` (in some base quantity) written in `unit` (万 or 亿, `unit_size`
// base quantities) with one decimal rounded down, ".0" dropped, and 余 after
// the unit when the shown figure is below `value`: "1245.6万余".
std::string in_large_unit(std::int64_t value, std::int64_t unit_size, std::string_view unit) {
  const std::int64_t tenth = unit_size / 10;
  const std::int64_t tenths = value / tenth;
  const bool dropped = value % tenth != 0;
  std::string out = fmt::format("{}", tenths / 10);
  if (tenths % 10 != 0) out += fmt::format(".{}", tenths % 10);
  out += unit;
  if (dropped) out += "余";
  return out;
}

// 10 to 9,999: rounded down to tens below 1,000, to hundreds from 1,000 (the
// seeds' 20余天, 760余人, 1800余人次), 余 when anything went.
std::string tens_or_hundreds(std::int64_t count) {
  const std::int64_t step = count < 1'000 ? 10 : 100;
  const std::int64_t shown = count / step * step;
  return shown < count ? fmt::format("{}余", shown) : fmt::format("{}", shown);
}

}  // namespace

std::string_view measure_word_text(MeasureWord word) {
  for (const auto& [w, text] : kMeasureWords)
    if (w == word) return text;
  return "";  // unreachable for a valid enumerator
}

Result<MeasureWord> parse_measure_word(std::string_view text) {
  for (const auto& [w, t] : kMeasureWords)
    if (t == text) return w;
  return Error::invalid(
      "measure_word",
      fmt::format("'{}' is not a measure word (起 人 名 处 家 家次 次 人次 辆次 份 户 个 条)",
                  text));
}

Result<std::string> money_text(Fen amount) {
  PINGAN_RETURN_IF_ERROR(check_amount("amount", amount));
  if (amount < kWan * kFenPerYuan) {
    std::string out = fmt::format("{}", amount / kFenPerYuan);
    const std::int64_t fen = amount % kFenPerYuan;
    if (fen % 10 != 0)
      out += fmt::format(".{:02}", fen);
    else if (fen != 0)
      out += fmt::format(".{}", fen / 10);
    return out + "元";
  }
  if (amount < kYi * kFenPerYuan) return in_large_unit(amount, kWan * kFenPerYuan, "万") + "元";
  return in_large_unit(amount, kYi * kFenPerYuan, "亿") + "元";
}

Result<std::string> money_text_yuan(std::int64_t yuan) {
  if (yuan < 0)  // before multiplying: INT64_MIN * 100 would overflow
    return Error::invalid("amount", fmt::format("{} 元 is negative; amounts are 0 or more", yuan));
  if (yuan > kMaxAmountFen / kFenPerYuan)
    return Error::invalid("amount", fmt::format("{} 元 is above the limit of {} 元", yuan,
                                                kMaxAmountFen / kFenPerYuan));
  return money_text(yuan * kFenPerYuan);
}

Result<std::string> count_text(std::int64_t count, MeasureWord word, CountStyle style) {
  if (count < 0)
    return Error::invalid("count", fmt::format("{} is negative; a count is 0 or more", count));
  std::string number;
  if (style == CountStyle::kExact || count < 10)
    number = fmt::format("{}", count);
  else if (count < kWan)
    number = tens_or_hundreds(count);
  else if (count < kYi)
    number = in_large_unit(count, kWan, "万");
  else
    number = in_large_unit(count, kYi, "亿");
  number += measure_word_text(word);
  return number;
}

}  // namespace pingan
