// See case_records.h. Persons, fugitives and dissuasion are in
// case_people.cpp; following other writers in case_follow.cpp.

#include "engine/case_records.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/scope_match.h"
#include "core/time.h"

namespace pingan {

namespace {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("data_dir", fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The history entries of a case as it arrives: "opened", then each later
// step it carries (an imported case solved long ago), in time order.
std::vector<CaseStep> arrival_history(const CaseRecord& record, const std::string& actor) {
  std::vector<CaseStep> steps;
  steps.push_back(CaseStep{std::nullopt, CaseStatus::kOpened, record.opened_at, actor, ""});
  std::vector<std::pair<Timestamp, CaseStatus>> later;
  for (CaseStatus s : kAllCaseStatuses)
    if (const auto* t = record.times.slot(s); t && t->has_value()) later.emplace_back(**t, s);
  std::stable_sort(later.begin(), later.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  CaseStatus from = CaseStatus::kOpened;
  for (const auto& [at, to] : later) {
    steps.push_back(CaseStep{from, to, at, actor, ""});
    from = to;
  }
  return steps;
}

}  // namespace

Result<CaseRules> load_case_rules(const std::string& data_dir) {
  CaseRules rules;
  const std::string types_path = data_dir + "/" + kCaseTypesFile;
  PINGAN_ASSIGN_OR_RETURN(std::string types_text, read_text_file(types_path));
  PINGAN_ASSIGN_OR_RETURN(rules.types, CaseTypes::parse_csv(types_text, types_path));
  const std::string measures_path = data_dir + "/" + kMeasureRulesFile;
  PINGAN_ASSIGN_OR_RETURN(std::string measures_text, read_text_file(measures_path));
  PINGAN_ASSIGN_OR_RETURN(rules.measures, MeasureRules::parse_json(measures_text, measures_path));
  const std::string methods_path = data_dir + "/" + kFraudMethodsFile;
  PINGAN_ASSIGN_OR_RETURN(std::string methods_text, read_text_file(methods_path));
  PINGAN_ASSIGN_OR_RETURN(rules.fraud_methods, FraudMethods::parse_csv(methods_text, methods_path));
  return rules;
}

CaseRecords::CaseRecords(CaseStore& store, CaseRules rules, UnitsSource units, IncidentExists incident_exists)
    : store_(store), rules_(std::move(rules)), units_(std::move(units)), incident_exists_(std::move(incident_exists)) {}

Status CaseRecords::check_unit(const std::string& field, const std::string& code, const UnitScope& scope) const {
  std::shared_ptr<const UnitTree> tree = units_();
  if (!tree->find(code)) return Error::invalid(field, fmt::format("unknown unit '{}'", code));
  // Writing for a unit outside one's scope is refused as an incident's is
  // (http/incident_routes.cpp): 403, naming the unit the caller typed.
  if (!scope_holds(scope, code, *tree))
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", code));
  return {};
}

Result<CaseRecord> CaseRecords::open_case(CaseRecord record, const UnitScope& scope, const std::string& actor) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", actor));
  PINGAN_RETURN_IF_ERROR(validate_new_case(record, rules_.types, now_utc()));
  PINGAN_RETURN_IF_ERROR(check_fraud_method(record, rules_.types, rules_.fraud_methods));
  PINGAN_RETURN_IF_ERROR(check_unit("unit", record.unit_code, scope));
  for (IncidentId id : record.incident_ids) {
    Status exists = incident_exists_(id);
    if (!exists.ok()) return Error::invalid("incident_ids", fmt::format("incident {} does not exist", id));
  }
  const std::vector<CaseStep> history = arrival_history(record, actor);
  PINGAN_ASSIGN_OR_RETURN(CaseRecord stored, store_.create_case(record, history));
  publish_case(stored.id);
  return stored;
}

Result<CaseRecord> CaseRecords::get_case(CaseId id, const UnitScope& scope) { return store_.get_case(id, scope); }

Result<CaseRecord> CaseRecords::get_case_by_number(const std::string& case_number, const UnitScope& scope) {
  return store_.get_case_by_number(case_number, scope);
}

Result<CasePage> CaseRecords::list_cases(const CaseFilter& filter) { return store_.list_cases(filter); }

Result<CaseRecord> CaseRecords::step_case(CaseId id, const UnitScope& scope, const CaseStepRequest& request) {
  const Timestamp now = now_utc();
  PINGAN_ASSIGN_OR_RETURN(CaseRecord updated,
                          store_.update_case(id, scope, [&](CaseRecord& record) -> Result<CaseStep> {
                            Result<CaseStep> step = apply_case_step(record, request, now);
                            if (!step.ok()) {
                              Error e = step.error();
                              e.message = fmt::format("case {}: {}", id, e.message);
                              return e;
                            }
                            return step;
                          }));
  publish_case(updated.id);
  return updated;
}

Result<std::vector<CaseStep>> CaseRecords::case_history(CaseId id, const UnitScope& scope) {
  return store_.case_history(id, scope);
}

Result<CaseBundle> CaseRecords::case_detail(CaseId id, const UnitScope& scope) {
  PINGAN_RETURN_IF_ERROR(status_of(store_.get_case(id, scope)));
  return store_.case_bundle(id);
}

Result<Measure> CaseRecords::add_measure(Measure measure, const UnitScope& scope, bool skip_same) {
  PINGAN_RETURN_IF_ERROR(validate_measure(measure, now_utc()));
  PINGAN_ASSIGN_OR_RETURN(CaseBundle bundle, case_detail(measure.case_id, scope));
  PINGAN_RETURN_IF_ERROR(check_unit("unit", measure.unit_code, UnitScope::everything()));
  const bool suspect = std::any_of(bundle.parties.begin(), bundle.parties.end(), [&](const CaseParty& p) {
    return p.person_id == measure.person_id && p.role == PersonRole::kSuspect;
  });
  if (!suspect)
    return Error::invalid("person_id", fmt::format("person {} is not a suspect of case {}: add them as a suspect first",
                                                   measure.person_id, measure.case_id));
  PINGAN_ASSIGN_OR_RETURN(Measure stored,
                          store_.add_measure(measure, [&](const std::vector<Measure>& earlier) -> Status {
                            if (skip_same)
                              for (const Measure& m : earlier)
                                if (m.person_id == measure.person_id && m.kind == measure.kind && m.at == measure.at)
                                  return Error{ErrorCode::kAlreadyExists, "kind", "recorded already"};
                            return check_measure(rules_.measures, earlier, measure);
                          }));
  publish_case(stored.case_id);
  return stored;
}

Result<FraudMoneyEntry> CaseRecords::add_money(FraudMoneyEntry entry, const UnitScope& scope, bool skip_same) {
  PINGAN_RETURN_IF_ERROR(status_of(get_case(entry.case_id, scope)));
  PINGAN_RETURN_IF_ERROR(check_unit("unit", entry.unit_code, UnitScope::everything()));
  const Timestamp now = now_utc();
  PINGAN_ASSIGN_OR_RETURN(FraudMoneyEntry stored,
                          store_.add_fraud_money(entry, [&](const std::vector<FraudMoneyEntry>& recorded) -> Status {
                            if (skip_same)
                              for (const FraudMoneyEntry& e : recorded)
                                if (e.kind == entry.kind && e.amount_fen == entry.amount_fen && e.at == entry.at)
                                  return Error{ErrorCode::kAlreadyExists, "amount_fen", "recorded already"};
                            return check_fraud_money_entry(recorded, entry, now);
                          }));
  publish_case(stored.case_id);
  return stored;
}

Status CaseRecords::scan_cases(const std::function<void(const CaseBundle&)>& visit) { return store_.scan_cases(visit); }

void CaseRecords::subscribe_cases(std::function<void(const CaseBundle&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  case_listeners_.push_back(std::move(listener));
}

void CaseRecords::publish_case(CaseId id) {
  {
    std::lock_guard lock(listeners_mutex_);
    if (case_listeners_.empty()) return;
  }
  // Read back whole: the index replaces what it had of the case. The write
  // is durable already and must not be reported as failed: a read that
  // fails here is logged, and the next restart's scan counts the case.
  Result<CaseBundle> bundle = store_.case_bundle(id);
  if (!bundle.ok()) {
    spdlog::warn("case {} was stored but could not be read back for the indexes: {}", id, bundle.error().message);
    return;
  }
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : case_listeners_) l(*bundle);
}

}  // namespace pingan
