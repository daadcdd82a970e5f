#include "cli/demo_users.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "auth/audit_log.h"
#include "auth/authority.h"
#include "auth/totp.h"
#include "cli/commands.h"
#include "cli/table_text.h"
#include "engine/engine.h"

namespace pingan::cli {
namespace {

constexpr const char* kBy = "cli:demo";

const Unit* find_unit(const std::vector<Unit>& units, UnitKind kind, const std::string& parent) {
  auto it = std::find_if(units.begin(), units.end(),
                         [&](const Unit& u) { return u.kind == kind && u.parent_code == parent; });
  return it == units.end() ? nullptr : &*it;
}

// Where each role works: officers of a station and of one of its
// communities at their own level, every other role (administrator, command
// centre, leader, machine clients) over the whole bureau.
struct DemoUnits {
  const Unit* bureau = nullptr;
  const Unit* station = nullptr;
  const Unit* community = nullptr;
  const Unit* for_role(const std::string& role) const {
    if (role == "station") return station;
    if (role == "community") return community;
    return bureau;
  }
};

std::optional<DemoUnits> pick_units(const std::vector<Unit>& units) {
  DemoUnits d;
  d.bureau = find_unit(units, UnitKind::kBureau, "");
  if (d.bureau) d.station = find_unit(units, UnitKind::kStation, d.bureau->code);
  if (d.station) d.community = find_unit(units, UnitKind::kCommunity, d.station->code);
  if (!d.community) return std::nullopt;
  return d;
}

struct Row {
  std::string username, role, unit, password;
  std::string otpauth;  // administrators: the second factor to enrol
};

// Adds one user with a password of its own (no change asked at first
// sign-in: it is a demo). add_user's one-time password already passes the
// rules (24 random characters); set_password makes it a lasting one.
Result<Row> add_demo_user(auth::Authority& authority, const auth::Role& role, const Unit& unit) {
  Row row{"demo-" + role.name, fmt::format("{} {}", role.name, role.name_zh), fmt::format("{} {}", unit.code, unit.name),
          "", ""};
  PINGAN_ASSIGN_OR_RETURN(auto created,
                          authority.add_user({row.username, fmt::format("示范{}", role.name_zh), unit.code, role.name}, kBy));
  PINGAN_RETURN_IF_ERROR(authority.set_password(row.username, created.one_time_password, false, kBy));
  row.password = created.one_time_password;
  if (!created.totp_secret.empty()) row.otpauth = auth::totp_uri(row.username, created.totp_secret);
  return row;
}

}  // namespace

void write_demo_users(Engine& engine, const std::string& data_dir, const std::vector<Unit>& units) {
  auto opened = auth::Authority::open(engine, data_dir);
  if (!opened.ok()) return report_error(opened.error());
  auth::Authority& authority = **opened;
  auth::AuditLog audit(engine.audit_store(), authority.roles().audit_alg);
  authority.set_note_sink([&audit](const auth::AuthNote& n) {
    auto r = audit.append({now_utc(), n.username, n.unit_code, "cli", n.action, n.target, n.outcome, n.reason});
    if (!r.ok()) fmt::print(stderr, "warning: audit entry not written: {}\n", r.error().describe());
  });
  const auto where = pick_units(units);
  if (!where) return report_error(Error::invalid("units", "the demo district has no bureau, station and community"));

  std::vector<Row> rows;
  std::vector<std::string> kept;
  std::string machine_token;
  for (const auth::Role& role : authority.roles().roles) {
    const std::string username = "demo-" + role.name;
    auto existing = engine.user_store().find_user(username);
    if (!existing.ok()) return report_error(existing.error());
    if (*existing) {
      kept.push_back(username);
      continue;
    }
    auto row = add_demo_user(authority, role, *where->for_role(role.name));
    if (!row.ok()) return report_error(row.error());
    if (role.name == "machine") {
      auto token = authority.issue_token(username, "demo-feed", {}, kBy);
      if (!token.ok()) return report_error(token.error());
      machine_token = token->secret;
    }
    rows.push_back(std::move(*row));
  }

  if (!rows.empty()) {
    fmt::print("demo users (passwords shown once; a demo database is never for service):\n");
    fmt::print("  {} {} {} {}\n", pad("username", 16), pad("role", 22), pad("unit", 36), "password");
    for (const Row& r : rows) {
      fmt::print("  {} {} {} {}\n", pad(r.username, 16), pad(r.role, 22), pad(r.unit, 36), r.password);
      if (!r.otpauth.empty())
        fmt::print("    second factor required: enrol an authenticator app with (or a QR code of)\n    {}\n",
                   r.otpauth);
    }
  }
  if (!machine_token.empty())
    fmt::print("API token of demo-machine (shown once; send it as 'Authorization: Bearer <token>'):\n  {}\n",
               machine_token);
  if (!kept.empty())
    fmt::print("demo users that exist already are kept as they are: {} (their passwords were printed when they were "
               "made; `pingan user passwd USERNAME --one-time --db ...` issues a new one)\n",
               fmt::join(kept, ", "));
}

}  // namespace pingan::cli
