// Signing in and out, the signed-in user, changing one's password, and the
// users of an administrator's subtree (issue 17; docs/security.md).

#include <fmt/format.h>

#include "auth/totp.h"
#include "core/scope_match.h"
#include "http/api_routes.h"
#include "http/auth_gate.h"
#include "http/error_response.h"
#include "http/query_params.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;  // argon2 takes any length; a body need not

std::string session_cookie(const ApiContext& ctx, const std::string& value, bool clear) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}{}", kSessionCookie, value,
                     clear ? "; Max-Age=0" : "", ctx.secure_cookies ? "; Secure" : "");
}

nlohmann::json user_json(const ApiContext& ctx, const auth::Principal& who) {
  auto tree = ctx.engine.units();
  const Unit* unit = tree ? tree->find(who.unit_code) : nullptr;
  return {{"username", who.username},
          {"name", who.display_name},
          {"unit", who.unit_code},
          {"unit_name", unit ? unit->name : (who.unit_code == "*" ? "全部单位" : "")},
          {"role", who.role},
          {"role_zh", who.role_zh},
          {"permissions", who.permissions}};
}

Status read_bounded(JsonObjectReader& in, const char* key, std::string* out, std::size_t max_bytes, bool required) {
  PINGAN_RETURN_IF_ERROR(in.read_string(key, out, required));
  if (out->size() > max_bytes) return Error::invalid(in.field(key), fmt::format("is longer than {} bytes", max_bytes));
  return {};
}

Result<Reply> login(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::string username, password, totp;
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "username", &username, 64, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "password", &password, kMaxPasswordBytes, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "totp", &totp, 16, false));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());

  auth::Authority& authority = *ctx.authority;
  // A session the browser brought along ends here: the sign-in gets a new one.
  PINGAN_RETURN_IF_ERROR(authority.end_session(cookie_value(r.http, kSessionCookie)));
  auto signed_in = authority.login(username, password, totp, r.http.remote_address);
  if (!signed_in.ok()) {
    if (signed_in.error().code != ErrorCode::kTooManyRequests) return signed_in.error();
    return Reply{429, error_json(signed_in.error()),
                 {{"Retry-After", std::to_string(authority.retry_after_s(r.http.remote_address))}}};
  }
  const auth::Principal& who = signed_in->principal;
  nlohmann::json out = {{"user", user_json(ctx, who)},
                        {"csrf_token", who.csrf_token},
                        {"must_change_password", who.must_change_password}};
  return Reply{200, std::move(out), {{"Set-Cookie", session_cookie(ctx, signed_in->session_token, false)}}};
}

Result<Reply> logout(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  PINGAN_RETURN_IF_ERROR(ctx.authority->logout(*r.principal, r.http.remote_address));
  return Reply{204, nullptr, {{"Set-Cookie", session_cookie(ctx, "", true)}}};
}

Result<Reply> me(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  nlohmann::json out = {{"user", user_json(ctx, *r.principal)},
                        {"csrf_token", r.principal->csrf_token},
                        {"must_change_password", r.principal->must_change_password}};
  if (r.principal->via_token) out["token"] = r.principal->token_name;
  return Reply{200, std::move(out), {}};
}

Result<Reply> change_password(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  if (r.principal->via_token) return Error::permission_denied("an API token has no password to change");
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  std::string old_password, new_password;
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "old_password", &old_password, kMaxPasswordBytes, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "new_password", &new_password, kMaxPasswordBytes, true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  PINGAN_RETURN_IF_ERROR(
      ctx.authority->change_password(*r.principal, old_password, new_password, r.http.remote_address));
  return Reply{204, nullptr, {}};
}

nlohmann::json stored_user_json(const User& u) {
  return {{"username", u.username}, {"name", u.display_name}, {"unit", u.unit_code},
          {"role", u.role},         {"locked", u.locked},      {"disabled", u.disabled},
          {"second_factor", !u.totp_secret.empty()}, {"must_change_password", u.must_change_password}};
}

bool in_scope(const ApiContext& ctx, const UnitScope& scope, const std::string& unit_code) {
  if (scope.all) return true;
  if (unit_code == "*") return false;
  auto tree = ctx.engine.units();
  return tree && scope_holds(scope, unit_code, *tree);
}

Result<Reply> list_users(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  PINGAN_ASSIGN_OR_RETURN(std::vector<User> users, ctx.authority->users());
  nlohmann::json items = nlohmann::json::array();
  for (const User& u : users)
    if (in_scope(ctx, r.scope, u.unit_code)) items.push_back(stored_user_json(u));
  const std::size_t total = items.size();
  return Reply{200, {{"items", std::move(items)}, {"total", total}}, {}};
}

Result<Reply> add_user(const ApiContext& ctx, const RouteRequest& r) {
  PINGAN_RETURN_IF_ERROR(refuse_unknown_params(r.http, ParamNames{}));
  PINGAN_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(r.body));
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  auth::Authority::NewUser nu;
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "username", &nu.username, 64, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "name", &nu.display_name, 200, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "unit", &nu.unit_code, 64, true));
  PINGAN_RETURN_IF_ERROR(read_bounded(in, "role", &nu.role, 64, true));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  // An administrator adds users inside their own subtree only.
  if (!in_scope(ctx, r.scope, nu.unit_code))
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", nu.unit_code));
  PINGAN_ASSIGN_OR_RETURN(auth::Authority::CreatedUser created, ctx.authority->add_user(nu, r.actor));
  nlohmann::json out = stored_user_json(created.user);
  out["one_time_password"] = created.one_time_password;
  if (!created.totp_secret.empty()) out["totp_uri"] = auth::totp_uri(created.user.username, created.totp_secret);
  return Reply{201, std::move(out), {{"Location", "/api/users/" + created.user.username}}};
}

}  // namespace

std::vector<Route> auth_routes(const ApiContext& ctx) {
  return {
      {"POST", "/api/auth/login", auth::kPublic, [&ctx](const RouteRequest& r) { return login(ctx, r); }},
      {"POST", "/api/auth/logout", auth::kSignedIn, [&ctx](const RouteRequest& r) { return logout(ctx, r); }},
      {"GET", "/api/auth/me", auth::kSignedIn, [&ctx](const RouteRequest& r) { return me(ctx, r); }},
      {"POST", "/api/auth/password", auth::kSignedIn,
       [&ctx](const RouteRequest& r) { return change_password(ctx, r); }},
      {"GET", "/api/users", "users.manage", [&ctx](const RouteRequest& r) { return list_users(ctx, r); }},
      {"POST", "/api/users", "users.manage", [&ctx](const RouteRequest& r) { return add_user(ctx, r); }},
  };
}

}  // namespace pingan
