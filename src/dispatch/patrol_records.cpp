#include "dispatch/patrol_records.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/code_checks.h"
#include "core/scope_match.h"
#include "dispatch/dispatch_service.h"
#include "engine/engine.h"

namespace pingan::dispatch {

Status save_posts(Engine& engine, std::vector<PatrolPost> posts) {
  auto tree = engine.units();
  for (std::size_t i = 0; i < posts.size(); ++i) {
    Status st = validate_post(posts[i]);
    if (st.ok())
      if (auto station = require_unit(*tree, posts[i].station_code, "station"); !station.ok()) st = station.error();
    if (!st.ok()) {
      Error e = st.error();
      e.field = fmt::format("posts[{}].{}", i, e.field);
      return e;
    }
  }
  return engine.upsert_posts(posts);
}

Result<std::vector<PatrolPost>> list_posts(Engine& engine, const UnitScope& scope) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolPost> all, engine.list_posts());
  auto tree = engine.units();
  std::erase_if(all, [&](const PatrolPost& p) { return !scope_holds(scope, p.station_code, *tree); });
  return all;
}

Result<PatrolShift> record_shift(Engine& engine, const DispatchService& desk, PatrolShift shift) {
  PINGAN_RETURN_IF_ERROR(validate_shift(shift));
  auto unit = desk.get_unit(shift.call_sign);
  if (!unit.ok()) return Error::invalid("call_sign", fmt::format("no patrol unit has the call sign '{}'", shift.call_sign));
  shift.station_code = unit->unit.station_code;
  shift.kind = unit->unit.kind;
  if (!shift.post_code.empty()) {
    PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolPost> posts, engine.list_posts());
    if (std::none_of(posts.begin(), posts.end(), [&](const PatrolPost& p) { return p.code == shift.post_code; }))
      return Error::invalid("post", fmt::format("unknown post '{}'", shift.post_code));
  }
  return engine.add_shift(shift);
}

Result<std::vector<PatrolShift>> list_shifts(Engine& engine, const UnitScope& scope, Timestamp from,
                                             Timestamp until) {
  PINGAN_ASSIGN_OR_RETURN(std::vector<PatrolShift> all, engine.list_shifts(from, until));
  auto tree = engine.units();
  std::erase_if(all, [&](const PatrolShift& s) { return !scope_holds(scope, s.station_code, *tree); });
  return all;
}

}  // namespace pingan::dispatch
