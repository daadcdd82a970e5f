// St. Louis (SLMPD) monthly crime files: three header layouts, local
// America/Chicago times, Missouri East State Plane feet, cp1252 bytes in a
// few files, Count = -1 corrections and unfounded flags. docs/import.md
// describes every rule implemented here.

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

constexpr char kSource[] = "stlouis";
constexpr int kNeighbourhoods = 88;
constexpr int kDistricts = 6;
// Districts were redrawn in 2014 (9 -> 6); earlier numbers are not today's stations.
constexpr int kFirstYearOfSixDistricts = 2014;
// The city's neighbourhood polygons span lon -90.32..-90.18, lat 38.53..38.77;
// a point well outside is a geocoding error, not a city crime.
constexpr BoundingBox kPlausibleArea{38.40, -90.50, 38.90, -90.00};

// Column positions of one file, whatever its layout.
struct Columns {
  char layout = 'A';
  size_t width = 0;
  int complaint = -1, coded_month = -1, date_occur = -1, unfounded = -1, count = -1, crime = -1,
      district = -1, description = -1, ileads_address = -1, ileads_street = -1, neighborhood = -1,
      location_name = -1, location_comment = -1, cad_address = -1, cad_street = -1, x = -1, y = -1;
};

Result<Columns> resolve_columns(const CsvRecord& header, const std::string& file) {
  HeaderColumns h(header);
  Columns c;
  c.width = header.size();
  if (h.find({"MonthReportedtoMSHP"}) >= 0) c.layout = 'C';
  else if (h.find({"Coded Month"}) >= 0) c.layout = 'B';
  c.complaint = h.find({"Complaint"});
  c.coded_month = h.find({"CodedMonth", "Coded Month", "MonthReportedtoMSHP"});
  c.date_occur = h.find({"DateOccur", "Date Occur", "DateOccured"});
  c.unfounded = h.find({"FlagUnfounded", "Flag-Unfounded", "UnfoundedCrimeIndicator"});
  c.count = h.find({"Count"});
  c.crime = h.find({"Crime"});
  c.district = h.find({"District"});
  c.description = h.find({"Description"});
  c.ileads_address = h.find({"ILEADSAddress", "ILEADS-Address"});
  c.ileads_street = h.find({"ILEADSStreet", "ILEADS-Street"});
  c.neighborhood = h.find({"Neighborhood"});
  c.location_name = h.find({"LocationName", "Location Name"});
  c.location_comment = h.find({"LocationComment", "Location Comment"});
  c.cad_address = h.find({"CADAddress", "CAD-Address"});
  c.cad_street = h.find({"CADStreet", "CAD-Street"});
  c.x = h.find({"XCoord", "X-Coord"});
  c.y = h.find({"YCoord", "Y-Coord"});
  std::vector<std::string> missing;
  auto need = [&](int col, const char* name) {
    if (col < 0) missing.push_back(name);
  };
  need(c.coded_month, "CodedMonth");
  need(c.date_occur, "DateOccur");
  need(c.count, "Count");
  need(c.crime, "Crime");
  need(c.district, "District");
  need(c.neighborhood, "Neighborhood");
  need(c.x, "XCoord");
  need(c.y, "YCoord");
  if (c.layout != 'C') need(c.complaint, "Complaint");
  if (!missing.empty())
    return Error::invalid("path", fmt::format("{}: not a St. Louis crime file: the header lacks {}", file,
                                              fmt::join(missing, ", ")));
  return c;
}

// UCR code -> taxonomy type: the most specific code_prefix of the code's
// class, else the class row (data/mappings/stlouis.csv).
class CrimeMapping {
 public:
  static Result<CrimeMapping> load(const Taxonomy& taxonomy, const std::string& data_dir) {
    PINGAN_ASSIGN_OR_RETURN(auto rows, load_mapping_file(mapping_path(data_dir, kSource), {"ucr_class", "code_prefix"}, taxonomy));
    CrimeMapping m;
    for (const MappingRow& r : rows) {
      auto cls = parse_integer(r.at("ucr_class"));
      if (!cls || *cls < 1 || *cls > 99)
        return Error::invalid("mapping", fmt::format("{}:{}: ucr_class '{}' is not 1..99", mapping_path(data_dir, kSource),
                                                     r.line, r.at("ucr_class")));
      m.rules_[static_cast<int>(*cls)].push_back({r.at("code_prefix"), r.at("type_code")});
    }
    return m;
  }

  // The type for a 5- or 6-digit code, or null when its class is not mapped.
  const std::string* find(std::string_view code) {
    // Codes are 5 or 6 digits: the number, tagged with its length, is the cache key.
    std::uint32_t key = static_cast<std::uint32_t>(code.size()) << 24;
    std::uint32_t number = 0;
    for (char c : code) number = number * 10 + static_cast<std::uint32_t>(c - '0');
    key |= number;
    auto cached = cache_.find(key);
    if (cached != cache_.end()) return cached->second;
    const std::string* best = nullptr;
    size_t best_len = 0;
    int cls = code.size() == 5 ? code[0] - '0' : (code[0] - '0') * 10 + (code[1] - '0');
    auto it = rules_.find(cls);
    if (it != rules_.end())
      for (const Rule& r : it->second)
        if (code.substr(0, r.prefix.size()) == r.prefix && (!best || r.prefix.size() >= best_len)) {
          best = &r.type_code;
          best_len = r.prefix.size();
        }
    cache_.emplace(key, best);
    return best;
  }

 private:
  struct Rule {
    std::string prefix;  // empty = the whole class
    std::string type_code;
  };
  std::map<int, std::vector<Rule>> rules_;
  std::unordered_map<std::uint32_t, const std::string*> cache_;
};

bool is_ucr_code(std::string_view code) {
  if (code.size() != 5 && code.size() != 6) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// " " is how these exports write an empty text field.
std::string_view text_of(const CsvRecord& rec, int col) {
  return col < 0 ? std::string_view() : trim(rec[static_cast<size_t>(col)]);
}

void append_words(std::string& out, std::string_view part) {
  if (part.empty()) return;
  if (!out.empty()) out.push_back(' ');
  out.append(part);
}

std::vector<Unit> city_units() {
  std::vector<Unit> units;
  units.push_back(Unit{0, "STL", "圣路易斯市警察局", UnitKind::kBureau, "", {}});
  for (int d = 1; d <= kDistricts; ++d)
    units.push_back(Unit{0, fmt::format("STL-D{}", d), fmt::format("第{}巡区", d), UnitKind::kStation, "STL", {}});
  // Neighbourhoods hang under the city, not a district: several lie in two districts.
  // Names and polygons come from import_units (stlouis-neighborhoods) when it ran.
  for (int n = 1; n <= kNeighbourhoods; ++n)
    units.push_back(Unit{0, fmt::format("STL-N{}", n), fmt::format("第{}街区", n), UnitKind::kCommunity, "STL", {}});
  return units;
}

class StLouisImporter {
 public:
  StLouisImporter(ImportSession& session, CrimeMapping mapping, std::unique_ptr<Reprojector> proj, LocalClock clock)
      : session_(session), mapping_(std::move(mapping)), proj_(std::move(proj)), clock_(std::move(clock)) {
    for (int n = 1; n <= kNeighbourhoods; ++n) neighbourhood_codes_[n] = fmt::format("STL-N{}", n);
    for (int d = 1; d <= kDistricts; ++d) district_codes_[d] = fmt::format("STL-D{}", d);
  }

  Status import_file(const SourceFile& file, std::int64_t bytes_before) {
    PINGAN_RETURN_IF_ERROR(read_whole_file_into(file.path, text_));
    CsvReader reader(text_);
    CsvRecord rec;
    if (!reader.next(rec)) return {};
    PINGAN_ASSIGN_OR_RETURN(Columns cols, resolve_columns(rec, file.display));
    while (reader.next(rec)) {
      if (rec.blank()) continue;
      session_.row_read(bytes_before + reader.bytes_consumed());
      import_row(rec, cols, file.display);
      if (session_.failed()) break;
    }
    session_.end_file();
    return {};
  }

 private:
  void import_row(CsvRecord& rec, const Columns& cols, const std::string& file) {
    RowOrigin origin{file, rec.line, rec.raw};
    if (rec.size() != cols.width) {
      session_.reject(origin, "", fmt::format("{} row: {} fields, the header has {}",
                                              rec.size() < cols.width ? "short" : "long", rec.size(), cols.width));
      return;
    }
    if (has_high_bytes(rec.raw) && !is_valid_utf8(rec.raw)) decode_cp1252(rec);

    std::string_view coded_month = text_of(rec, cols.coded_month);
    auto month_start = parse_year_month(coded_month);
    if (!month_start) {
      session_.reject(origin, "CodedMonth", fmt::format("'{}' is not a YYYY-MM month", coded_month));
      return;
    }
    auto count = parse_integer(rec[cols.count]);
    if (!count || (*count != 1 && *count != -1)) {
      session_.reject(origin, "Count", fmt::format("'{}' is neither 1 nor -1", trim(rec[cols.count])));
      return;
    }
    std::string_view crime = text_of(rec, cols.crime);  // may carry a leading space (layout C)
    if (!is_ucr_code(crime)) {
      session_.reject(origin, "Crime", fmt::format("'{}' is not a 5- or 6-digit UCR code", crime));
      return;
    }
    std::string_view complaint = text_of(rec, cols.complaint);
    std::string source_id = row_source_id(coded_month, rec.line);

    if (*count == -1) {
      session_.add_correction(PendingCorrection{std::string(complaint), std::string(crime),
                                                fmt::format("cancelled by Count=-1 row {}", source_id),
                                                file, rec.line, std::string(rec.raw)});
      return;
    }

    std::string_view occur_text = text_of(rec, cols.date_occur);
    auto occur = parse_mdy_hm(occur_text);
    if (!occur) {
      session_.reject(origin, "DateOccur", fmt::format("'{}' is not a M/D/YYYY H:MM time", occur_text));
      return;
    }
    if (occur->year < 1901) {
      session_.reject(origin, "DateOccur", fmt::format("'{}' is a placeholder date (before 1901)", occur_text));
      return;
    }
    if (occur->year * 12 + occur->month > month_start->year * 12 + month_start->month) {
      session_.reject(origin, "DateOccur",
                      fmt::format("'{}' is after the end of coded month {}", occur_text, coded_month));
      return;
    }
    const std::string* type = mapping_.find(crime);
    if (!type) {
      session_.reject(origin, "Crime", fmt::format("unknown category: UCR code {} has no mapping", crime));
      return;
    }

    Incident inc;
    inc.source = kSource;
    inc.source_id = std::move(source_id);
    inc.case_number = std::string(complaint);
    inc.original_code = std::string(crime);
    inc.type_code = *type;
    inc.reported_at = clock_.to_utc(*occur);
    inc.status = IncidentStatus::kClosed;  // a historical record, not a live call

    std::string_view x_text = text_of(rec, cols.x), y_text = text_of(rec, cols.y);
    auto x = parse_decimal(x_text), y = parse_decimal(y_text);
    if ((!x && !x_text.empty()) || (!y && !y_text.empty())) {
      session_.reject(origin, !x && !x_text.empty() ? "XCoord" : "YCoord",
                      fmt::format("'{}'/'{}' is not a pair of numbers", x_text, y_text));
      return;
    }
    if (x && y && *x != 0 && *y != 0) {  // 0 = not geocoded
      auto p = proj_->to_wgs84(*x, *y);
      if (!p || !kPlausibleArea.contains(*p)) {
        session_.reject(origin, "XCoord",
                        p ? fmt::format("x/y {}/{} lies at lat {:.5f}, lon {:.5f}, outside the St. Louis area",
                                        x_text, y_text, p->lat, p->lon)
                          : fmt::format("x/y {}/{} cannot be projected from ESRI:102696", x_text, y_text));
        return;
      }
      inc.location = *p;
    }

    auto nbhd = parse_integer(rec[cols.neighborhood]);
    auto district = parse_integer(rec[cols.district]);
    if (nbhd && *nbhd >= 1 && *nbhd <= kNeighbourhoods) {
      inc.unit_code = neighbourhood_codes_[*nbhd];
    } else if (district && *district >= 1 && *district <= kDistricts &&
               month_start->year >= kFirstYearOfSixDistricts) {
      inc.unit_code = district_codes_[*district];
    } else if (const Unit* u = inc.location ? session_.units().locate(*inc.location) : nullptr) {
      inc.unit_code = u->code;
    } else {
      inc.unit_code = "STL";
    }

    append_words(inc.address, text_of(rec, cols.ileads_address));
    append_words(inc.address, text_of(rec, cols.ileads_street));
    if (inc.address.empty()) {
      append_words(inc.address, text_of(rec, cols.cad_address));
      append_words(inc.address, text_of(rec, cols.cad_street));
    }
    if (auto place = text_of(rec, cols.location_name); !place.empty()) {
      inc.address += inc.address.empty() ? "" : " ";
      inc.address += fmt::format("({})", place);
    }
    inc.description = std::string(text_of(rec, cols.description));
    if (auto comment = text_of(rec, cols.location_comment); !comment.empty())
      inc.description += fmt::format("; {}", comment);

    if (cols.unfounded >= 0 && text_of(rec, cols.unfounded) == "Y") {
      inc.voided = true;
      inc.void_reason = "unfounded";
    }
    session_.accept(std::move(inc), origin);
  }

  // Some files carry single Windows-1252 bytes (e.g. 0xBD for ½): they are
  // the publisher's encoding, not damage, so each invalid field is decoded.
  void decode_cp1252(CsvRecord& rec) {
    decoded_.clear();
    decoded_.reserve(rec.size());  // no reallocation: views below point into it
    for (auto& f : rec.fields)
      if (!is_valid_utf8(f)) {
        decoded_.push_back(cp1252_to_utf8(f));
        f = decoded_.back();
      }
  }

  ImportSession& session_;
  std::string text_;  // the file being read; its memory is reused for the next
  CrimeMapping mapping_;
  std::unique_ptr<Reprojector> proj_;
  LocalClock clock_;
  std::array<std::string, kNeighbourhoods + 1> neighbourhood_codes_;
  std::array<std::string, kDistricts + 1> district_codes_;
  std::vector<std::string> decoded_;
};

}  // namespace

Result<ImportReport> import_stlouis(Engine& engine, const ImportOptions& options) {
  // The pre-pass checks each header and reads the first row's coded month, so
  // that a folder is imported in coded-month order: a correction (Count = -1)
  // then finds the record it cancels, which an earlier month holds.
  std::map<std::string, std::string> coded_month_of;
  PINGAN_ASSIGN_OR_RETURN(
      FilePlan plan, plan_files(options.path, [&](const SourceFile& f, const CsvRecord& header, const CsvRecord* first) -> Status {
        PINGAN_ASSIGN_OR_RETURN(Columns cols, resolve_columns(header, f.display));
        if (first && static_cast<size_t>(cols.coded_month) < first->size())
          coded_month_of[f.path] = std::string(trim((*first)[cols.coded_month]));
        return Status();
      }));
  std::stable_sort(plan.files.begin(), plan.files.end(), [&](const SourceFile& a, const SourceFile& b) {
    const std::string &ma = coded_month_of[a.path], &mb = coded_month_of[b.path];
    return ma != mb ? ma < mb : a.path < b.path;
  });
  PINGAN_ASSIGN_OR_RETURN(CrimeMapping mapping, CrimeMapping::load(engine.taxonomy(), options.data_dir));
  PINGAN_ASSIGN_OR_RETURN(auto proj, Reprojector::create("ESRI:102696"));
  PINGAN_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::locate("America/Chicago"));
  std::int64_t bytes_total = 0;
  for (const auto& f : plan.files) bytes_total += f.size;

  PINGAN_ASSIGN_OR_RETURN(auto session, ImportSession::start(engine, options, bytes_total));
  for (const auto& [file, reason] : plan.skipped) session->note_skipped_file(file, reason);
  PINGAN_RETURN_IF_ERROR(session->ensure_units(city_units()));
  StLouisImporter importer(*session, std::move(mapping), std::move(proj), LocalClock(zone));
  return session->import_files(plan.files, [&](const SourceFile& f, std::int64_t bytes_before) {
    return importer.import_file(f, bytes_before);
  });
}

}  // namespace pingan::ingest
