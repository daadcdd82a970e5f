#include "http/auth_gate.h"

#include <fmt/format.h>

#include "auth/secrets.h"

namespace pingan {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_read(const std::string& method) { return method == "GET" || method == "HEAD"; }

Result<auth::Principal> credentials(auth::Authority& authority, const HttpRequest& req) {
  if (req.header_count("Authorization") > 1) return Error::unauthenticated("send one Authorization header");
  if (req.has_header("Authorization")) {
    const std::string value = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() <= kBearer.size() || value.compare(0, kBearer.size(), kBearer) != 0)
      return Error::unauthenticated("Authorization must be 'Bearer <API token>'");
    return authority.from_token(std::string(trim(std::string_view(value).substr(kBearer.size()))));
  }
  const std::string session = cookie_value(req, kSessionCookie);
  if (session.empty()) return Error::unauthenticated("not signed in: sign in (POST /api/auth/login) or send an API token");
  PINGAN_ASSIGN_OR_RETURN(auth::Principal who, authority.from_session(session));
  // A browser sends the cookie on any request to this site; only this page's
  // script knows the CSRF token (SameSite=Strict is the second line).
  if (!is_read(req.method)) {
    if (req.header_count(kCsrfHeader) != 1 ||
        !auth::constant_time_equal(req.get_header_value(kCsrfHeader), who.csrf_token))
      return Error::permission_denied(
          fmt::format("a write signed in by cookie needs the session's {} header (from sign-in or GET /api/auth/me)",
                      kCsrfHeader));
  }
  return who;
}

}  // namespace

std::string cookie_value(const HttpRequest& req, const std::string& name) {
  for (const auto& [header, value] : req.headers) {
    if (header.size() != 6 || strncasecmp(header.c_str(), "Cookie", 6) != 0) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
    }
  }
  return {};
}

Result<std::optional<auth::Principal>> admit(auth::Authority& authority, const HttpRequest& req,
                                             const std::string& permission) {
  if (permission == auth::kPublic) {
    auto who = credentials(authority, req);
    if (!who.ok()) return std::optional<auth::Principal>();
    return std::optional<auth::Principal>(std::move(who).value());
  }
  PINGAN_ASSIGN_OR_RETURN(auth::Principal who, credentials(authority, req));
  if (!who.allows(permission)) {
    if (who.must_change_password)
      return Error::permission_denied("change the one-time password first (POST /api/auth/password)");
    return Error::permission_denied(fmt::format("{} ({}) may not use '{}'{}", who.role, who.role_zh, permission,
                                                who.via_token ? fmt::format(" with token '{}'", who.token_name) : ""));
  }
  return std::optional<auth::Principal>(std::move(who));
}

}  // namespace pingan
