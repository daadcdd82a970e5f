#include "ingest/registry_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/personal_masks.h"
#include "core/scope_match.h"
#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/registry_import_rows.h"
#include "ingest/uploaded_table.h"

namespace pingan::ingest {

namespace {

// A unit by code, else by its unique name.
Result<const Unit*> unit_named(const UnitTree& units, const std::string& text) {
  if (const Unit* u = units.find(text)) return u;
  std::vector<const Unit*> named;
  for (const Unit& u : units.units())
    if (u.name == text) named.push_back(&u);
  if (named.empty())
    return Error::invalid("", fmt::format("unknown unit '{}' (neither a unit code nor a unit name)", text));
  if (named.size() > 1) {
    std::string codes;
    for (const Unit* u : named) codes += (codes.empty() ? "" : ", ") + u->code;
    return Error::invalid("", fmt::format("unit name '{}' is ambiguous ({}): give the code", text, codes));
  }
  return named.front();
}

// The rows (indexes into the table's rows) one record was read from; for a
// rental house also the row of each tenant.
struct EntryRows {
  std::vector<size_t> rows;
  std::vector<size_t> tenant_rows;
};

// A rental house while its rows are read.
struct HouseGroup {
  size_t first_row = 0;
  std::optional<size_t> entry;          // into the entries, when the first row was read well
  std::map<std::string, std::string> first_texts;  // the first row's house and landlord cells
  std::optional<size_t> refused_row;    // the house's first refused row
};

class Importer {
 public:
  Importer(RegistryRecords& records, const UnitTree& units, const TableSource& table,
           const RegistryImportOptions& options, const std::vector<RegistryColumnTarget>& targets,
           RegistryImportReport& report)
      : records_(records), units_(units), table_(table), options_(options), report_(report),
        problems_(table.rows().size()) {
    for (const RegistryColumnTarget& t : targets) columns_[t.target] = t.column;
  }

  Status run() {
    switch (options_.kind) {
      case RegistryKind::kPlaces:
        return simple<Place>([&](RegistryRowReader& r) { return read_place(r, records_.place_categories()); },
                             [](Place& p) -> std::string& { return p.unit_code; },
                             [](const Place& p) { return p.code; }, "code",
                             [&](std::vector<Place> v) { return records_.upsert_places(std::move(v), options_.scope); });
      case RegistryKind::kCameras:
        return simple<Camera>([](RegistryRowReader& r) { return read_camera(r); },
                              [](Camera& c) -> std::string& { return c.unit_code; },
                              [](const Camera& c) { return c.code; }, "code",
                              [&](std::vector<Camera> v) { return records_.upsert_cameras(std::move(v), options_.scope); });
      case RegistryKind::kEnterprises:
        return simple<Enterprise>(
            [](RegistryRowReader& r) { return read_enterprise(r); },
            [](Enterprise& e) -> std::string& { return e.unit_code; }, [](const Enterprise& e) { return e.code; },
            "code", [&](std::vector<Enterprise> v) { return records_.upsert_enterprises(std::move(v), options_.scope); });
      case RegistryKind::kResidents:
        return simple<ResidentEntry>(
            [](RegistryRowReader& r) { return read_resident(r); },
            [](ResidentEntry& e) -> std::string& { return e.resident.unit_code; },
            [](const ResidentEntry& e) { return normalise_id_number(e.person.id_number); }, "id_number",
            [&](std::vector<ResidentEntry> v) { return records_.upsert_residents(std::move(v), options_.scope); });
      case RegistryKind::kRentalHouses:
        return rental_houses();
    }
    return {};
  }

  // Problems flattened in row order; read/taken/refused counted.
  void finish() {
    for (std::vector<RowProblem>& row : problems_) {
      ++report_.read;
      if (row.empty()) {
        ++report_.taken;
        continue;
      }
      ++report_.refused;
      for (RowProblem& p : row) report_.problems.push_back(std::move(p));
    }
  }

 private:
  void progress(size_t done) {
    if (options_.progress)
      options_.progress(static_cast<std::int64_t>(done), static_cast<std::int64_t>(table_.rows().size()));
  }

  // The row's unit (code or name, else the default), in scope; "" after a problem.
  std::string read_unit(RegistryRowReader& r) {
    const std::string text = r.text(kRegistryUnitTarget);
    if (text.empty()) {
      if (options_.default_unit.empty()) r.problem(kRegistryUnitTarget, "missing unit (所属单位)");
      return options_.default_unit;
    }
    auto unit = unit_named(units_, text);
    if (!unit.ok()) {
      r.problem(kRegistryUnitTarget, unit.error().message);
      return "";
    }
    if (!scope_holds(options_.scope, (*unit)->code, units_)) {
      r.problem(kRegistryUnitTarget, fmt::format("unit {} ({}) is another unit's: outside the importer's scope",
                                                 (*unit)->name, (*unit)->code));
      return "";
    }
    return (*unit)->code;
  }

  void add_problem(size_t row, const std::string& target, const std::string& field, std::string reason) {
    if (auto it = columns_.find(target); !target.empty() && it != columns_.end()) {
      problems_[row].push_back(table_.problem(table_.rows()[row], it->second, std::move(reason)));
      return;
    }
    RowProblem p;
    p.file = table_.file();
    p.sheet = table_.sheet();
    p.row = table_.rows()[row].number;
    p.header = field;
    p.reason = std::move(reason);
    problems_[row].push_back(std::move(p));
  }

  // An engine refusal of one record: on the row and column its field names;
  // the record's other rows (a rental house's) are refused with it.
  void refuse_entry(const EntryRows& rows, const Error& e) {
    int tenant = -1;
    const std::string target = target_of_field(options_.kind, e.field, &tenant);
    const size_t at = tenant >= 0 && size_t(tenant) < rows.tenant_rows.size() ? rows.tenant_rows[size_t(tenant)]
                                                                               : rows.rows.front();
    add_problem(at, target, e.field, e.message);
    refuse_with(rows, at);
  }

  void refuse_with(const EntryRows& rows, size_t cause) {
    for (size_t r : rows.rows)
      if (r != cause && problems_[r].empty())
        add_problem(r, "code", "code",
                    fmt::format("refused with its house: row {} is refused", table_.rows()[cause].number));
  }

  // Upserts `entries`, then again without the refused ones, until a batch
  // is written whole (each pass drops at least one record).
  template <typename Entry, typename Upsert>
  Status write(std::vector<Entry> entries, std::vector<EntryRows> rows, Upsert&& upsert) {
    while (!entries.empty()) {
      PINGAN_ASSIGN_OR_RETURN(BatchOutcome out, upsert(entries));
      if (out.refused.empty()) {
        report_.created += out.created();
        report_.updated += out.updated();
        report_.unchanged += out.unchanged();
        return {};
      }
      std::vector<bool> gone(entries.size(), false);
      for (const RefusedRow& refused : out.refused) {
        gone[refused.index] = true;
        refuse_entry(rows[refused.index], refused.error);
      }
      size_t kept = 0;
      for (size_t i = 0; i < entries.size(); ++i) {
        if (gone[i]) continue;
        if (kept != i) {  // a self-move would empty the record
          entries[kept] = std::move(entries[i]);
          rows[kept] = std::move(rows[i]);
        }
        ++kept;
      }
      entries.resize(kept);
      rows.resize(kept);
    }
    return {};
  }

  // One record per row, keyed by `key` (a repeat within the file refused).
  template <typename Entry, typename Read, typename UnitOf, typename KeyOf, typename Upsert>
  Status simple(Read&& read, UnitOf&& unit_of, KeyOf&& key_of, const std::string& key_target, Upsert&& upsert) {
    std::vector<Entry> entries;
    std::vector<EntryRows> rows;
    std::map<std::string, size_t> first_row_of_key;
    for (size_t i = 0; i < table_.rows().size(); ++i) {
      RegistryRowReader r(table_, table_.rows()[i], columns_, labels_);
      Entry entry = read(r);
      unit_of(entry) = read_unit(r);
      const std::string key = key_of(entry);
      if (r.ok() && !key.empty()) {
        auto [it, fresh] = first_row_of_key.emplace(key, i);
        if (!fresh)
          r.problem(key_target, fmt::format("'{}' repeats row {}: one record per {}", r.text(key_target),
                                            table_.rows()[it->second].number, labels_.label_of(key_target)));
      }
      if (r.ok()) {
        entries.push_back(std::move(entry));
        rows.push_back({{i}, {}});
      } else {
        problems_[i] = std::move(r.problems());
      }
      progress(i + 1);
    }
    return write(std::move(entries), std::move(rows), upsert);
  }

  Status rental_houses() {
    static const char* kHouseCells[] = {"address", "lat", "lon", "unit", "rooms", "landlord_name",
                                        "landlord_id_number", "landlord_phone"};
    std::vector<RentalHouseEntry> entries;
    std::vector<EntryRows> rows;
    std::map<std::string, HouseGroup> houses;  // by code, in code order
    for (size_t i = 0; i < table_.rows().size(); ++i) {
      RegistryRowReader r(table_, table_.rows()[i], columns_, labels_);
      const std::string code = r.text("code");
      auto group = houses.find(code);
      const bool first = group == houses.end();
      RentalHouseRow read = read_rental_house_row(r, first);
      if (first) {
        read.house.unit_code = read_unit(r);
        if (!code.empty()) {
          HouseGroup g;
          g.first_row = i;
          for (const char* cell : kHouseCells) g.first_texts[cell] = r.text(cell);
          if (r.ok()) {
            g.entry = entries.size();
            entries.push_back(RentalHouseEntry{std::move(read.house), std::move(read.landlord), {}});
            rows.push_back({{}, {}});
          }
          group = houses.emplace(code, std::move(g)).first;
        }
      } else {
        // A later row of the house: its own house cells, when filled, are the first row's.
        for (const char* cell : kHouseCells) {
          const std::string text = r.text(cell);
          const std::string& was = group->second.first_texts[cell];
          if (!text.empty() && text != was)
            r.problem(cell, fmt::format("'{}' differs from row {}'s '{}' for house {}", text,
                                        table_.rows()[group->second.first_row].number, was, code));
        }
      }
      if (!r.ok()) {
        problems_[i] = std::move(r.problems());
        if (group != houses.end() && !group->second.refused_row) group->second.refused_row = i;
      } else if (group != houses.end() && group->second.entry) {
        const size_t e = *group->second.entry;
        rows[e].rows.push_back(i);
        if (read.tenancy) {
          entries[e].house.tenants.push_back(*read.tenancy);
          entries[e].tenants.push_back(std::move(read.tenant));
          rows[e].tenant_rows.push_back(i);
        }
      } else if (group != houses.end()) {
        problems_[i].push_back(table_.problem(
            table_.rows()[i], columns_.at("code"),
            fmt::format("refused with its house: row {} is refused", table_.rows()[group->second.first_row].number)));
      }
      progress(i + 1);
    }
    // A house is written whole: one refused row refuses it (its stored
    // tenancies would otherwise be replaced by a partial list).
    std::vector<RentalHouseEntry> whole;
    std::vector<EntryRows> whole_rows;
    for (auto& [code, group] : houses) {
      if (!group.entry) continue;
      if (group.refused_row) {
        refuse_with(rows[*group.entry], *group.refused_row);
        continue;
      }
      whole.push_back(std::move(entries[*group.entry]));
      whole_rows.push_back(std::move(rows[*group.entry]));
    }
    return write(std::move(whole), std::move(whole_rows), [&](std::vector<RentalHouseEntry> v) {
      return records_.upsert_rental_houses(std::move(v), options_.scope);
    });
  }

  RegistryRecords& records_;
  const UnitTree& units_;
  const TableSource& table_;
  const RegistryImportOptions& options_;
  const RegistryColumns& labels_ = options_.labels;
  RegistryImportReport& report_;
  std::map<std::string, size_t> columns_;         // target -> column
  std::vector<std::vector<RowProblem>> problems_;  // by row of the table
};

}  // namespace

Result<RegistryFile> read_registry_file(const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(std::string bytes, read_whole_file(path));
  return RegistryFile{std::filesystem::path(path).filename().string(), std::move(bytes)};
}

Result<RegistryImportReport> import_registry(RegistryRecords& records, const UnitTree& units,
                                             const RegistryFile& file, const RegistryImportOptions& options) {
  if (!options.default_unit.empty()) {
    if (!units.find(options.default_unit))
      return Error::invalid("unit", fmt::format("unknown unit '{}'", options.default_unit));
    if (!scope_holds(options.scope, options.default_unit, units))
      return Error::permission_denied(fmt::format("unit {} is outside the importer's scope", options.default_unit));
  }
  const RegistryColumns* mapping = options.mapping ? &*options.mapping : nullptr;
  PINGAN_ASSIGN_OR_RETURN(UploadedTable upload, UploadedTable::open(file.name, file.bytes));
  PINGAN_ASSIGN_OR_RETURN(
      HeaderPosition header,
      find_table_header(upload, options.sheet, options.header_row, options.header_rows,
                        [&](const std::vector<std::string>& headers) {
                          return map_registry_columns(headers, options.labels, mapping).size();
                        }));
  PINGAN_ASSIGN_OR_RETURN(TableSource table, upload.read(options.sheet, header.row, header.rows));

  RegistryImportReport report;
  report.kind = registry_kind_name(options.kind);
  report.file = table.file();
  report.sheet = table.sheet();
  report.header_row = header.row;
  report.header_rows = header.rows;
  const std::vector<RegistryColumnTarget> targets =
      map_registry_columns(table.headers(), options.labels, mapping, &report.unused_columns);

  // Columns every row needs; the unit's only without a default unit.
  std::string missing;
  for (const RegistryTarget& t : registry_targets(options.kind)) {
    if (!t.required) continue;
    if (std::string(t.code) == kRegistryUnitTarget && !options.default_unit.empty()) continue;
    const bool mapped =
        std::any_of(targets.begin(), targets.end(), [&](const RegistryColumnTarget& c) { return c.target == t.code; });
    if (!mapped) missing += fmt::format("{}{} ({})", missing.empty() ? "" : ", ", options.labels.label_of(t.code), t.code);
  }
  if (!missing.empty()) {
    std::string headers;
    for (const auto& h : table.headers()) headers += (headers.empty() ? "'" : ", '") + h + "'";
    const std::string where =
        table.sheet().empty() ? table.file() : fmt::format("{}, sheet '{}'", table.file(), table.sheet());
    return Error::invalid(table.file(), fmt::format("{}: no column for {} (the headers are {}; {} lists the labels "
                                                    "each column answers to, a mapping file names a bureau's own)",
                                                    where, missing, headers + (headers.empty() ? "" : "'"),
                                                    options.labels.source_name));
  }

  Importer importer(records, units, table, options, targets, report);
  PINGAN_RETURN_IF_ERROR(importer.run());
  importer.finish();
  if (!report.unused_columns.empty()) {
    std::string list;
    for (const auto& h : report.unused_columns) list += (list.empty() ? "" : ", ") + h;
    report.notes.push_back(fmt::format("columns not imported (no label of {} names them): {}",
                                       options.labels.source_name, list));
  }
  return report;
}

}  // namespace pingan::ingest
