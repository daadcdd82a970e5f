#pragma once
// The rules every .xlsx download of records follows (the ledger export, the
// incident and case lists): personal values masked unless the caller asks
// with reveal=true and holds personal.reveal; such a download written to the
// audit trail as a reveal of its own (who took whose personal data away in a
// file); the workbook sent as an attachment never cached.

#include <string>

#include "core/status.h"
#include "http/route.h"

namespace pingan {

struct ApiContext;

inline constexpr const char* kXlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The `reveal` parameter: absent or "false" false, "true" true when the
// caller holds personal.reveal (else kPermissionDenied), anything else 400.
Result<bool> reveal_param(const RouteRequest& r);

// An audit entry "reveal" of `record` ("ledger:dispute", "incidents") whose
// reason says what went out ("export.xlsx of 12 incidents"). Nothing without
// an audit sink or a signed-in caller.
void audit_revealed_export(const ApiContext& ctx, const RouteRequest& r, const std::string& record,
                           const std::string& what);

// 200 with the workbook's bytes as an attachment "<file_stem>.xlsx".
Reply xlsx_reply(std::string bytes, const std::string& file_stem);

}  // namespace pingan
