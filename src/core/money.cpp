#include "core/money.h"

#include <fmt/format.h>

namespace pingan {

Status check_amount(std::string_view field, Fen amount) {
  if (amount < 0)
    return Error::invalid(std::string(field), fmt::format("{} fen is negative; amounts are 0 or more", amount));
  if (amount > kMaxAmountFen)
    return Error::invalid(std::string(field),
                          fmt::format("{} fen is above the limit of {} fen", amount, kMaxAmountFen));
  return {};
}

}  // namespace pingan
