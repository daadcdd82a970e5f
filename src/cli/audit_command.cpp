// `pingan audit verify|search|export`: the hash-chained audit log
// (auth/audit_log.h) read through the engine. verify exits 0 when the chain
// holds and 1 naming the first bad entry.

#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "auth/audit_log.h"
#include "cli/commands.h"
#include "cli/table_text.h"

namespace pingan::cli {
namespace {

struct AuditOptions {
  DatabaseOptions db;
  std::string user, unit, record, action, from, to;
  std::string format = "jsonl";
  std::string out;
  std::int64_t limit = 100;
};

// "2024-06-01" (a day of the bureau's clock) or an ISO 8601 time; a bare
// date as --to takes in the whole day.
Result<Timestamp> parse_bound(const std::string& text, const TimeZone& zone, bool end_of_day, const char* field) {
  const bool bare_date = text.size() == 10 && text[4] == '-' && text[7] == '-';
  auto parsed = parse_iso8601(bare_date ? text + "T00:00:00" : text, &zone);
  if (!parsed.ok()) return Error::invalid(field, fmt::format("'{}' is not a date (2024-06-01) or an ISO 8601 time", text));
  return bare_date && end_of_day ? *parsed + 86400 : *parsed;
}

Result<AuditQuery> query_of(const AuditOptions& o) {
  PINGAN_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::locate(o.db.time_zone));
  AuditQuery q;
  q.user = o.user;
  q.unit_code = o.unit;
  q.target = o.record;
  q.action = o.action;
  if (!o.from.empty()) {
    PINGAN_ASSIGN_OR_RETURN(q.from, parse_bound(o.from, zone, false, "--from"));
  }
  if (!o.to.empty()) {
    PINGAN_ASSIGN_OR_RETURN(q.until, parse_bound(o.to, zone, true, "--to"));
  }
  return q;
}

void run_verify(const AuditOptions& o) {
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  auth::AuditLog log(engine->audit_store(), auth::AuditAlg::kSha256);
  auto v = log.verify();
  if (!v.ok()) return report_error(v.error());
  if (!v->ok) {
    fmt::print("audit log BROKEN at seq {}: {}\n{} entries before it hold; the last is seq {} (hash {})\n",
               v->first_bad_seq, v->problem, v->checked, v->head_seq, v->head_hash.empty() ? "-" : v->head_hash);
    return set_exit_code(1);
  }
  fmt::print("audit log intact: {} entries checked", v->checked);
  if (v->anchor_seq > 0) fmt::print(" (entries up to seq {} pruned, chain anchored there)", v->anchor_seq);
  fmt::print("\nhead: seq {} hash {}\n", v->head_seq, v->head_hash.empty() ? "-" : v->head_hash);
}

void run_search(const AuditOptions& o) {
  auto query = query_of(o);
  if (!query.ok()) return report_error(query.error());
  auto zone = TimeZone::locate(o.db.time_zone);
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  query->limit = o.limit;
  auth::AuditLog log(engine->audit_store(), auth::AuditAlg::kSha256);
  auto entries = log.search(*query);
  if (!entries.ok()) return report_error(entries.error());
  for (const AuditEntry& e : *entries)
    fmt::print("{} {} {} {} {} {} {} {}{}\n", pad(std::to_string(e.seq), 6, true), format_local(e.at, *zone),
               pad(e.user.empty() ? "-" : e.user, 12), pad(e.unit_code.empty() ? "-" : e.unit_code, 10),
               pad(e.address.empty() ? "-" : e.address, 15), pad(e.action, 24), pad(e.target.empty() ? "-" : e.target, 16),
               e.outcome, e.reason.empty() ? "" : "  " + e.reason);
  fmt::print("{} entries{}\n", entries->size(),
             std::int64_t(entries->size()) == o.limit ? fmt::format(" (the first {}; --limit for more)", o.limit) : "");
}

void run_export(const AuditOptions& o) {
  auto query = query_of(o);
  if (!query.ok()) return report_error(query.error());
  if (o.format != "jsonl" && o.format != "csv")
    return report_error(Error::invalid("--format", fmt::format("'{}' is neither jsonl nor csv", o.format)));
  auto engine = open_engine_or_report(o.db);
  if (!engine) return;
  auth::AuditLog log(engine->audit_store(), auth::AuditAlg::kSha256);
  std::ofstream file;
  if (!o.out.empty()) {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) return report_error(Error::invalid("--out", fmt::format("cannot write {}", o.out)));
  }
  std::ostream& out = o.out.empty() ? std::cout : file;
  auto written = log.export_entries(
      *query, o.format == "csv" ? auth::AuditExportFormat::kCsv : auth::AuditExportFormat::kJsonLines, out);
  if (!written.ok()) return report_error(written.error());
  if (!o.out.empty()) fmt::print(stderr, "exported {} audit entries to {}\n", *written, o.out);
}

void add_filters(CLI::App& cmd, AuditOptions& o) {
  cmd.add_option("--user", o.user, "entries of this user or token");
  cmd.add_option("--unit", o.unit, "entries of this unit code");
  cmd.add_option("--record", o.record, "entries about this record, e.g. incident:123");
  cmd.add_option("--action", o.action, "entries of this action, e.g. login.failed, reveal");
  cmd.add_option("--from", o.from, "from this date (2024-06-01, bureau time) or ISO 8601 time");
  cmd.add_option("--to", o.to, "up to this date (the whole day) or before this ISO 8601 time");
}

}  // namespace

void add_audit_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("audit", "verify, search and export the hash-chained audit log");
  cmd->require_subcommand(1);

  auto verify = std::make_shared<AuditOptions>();
  CLI::App* v = cmd->add_subcommand("verify", "check the hash chain; exit 1 naming the first edited, removed or "
                                              "reordered entry");
  add_database_options(*v, verify->db);
  v->get_option("--db")->check(CLI::ExistingFile);  // verifying a typo must not create a database
  v->callback([verify] { run_verify(*verify); });

  auto search = std::make_shared<AuditOptions>();
  CLI::App* s = cmd->add_subcommand("search", "list audit entries by user, unit, record, action and time");
  add_database_options(*s, search->db);
  s->get_option("--db")->check(CLI::ExistingFile);
  add_filters(*s, *search);
  s->add_option("--limit", search->limit, "at most this many entries")->capture_default_str()->check(CLI::PositiveNumber);
  s->callback([search] { run_search(*search); });

  auto exporting = std::make_shared<AuditOptions>();
  CLI::App* e = cmd->add_subcommand("export", "write audit entries as JSON Lines or CSV (UTF-8)");
  add_database_options(*e, exporting->db);
  e->get_option("--db")->check(CLI::ExistingFile);
  add_filters(*e, *exporting);
  e->add_option("--format", exporting->format, "jsonl | csv")->capture_default_str();
  e->add_option("--out", exporting->out, "file to write (default: standard output)");
  e->callback([exporting] { run_export(*exporting); });
}

}  // namespace pingan::cli
