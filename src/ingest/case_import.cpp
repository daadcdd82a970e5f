#include "ingest/case_import.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>
#include <unordered_map>

#include "core/personal_masks.h"
#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/field_parsers.h"
#include "ingest/rejects_writer.h"

namespace pingan::ingest {

namespace {

constexpr const char* kActor = "import";

// One file's rows by column name.
class ColumnRow {
 public:
  std::string_view get(std::string_view name) const {
    auto it = columns_->find(std::string(name));
    if (it == columns_->end() || it->second >= record_->size()) return {};
    return trim((*record_)[it->second]);
  }
  const std::unordered_map<std::string, std::size_t>* columns_ = nullptr;
  const CsvRecord* record_ = nullptr;
};

// What importing one row did.
enum class RowOutcome { kInserted, kDuplicate };

struct FileSpec {
  const char* name;
  std::set<std::string> required;
  std::set<std::string> optional;
};

class CaseImporter {
 public:
  CaseImporter(Engine& engine, const CaseImportOptions& options, RejectsWriter& rejects)
      : engine_(engine), options_(options), rejects_(rejects), zone_(engine.time_zone()) {}

  Status run_file(const FileSpec& spec, const std::function<Result<RowOutcome>(const ColumnRow&)>& import_row,
                  CaseImportReport& report) {
    const std::string path = options_.folder + "/" + spec.name;
    if (!std::filesystem::exists(path)) return {};
    PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
    CaseImportCounts& counts = report.files[spec.name];
    CsvReader reader(text);
    CsvRecord record;
    if (!reader.next(record)) return {};
    std::unordered_map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < record.size(); ++i) {
      const std::string name(trim(record[i]));
      if (!spec.required.count(name) && !spec.optional.count(name)) {
        rejects_.write(spec.name, record.line, name, "unknown column: the file is not imported", record.raw);
        return {};
      }
      columns[name] = i;
    }
    for (const std::string& name : spec.required)
      if (!columns.count(name)) {
        rejects_.write(spec.name, record.line, name, "required column missing: the file is not imported", record.raw);
        return {};
      }
    ColumnRow row{&columns, &record};
    while (reader.next(record)) {
      if (record.blank()) continue;
      ++counts.rows;
      Result<RowOutcome> outcome = import_row(row);
      if (outcome.ok()) {
        ++(*outcome == RowOutcome::kInserted ? counts.inserted : counts.duplicates);
      } else if (outcome.error().code == ErrorCode::kUnavailable || outcome.error().code == ErrorCode::kInternal) {
        return outcome.error();  // the store failed: stop, keep what is stored
      } else {
        ++counts.rejected;
        rejects_.write(spec.name, record.line, outcome.error().field, outcome.error().message, record.raw);
      }
      if (options_.progress && counts.rows % 10000 == 0) options_.progress(spec.name, counts.rows);
    }
    if (options_.progress) options_.progress(spec.name, counts.rows);
    return {};
  }

  Result<RowOutcome> case_row(const ColumnRow& row) {
    CaseRecord c;
    c.source = options_.source;
    c.case_number = std::string(row.get("case_number"));
    c.source_id = c.case_number;
    c.type_code = std::string(row.get("type"));
    c.unit_code = std::string(row.get("unit"));
    c.summary = std::string(row.get("summary"));
    PINGAN_ASSIGN_OR_RETURN(c.opened_at, required_time(row, "opened_at"));
    if (!row.get("status").empty()) {
    PINGAN_ASSIGN_OR_RETURN(c.status, parse_case_status(row.get("status"), "status"));
  }
    for (CaseStatus s : kAllCaseStatuses)
      if (auto* slot = c.times.slot(s)) {
    PINGAN_ASSIGN_OR_RETURN(*slot, optional_time(row, std::string(case_status_name(s)) + "_at"));
  }
    PINGAN_ASSIGN_OR_RETURN(c.flags.major, flag(row, "major"));
    PINGAN_ASSIGN_OR_RETURN(c.flags.gang, flag(row, "gang"));
    PINGAN_ASSIGN_OR_RETURN(c.flags.task_force, flag(row, "task_force"));
    PINGAN_ASSIGN_OR_RETURN(c.flags.homicide, flag(row, "homicide"));
    PINGAN_ASSIGN_OR_RETURN(c.money_involved_fen, fen(row, "money_involved_fen", /*required=*/false));
    c.fraud_method = std::string(trim(row.get("fraud_method")));
    for (std::string_view part : split(row.get("incident_ids"), '|')) {
      if (trim(part).empty()) continue;
      auto id = parse_integer(trim(part));
      if (!id || *id <= 0) return Error::invalid("incident_ids", fmt::format("'{}' is not an incident id", part));
      c.incident_ids.push_back(*id);
    }
    Result<CaseRecord> stored = engine_.cases().open_case(std::move(c), UnitScope::everything(), kActor);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) return RowOutcome::kDuplicate;
    if (!stored.ok()) return stored.error();
    return RowOutcome::kInserted;
  }

  Result<RowOutcome> party_row(const ColumnRow& row) {
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_by_number(row));
    PINGAN_ASSIGN_OR_RETURN(PersonRole role, parse_person_role(row.get("role"), "role"));
    Person p = person_of(row);
    // Present already when the case names a person with this number in
    // this role (a person without a number cannot be told apart: the row
    // then adds them again, so such rows are refused on a second run).
    PINGAN_ASSIGN_OR_RETURN(CaseBundle bundle, engine_.cases().case_detail(c.id, UnitScope::everything()));
    if (!p.id_number.empty()) {
      for (const CaseParty& party : bundle.parties) {
        if (party.role != role) continue;
        PINGAN_ASSIGN_OR_RETURN(Person known, engine_.cases().get_person(party.person_id));
        if (normalise_id_number(known.id_number) == normalise_id_number(p.id_number)) return RowOutcome::kDuplicate;
      }
    }
    PINGAN_RETURN_IF_ERROR(status_of(engine_.cases().add_party(c.id, UnitScope::everything(), std::move(p), role, kActor)));
    return RowOutcome::kInserted;
  }

  Result<RowOutcome> measure_row(const ColumnRow& row) {
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_by_number(row));
    Measure m;
    m.case_id = c.id;
    PINGAN_ASSIGN_OR_RETURN(m.person_id, suspect_by_number(c.id, row.get("id_number")));
    PINGAN_ASSIGN_OR_RETURN(m.kind, parse_measure_kind(row.get("kind"), "kind"));
    PINGAN_ASSIGN_OR_RETURN(m.at, required_time(row, "at"));
    m.unit_code = std::string(row.get("unit"));
    m.note = std::string(row.get("note"));
    m.actor = kActor;
    Result<Measure> stored = engine_.cases().add_measure(std::move(m), UnitScope::everything(), /*skip_same=*/true);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) return RowOutcome::kDuplicate;
    if (!stored.ok()) return stored.error();
    return RowOutcome::kInserted;
  }

  Result<RowOutcome> money_row(const ColumnRow& row) {
    PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_by_number(row));
    FraudMoneyEntry e;
    e.case_id = c.id;
    PINGAN_ASSIGN_OR_RETURN(e.kind, parse_fraud_money_kind(row.get("kind"), "kind"));
    PINGAN_ASSIGN_OR_RETURN(e.amount_fen, fen(row, "amount_fen", /*required=*/true));
    PINGAN_ASSIGN_OR_RETURN(e.at, required_time(row, "at"));
    e.unit_code = std::string(row.get("unit"));
    e.note = std::string(row.get("note"));
    e.override_reason = std::string(row.get("override_reason"));
    e.override_limit = !e.override_reason.empty();
    e.actor = kActor;
    Result<FraudMoneyEntry> stored = engine_.cases().add_money(std::move(e), UnitScope::everything(), /*skip_same=*/true);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) return RowOutcome::kDuplicate;
    if (!stored.ok()) return stored.error();
    return RowOutcome::kInserted;
  }

  Result<RowOutcome> fugitive_row(const ColumnRow& row) {
    Fugitive f;
    f.listing_number = std::string(row.get("listing_number"));
    PINGAN_ASSIGN_OR_RETURN(f.listed_at, required_time(row, "listed_at"));
    f.listing_unit = std::string(row.get("listing_unit"));
    if (!row.get("status").empty()) {
      PINGAN_ASSIGN_OR_RETURN(f.status, parse_fugitive_status(row.get("status"), "status"));
    }
    PINGAN_ASSIGN_OR_RETURN(f.caught_at, optional_time(row, "caught_at"));
    f.caught_by_unit = std::string(row.get("caught_by_unit"));
    PINGAN_ASSIGN_OR_RETURN(f.revoked_at, optional_time(row, "revoked_at"));
    f.revoke_reason = std::string(row.get("revoke_reason"));
    if (!row.get("case_number").empty()) {
      PINGAN_ASSIGN_OR_RETURN(CaseRecord c, case_by_number(row));
      f.case_id = c.id;
    }
    Result<Fugitive> stored = engine_.cases().list_fugitive(std::move(f), person_of(row), kActor);
    if (!stored.ok() && stored.error().code == ErrorCode::kAlreadyExists) return RowOutcome::kDuplicate;
    if (!stored.ok()) return stored.error();
    return RowOutcome::kInserted;
  }

 private:
  Result<Timestamp> required_time(const ColumnRow& row, const std::string& column) {
    PINGAN_ASSIGN_OR_RETURN(std::optional<Timestamp> t, optional_time(row, column));
    if (!t) return Error::invalid(column, "is required");
    return *t;
  }
  Result<std::optional<Timestamp>> optional_time(const ColumnRow& row, const std::string& column) {
    const std::string_view text = row.get(column);
    if (text.empty()) return std::optional<Timestamp>();
    Result<Timestamp> t = parse_iso8601(text, &zone_);
    if (!t.ok()) return Error::invalid(column, fmt::format("'{}' is not a time: {}", text, t.error().message));
    return std::optional<Timestamp>(*t);
  }
  static Result<bool> flag(const ColumnRow& row, const char* column) {
    const std::string_view v = row.get(column);
    if (v.empty() || v == "0" || v == "false") return false;
    if (v == "1" || v == "true") return true;
    return Error::invalid(column, fmt::format("'{}' is not 1, 0, true or false", v));
  }
  static Result<Fen> fen(const ColumnRow& row, const char* column, bool required) {
    const std::string_view v = row.get(column);
    if (v.empty()) {
      if (required) return Error::invalid(column, "is required");
      return Fen{0};
    }
    auto n = parse_integer(v);
    if (!n) return Error::invalid(column, fmt::format("'{}' is not a whole number of fen", v));
    return Fen{*n};
  }
  static Person person_of(const ColumnRow& row) {
    Person p;
    p.name = std::string(row.get("name"));
    p.id_number = std::string(row.get("id_number"));
    p.phone = std::string(row.get("phone"));
    p.address = std::string(row.get("address"));
    return p;
  }
  Result<CaseRecord> case_by_number(const ColumnRow& row) {
    const std::string number(row.get("case_number"));
    if (number.empty()) return Error::invalid("case_number", "is required");
    auto cached = case_ids_.find(number);
    if (cached != case_ids_.end()) return cached->second;
    Result<CaseRecord> c = engine_.cases().get_case_by_number(number, UnitScope::everything());
    if (!c.ok() && c.error().code == ErrorCode::kNotFound)
      return Error::invalid("case_number", fmt::format("no case {} (import cases.csv first)", number));
    if (!c.ok()) return c.error();
    case_ids_.emplace(number, *c);
    return *c;
  }
  Result<PersonId> suspect_by_number(CaseId case_id, std::string_view id_number) {
    if (id_number.empty()) return Error::invalid("id_number", "is required: it names the suspect of the case");
    Result<Person> person = engine_.cases().find_person_by_id_number(std::string(id_number));
    if (!person.ok() && person.error().code == ErrorCode::kNotFound)
      return Error::invalid("id_number", fmt::format("no person with this ID number in case {}", case_id));
    if (!person.ok()) return person.error();
    return person->id;
  }

  Engine& engine_;
  const CaseImportOptions& options_;
  RejectsWriter& rejects_;
  const TimeZone& zone_;
  std::unordered_map<std::string, CaseRecord> case_ids_;
};

}  // namespace

std::int64_t CaseImportReport::rejected() const {
  std::int64_t n = 0;
  for (const auto& [name, counts] : files) n += counts.rejected;
  return n;
}

Result<CaseImportReport> import_case_files(Engine& engine, const CaseImportOptions& options) {
  if (!std::filesystem::is_directory(options.folder))
    return Error::invalid("folder", fmt::format("{} is not a folder", options.folder));
  CaseImportReport report;
  report.rejects_path = options.rejects_path.empty() ? options.folder + "/rejects.csv" : options.rejects_path;
  PINGAN_ASSIGN_OR_RETURN(std::unique_ptr<RejectsWriter> rejects, RejectsWriter::create(report.rejects_path));
  CaseImporter importer(engine, options, *rejects);
  const FileSpec cases{"cases.csv",
                       {"case_number", "type", "unit", "opened_at"},
                       {"status", "investigating_at", "solved_at", "closed_unsolved_at", "withdrawn_at", "summary",
                        "major", "gang", "task_force", "homicide", "money_involved_fen", "fraud_method",
                        "incident_ids"}};
  const FileSpec parties{"parties.csv", {"case_number", "role", "name"}, {"id_number", "phone", "address"}};
  const FileSpec measures{"measures.csv", {"case_number", "id_number", "kind", "at", "unit"}, {"note"}};
  const FileSpec money{"money.csv", {"case_number", "kind", "amount_fen", "at", "unit"}, {"note", "override_reason"}};
  const FileSpec fugitives{"fugitives.csv",
                           {"listing_number", "name", "id_number", "listed_at", "listing_unit"},
                           {"status", "caught_at", "caught_by_unit", "revoked_at", "revoke_reason", "case_number",
                            "phone", "address"}};
  PINGAN_RETURN_IF_ERROR(engine.cases().begin_bulk());
  Status run = [&]() -> Status {
    PINGAN_RETURN_IF_ERROR(importer.run_file(cases, [&](const ColumnRow& r) { return importer.case_row(r); }, report));
    PINGAN_RETURN_IF_ERROR(importer.run_file(parties, [&](const ColumnRow& r) { return importer.party_row(r); }, report));
    PINGAN_RETURN_IF_ERROR(importer.run_file(measures, [&](const ColumnRow& r) { return importer.measure_row(r); }, report));
    PINGAN_RETURN_IF_ERROR(importer.run_file(money, [&](const ColumnRow& r) { return importer.money_row(r); }, report));
    PINGAN_RETURN_IF_ERROR(
        importer.run_file(fugitives, [&](const ColumnRow& r) { return importer.fugitive_row(r); }, report));
    return {};
  }();
  // Durable whatever happened: rows stored before a failure stay stored.
  Status ended = engine.cases().end_bulk();
  PINGAN_RETURN_IF_ERROR(rejects->flush());
  PINGAN_RETURN_IF_ERROR(run);
  PINGAN_RETURN_IF_ERROR(ended);
  if (report.files.empty())
    return Error::invalid("folder", fmt::format("{} holds none of cases.csv, parties.csv, measures.csv, money.csv, "
                                                "fugitives.csv", options.folder));
  return report;
}

}  // namespace pingan::ingest
