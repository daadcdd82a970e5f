#include "http/case_query.h"

#include <fmt/format.h>

#include "core/case_lifecycle.h"

namespace pingan {

Result<CaseListQuery> case_query_from_request(const HttpRequest& http, const CaseTypes& types, const TimeZone& zone) {
  CaseListQuery q;
  CaseFilter& filter = q.filter;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(http, "unit"));
  q.unit_code = unit.value_or("");
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> type, single_param(http, "type"));
  if (type) {
    // A group (侵财) stands for its types.
    if (types.find_group(*type)) {
      for (const CaseType* t : types.types_in_group(*type)) filter.type_codes.push_back(t->code);
    } else if (types.find_type(*type)) {
      filter.type_codes.push_back(*type);
    } else {
      return Error::invalid("type", fmt::format("unknown case type or group '{}'", *type));
    }
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> case_class, single_param(http, "class"));
  if (case_class) {
    PINGAN_ASSIGN_OR_RETURN(filter.case_class, parse_case_class(*case_class, "class"));
  }
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> status, single_param(http, "status"));
  if (status) {
    PINGAN_ASSIGN_OR_RETURN(filter.status, parse_case_status(*status, "status"));
  }
  PINGAN_ASSIGN_OR_RETURN(filter.opened_from, time_param(http, "from", zone));
  PINGAN_ASSIGN_OR_RETURN(filter.opened_to, time_param(http, "to", zone));
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> person, int_param(http, "person_id"));
  if (person) filter.person_id = *person;
  return q;
}

}  // namespace pingan
