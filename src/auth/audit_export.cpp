// AuditLog::export_entries(): the log as JSON Lines or CSV, for an auditor's
// tools. UTF-8 throughout; bytes that are not UTF-8 become U+FFFD rather
// than stop the export.

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "auth/audit_log.h"

namespace pingan::auth {
namespace {

constexpr const char* kCsvHeader =
    "seq,at,time_utc,user,unit_code,address,action,target,outcome,reason,alg,prev_hash,hash\r\n";

std::string json_line(const AuditEntry& e) {
  nlohmann::ordered_json j = {
      {"seq", e.seq},         {"at", e.at},         {"time_utc", format_utc(e.at)}, {"user", e.user},
      {"unit_code", e.unit_code}, {"address", e.address}, {"action", e.action},     {"target", e.target},
      {"outcome", e.outcome}, {"reason", e.reason}, {"alg", e.alg},                 {"prev_hash", e.prev_hash},
      {"hash", e.hash}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// RFC 4180 quoting; a text cell that a spreadsheet would read as a formula
// (=, +, -, @ first) gets a leading apostrophe, so that opening an export
// runs nothing a user typed into a reason (OWASP "CSV injection").
std::string csv_cell(const std::string& text) {
  std::string s = text;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_line(const AuditEntry& e) {
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", e.seq, e.at, format_utc(e.at), csv_cell(e.user),
                     csv_cell(e.unit_code), csv_cell(e.address), csv_cell(e.action), csv_cell(e.target),
                     csv_cell(e.outcome), csv_cell(e.reason), csv_cell(e.alg), e.prev_hash, e.hash);
}

}  // namespace

Result<std::int64_t> AuditLog::export_entries(const AuditQuery& query, AuditExportFormat format, std::ostream& out) {
  std::int64_t written = 0;
  if (format == AuditExportFormat::kCsv) out << kCsvHeader;
  PINGAN_RETURN_IF_ERROR(store_.search(query, [&](const AuditEntry& e) -> Status {
    out << (format == AuditExportFormat::kCsv ? csv_line(e) : json_line(e) + "\n");
    if (!out) return Error::unavailable(fmt::format("cannot write the audit export (at seq {})", e.seq));
    ++written;
    return {};
  }));
  out.flush();
  if (!out) return Error::unavailable("cannot write the audit export");
  return written;
}

}  // namespace pingan::auth
