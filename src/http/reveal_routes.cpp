// POST /api/incidents/{id}/reveal {"reason": "..."}: the plain personal data
// of one incident (reporter phone, name, ID number), which every other
// answer masks (issue 17). Requires a stated reason; the permission check
// and the audit entry (who, which incident, the reason) are the caller's:
// register this group behind the "reveal personal data" permission and
// audit every call, allowed or refused. The answer is never cached.

#include <fmt/format.h>

#include "core/text.h"
#include "core/text_limits.h"
#include "http/api_routes.h"
#include "http/query_params.h"
#include "json/incident_json.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

// The stated reason, trimmed: required, at most kMaxNoteChars characters.
Result<std::string> reveal_reason(const std::string& body_text) {
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(body_text));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::string reason;
  PINGAN_RETURN_IF_ERROR(in.read_string("reason", &reason, /*required=*/true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  reason = std::string(trim(reason));
  if (reason.empty()) return Error::invalid("reason", "revealing personal data needs a stated reason");
  PINGAN_RETURN_IF_ERROR(check_length("reason", reason, kMaxNoteChars));
  return reason;
}

Result<Reply> reveal(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, {}));
  PINGAN_ASSIGN_OR_RETURN(IncidentId id, parse_id_param(r.path_params.at(0), "id"));
  PINGAN_ASSIGN_OR_RETURN(std::string reason, reveal_reason(r.body));
  // Within the caller's scope: another unit's incident is not found.
  PINGAN_ASSIGN_OR_RETURN(Incident incident, ctx.engine.get_incident(id, r.scope));
  // Who saw whose data, and why: an entry of its own, beside the write's.
  if (ctx.audit && r.principal)
    ctx.audit({r.principal->username, r.principal->unit_code, r.http.remote_address, "reveal",
               fmt::format("incident:{}", id), "ok", reason});
  return Reply{200, reveal_json(incident), {{"Cache-Control", "no-store"}}};
}

}  // namespace

std::vector<Route> reveal_routes(const ApiContext& ctx) {
  return {{"POST", "/api/incidents/{id}/reveal", "personal.reveal", [&ctx](const RouteRequest& r) { return reveal(ctx, r); }}};
}

}  // namespace pingan
