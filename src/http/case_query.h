#pragma once
// The query string of GET /api/cases turned into a CaseFilter, shared by the
// list and its .xlsx export (list_export_routes.cpp). Parameters: unit,
// type (a case type or a group such as 侵财, which stands for its types),
// class (criminal / administrative), status, from, to (opened_at; ISO 8601,
// naive times and bare dates in the bureau's zone, `to` exclusive),
// person_id. Unknown parameters are the caller's to refuse (each route takes
// its own besides these: kCaseQueryParams). Errors name the parameter.

#include <string>

#include "core/case_types.h"
#include "core/status.h"
#include "core/time.h"
#include "engine/case_records.h"  // CaseFilter (the store's, through the engine)
#include "http/http_request.h"
#include "http/query_params.h"

namespace pingan {

// The filter parameters every case query takes.
inline const ParamNames kCaseQueryParams = {"unit", "type", "class", "status", "from", "to", "person_id"};

struct CaseListQuery {
  CaseFilter filter;      // scope left at everything(): the caller narrows it; limit and before untouched
  std::string unit_code;  // the `unit` parameter, empty when absent
};

Result<CaseListQuery> case_query_from_request(const HttpRequest& http, const CaseTypes& types, const TimeZone& zone);

}  // namespace pingan
