// San Luis Obispo police call log (a scraped daily CAD summary): local
// America/Los_Angeles times of the minute with no date of their own, patrol
// beats instead of coordinates, and calls repeated across overlapping daily
// logs. docs/import.md describes the rules.

#include <unordered_map>

#include <fmt/format.h>

#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/field_parsers.h"
#include "ingest/import_session.h"
#include "ingest/local_clock.h"
#include "ingest/mapping_file.h"
#include "ingest/source_files.h"
#include "ingest/source_importers.h"

namespace pingan::ingest {
namespace {

constexpr char kSource[] = "slo";
constexpr char kBureau[] = "SLO";
// A step logged less than this before `received` is out of order, not next-day.
constexpr int kOutOfOrderWindow = 3600;

struct Columns {
  size_t width = 0;
  int case_number = -1, date = -1, received = -1, dispatched = -1, arrived = -1, type = -1, grid = -1,
      address = -1, observed = -1, comments = -1, clearance = -1;
};

Result<Columns> resolve_columns(const CsvRecord& header, const std::string& file) {
  HeaderColumns h(header);
  Columns c;
  c.width = header.size();
  c.case_number = h.find({"case_number"});
  c.date = h.find({"date"});
  c.received = h.find({"received"});
  c.dispatched = h.find({"dispatched"});
  c.arrived = h.find({"arrived"});
  c.type = h.find({"type"});
  c.grid = h.find({"grid_location"});
  c.address = h.find({"address"});
  c.observed = h.find({"observed_crime"});
  c.comments = h.find({"call_comments"});
  c.clearance = h.find({"clearance_code"});
  if (c.case_number < 0 || c.date < 0 || c.received < 0 || c.dispatched < 0 || c.arrived < 0 || c.type < 0 ||
      c.grid < 0)
    return Error::invalid("path", fmt::format("{}: not an SLOPD call log: the header needs case_number, date, "
                                              "received, dispatched, arrived, type, grid_location",
                                              file));
  return c;
}

// A beat code as the log writes it: letters then digits (PN1..PN13, LZ0).
bool is_beat_code(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z') ++i;
  size_t letters = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return letters >= 1 && letters <= 4 && i > letters && i - letters <= 3 && i == s.size();
}

class SloImporter {
 public:
  SloImporter(ImportSession& session, std::unordered_map<std::string, std::string> mapping, LocalClock clock,
              std::vector<std::string> column_names)
      : session_(session), mapping_(std::move(mapping)), clock_(std::move(clock)), names_(std::move(column_names)) {}

  Status import_file(const SourceFile& file, std::int64_t bytes_before) {
    PINGAN_RETURN_IF_ERROR(read_whole_file_into(file.path, text_));
    CsvReader reader(text_);
    CsvRecord rec;
    if (!reader.next(rec)) return {};
    PINGAN_ASSIGN_OR_RETURN(Columns cols, resolve_columns(rec, file.display));
    names_.clear();
    for (auto f : rec.fields) names_.emplace_back(trim(f));
    while (reader.next(rec)) {
      if (rec.blank()) continue;
      session_.row_read(bytes_before + reader.bytes_consumed());
      PINGAN_RETURN_IF_ERROR(import_row(rec, cols, file.display));
      if (session_.failed()) break;
    }
    session_.end_file();
    return {};
  }

 private:
  // Local wall time `seconds_after` the local midnight of `day`.
  Timestamp local_time(const CivilTime& day, std::int64_t seconds_after) {
    return clock_.to_utc(utc_to_civil(civil_to_utc(day) + seconds_after));
  }

  Status import_row(const CsvRecord& rec, const Columns& cols, const std::string& file) {
    RowOrigin origin{file, rec.line, rec.raw};
    if (rec.size() != cols.width) {
      session_.reject(origin, "", fmt::format("{} row: {} fields, the header has {}",
                                              rec.size() < cols.width ? "short" : "long", rec.size(), cols.width));
      return {};
    }
    std::string_view case_number = trim(rec[cols.case_number]);
    if (case_number.empty()) {
      session_.reject(origin, "case_number", "is empty");
      return {};
    }
    // Overlapping daily logs repeat calls: the first copy decides.
    if (session_.repeated_in_import(case_number)) return {};
    // The log is UTF-8: unlike the St. Louis files there is no second encoding
    // to fall back on, so a broken byte makes the row unreadable.
    if (has_high_bytes(rec.raw) && !is_valid_utf8(rec.raw)) {
      for (size_t i = 0; i < rec.size(); ++i)
        if (!is_valid_utf8(rec[i])) {
          session_.reject(origin, names_[i], "is not valid UTF-8");
          return {};
        }
    }
    std::string_view date_text = trim(rec[cols.date]), received_text = trim(rec[cols.received]);
    auto date = parse_mdy2(date_text);
    if (!date) {
      session_.reject(origin, "date", fmt::format("'{}' is not a MM/DD/YY date", date_text));
      return {};
    }
    auto received = parse_hh_mm(received_text);
    if (!received) {
      session_.reject(origin, "received", fmt::format("'{}' is not a HH:MM time", received_text));
      return {};
    }
    // Step times carry no date. One earlier than `received` is on the next
    // day, unless it is less than an hour earlier: then it was logged out of
    // order (on-view events), not a day later, and the row is refused.
    std::optional<Timestamp> step_at[2];
    const int step_cols[2] = {cols.dispatched, cols.arrived};
    for (int k = 0; k < 2; ++k) {
      std::string_view t = trim(rec[step_cols[k]]);
      if (t.empty()) continue;
      auto secs = parse_hh_mm(t);
      if (!secs) {
        session_.reject(origin, names_[step_cols[k]], fmt::format("'{}' is not a HH:MM time", t));
        return {};
      }
      if (*secs < *received && *received - *secs < kOutOfOrderWindow) {
        session_.reject(origin, k == 0 ? "dispatched_at" : "arrived_at",
                        fmt::format("{} is before the call was received at {}", t, received_text));
        return {};
      }
      step_at[k] = local_time(*date, *secs < *received ? *secs + 86400 : *secs);
    }
    std::string_view type_text = trim(rec[cols.type]);
    auto type = mapping_.find(std::string(type_text));
    if (type == mapping_.end()) {
      session_.reject(origin, "type", fmt::format("unknown category: call type '{}' has no mapping", type_text));
      return {};
    }

    Incident inc;
    inc.source = kSource;
    inc.source_id = std::string(case_number);
    inc.case_number = std::string(case_number);
    inc.original_code = std::string(type_text);
    inc.type_code = type->second;
    inc.reported_at = local_time(*date, *received);
    inc.status = IncidentStatus::kClosed;
    inc.times.dispatched_at = step_at[0];
    inc.times.arrived_at = step_at[1];

    std::string_view grid = trim(rec[cols.grid]);
    if (is_beat_code(grid)) {
      std::string code = fmt::format("{}-{}", kBureau, grid);
      if (!session_.has_unit(code)) {
        std::string name = grid.substr(0, 2) == "LZ" ? fmt::format("{}（市外）", grid) : fmt::format("{}巡区", grid);
        PINGAN_RETURN_IF_ERROR(session_.ensure_units({Unit{0, code, name, UnitKind::kStation, kBureau, {}}}));
      }
      inc.unit_code = std::move(code);
    } else {
      inc.unit_code = kBureau;
    }

    if (cols.address >= 0) {
      std::string_view a = trim(rec[cols.address]);
      while (!a.empty() && (a.back() == ';' || a.back() == ' ')) a.remove_suffix(1);
      inc.address = std::string(a);
    }
    std::string_view observed = cols.observed >= 0 ? trim(rec[cols.observed]) : "";
    std::string_view comments = cols.comments >= 0 ? trim(rec[cols.comments]) : "";
    std::string_view clearance = cols.clearance >= 0 ? trim(rec[cols.clearance]) : "";
    inc.description = std::string(comments);
    if (!observed.empty()) inc.description += fmt::format("{}observed: {}", inc.description.empty() ? "" : "; ", observed);
    if (!clearance.empty())
      inc.description += fmt::format("{}clearance: {}", inc.description.empty() ? "" : "; ", clearance);
    session_.accept(std::move(inc), origin);
    return {};
  }

  ImportSession& session_;
  std::string text_;  // the file being read; its memory is reused for the next
  std::unordered_map<std::string, std::string> mapping_;
  LocalClock clock_;
  std::vector<std::string> names_;
};

}  // namespace

Result<ImportReport> import_slo(Engine& engine, const ImportOptions& options) {
  PINGAN_ASSIGN_OR_RETURN(
      FilePlan plan, plan_files(options.path, [](const SourceFile& f, const CsvRecord& header, const CsvRecord*) -> Status {
        PINGAN_RETURN_IF_ERROR(resolve_columns(header, f.display));
        return Status();
      }));
  PINGAN_ASSIGN_OR_RETURN(auto rows, load_mapping_file(mapping_path(options.data_dir, kSource), {"type"}, engine.taxonomy()));
  std::unordered_map<std::string, std::string> mapping;
  for (const MappingRow& r : rows) mapping[r.at("type")] = r.at("type_code");
  PINGAN_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::locate("America/Los_Angeles"));
  std::int64_t bytes_total = 0;
  for (const auto& f : plan.files) bytes_total += f.size;
  PINGAN_ASSIGN_OR_RETURN(auto session, ImportSession::start(engine, options, bytes_total));
  for (const auto& [file, reason] : plan.skipped) session->note_skipped_file(file, reason);
  PINGAN_RETURN_IF_ERROR(
      session->ensure_units({Unit{0, kBureau, "圣路易斯奥比斯波警察局", UnitKind::kBureau, "", {}}}));
  SloImporter importer(*session, std::move(mapping), LocalClock(zone), {});
  return session->import_files(plan.files, [&](const SourceFile& f, std::int64_t bytes_before) {
    return importer.import_file(f, bytes_before);
  });
}

}  // namespace pingan::ingest
