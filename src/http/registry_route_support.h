#pragma once
// What the registry's routes share (registry_routes.cpp,
// registry_people_routes.cpp): the page a list asks for (?unit=&after=&limit=
// inside the caller's scope), a page's answer, and a batch upsert's answer,
// 200 with its counts or 400 naming every refused row.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "engine/registry_records.h"
#include "http/api_routes.h"

namespace pingan {

// `unit` narrows the caller's scope (request_scope.h: a unit beside it sees
// nothing, an unknown one is refused), `after` is the previous page's
// next_after, `limit` 1..1000 (default 100). Other parameters are the
// caller's to check (refuse_unknown_params).
Result<RegistryFilter> registry_filter_of(const ApiContext& ctx, const RouteRequest& r);

// {"items", "limit", "next_after"}; next_after null on the last page.
Reply registry_page_reply(nlohmann::json items, int limit, nlohmann::json next_after);

// 200 {"created", "updated", "unchanged"}, or 400 naming every refused row
// ("places[3].category", the first as the error's field) when nothing was
// written. `what` is the request's array ("places").
Reply registry_batch_reply(const std::vector<RefusedRow>& refused, const BatchOutcome& outcome,
                           const std::string& what);

// The refusals of rows that did not parse and of those the engine refused
// (whose indexes are of the parsed rows: mapped back through `rows`), in
// request order.
void merge_refusals(std::vector<RefusedRow>& refused, std::vector<RefusedRow> engine_refused,
                    const std::vector<std::size_t>& rows);

}  // namespace pingan
