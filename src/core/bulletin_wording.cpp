#include "core/bulletin_wording.h"

#include <fmt/format.h>

#include <array>
#include <tuple>
#include <utility>

namespace pingan {
namespace {

constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                      "五", "六", "七", "八", "九"};

Status check_date(std::string_view field, const CivilTime& t) {
  CivilTime day = t;
  day.hour = day.minute = day.second = 0;
  if (!is_valid_civil(day))
    return Error::invalid(std::string(field),
                          fmt::format("{}-{:02}-{:02} is not a date", t.year, t.month, t.day));
  return {};
}

auto day_key(const CivilTime& t) { return std::make_tuple(t.year, t.month, t.day); }

}  // namespace

Result<std::string> chinese_numeral(int number) {
  if (number < 1 || number > 9999)
    return Error::invalid("number", fmt::format("{} is outside 1..9999", number));
  // 10..19 are read without the leading 一 (十二, not 一十二).
  if (number < 20 && number >= 10)
    return std::string("十") + std::string(number > 10 ? kDigits[number % 10] : "");
  constexpr std::array<std::pair<int, std::string_view>, 4> kPlaces = {
      {{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}};
  std::string out;
  bool zero_pending = false;  // a 零 is written once for any run of inner zeros
  for (const auto& [place, name] : kPlaces) {
    const int digit = number / place % 10;
    if (digit == 0) {
      zero_pending = !out.empty();
      continue;
    }
    if (zero_pending) out += "零";
    zero_pending = false;
    out += kDigits[digit];
    out += name;
  }
  return out;
}

Result<std::string> rank_phrase(std::string_view scope, int rank, bool tied) {
  if (scope.empty()) return Error::invalid("scope", "is empty; a rank needs its scope (全市)");
  auto numeral = chinese_numeral(rank);
  if (!numeral.ok()) return Error::invalid("rank", numeral.error().message);
  return fmt::format("{}{}第{}", tied ? "并列" : "位列", scope, *numeral);
}

Result<std::string> period_opening(const CivilTime& campaign_start, const CivilTime& from,
                                   const CivilTime& last_day) {
  PINGAN_RETURN_IF_ERROR(check_date("campaign_start", campaign_start));
  PINGAN_RETURN_IF_ERROR(check_date("from", from));
  PINGAN_RETURN_IF_ERROR(check_date("last_day", last_day));
  if (day_key(last_day) < day_key(from))
    return Error::invalid(
        "last_day",
        fmt::format("{}-{:02}-{:02} is before the first day {}-{:02}-{:02}", last_day.year,
                    last_day.month, last_day.day, from.year, from.month, from.day));
  if (day_key(from) == day_key(campaign_start)) return std::string("行动开展以来");
  if (from.year == last_day.year && from.month == 1 && from.day == 1)
    return std::string("今年以来");
  if (from.year == last_day.year)
    return fmt::format("{}月{}日至{}月{}日", from.month, from.day, last_day.month, last_day.day);
  return fmt::format("{}年{}月{}日至{}年{}月{}日", from.year, from.month, from.day, last_day.year,
                     last_day.month, last_day.day);
}

}  // namespace pingan
