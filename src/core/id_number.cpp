#include "core/id_number.h"

#include <fmt/format.h>

namespace pingan {

char id_number_check_char(std::string_view first17) {
  // Weight of position i (1-based from the right, the check character being
  // position 1) is 2^(i-1) mod 11.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

Status check_id_number(std::string_view field, std::string_view id) {
  if (id.size() != 18)
    return Error::invalid(std::string(field), fmt::format("an ID number has 18 characters, this one {}", id.size()));
  for (size_t i = 0; i < 17; ++i)
    if (id[i] < '0' || id[i] > '9')
      return Error::invalid(std::string(field), fmt::format("character {} of the ID number is not a digit", i + 1));
  char last = id[17] == 'x' ? 'X' : id[17];
  if ((last < '0' || last > '9') && last != 'X')
    return Error::invalid(std::string(field), "the last character of the ID number must be a digit or X");
  char want = id_number_check_char(id.substr(0, 17));
  if (last != want)
    return Error::invalid(std::string(field), "the ID number's check character does not match (GB 11643): "
                                              "a digit is mistyped");
  return {};
}

}  // namespace pingan
