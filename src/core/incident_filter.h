#pragma once
// Which incidents a list or a count asks for: a query of the domain, built
// by the faces (HTTP, CLI), checked by the engine and answered by a store in
// its own dialect.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/incident.h"
#include "core/time.h"
#include "core/unit.h"

namespace pingan {

struct IncidentFilter {
  UnitScope scope = UnitScope::everything();
  std::vector<std::string> class_codes;
  std::vector<std::string> type_codes;
  std::vector<IncidentStatus> statuses;
  std::optional<Timestamp> from;   // reported_at >= from
  std::optional<Timestamp> until;  // reported_at < until
  std::optional<BoundingBox> bbox;
  std::string source;
  bool include_voided = false;
  // Only the calls merged into this incident (Engine::merge); merged calls
  // are listed like any other record otherwise.
  std::optional<IncidentId> merged_into;
  // Only the incidents reported from this phone: an exact look-up through
  // the keyed hash of its normal form (core/personal_masks.h), never a
  // search of plain text. Empty: no such condition.
  std::string reporter_phone;
  int limit = 100;   // 1..1000
  std::int64_t offset = 0;
  // The caller accepts a page a few seconds old: a list for people to read
  // (GET /api/incidents). A store with a read replica may then answer from
  // it, saying how old in IncidentPage::stale_by_at_most_s. Reads that decide
  // a write (a merge's checks, the duplicate-call search after a new call)
  // leave it false: they must see every acknowledged write.
  bool may_be_stale = false;
};

struct IncidentPage {
  std::vector<Incident> items;
  std::int64_t total = 0;  // matching records, ignoring limit/offset
  // Set when a replica answered: the page holds every write acknowledged
  // more than this many seconds before it was read (later ones may be
  // missing). Unset: read on the primary, which holds every one.
  std::optional<double> stale_by_at_most_s;
};

}  // namespace pingan
