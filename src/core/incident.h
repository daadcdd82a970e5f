#pragma once
// An incident (警情) and the facts recorded about it. Validation lives in
// validate_new_incident(); the lifecycle rules in lifecycle.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/lifecycle.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

using IncidentId = std::int64_t;

// The time of every lifecycle step reached so far.
struct LifecycleTimes {
  std::optional<Timestamp> dispatched_at, arrived_at, handled_at, followup_at, fed_back_at,
      verified_at, closed_at;
  std::optional<Timestamp>* slot(IncidentStatus status);
  const std::optional<Timestamp>* slot(IncidentStatus status) const;
};

// The 评估-派单 part of the follow-up loop: who visits again, by when, why.
struct FollowUpTask {
  std::string assignee;  // community officer (name or badge)
  Timestamp deadline = 0;
  std::string assessment;  // the remaining risk that makes a second visit necessary
};

struct Incident {
  IncidentId id = 0;       // assigned by the store
  std::string source;      // "api", "demo", "stlouis", "portland-nij", "slo" ...
  std::string source_id;   // unique within source; makes re-imports idempotent
  std::string case_number; // the source's own case/complaint number, if any
  std::string original_code;  // the source's own category code, kept for traceability
  Timestamp reported_at = 0;
  std::optional<GeoPoint> location;
  std::string address;
  std::string type_code;   // from the taxonomy
  std::string class_code;  // derived from the type
  std::string unit_code;   // empty when no unit holds it
  IncidentStatus status = IncidentStatus::kReceived;
  // Personal data (报警人): sealed at rest by the store, masked in lists and
  // exports (core/personal_masks.h), revealed only with a reason (issue 17).
  std::string reporter_phone;
  std::string reporter_name;       // 报警人姓名
  std::string reporter_id_number;  // 报警人身份证号 (GB 11643, checked at intake)
  std::string description;
  LifecycleTimes times;
  std::optional<FollowUpTask> followup;
  // A voided record stays for the audit trail but counts in no statistic
  // (e.g. a St. Louis Count=-1 correction cancelled it, or it was merged).
  bool voided = false;
  std::string void_reason;
  // A duplicate call linked under another incident (Engine::merge): it stays
  // visible and keeps its history, but statistics count the other one only.
  std::optional<IncidentId> merged_into;

  // Whether statistics count this record (neither voided nor merged).
  bool counts_in_statistics() const { return !voided && !merged_into; }
};

// One append-only step of an incident's history.
struct IncidentEvent {
  IncidentId incident_id = 0;
  int seq = 0;  // 1, 2, ... per incident
  std::optional<IncidentStatus> from;  // empty for the creating event
  IncidentStatus to = IncidentStatus::kReceived;
  Timestamp at = 0;
  std::string actor;
  std::string note;
};

// The first event of every incident (接警, seq 1): the one place it is
// built, by the engine, and stored with the record.
IncidentEvent intake_event(const Incident& incident, const std::string& actor);

class Taxonomy;

// Checks a new incident's fields and fills class_code from the type.
// Errors name the field: "reported_at", "location.lat", "type", "reporter_phone",
// "reporter_id_number", ...
Status validate_new_incident(Incident& incident, const Taxonomy& taxonomy, Timestamp now);

}  // namespace pingan
