// DispatchService::report_positions: AVL batches. The in-memory update runs
// under one short lock; the downsampled track points of the whole batch go
// to the store in one transaction afterwards; inferred arrivals last.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dispatch/dispatch_service_impl.h"
#include "dispatch/position_check.h"

namespace pingan::dispatch {

PositionBatchResult DispatchService::report_positions(std::span<const PositionReport> reports) {
  Impl& m = *impl_;
  PositionBatchResult result;
  std::vector<UnitPosition> track;
  std::vector<std::pair<std::string, Timestamp>> arrivals;
  std::vector<UnitChange> changes;
  const bool tell = m.has_listeners();
  const TimeZone& zone = m.engine.time_zone();
  {
    std::lock_guard lock(m.mutex);
    m.refresh_district_locked();
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const PositionReport& r = reports[i];
      UnitState* s = m.find_locked(r.call_sign);
      std::optional<PositionRefusal> refusal;
      if (!s)
        refusal = PositionRefusal{PositionRejection::kUnknownUnit,
                                  fmt::format("no patrol unit has the call sign '{}'", r.call_sign)};
      else
        refusal = check_position(r, s->position, m.newest_seen, m.config, m.district, zone);
      if (refusal) {
        ++m.counters.positions_refused[position_rejection_name(refusal->reason)];
        result.refused.push_back({i, r.call_sign, refusal->reason, std::move(refusal->message)});
        continue;
      }
      ++result.accepted;
      m.newest_seen = std::max(m.newest_seen, r.at);
      s->position = UnitPosition{r.call_sign, r.at, r.point};
      if (s->unit.status == PatrolStatus::kAvailable) m.index.place(m.slot_of_locked(*s), s->unit.kind, s->unit.roles, r.point);
      const bool keep = !s->last_track || r.at - s->last_track->at >= m.config.track_min_interval_s ||
                        distance_m(s->last_track->point, r.point) >= m.config.track_min_distance_m;
      if (keep) {
        s->last_track = s->position;
        track.push_back(*s->position);
      }
      if (s->unit.status == PatrolStatus::kEnRoute && s->target &&
          distance_m(*s->target, r.point) <= m.config.arrival_radius_m)
        arrivals.emplace_back(r.call_sign, r.at);
      if (tell) changes.push_back(m.change_of(*s));
    }
    m.counters.positions_accepted += result.accepted;
  }
  if (!track.empty()) {
    // The positions are live in memory already; a failed track write loses
    // history, not the map, so it is logged rather than refusing the batch.
    if (Status st = m.engine.append_track_points(track); !st.ok())
      spdlog::error("dispatch: {} track points not stored: {}", track.size(), st.error().describe());
  }
  for (const auto& [call_sign, at] : arrivals) {
    auto arrived = arrive(call_sign, at, "AVL");
    if (!arrived.ok()) spdlog::debug("dispatch: arrival of {} not inferred: {}", call_sign, arrived.error().describe());
  }
  m.publish(changes);
  return result;
}

}  // namespace pingan::dispatch
