// DispatchService: opening, the unit register, duty changes, listeners.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/code_checks.h"
#include "core/text_limits.h"
#include "dispatch/dispatch_service_impl.h"

namespace pingan::dispatch {
namespace {

BoundingBox tree_box(const UnitTree* tree) {
  BoundingBox box;
  if (!tree) return box;
  for (const Unit& u : tree->units())
    if (!u.boundary.empty()) {
      const BoundingBox& b = u.boundary.bbox();
      box.extend(GeoPoint{b.min_lat, b.min_lon});
      box.extend(GeoPoint{b.max_lat, b.max_lon});
    }
  return box;
}

bool station_in_scope(const UnitScope& scope, const UnitTree* tree, const std::string& station) {
  if (scope.all) return true;
  if (!tree) return false;
  for (const std::string& code : tree->path(station))
    if (std::find(scope.root_codes.begin(), scope.root_codes.end(), code) != scope.root_codes.end()) return true;
  return false;
}

}  // namespace

// --- Impl helpers ---

UnitState* DispatchService::Impl::find_locked(const std::string& call_sign) {
  auto it = slots.find(call_sign);
  return it == slots.end() ? nullptr : &units[it->second];
}

UnitState& DispatchService::Impl::add_locked(PatrolUnit unit) {
  slots.emplace(unit.call_sign, std::uint32_t(units.size()));
  UnitState& s = units.emplace_back();
  s.unit = std::move(unit);
  return s;
}

void DispatchService::Impl::reindex_locked(UnitState& s) {
  const std::uint32_t slot = slot_of_locked(s);
  if (s.unit.status == PatrolStatus::kAvailable && s.position)
    index.place(slot, s.unit.kind, s.unit.roles, s.position->point);
  else
    index.remove(slot);
}

void DispatchService::Impl::refresh_district_locked() {
  auto tree = engine.units();
  if (tree.get() == district_tree) return;
  district = tree_box(tree.get());
  district_tree = tree.get();
}

bool DispatchService::Impl::has_listeners() {
  std::lock_guard lock(listeners_mutex);
  return !listeners.empty();
}

void DispatchService::Impl::publish(const std::vector<UnitChange>& changes) {
  if (changes.empty()) return;
  std::lock_guard lock(listeners_mutex);
  for (const auto& change : changes)
    for (auto& l : listeners) l(change);
}

Status DispatchService::Impl::persist(std::span<const PatrolUnit> changed, std::span<const Assignment> assignments) {
  return engine.save_patrol_state(changed, assignments);
}

// --- public API ---

DispatchService::DispatchService(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
DispatchService::~DispatchService() = default;

Result<std::unique_ptr<DispatchService>> DispatchService::open(Engine& engine, DispatchConfig config,
                                                               RunCards cards) {
  PINGAN_RETURN_IF_ERROR(validate_dispatch_config(config));
  PINGAN_RETURN_IF_ERROR(cards.check_types(engine.taxonomy()));
  auto tree = engine.units();
  const BoundingBox box = tree_box(tree.get());
  std::optional<GeoPoint> origin;
  if (!box.empty()) origin = GeoPoint{(box.min_lat + box.max_lat) / 2, (box.min_lon + box.max_lon) / 2};
  auto impl = std::make_shared<Impl>(engine, config, std::move(cards), origin);
  impl->district = box;
  impl->district_tree = tree.get();

  PINGAN_ASSIGN_OR_RETURN(auto stored, engine.list_patrol_units());
  PINGAN_ASSIGN_OR_RETURN(auto latest, engine.latest_track_points());
  PINGAN_ASSIGN_OR_RETURN(auto open_assignments, engine.list_open_assignments());
  impl->units.reserve(stored.size());
  for (auto& u : stored) impl->add_locked(std::move(u));
  for (auto& p : latest) {
    UnitState* s = impl->find_locked(p.call_sign);
    if (!s) continue;
    impl->newest_seen = std::max(impl->newest_seen, p.at);
    s->position = p;
    s->last_track = p;
  }
  for (auto& a : open_assignments) {
    UnitState* s = impl->find_locked(a.call_sign);
    if (!s || !s->unit.assignment || *s->unit.assignment != a.incident_id) continue;
    s->open = a;
    if (s->unit.status == PatrolStatus::kEnRoute) {
      auto incident = engine.get_incident(a.incident_id, UnitScope::everything());
      if (incident.ok() && incident->location) s->target = incident->location;
    }
  }
  for (auto& s : impl->units) impl->reindex_locked(s);
  spdlog::info("dispatch: {} patrol units, {} with a position, {} available", impl->units.size(), latest.size(),
               impl->index.size());
  // Other servers' desks on the same database, through the change log. A
  // change made between the reads above and this subscription is replayed
  // by the next catch-up (it follows from the engine's open): re-reading a
  // unit twice is harmless.
  std::weak_ptr<Impl> weak = impl;
  engine.subscribe_patrol([weak](const std::vector<std::string>& call_signs) -> Status {
    if (auto desk = weak.lock()) return desk->refresh(call_signs);
    return {};
  });
  engine.subscribe_resync([weak]() -> Status {
    if (auto desk = weak.lock()) return desk->refresh_all();
    return {};
  });
  return std::unique_ptr<DispatchService>(new DispatchService(std::move(impl)));
}

DispatchConfig DispatchService::config() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->config;
}

Status DispatchService::reconfigure(DispatchConfig config, RunCards cards) {
  PINGAN_RETURN_IF_ERROR(validate_dispatch_config(config));
  PINGAN_RETURN_IF_ERROR(cards.check_types(impl_->engine.taxonomy()));
  std::lock_guard lock(impl_->mutex);
  impl_->index.set_speeds(Impl::speeds_of(config));
  impl_->config = config;
  impl_->cards = std::move(cards);
  return {};
}

Status DispatchService::upsert_units(std::vector<PatrolUnit> batch) {
  Impl& m = *impl_;
  auto tree = m.engine.units();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    PatrolUnit& u = batch[i];
    auto describe = [&](Error e) {
      e.message = fmt::format("patrol unit #{} ('{}'): {}", i + 1, u.call_sign, e.message);
      return e;
    };
    if (u.assignment) return describe(Error::invalid("assignment", "is set by dispatch, not by an upsert"));
    if (u.status == PatrolStatus::kEnRoute || u.status == PatrolStatus::kOnScene)
      return describe(Error::invalid("status", "en_route and on_scene are set by dispatch; use available or off_duty"));
    if (Status st = validate_patrol_unit(u); !st.ok()) return describe(st.error());
    if (auto station = require_unit(*tree, u.station_code, "station"); !station.ok())
      return describe(station.error());
    for (std::size_t j = 0; j < i; ++j)
      if (batch[j].call_sign == u.call_sign)
        return describe(Error::invalid("call_sign", "appears twice in the batch"));
  }
  std::unique_lock lock(m.mutex);
  // Existing units keep their live status and assignment unless the upsert
  // takes them off duty, which a unit on a job cannot be.
  std::vector<PatrolUnit> merged;
  merged.reserve(batch.size());
  for (PatrolUnit& u : batch) {
    if (const UnitState* s = m.find_locked(u.call_sign)) {
      if (u.status == PatrolStatus::kOffDuty && s->unit.assignment)
        return Error::conflict("status", fmt::format("unit '{}' is {} (incident {}) and cannot go off duty",
                                                     u.call_sign, patrol_status_name(s->unit.status),
                                                     *s->unit.assignment));
      if (u.status != PatrolStatus::kOffDuty) {
        u.status = s->unit.status;
        u.assignment = s->unit.assignment;
      }
    }
    merged.push_back(u);
  }
  std::unique_lock persist_lock(m.persist_mutex);
  std::vector<UnitChange> changes;
  for (PatrolUnit& u : merged) {
    UnitState* s = m.find_locked(u.call_sign);
    if (!s) {
      s = &m.add_locked(u);
    } else {
      // Kind and roles decide which grids hold the unit: take it out first.
      m.index.remove(m.slot_of_locked(*s));
      s->unit = u;
    }
    ++s->version;
    m.reindex_locked(*s);
    changes.push_back(m.change_of(*s));
  }
  lock.unlock();
  PINGAN_RETURN_IF_ERROR(m.persist(merged, {}));
  persist_lock.unlock();
  m.publish(changes);
  return {};
}

std::vector<UnitChange> DispatchService::list_units(const UnitScope& scope) const {
  auto tree = impl_->engine.units();
  std::lock_guard lock(impl_->mutex);
  std::vector<UnitChange> out;
  for (const auto& s : impl_->units)
    if (!s.removed && station_in_scope(scope, tree.get(), s.unit.station_code)) out.push_back(impl_->change_of(s));
  std::sort(out.begin(), out.end(),
            [](const UnitChange& a, const UnitChange& b) { return a.unit.call_sign < b.unit.call_sign; });
  return out;
}

Result<UnitChange> DispatchService::get_unit(const std::string& call_sign) const {
  std::lock_guard lock(impl_->mutex);
  const UnitState* s = impl_->find_locked(call_sign);
  if (!s) return Error::not_found(fmt::format("patrol unit '{}' does not exist", call_sign));
  return impl_->change_of(*s);
}

Result<PatrolUnit> DispatchService::set_duty(const std::string& call_sign, bool on_duty, Timestamp at,
                                             const std::string& actor) {
  PINGAN_RETURN_IF_ERROR(check_length("actor", actor, kMaxNameChars));
  Impl& m = *impl_;
  std::unique_lock lock(m.mutex);
  UnitState* s = m.find_locked(call_sign);
  if (!s) return Error::not_found(fmt::format("patrol unit '{}' does not exist", call_sign));
  if (!on_duty && s->unit.assignment)
    return Error::conflict("on_duty", fmt::format("unit '{}' is {} (incident {}) and cannot go off duty", call_sign,
                                                  patrol_status_name(s->unit.status), *s->unit.assignment));
  if (s->unit.assignment) return s->unit;  // on duty already, and busy
  const PatrolStatus wanted = on_duty ? PatrolStatus::kAvailable : PatrolStatus::kOffDuty;
  if (s->unit.status == wanted) return s->unit;
  s->unit.status = wanted;
  const std::uint64_t changed = ++s->version;
  m.reindex_locked(*s);
  PatrolUnit unit = s->unit;
  std::vector<UnitChange> changes{m.change_of(*s)};
  std::unique_lock persist_lock(m.persist_mutex);
  lock.unlock();
  Status written = m.persist(std::span<const PatrolUnit>(&unit, 1), {});
  persist_lock.unlock();
  if (!written.ok()) {
    std::lock_guard relock(m.mutex);
    if (UnitState* again = m.find_locked(call_sign); again && again->version == changed) {
      again->unit.status = on_duty ? PatrolStatus::kOffDuty : PatrolStatus::kAvailable;
      ++again->version;
      m.reindex_locked(*again);
    }
    return written.error();
  }
  spdlog::debug("dispatch: {} {} at {} by {}", call_sign, on_duty ? "on duty" : "off duty", at, actor);
  m.publish(changes);
  return unit;
}

void DispatchService::subscribe(Listener listener) {
  std::lock_guard lock(impl_->listeners_mutex);
  impl_->listeners.push_back(std::move(listener));
}

DispatchService::Counters DispatchService::counters() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counters;
}

}  // namespace pingan::dispatch
