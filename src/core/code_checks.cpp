#include "core/code_checks.h"

#include <fmt/format.h>

namespace pingan {

Result<const Unit*> require_unit(const UnitTree& tree, const std::string& code,
                                 std::string_view field) {
  if (const Unit* unit = tree.find(code)) return unit;
  return Error::invalid(std::string(field), fmt::format("unknown unit '{}'", code));
}

Status check_unit_codes(const UnitTree& tree, std::span<const std::string> codes,
                        std::string_view field) {
  for (const std::string& code : codes) PINGAN_RETURN_IF_ERROR(require_unit(tree, code, field));
  return {};
}

Status check_type_codes(const Taxonomy& taxonomy, std::span<const std::string> codes,
                        std::string_view field) {
  for (const std::string& code : codes)
    if (!taxonomy.find_type(code))
      return Error::invalid(std::string(field), fmt::format("unknown type '{}'", code));
  return {};
}

Status check_class_codes(const Taxonomy& taxonomy, std::span<const std::string> codes,
                         std::string_view field) {
  for (const std::string& code : codes)
    if (!taxonomy.find_class(code))
      return Error::invalid(std::string(field), fmt::format("unknown class '{}'", code));
  return {};
}

}  // namespace pingan
