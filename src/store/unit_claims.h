#pragma once
// The check behind DeskStore::save_desk_step's claims, one rule and one
// message for both dialects: a unit a dispatch takes must be stored as
// available with no assignment. The desk checked its memory first; a unit
// that passed there but not here was taken by another server's desk (or
// changed by another process) since this server last caught up.

#include <optional>
#include <string>
#include <string_view>

#include "core/incident.h"
#include "core/status.h"

namespace pingan::stored {

// `status` and `assignment` as stored; `stored` false: no row has the call
// sign. kConflict naming the unit and what holds it, kNotFound when absent.
Status check_claim(const std::string& call_sign, bool stored, std::string_view status,
                   std::optional<IncidentId> assignment);

}  // namespace pingan::stored
