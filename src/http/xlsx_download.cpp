#include "http/xlsx_download.h"

#include <fmt/format.h>

#include "auth/principal.h"
#include "http/api_routes.h"
#include "http/query_params.h"

namespace pingan {

Result<bool> reveal_param(const RouteRequest& r) {
  PINGAN_ASSIGN_OR_RETURN(std::optional<std::string> reveal, single_param(r.http, "reveal"));
  if (reveal && *reveal != "true" && *reveal != "false")
    return Error::invalid("reveal", fmt::format("'{}' is not true or false", *reveal));
  if (reveal != "true") return false;
  if (!(r.principal && r.principal->allows("personal.reveal")))
    return Error::permission_denied("reveal=true needs the permission personal.reveal");
  return true;
}

void audit_revealed_export(const ApiContext& ctx, const RouteRequest& r, const std::string& record,
                           const std::string& what) {
  if (!ctx.audit || !r.principal) return;
  ctx.audit({r.principal->username, r.principal->unit_code, r.http.remote_address, "reveal", record, "ok", what});
}

Reply xlsx_reply(std::string bytes, const std::string& file_stem) {
  Reply reply{200, nullptr,
              {{"Content-Disposition", fmt::format("attachment; filename=\"{}.xlsx\"", file_stem)},
               {"Cache-Control", "no-store"}}};
  reply.raw_body = std::move(bytes);
  reply.raw_content_type = kXlsxContentType;
  return reply;
}

}  // namespace pingan
