#include "http/registry_route_support.h"

#include <fmt/format.h>

#include <algorithm>

#include "http/error_response.h"
#include "http/query_params.h"
#include "http/request_scope.h"
#include "json/registry_json.h"

namespace pingan {

Result<RegistryFilter> registry_filter_of(const ApiContext& ctx, const RouteRequest& r) {
  RegistryFilter filter;
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> unit, single_param(r.http, "unit"));
  auto units = ctx.engine.units();
  PINGAN_ASSIGN_OR_RETURN(filter.scope, narrow_scope(r.scope, unit.value_or(""), *units));
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> after, single_param(r.http, "after"));
  filter.after = after.value_or("");
  PINGAN_ASSIGN_OR_RETURN(std::optional<int> limit, int_param(r.http, "limit"));
  if (limit && (*limit < 1 || *limit > 1000)) return Error::invalid("limit", "must be from 1 to 1000");
  filter.limit = limit.value_or(100);
  return filter;
}

Reply registry_page_reply(nlohmann::json items, int limit, nlohmann::json next_after) {
  return Reply{200, {{"items", std::move(items)}, {"limit", limit}, {"next_after", std::move(next_after)}}, {}};
}

Reply registry_batch_reply(const std::vector<RefusedRow>& refused, const BatchOutcome& outcome,
                           const std::string& what) {
  if (!refused.empty()) {
    const RefusedRow& first = refused.front();
    nlohmann::json out = error_json(Error::invalid(
        row_field(first, what),
        fmt::format("{} of the {} refused ({}); nothing was written", refused.size(), what, first.error.message)));
    out["error"]["rows"] = refused_rows_json(refused, what);
    return Reply{400, std::move(out), {}};
  }
  return Reply{200,
               {{"created", outcome.created()}, {"updated", outcome.updated()}, {"unchanged", outcome.unchanged()}},
               {}};
}

void merge_refusals(std::vector<RefusedRow>& refused, std::vector<RefusedRow> engine_refused,
                    const std::vector<std::size_t>& rows) {
  for (RefusedRow& row : engine_refused) {
    row.index = rows[row.index];
    refused.push_back(std::move(row));
  }
  std::stable_sort(refused.begin(), refused.end(),
                   [](const RefusedRow& a, const RefusedRow& b) { return a.index < b.index; });
}

}  // namespace pingan
