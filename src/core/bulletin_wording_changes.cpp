#include "core/bulletin_wording_changes.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace pingan {
namespace {

// 128-bit so that (current - base) * 10000 cannot overflow for any int64.
using Wide = __int128;

constexpr std::int64_t kMaxHundredths = 1'000'000'000'000'000;  // 10^15
constexpr double kMaxPercent = 1e12;

// num / den rounded to the nearest integer, a half away from zero; den > 0.
Wide divide_round_half_away(Wide num, Wide den) {
  Wide q = num / den;
  Wide r = num % den;  // same sign as num
  if (r < 0) r = -r;
  if (2 * r >= den) q += num < 0 ? -1 : 1;
  return q;
}

Status check_non_negative(std::string_view field, std::int64_t value) {
  if (value < 0)
    return Error::invalid(std::string(field),
                          fmt::format("{} is negative; it must be 0 or more", value));
  return {};
}

std::string_view base_name(ChangeBasis basis) {
  return basis == ChangeBasis::kYearOnYear ? "上年同期" : "上期";
}

// The zero-base phrase: "同比持平" or "同比增加5起(上年同期为0)".
std::string zero_base_phrase(ChangeBasis basis, std::int64_t current, const std::string& amount) {
  if (current == 0) return fmt::format("{}持平", change_basis_text(basis));
  return fmt::format("{}增加{}({}为0)", change_basis_text(basis), amount, base_name(basis));
}

}  // namespace

std::string_view change_basis_text(ChangeBasis basis) {
  return basis == ChangeBasis::kYearOnYear ? "同比" : "环比";
}

Result<std::int64_t> change_hundredths(std::int64_t current, std::int64_t base) {
  PINGAN_RETURN_IF_ERROR(check_non_negative("current", current));
  PINGAN_RETURN_IF_ERROR(check_non_negative("base", base));
  if (base == 0)
    return Error::invalid("base", "the base is 0; a change against 0 has no percentage");
  const Wide h = divide_round_half_away((Wide{current} - base) * 10'000, base);
  if (h > kMaxHundredths)
    return Error::invalid(
        "current", fmt::format("{} against a base of {} is a rise beyond 10^13 %", current, base));
  return static_cast<std::int64_t>(h);
}

Result<std::int64_t> percent_hundredths(double percent) {
  if (std::isnan(percent)) return Error::invalid("percent", "is NaN");
  if (!(std::fabs(percent) <= kMaxPercent))
    return Error::invalid("percent", fmt::format("{} is beyond +-10^12 %", percent));
  // Six decimals first, so the double nearest a typed 96.335 (96.33499...)
  // counts as the 96.335 that was meant.
  const long long micro = std::llround(percent * 1e6);
  return static_cast<std::int64_t>(divide_round_half_away(micro, 10'000));
}

std::string percent_text(std::int64_t hundredths) {
  // Negate in unsigned arithmetic, so that INT64_MIN stays defined.
  const std::uint64_t magnitude = hundredths < 0 ? 0 - static_cast<std::uint64_t>(hundredths)
                                                 : static_cast<std::uint64_t>(hundredths);
  return fmt::format("{}.{:02}%", magnitude / 100, magnitude % 100);
}

std::string direction_text(std::int64_t hundredths) {
  if (hundredths == 0) return "持平";
  return fmt::format("{}{}", hundredths > 0 ? "上升" : "下降", percent_text(hundredths));
}

Result<std::string> direction_text(double percent) {
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t h, percent_hundredths(percent));
  return direction_text(h);
}

Result<std::string> change_phrase(ChangeBasis basis, std::int64_t current, std::int64_t base,
                                  MeasureWord word) {
  PINGAN_RETURN_IF_ERROR(check_non_negative("current", current));
  PINGAN_RETURN_IF_ERROR(check_non_negative("base", base));
  if (base == 0) {
    PINGAN_ASSIGN_OR_RETURN(const std::string amount, count_text(current, word));
    return zero_base_phrase(basis, current, amount);
  }
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t h, change_hundredths(current, base));
  return fmt::format("{}{}", change_basis_text(basis), direction_text(h));
}

Result<std::string> money_change_phrase(ChangeBasis basis, Fen current, Fen base) {
  PINGAN_ASSIGN_OR_RETURN(const std::string amount, money_text(current));
  PINGAN_RETURN_IF_ERROR(check_amount("base", base));
  if (base == 0) return zero_base_phrase(basis, current, amount);
  PINGAN_ASSIGN_OR_RETURN(const std::int64_t h, change_hundredths(current, base));
  return fmt::format("{}{}", change_basis_text(basis), direction_text(h));
}

Result<std::string> change_phrase_from_percent(ChangeBasis basis, double percent) {
  PINGAN_ASSIGN_OR_RETURN(const std::string direction, direction_text(percent));
  return fmt::format("{}{}", change_basis_text(basis), direction);
}

Result<std::string> joint_change_phrase(ChangeBasis basis,
                                        const std::vector<CountChange>& changes) {
  if (changes.size() < 2)
    return Error::invalid(
        "changes", fmt::format("{} change(s); a joint phrase needs two or more", changes.size()));
  std::vector<std::int64_t> hundredths;
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].base == 0)
      return Error::invalid(fmt::format("changes[{}].base", i),
                            "is 0; a change against 0 has no percentage, write it on its own");
    auto h = change_hundredths(changes[i].current, changes[i].base);
    if (!h.ok())
      return Error::invalid(fmt::format("changes[{}].{}", i, h.error().field), h.error().message);
    hundredths.push_back(*h);
  }
  auto sign = [](std::int64_t h) { return (h > 0) - (h < 0); };
  bool same_way = sign(hundredths.front()) != 0;
  for (std::int64_t h : hundredths) same_way = same_way && sign(h) == sign(hundredths.front());
  std::string out = fmt::format("{}分别", change_basis_text(basis));
  if (same_way) out += hundredths.front() > 0 ? "上升" : "下降";
  for (size_t i = 0; i < hundredths.size(); ++i) {
    if (i > 0) out += "、";
    out += same_way ? percent_text(hundredths[i]) : direction_text(hundredths[i]);
  }
  return out;
}

Result<std::string> rate_text(std::int64_t part, std::int64_t whole) {
  PINGAN_RETURN_IF_ERROR(check_non_negative("part", part));
  PINGAN_RETURN_IF_ERROR(check_non_negative("whole", whole));
  if (whole == 0) return Error::invalid("whole", "is 0; a rate of nothing has no percentage");
  const Wide h = divide_round_half_away(Wide{part} * 10'000, whole);
  if (h > kMaxHundredths)
    return Error::invalid("part", fmt::format("{} of {} is a rate beyond 10^13 %", part, whole));
  return percent_text(static_cast<std::int64_t>(h));
}

Result<std::string> rate_phrase(std::string_view name, std::int64_t part, std::int64_t whole) {
  if (name.empty()) return Error::invalid("name", "is empty; a rate needs its name (化解率)");
  PINGAN_ASSIGN_OR_RETURN(const std::string rate, rate_text(part, whole));
  return fmt::format("{}达{}", name, rate);
}

}  // namespace pingan
