#include "core/credit_code.h"

#include <fmt/format.h>

namespace pingan {
namespace {

// GB 32100's character set in the order of its values 0..30.
constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Weight of position i (1-based from the left): 3^(i-1) mod 31.
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int value_of(char c) {
  std::size_t pos = kCharset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::optional<char> credit_code_check_char(std::string_view first17) {
  if (first17.size() < 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    int v = value_of(first17[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  int check = 31 - sum % 31;
  return kCharset[static_cast<std::size_t>(check == 31 ? 0 : check)];
}

Status check_credit_code(std::string_view field, std::string_view code) {
  const std::string f(field);
  if (code.size() != 18)
    return Error::invalid(f, fmt::format("a unified social credit code has 18 characters, this one {}", code.size()));
  for (std::size_t i = 0; i < 18; ++i)
    if (value_of(code[i]) < 0)
      return Error::invalid(f, fmt::format("character {} ('{}') is not one of 0-9 and A-Y without I, O, Z, S, V "
                                           "(GB 32100)",
                                           i + 1, code[i]));
  for (std::size_t i = 2; i < 8; ++i)
    if (code[i] < '0' || code[i] > '9')
      return Error::invalid(f, "characters 3 to 8 are the region code and must be digits");
  char want = *credit_code_check_char(code.substr(0, 17));
  if (code[17] != want)
    return Error::invalid(f, "the unified social credit code's check character does not match (GB 32100): "
                             "a character is mistyped");
  return {};
}

}  // namespace pingan
