// Portland calls for service in the NIJ challenge format (a dBase table
// written to CSV): date only, Oregon North State Plane feet, case type with
// a call-group fallback. docs/import.md describes the rules.

#include <unordered_map>

#include <fmt/format.h>

#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/field_parsers.h"
#include "ingest/import_session.h"
#include "ingest/local_clock.h"
#include "ingest/mapping_file.h"
#include "ingest/reprojector.h"
#include "ingest/source_files.h"
#include "ingest/source_importers.h"

namespace pingan::ingest {
namespace {

constexpr char kSource[] = "portland-nij";
// The 60 districts span lon -122.84..-122.46, lat 45.43..45.66; calls a little
// outside the city are real (neighbouring jurisdictions), far away are not.
constexpr BoundingBox kPlausibleArea{45.20, -123.20, 45.90, -122.10};

struct Columns {
  size_t width = 0;
  int call_group = -1, final_case = -1, case_desc = -1, occ_date = -1, x = -1, y = -1;
};

Result<Columns> resolve_columns(const CsvRecord& header, const std::string& file) {
  HeaderColumns h(header);
  Columns c;
  c.width = header.size();
  c.call_group = h.find({"CALL_GROUP"});
  c.final_case = h.find({"final_case", "FINAL_CASE"});
  c.case_desc = h.find({"CASE_DESC"});
  c.occ_date = h.find({"occ_date", "OCC_DATE"});
  c.x = h.find({"x_coordina", "X_COORDINA"});
  c.y = h.find({"y_coordina", "Y_COORDINA"});
  if (c.call_group < 0 || c.final_case < 0 || c.occ_date < 0 || c.x < 0 || c.y < 0)
    return Error::invalid("path", fmt::format("{}: not an NIJ calls-for-service file: the header needs "
                                              "CALL_GROUP, final_case, occ_date, x_coordina, y_coordina",
                                              file));
  return c;
}

// final_case (CAD case type) first, then CALL_GROUP (data/mappings/portland-nij.csv).
class CallMapping {
 public:
  static Result<CallMapping> load(const Taxonomy& taxonomy, const std::string& data_dir) {
    PINGAN_ASSIGN_OR_RETURN(auto rows, load_mapping_file(mapping_path(data_dir, kSource), {"field", "code"}, taxonomy));
    CallMapping m;
    for (const MappingRow& r : rows) {
      const std::string& field = r.at("field");
      if (field == "final_case") m.by_case_[r.at("code")] = r.at("type_code");
      else if (field == "CALL_GROUP") m.by_group_[r.at("code")] = r.at("type_code");
      else
        return Error::invalid("mapping", fmt::format("{}:{}: field '{}' is neither final_case nor CALL_GROUP",
                                                     mapping_path(data_dir, kSource), r.line, field));
    }
    return m;
  }
  const std::string* find(std::string_view final_case, std::string_view call_group) const {
    if (auto it = by_case_.find(std::string(final_case)); it != by_case_.end()) return &it->second;
    if (auto it = by_group_.find(std::string(call_group)); it != by_group_.end()) return &it->second;
    return nullptr;
  }

 private:
  std::unordered_map<std::string, std::string> by_case_, by_group_;
};

class PortlandImporter {
 public:
  PortlandImporter(ImportSession& session, CallMapping mapping, std::unique_ptr<Reprojector> proj, LocalClock clock)
      : session_(session), mapping_(std::move(mapping)), proj_(std::move(proj)), clock_(std::move(clock)) {}

  Status import_file(const SourceFile& file, std::int64_t bytes_before) {
    PINGAN_RETURN_IF_ERROR(read_whole_file_into(file.path, text_));
    CsvReader reader(text_);
    CsvRecord rec;
    if (!reader.next(rec)) return {};
    PINGAN_ASSIGN_OR_RETURN(Columns cols, resolve_columns(rec, file.display));
    std::string stem = file_stem(file.path);
    while (reader.next(rec)) {
      if (rec.blank()) continue;
      session_.row_read(bytes_before + reader.bytes_consumed());
      import_row(rec, cols, file.display, stem);
      if (session_.failed()) break;
    }
    session_.end_file();
    return {};
  }

 private:
  void import_row(const CsvRecord& rec, const Columns& cols, const std::string& file, const std::string& stem) {
    RowOrigin origin{file, rec.line, rec.raw};
    if (rec.size() != cols.width) {
      session_.reject(origin, "", fmt::format("{} row: {} fields, the header has {}",
                                              rec.size() < cols.width ? "short" : "long", rec.size(), cols.width));
      return;
    }
    if (has_high_bytes(rec.raw) && !is_valid_utf8(rec.raw)) {
      session_.reject(origin, "", "the row is not valid UTF-8");
      return;
    }
    std::string_view final_case = trim(rec[cols.final_case]);
    std::string_view call_group = trim(rec[cols.call_group]);  // " SUSPICIOUS" is published with a space
    std::string_view date_text = trim(rec[cols.occ_date]);
    if (final_case.empty() && call_group.empty() && date_text.empty()) {
      session_.reject(origin, "", "blank record: no case type, call group or date");
      return;
    }
    auto date = parse_ymd(date_text);
    if (!date) {
      session_.reject(origin, "occ_date", fmt::format("'{}' is not a YYYY-MM-DD date", date_text));
      return;
    }
    const std::string* type = mapping_.find(final_case, call_group);
    if (!type) {
      session_.reject(origin, "final_case",
                      fmt::format("unknown category: case type '{}' (call group '{}') has no mapping",
                                  final_case, call_group));
      return;
    }
    Incident inc;
    inc.source = kSource;
    inc.source_id = row_source_id(stem, rec.line);
    inc.original_code = std::string(final_case);
    inc.type_code = *type;
    // The NIJ data has no time of day: the call is placed at local midnight.
    inc.reported_at = clock_.to_utc(*date);
    inc.status = IncidentStatus::kClosed;
    if (cols.case_desc >= 0) inc.description = std::string(trim(rec[cols.case_desc]));

    std::string_view x_text = trim(rec[cols.x]), y_text = trim(rec[cols.y]);
    auto x = parse_decimal(x_text), y = parse_decimal(y_text);
    if ((!x && !x_text.empty()) || (!y && !y_text.empty())) {
      session_.reject(origin, !x && !x_text.empty() ? "x_coordina" : "y_coordina",
                      fmt::format("'{}'/'{}' is not a pair of numbers", x_text, y_text));
      return;
    }
    if (x && y && *x != 0 && *y != 0) {
      auto p = proj_->to_wgs84(*x, *y);
      if (!p || !kPlausibleArea.contains(*p)) {
        session_.reject(origin, "x_coordina",
                        p ? fmt::format("x/y {}/{} lies at lat {:.5f}, lon {:.5f}, outside the Portland area",
                                        x_text, y_text, p->lat, p->lon)
                          : fmt::format("x/y {}/{} cannot be projected from EPSG:2913", x_text, y_text));
        return;
      }
      inc.location = *p;
    }
    const Unit* unit = inc.location ? session_.units().locate(*inc.location) : nullptr;
    inc.unit_code = unit ? unit->code : "PORT";
    session_.accept(std::move(inc), origin);
  }

  ImportSession& session_;
  std::string text_;  // the file being read; its memory is reused for the next
  CallMapping mapping_;
  std::unique_ptr<Reprojector> proj_;
  LocalClock clock_;
};

}  // namespace

Result<ImportReport> import_portland_nij(Engine& engine, const ImportOptions& options) {
  PINGAN_ASSIGN_OR_RETURN(
      FilePlan plan, plan_files(options.path, [](const SourceFile& f, const CsvRecord& header, const CsvRecord*) -> Status {
        PINGAN_RETURN_IF_ERROR(resolve_columns(header, f.display));
        return Status();
      }));
  const auto& files = plan.files;
  PINGAN_ASSIGN_OR_RETURN(CallMapping mapping, CallMapping::load(engine.taxonomy(), options.data_dir));
  PINGAN_ASSIGN_OR_RETURN(auto proj, Reprojector::create("EPSG:2913"));
  PINGAN_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::locate("America/Los_Angeles"));
  std::int64_t bytes_total = 0;
  for (const auto& f : files) bytes_total += f.size;
  PINGAN_ASSIGN_OR_RETURN(auto session, ImportSession::start(engine, options, bytes_total));
  for (const auto& [file, reason] : plan.skipped) session->note_skipped_file(file, reason);
  PINGAN_RETURN_IF_ERROR(session->ensure_units({Unit{0, "PORT", "波特兰警察局", UnitKind::kBureau, "", {}}}));
  PortlandImporter importer(*session, std::move(mapping), std::move(proj), LocalClock(zone));
  return session->import_files(files, [&](const SourceFile& f, std::int64_t bytes_before) {
    return importer.import_file(f, bytes_before);
  });
}

}  // namespace pingan::ingest
