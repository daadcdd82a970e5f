// `pingan user add|passwd|lock|unlock|totp|token|revoke|list`: the users of a
// database (auth/authority.h), for the first administrator at set-up and for
// administrators at a terminal. Every change is written to the audit log as
// done by "cli:<login name>".

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "auth/audit_log.h"
#include "auth/authority.h"
#include "auth/totp.h"
#include "cli/commands.h"
#include "cli/table_text.h"

namespace pingan::cli {
namespace {

struct UserOptions {
  DatabaseOptions db;
  std::string username, name, unit, role, token_name;
  std::vector<std::string> permissions;
  std::int64_t token_id = 0;
  bool one_time = false;
};

std::string operator_name() {
  const char* who = std::getenv("USER");
  return fmt::format("cli:{}", who && *who ? who : "unknown");
}

// Opens the engine and the authority, with the audit log as its note sink.
struct Opened {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<auth::Authority> authority;
  std::unique_ptr<auth::AuditLog> audit;
};
std::optional<Opened> open_all(const UserOptions& o) {
  Opened out;
  out.engine = open_engine_or_report(o.db);
  if (!out.engine) return std::nullopt;
  auto authority = auth::Authority::open(*out.engine, o.db.data_dir);
  if (!authority.ok()) {
    report_error(authority.error());
    return std::nullopt;
  }
  out.authority = std::move(authority).value();
  out.audit = std::make_unique<auth::AuditLog>(out.engine->audit_store(), out.authority->roles().audit_alg);
  auth::AuditLog* log = out.audit.get();
  out.authority->set_note_sink([log](const auth::AuthNote& n) {
    auto r = log->append({now_utc(), n.username, n.unit_code, "cli", n.action, n.target, n.outcome, n.reason});
    if (!r.ok()) fmt::print(stderr, "warning: audit entry not written: {}\n", r.error().describe());
  });
  return out;
}

void print_created(const auth::Authority::CreatedUser& c) {
  fmt::print("user {} ({}), unit {}, role {}\n", c.user.username, c.user.display_name, c.user.unit_code, c.user.role);
  fmt::print("one-time password (shown once; changed at first sign-in): {}\n", c.one_time_password);
  if (!c.totp_secret.empty())
    fmt::print("second factor: enrol an authenticator app with\n  {}\n", auth::totp_uri(c.user.username, c.totp_secret));
}

// A new password from standard input (one line), never from the command line
// (it would stay in the shell's history and in `ps`).
Result<std::string> read_password() {
  if (isatty(STDIN_FILENO)) fmt::print(stderr, "new password (12+ characters): ");
  std::string line;
  if (!std::getline(std::cin, line)) return Error::invalid("password", "none was given on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void run(const std::string& what, const UserOptions& o) {
  auto opened = open_all(o);
  if (!opened) return;
  auth::Authority& a = *opened->authority;
  const std::string by = operator_name();
  if (what == "add") {
    auto created = a.add_user({o.username, o.name.empty() ? o.username : o.name, o.unit, o.role}, by);
    if (!created.ok()) return report_error(created.error());
    return print_created(*created);
  }
  if (what == "passwd") {
    if (o.one_time) {
      auto reset = a.reset_password(o.username, by);
      if (!reset.ok()) return report_error(reset.error());
      return fmt::print("one-time password for {} (changed at next sign-in): {}\n", o.username, *reset);
    }
    auto password = read_password();
    if (!password.ok()) return report_error(password.error());
    if (Status st = a.set_password(o.username, *password, false, by); !st.ok()) return report_error(st.error());
    return fmt::print("password of {} changed; their sessions are ended\n", o.username);
  }
  if (what == "lock" || what == "unlock") {
    Status st = what == "lock" ? a.lock(o.username, by) : a.unlock(o.username, by);
    if (!st.ok()) return report_error(st.error());
    return fmt::print("{} {}\n", o.username, what == "lock" ? "locked; their sessions are ended" : "unlocked");
  }
  if (what == "totp") {
    auto secret = a.enrol_totp(o.username, by);
    if (!secret.ok()) return report_error(secret.error());
    return fmt::print("second factor of {}: enrol an authenticator app with\n  {}\n", o.username,
                      auth::totp_uri(o.username, *secret));
  }
  if (what == "token") {
    auto issued = a.issue_token(o.username, o.token_name, o.permissions, by);
    if (!issued.ok()) return report_error(issued.error());
    std::string perms;
    for (const auto& p : issued->token.permissions) perms += (perms.empty() ? "" : " ") + p;
    fmt::print(stderr, "token {} '{}' for {} ({}); the secret is shown once:\n", issued->token.id, o.token_name,
               o.username, perms);
    return fmt::print("{}\n", issued->secret);
  }
  if (what == "revoke") {
    if (Status st = a.revoke_token(o.token_id, by); !st.ok()) return report_error(st.error());
    return fmt::print("token {} revoked\n", o.token_id);
  }
  if (what == "list") {
    auto users = a.users();
    if (!users.ok()) return report_error(users.error());
    for (const User& u : *users)
      fmt::print("{} {} {} {}{}{}\n", pad(u.username, 16), pad(u.unit_code, 12), pad(u.role, 10), u.display_name,
                 u.locked ? "  [locked]" : "", u.must_change_password ? "  [must change password]" : "");
    return fmt::print("{} users\n", users->size());
  }
}

}  // namespace

void add_user_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("user", "users, passwords, second factors and API tokens");
  cmd->require_subcommand(1);
  auto add = [cmd](const std::string& what, const std::string& help, bool takes_user) {
    auto o = std::make_shared<UserOptions>();
    CLI::App* sub = cmd->add_subcommand(what, help);
    add_database_options(*sub, o->db);
    if (takes_user) sub->add_option("username", o->username, "the user's sign-in name")->required();
    sub->callback([what, o] { run(what, *o); });
    return std::make_pair(sub, o);
  };
  {
    auto [sub, o] = add("add", "add a user; prints a one-time password (and a TOTP enrolment for roles that need it)",
                        true);
    sub->add_option("--name", o->name, "姓名 as shown");
    sub->add_option("--unit", o->unit, "unit code whose subtree the user works in ('*': every unit)")->required();
    sub->add_option("--role", o->role, "a role of data/auth/roles.json")->required();
  }
  {
    auto [sub, o] = add("passwd", "set a user's password from standard input, or --one-time to issue one", true);
    sub->add_flag("--one-time", o->one_time, "print a one-time password the user must change at sign-in");
  }
  add("lock", "lock a user and end their sessions", true);
  add("unlock", "unlock a user (after too many failed sign-ins)", true);
  add("totp", "enrol (or re-enrol) a user's second factor; prints the otpauth URI", true);
  {
    auto [sub, o] = add("token", "issue an API token acting for the user; prints its secret once", true);
    sub->add_option("--name", o->token_name, "what the token is for, e.g. avl-feed")->required();
    sub->add_option("--permission", o->permissions, "a permission of the user's role (repeat; default: all of them)");
  }
  {
    auto [sub, o] = add("revoke", "revoke an API token by its id", false);
    sub->add_option("id", o->token_id, "the token's id (printed when issued)")->required();
  }
  add("list", "list the users", false);
}

}  // namespace pingan::cli
