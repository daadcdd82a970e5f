#pragma once
// JSON <-> domain conversions for incidents, their events and transition
// requests. Pure functions over core types: no HTTP, no engine, so any face
// (HTTP, import files, the CLI's --json output) can reuse them.
//
// Times go out as ISO 8601 in the bureau's zone with its offset
// ("2024-06-01T08:30:00+08:00") and come in with an offset or as a naive
// local time read in that zone.

#include <nlohmann/json.hpp>

#include "core/incident.h"
#include "core/lifecycle.h"
#include "core/status.h"
#include "core/taxonomy.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

// What serialising an incident needs besides the incident.
struct IncidentJsonContext {
  const Taxonomy& taxonomy;
  const TimeZone& zone;
  const UnitTree* units = nullptr;  // adds "unit_name" when given
};

// Every field of the incident: class and type with their Chinese names,
// status and status_zh, the time of each lifecycle step (null until
// reached), the follow-up task (null when none). The reporter's phone, name
// and ID number masked ("138****5678", core/personal_masks.h).
nlohmann::json incident_to_json(const Incident& incident, const IncidentJsonContext& context);

// The body of a create request: {type, reported_at?, location?:{lat,lon},
// address?, unit?, reporter_phone?, reporter_name?, reporter_id_number?,
// description?, source?, source_id?,
// case_number?, original_code?}. reported_at defaults to `now`. Checks only
// the JSON shape and types; the engine validates the values.
Result<Incident> new_incident_from_json(const nlohmann::json& body, const TimeZone& zone,
                                        Timestamp now);

// {"to", "at"?, "actor"?, "note"?, "assignee"?, "deadline"?}. An absent
// actor becomes `default_actor`.
Result<TransitionRequest> transition_from_json(const nlohmann::json& body, const TimeZone& zone,
                                               const std::string& default_actor);

// The plain personal data of one incident, for the reveal route only
// ({reporter_phone, reporter_name, reporter_id_number}); the caller
// checks the permission, takes the reason and audits (issue 17).
nlohmann::json reveal_json(const Incident& incident);

nlohmann::json event_to_json(const IncidentEvent& event, const TimeZone& zone);

// null for an absent time, else format_local.
nlohmann::json time_json(const std::optional<Timestamp>& ts, const TimeZone& zone);

}  // namespace pingan
