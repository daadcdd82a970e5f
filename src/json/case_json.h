#pragma once
// Cases, persons, measures, fraud money, fugitive listings and dissuasion
// tasks to and from JSON (issue 20; docs/api.md "Cases"). Requests are read
// strictly: an unknown member, a wrong type or a bad value is an error
// naming the field. Answers mask personal data as incident reporters' are
// (core/personal_masks.h): the plain text only through a reveal.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/case_bundle.h"
#include "core/case_types.h"
#include "core/dissuasion.h"
#include "core/fugitive.h"
#include "core/time.h"
#include "engine/case_records.h"

namespace pingan {

// ---- requests ----
// POST /api/cases. `unit` defaults to nothing (required).
Result<CaseRecord> new_case_from_json(const nlohmann::json& body, const TimeZone& zone);
// POST /api/cases/{id}/steps: {"to", "at"?, "note"?}.
Result<CaseStepRequest> case_step_from_json(const nlohmann::json& body, const TimeZone& zone, const std::string& actor);
// A person object: {"name", "id_number"?, "phone"?, "address"?}; `path`
// prefixes field names ("person").
Result<Person> person_from_json(const nlohmann::json& value, const std::string& path);
// POST /api/cases/{id}/parties: {"person": {...}, "role"}.
struct PartyRequest {
  Person person;
  PersonRole role = PersonRole::kSuspect;
};
Result<PartyRequest> party_from_json(const nlohmann::json& body);
// POST /api/cases/{id}/measures: {"person_id", "kind", "at"?, "unit", "note"?}.
Result<Measure> measure_from_json(const nlohmann::json& body, const TimeZone& zone, CaseId case_id,
                                  const std::string& actor, Timestamp now);
// POST /api/cases/{id}/money: {"kind", "amount_fen", "at"?, "unit", "note"?,
// "override_limit"?, "override_reason"?}.
Result<FraudMoneyEntry> money_from_json(const nlohmann::json& body, const TimeZone& zone, CaseId case_id,
                                        const std::string& actor, Timestamp now);
// POST /api/fugitives: {"listing_number", "person": {...}, "listed_at",
// "listing_unit", "case_id"?}.
struct FugitiveRequest {
  Fugitive listing;
  Person person;
};
Result<FugitiveRequest> fugitive_from_json(const nlohmann::json& body, const TimeZone& zone);
// POST /api/fugitives/{id}/steps: {"to", "at"?, "unit"?, "note"?}.
Result<FugitiveStepRequest> fugitive_step_from_json(const nlohmann::json& body, const TimeZone& zone,
                                                    const std::string& actor);
// POST /api/dissuasions: {"warning_number", "unit", "issued_at"?,
// "person_id"?, "target_phone"?}.
Result<DissuasionTask> dissuasion_from_json(const nlohmann::json& body, const TimeZone& zone, Timestamp now);
// POST /api/dissuasions/{id}/steps: {"to", "at"?, "note"?, "case_id"?}.
Result<DissuasionStepRequest> dissuasion_step_from_json(const nlohmann::json& body, const TimeZone& zone,
                                                        const std::string& actor);

// ---- answers ----
nlohmann::json case_to_json(const CaseRecord& record, const CaseRules& rules, const TimeZone& zone);
// The case with its parties (persons masked), measures and money.
nlohmann::json case_detail_json(const CaseBundle& bundle, const std::map<PersonId, Person>& persons,
                                const CaseRules& rules, const TimeZone& zone);
nlohmann::json person_masked_json(const Person& person);
nlohmann::json measure_to_json(const Measure& measure, const TimeZone& zone);
nlohmann::json money_to_json(const FraudMoneyEntry& entry, const TimeZone& zone);
nlohmann::json fugitive_to_json(const Fugitive& listing, const TimeZone& zone);
nlohmann::json dissuasion_to_json(const DissuasionTask& task, const TimeZone& zone);

// A history entry of any of the lives (case, fugitive, dissuasion task).
template <typename State>
nlohmann::json step_to_json(const StepEvent<State>& step, const char* (*name)(State), const TimeZone& zone) {
  return {{"from", step.from ? nlohmann::json(name(*step.from)) : nlohmann::json()},
          {"to", name(step.to)},
          {"at", format_local(step.at, zone)},
          {"actor", step.actor},
          {"note", step.note}};
}

}  // namespace pingan
