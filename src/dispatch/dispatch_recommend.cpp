// DispatchService: ranking available units for a point and covering an
// incident type's run card with a set of them.

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "dispatch/dispatch_service_impl.h"

namespace pingan::dispatch {
namespace {

std::string describe_need(const RunCardNeed& need, int missing) {
  std::string what = need.kind ? patrol_kind_name(*need.kind) : "unit";
  if (!need.role.empty()) what += fmt::format(" ({})", need.role);
  return fmt::format("{} × {}", missing, what);
}

// Needs naming a role come first, then those naming a kind, then "any": a
// rapid-reaction car must not be spent on a need any car could fill.
int specificity(const RunCardNeed& need) { return (need.role.empty() ? 0 : 2) + (need.kind ? 1 : 0); }

}  // namespace

std::vector<Candidate> DispatchService::nearest_available(const GeoPoint& point, std::size_t k,
                                                          std::optional<PatrolKind> kind,
                                                          const std::string& role) const {
  const Impl& m = *impl_;
  std::lock_guard lock(m.mutex);
  std::vector<Candidate> out;
  for (const RankedUnit& r : m.index.nearest(point, k, kind, role)) {
    const PatrolUnit& u = m.units[r.slot].unit;
    out.push_back(Candidate{u.call_sign, u.kind, u.station_code, r.distance_m, r.eta_s, -1});
  }
  return out;
}

Result<Recommendation> DispatchService::recommend(IncidentId incident_id, const UnitScope& scope) const {
  const Impl& m = *impl_;
  PINGAN_ASSIGN_OR_RETURN(Incident incident, m.engine.get_incident(incident_id, scope));
  if (!incident.location)
    return Error::invalid("location", fmt::format("incident {} has no location to rank units by", incident_id));
  RunCard card;
  {
    std::lock_guard lock(m.mutex);
    card = m.cards.for_type(incident.type_code);
  }
  std::vector<std::size_t> order(card.needs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return specificity(card.needs[a]) > specificity(card.needs[b]);
  });

  Recommendation rec;
  rec.incident_id = incident_id;
  rec.type_code = incident.type_code;
  rec.card = card;
  std::vector<std::vector<Candidate>> by_need(card.needs.size());
  {
    std::lock_guard lock(m.mutex);
    std::vector<std::uint32_t> taken;
    for (std::size_t n : order) {
      const RunCardNeed& need = card.needs[n];
      // At most `taken` of the nearest are spoken for already.
      auto ranked = m.index.nearest(*incident.location, std::size_t(need.count) + taken.size(), need.kind, need.role);
      for (const RankedUnit& r : ranked) {
        if (int(by_need[n].size()) == need.count) break;
        if (std::find(taken.begin(), taken.end(), r.slot) != taken.end()) continue;
        taken.push_back(r.slot);
        const PatrolUnit& u = m.units[r.slot].unit;
        by_need[n].push_back(Candidate{u.call_sign, u.kind, u.station_code, r.distance_m, r.eta_s, int(n)});
      }
    }
  }
  for (std::size_t n = 0; n < card.needs.size(); ++n) {
    const int missing = card.needs[n].count - int(by_need[n].size());
    if (missing > 0) rec.unmet.push_back(describe_need(card.needs[n], missing));
    for (auto& c : by_need[n]) rec.units.push_back(std::move(c));
  }
  return rec;
}

}  // namespace pingan::dispatch
