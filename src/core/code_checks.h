#pragma once
// Codes a request names — a unit, incident types, incident classes — checked
// against the unit tree and the taxonomy. The engine, the HTTP routes and the
// CLI all refuse an unknown code with these, so the rule and its wording
// ("unknown unit 'X'") live in one place. The caller names the field, since
// the same code arrives as `unit`, `type`, `class`, `--types` ...

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/taxonomy.h"
#include "core/unit.h"

namespace pingan {

// The unit with this code, or Error::invalid(field, "unknown unit 'X'").
Result<const Unit*> require_unit(const UnitTree& tree, const std::string& code,
                                 std::string_view field = "unit");
// Every code a unit of the tree; else the error of the first unknown one.
Status check_unit_codes(const UnitTree& tree, std::span<const std::string> codes,
                        std::string_view field = "unit");

// Every code a type of the taxonomy; else Error::invalid(field, "unknown type 'X'").
Status check_type_codes(const Taxonomy& taxonomy, std::span<const std::string> codes,
                        std::string_view field = "type");
// Every code a class of the taxonomy; else Error::invalid(field, "unknown class 'X'").
Status check_class_codes(const Taxonomy& taxonomy, std::span<const std::string> codes,
                         std::string_view field = "class");

}  // namespace pingan
