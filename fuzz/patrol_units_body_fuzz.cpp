// The body of POST /api/patrol-units (an array of units):
// patrol_unit_from_json for each, as the route does, then
// DispatchService::upsert_units on a small desk (desk_support.h). Checked:
// refusals are invalid_argument (or conflict, for a busy unit) naming a
// field; an accepted unit reads back with the kind, station, crew and roles
// sent.

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <map>

#include "desk_support.h"
#include "json/json_fields.h"
#include "json/patrol_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok() || !body->is_array()) return 0;
  fuzz::Desk d = fuzz::fresh_desk();
  std::vector<PatrolUnit> units;
  for (std::size_t i = 0; i < body->size(); ++i) {
    bool status_given = false;
    Result<PatrolUnit> u = patrol_unit_from_json((*body)[i], fmt::format("[{}]", i), &status_given);
    if (!u.ok()) {
      fuzz::check(u.error().code == ErrorCode::kInvalidArgument && !u.error().field.empty(),
                  "a refused unit names its field");
      return 0;
    }
    if (!status_given) {  // as the route does: an existing unit keeps its status, a new one is off
                          // duty
      auto existing = d.desk->get_unit(u->call_sign);
      u->status = existing.ok() ? existing->unit.status : PatrolStatus::kOffDuty;
      if (u->status == PatrolStatus::kEnRoute || u->status == PatrolStatus::kOnScene)
        u->status = PatrolStatus::kAvailable;
    }
    units.push_back(std::move(u).value());
  }
  Status st = d.desk->upsert_units(units);
  if (!st.ok()) {
    const ErrorCode code = st.error().code;
    fuzz::check(code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict,
                "a refused batch is invalid_argument or conflict");
    return 0;
  }
  std::map<std::string, const PatrolUnit*> last;
  for (const PatrolUnit& u : units) last[u.call_sign] = &u;
  for (const auto& [call_sign, sent] : last) {
    Result<dispatch::UnitChange> kept = d.desk->get_unit(call_sign);
    fuzz::check(kept.ok(), "an upserted unit can be read");
    fuzz::check(kept->unit.kind == sent->kind && kept->unit.station_code == sent->station_code &&
                    kept->unit.crew_size == sent->crew_size && kept->unit.roles == sent->roles,
                "a unit reads back as sent");
  }
  return 0;
}
