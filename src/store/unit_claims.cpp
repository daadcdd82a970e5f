#include "store/unit_claims.h"

#include <fmt/format.h>

#include "core/patrol_unit.h"

namespace pingan::stored {

Status check_claim(const std::string& call_sign, bool stored, std::string_view status,
                   std::optional<IncidentId> assignment) {
  if (!stored)
    return Error{ErrorCode::kNotFound, "units", fmt::format("patrol unit '{}' does not exist", call_sign)};
  if (status == patrol_status_name(PatrolStatus::kAvailable) && !assignment) return {};
  std::string why(status);
  if (assignment) why += fmt::format(" (incident {})", *assignment);
  return Error::conflict("units",
                         fmt::format("unit '{}' is not available: {}, changed by another server", call_sign, why));
}

}  // namespace pingan::stored
