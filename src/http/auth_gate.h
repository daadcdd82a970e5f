#pragma once
// The door every route call passes before its handler: who is asking (an API
// token in `Authorization: Bearer`, else the session cookie), whether a
// browser's write carries its session's CSRF token, and whether the caller
// may use the route's permission. Errors are 401 (no valid sign-in), 403
// (not allowed, or CSRF), 423 (locked).

#include <optional>
#include <string>

#include "auth/authority.h"
#include "auth/principal.h"
#include "core/status.h"
#include "http/http_request.h"

namespace pingan {

inline constexpr const char* kSessionCookie = "pingan_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// The value of cookie `name` in the request's Cookie headers; empty when absent.
std::string cookie_value(const HttpRequest& req, const std::string& name);

// The caller of a route that needs `permission`: nullopt for a public route
// called without credentials. A public route ignores bad credentials (a
// stale cookie must not stop the sign-in page); any other route refuses them.
Result<std::optional<auth::Principal>> admit(auth::Authority& authority, const HttpRequest& req,
                                             const std::string& permission);

}  // namespace pingan
