#include "analytics/incident_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "analytics/aggregate.h"
#include "analytics/index_data.h"
#include "analytics/index_filter.h"
#include "engine/engine.h"

namespace pingan::analytics {
namespace {

constexpr std::int64_t kProgressEvery = 100'000;
// The tail is merged into the sorted rows once it holds more than this many
// rows: at least kMinTail, else a 32nd of the rows up to kMaxTail, so that
// scans pay little for it and merges stay rare.
constexpr std::size_t kMinTail = 4096;
constexpr std::size_t kMaxTail = 262'144;
// A row after the cube's window moves the window only when it is within a
// year of it; a later date is a typo the scan path can answer.
constexpr DayNumber kCubeReachDays = 366;

std::optional<GeoPoint> centre_of_units(const UnitTree& tree) {
  BoundingBox box;
  for (const Unit& u : tree.units())
    if (!u.boundary.empty()) {
      box.extend(GeoPoint{u.boundary.bbox().min_lat, u.boundary.bbox().min_lon});
      box.extend(GeoPoint{u.boundary.bbox().max_lat, u.boundary.bbox().max_lon});
    }
  if (box.empty()) return std::nullopt;
  return GeoPoint{(box.min_lat + box.max_lat) / 2, (box.min_lon + box.max_lon) / 2};
}

}  // namespace

struct IncidentIndex::Impl {
  Impl(const Taxonomy& taxonomy, std::shared_ptr<const UnitTree> units, TimeZone zone)
      : taxonomy(taxonomy), zone(zone), data(std::make_unique<IndexData>(taxonomy, zone)) {
    install_units(*data, std::move(units));
  }

  static void install_units(IndexData& d, std::shared_ptr<const UnitTree> units) {
    if (!units) units = std::make_shared<const UnitTree>();
    if (!d.projection_set)
      if (auto centre = centre_of_units(*units)) {
        d.projection = LocalProjection::centred_on(centre->lat, centre->lon);
        d.projection_set = true;
      }
    d.catalog = UnitCatalog(std::move(units));
    // Only for an index with no sorted rows (new, or about to be re-sorted).
    d.sorted_end = 0;
    d.run_begin.assign(static_cast<std::size_t>(d.unit_dims()) + 1, 0);
  }

  void upsert_locked(const Incident& incident);
  void append(const Incident& incident);
  void kill(std::uint32_t row);
  // Merges the tail when it is long; rebuilds a stale cube.
  void after_writes();

  Taxonomy taxonomy;
  TimeZone zone;
  mutable std::shared_mutex mutex;
  std::unique_ptr<IndexData> data;  // GUARDED_BY(mutex)
  // While building, rows go in without cube updates; the cube is built once at the end.
  bool bulk = false;                // GUARDED_BY(mutex)
  // A row fell after the cube's window (or there is no cube yet): rebuild it.
  bool cube_stale = false;          // GUARDED_BY(mutex)
  IndexStart start;                 // GUARDED_BY(mutex)
};

void IncidentIndex::Impl::append(const Incident& inc) {
  IndexData& d = *data;
  const Timestamp t = inc.reported_at;
  const std::int64_t minute = floor_div(t, 60);
  // Times beyond +-4000 years cannot be stored; validation refuses them anyway.
  if (minute < std::numeric_limits<std::int32_t>::min() || minute > std::numeric_limits<std::int32_t>::max())
    return;
  const int units_before = d.catalog.size();
  const std::uint16_t unit = d.catalog.intern(inc.unit_code);
  if (d.catalog.size() != units_before) {
    // A code outside the tree got the next number, before the no-unit dimension.
    d.run_begin.insert(d.run_begin.begin() + units_before, d.run_begin[static_cast<std::size_t>(units_before)]);
    d.cube.insert_unit(units_before);
  }
  auto type_it = d.type_by_code.find(inc.type_code);
  const std::uint8_t type =
      type_it == d.type_by_code.end() ? kUnknownType : static_cast<std::uint8_t>(type_it->second);
  std::int32_t x = kNoPoint, y = kNoPoint;
  if (inc.location) {
    if (!d.projection_set) {
      d.projection = LocalProjection::centred_on(inc.location->lat, inc.location->lon);
      d.projection_set = true;
    }
    d.projection.to_metres(*inc.location, &x, &y);
  }
  d.rows.minute.push_back(static_cast<std::int32_t>(minute));
  d.rows.second.push_back(static_cast<std::uint8_t>(t - minute * 60));
  d.rows.type.push_back(type);
  d.rows.status.push_back(static_cast<std::uint8_t>(inc.status));
  d.rows.unit.push_back(unit);
  d.rows.x.push_back(x);
  d.rows.y.push_back(y);
  d.set_row(inc.id, static_cast<std::uint32_t>(d.rows.size() - 1));
  ++d.live_rows;
  if (bulk || type == kUnknownType) return;
  const DayNumber day = d.clock.local_day(t);
  d.cube.add(d.unit_dim(unit), type, day, +1);
  if (!d.cube.ready() || (day >= d.cube.end_day() && day < d.cube.end_day() + kCubeReachDays)) cube_stale = true;
}

void IncidentIndex::Impl::kill(std::uint32_t row) {
  IndexData& d = *data;
  if (!d.rows.live(row)) return;
  d.rows.status[row] = kDeadStatus;
  --d.live_rows;
  ++d.dead_rows;
  if (bulk || d.rows.type[row] == kUnknownType) return;
  const DayNumber day = d.clock.local_day(d.rows.time(row));
  d.cube.add(d.unit_dim(d.rows.unit[row]), d.rows.type[row], day, -1);
}

void IncidentIndex::Impl::upsert_locked(const Incident& inc) {
  IndexData& d = *data;
  const std::uint32_t row = d.find_row(inc.id);
  if (row != kNoRow && d.rows.live(row)) {
    if (!inc.counts_in_statistics()) return kill(row);
    auto type_it = d.type_by_code.find(inc.type_code);
    const int type = type_it == d.type_by_code.end() ? kUnknownType : type_it->second;
    const int unit = d.catalog.find(inc.unit_code);
    const bool same_place_in_counts =
        d.rows.time(row) == inc.reported_at && d.rows.type[row] == type &&
        (inc.unit_code.empty() ? d.rows.unit[row] == kNoUnit : d.rows.unit[row] == unit);
    if (same_place_in_counts) {
      // The usual case: a status change. Nothing else the index keeps moves.
      d.rows.status[row] = static_cast<std::uint8_t>(inc.status);
      if (inc.location) d.projection.to_metres(*inc.location, &d.rows.x[row], &d.rows.y[row]);
      return;
    }
    kill(row);  // an edit that moves the record: count it afresh
  }
  if (!inc.counts_in_statistics()) return;
  append(inc);
}

void IncidentIndex::Impl::after_writes() {
  IndexData& d = *data;
  const std::size_t tail_limit = std::max(kMinTail, std::min(d.rows.size() / 32, kMaxTail));
  if (d.tail_size() > tail_limit || static_cast<std::size_t>(d.dead_rows) > tail_limit) d.sort_rows();
  if (!cube_stale) return;
  d.rebuild_cube();
  cube_stale = false;
}

IncidentIndex::IncidentIndex(const Taxonomy& taxonomy, std::shared_ptr<const UnitTree> units,
                             TimeZone zone)
    : impl_(std::make_unique<Impl>(taxonomy, std::move(units), std::move(zone))) {}

IncidentIndex::~IncidentIndex() = default;

Status IncidentIndex::build_from(Engine& engine, const std::function<void(std::int64_t)>& progress) {
  std::unique_lock lock(impl_->mutex);
  Impl& s = *impl_;
  auto fresh = std::make_unique<IndexData>(s.taxonomy, s.zone);
  Impl::install_units(*fresh, s.data->catalog.tree());
  s.data = std::move(fresh);
  if (auto total = engine.count_incidents(); total.ok())
    s.data->rows.reserve(static_cast<std::size_t>(*total));
  s.bulk = true;
  std::int64_t seen = 0;
  Status scanned = engine.scan_incidents([&](const Incident& inc) {
    if (inc.counts_in_statistics()) s.append(inc);
    if (++seen % kProgressEvery == 0 && progress) progress(seen);
  });
  s.bulk = false;
  s.data->sort_rows();
  s.data->rows.shrink_to_fit();
  s.data->row_of_id.shrink_to_fit();
  s.data->rebuild_cube();
  s.cube_stale = false;
  if (progress) progress(seen);
  return scanned;
}

void IncidentIndex::upsert(const Incident& incident) {
  std::unique_lock lock(impl_->mutex);
  impl_->upsert_locked(incident);
  impl_->after_writes();
}

void IncidentIndex::upsert_all(const std::vector<Incident>& incidents) {
  std::unique_lock lock(impl_->mutex);
  Impl& s = *impl_;
  // A batch large against the index refills the cube once rather than
  // updating its prefix sums row by row.
  const bool refill = incidents.size() >= std::max<std::size_t>(kMinTail, static_cast<std::size_t>(s.data->live_rows) / 8);
  s.bulk = refill;
  for (const Incident& inc : incidents) s.upsert_locked(inc);
  s.bulk = false;
  if (refill) s.cube_stale = true;
  s.after_writes();
}

void IncidentIndex::set_units(std::shared_ptr<const UnitTree> units) {
  {
    std::shared_lock lock(impl_->mutex);
    if (units == impl_->data->catalog.tree()) return;
  }
  std::unique_lock lock(impl_->mutex);
  IndexData& d = *impl_->data;
  if (units == d.catalog.tree()) return;  // another thread got here first
  UnitCatalog old = std::move(d.catalog);
  Impl::install_units(d, std::move(units));
  // Renumber the rows' units by code; codes the new tree lacks become extras.
  std::vector<std::uint16_t> renumber(static_cast<std::size_t>(old.size()));
  for (int u = 0; u < old.size(); ++u)
    renumber[static_cast<std::size_t>(u)] = d.catalog.intern(old.at(u).code);
  for (std::uint16_t& u : d.rows.unit)
    if (u != kNoUnit) u = renumber[u];
  d.sort_rows();
  d.rebuild_cube();
  impl_->cube_stale = false;
}

Status IncidentIndex::save_snapshot(const std::string& path, std::int64_t position, const std::string& database) {
  std::unique_lock lock(impl_->mutex);
  impl_->data->sort_rows();
  return write_snapshot(path, SnapshotStamp{position, database}, *impl_->data);
}

Result<SnapshotStamp> IncidentIndex::load_snapshot(const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(SnapshotContents c, read_snapshot(path));
  Impl& s = *impl_;
  if (c.zone != s.zone.name())
    return Error::conflict("snapshot", fmt::format("{} was counted in time zone {}, this server uses {}", path, c.zone,
                                                   s.zone.name()));
  const auto& types = s.taxonomy.types();
  bool same_types = c.type_codes.size() == types.size();
  for (std::size_t i = 0; same_types && i < types.size(); ++i) same_types = c.type_codes[i] == types[i].code;
  if (!same_types) return Error::conflict("snapshot", fmt::format("{} was written under another taxonomy", path));
  auto fresh = std::make_unique<IndexData>(s.taxonomy, s.zone);
  if (c.projection_set) {
    fresh->projection = c.projection;
    fresh->projection_set = true;
  }
  {
    std::shared_lock lock(s.mutex);
    Impl::install_units(*fresh, s.data->catalog.tree());
  }
  // The snapshot's unit numbers -> this tree's (codes it lacks become extras).
  std::vector<std::uint16_t> renumber(c.unit_codes.size());
  for (std::size_t u = 0; u < c.unit_codes.size(); ++u) renumber[u] = fresh->catalog.intern(c.unit_codes[u]);
  for (std::uint16_t& u : c.rows.unit)
    if (u != kNoUnit) u = renumber[u];
  const std::size_t n = c.rows.size();
  fresh->rows = std::move(c.rows);
  fresh->row_of_id = std::move(c.row_of_id);
  for (const auto& [id, row] : c.sparse_ids) fresh->row_of_sparse_id.emplace(id, row);
  fresh->live_rows = static_cast<std::int64_t>(n);
  fresh->dead_rows = 0;
  // Rows were sorted by (old unit number, time): each unit's rows are still
  // in time order, so the merge below only regroups them by the new numbers.
  fresh->sorted_end = n;
  fresh->sort_rows();
  fresh->rebuild_cube();
  std::unique_lock lock(s.mutex);
  s.data = std::move(fresh);
  s.cube_stale = false;
  return c.stamp;
}

void IncidentIndex::record_start(const IndexStart& start) {
  std::unique_lock lock(impl_->mutex);
  impl_->start = start;
}

IndexStart IncidentIndex::start() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->start;
}

void IncidentIndex::compact() {
  std::unique_lock lock(impl_->mutex);
  impl_->data->sort_rows();
}

IncidentIndex::Shape IncidentIndex::shape() const {
  std::shared_lock lock(impl_->mutex);
  const IndexData& d = *impl_->data;
  Shape s;
  s.rows = d.live_rows;
  s.tail_rows = static_cast<std::int64_t>(d.tail_size());
  s.dead_rows = d.dead_rows;
  if (d.cube.ready()) {
    auto date = [](DayNumber day) {
      CivilTime c = civil_of_day(day);
      return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    };
    s.cube_first_day = date(d.cube.first_day());
    s.cube_last_day = date(d.cube.end_day() - 1);
  }
  s.cube_slots = d.cube.slots();
  s.cube_dense_slots = d.cube.dense_slots();
  s.memory_bytes = d.memory_bytes();
  s.cube_bytes = d.cube.memory_bytes();
  return s;
}

std::int64_t IncidentIndex::size() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->live_rows;
}

std::size_t IncidentIndex::memory_bytes() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->memory_bytes();
}

const LocalProjection& IncidentIndex::projection() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->projection;
}

const TimeZone& IncidentIndex::zone() const { return impl_->zone; }

void IncidentIndex::for_each_point(const RowFilter& filter,
                                   const std::function<void(const PointRow&)>& visit) const {
  std::shared_lock lock(impl_->mutex);
  const IndexData& d = *impl_->data;
  const ResolvedFilter f = resolve_filter(d, filter);
  auto emit = [&](std::size_t r) {
    if (f.wants(d.rows, r)) visit(PointRow{d.rows.x[r], d.rows.y[r], d.rows.minute[r], d.rows.type[r], d.rows.unit[r]});
  };
  d.for_runs(
      f.units, f.from, f.until,
      [&](int, std::uint32_t begin, std::uint32_t end) {
        for (std::size_t r = begin; r < end; ++r)
          if (d.rows.live(r)) emit(r);
      },
      emit);
}

std::int64_t IncidentIndex::count(const RowFilter& filter) const {
  std::shared_lock lock(impl_->mutex);
  return count_rows(*impl_->data, filter);
}

int IncidentIndex::type_index(std::string_view type_code) const {
  std::shared_lock lock(impl_->mutex);
  const IndexData& d = *impl_->data;
  auto it = d.type_by_code.find(std::string(type_code));
  return it == d.type_by_code.end() ? -1 : it->second;
}

const IncidentType& IncidentIndex::type_at(int index) const {
  return impl_->taxonomy.types()[static_cast<std::size_t>(index)];
}

int IncidentIndex::type_count() const { return static_cast<int>(impl_->taxonomy.types().size()); }

int IncidentIndex::unit_index(std::string_view unit_code) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->catalog.find(unit_code);
}

const Unit& IncidentIndex::unit_at(int index) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->catalog.at(index);
}

int IncidentIndex::unit_count() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->catalog.size();
}

std::shared_ptr<const UnitTree> IncidentIndex::units() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data->catalog.tree();
}

void IncidentIndex::read(const std::function<void(const IndexData&)>& read) const {
  std::shared_lock lock(impl_->mutex);
  read(*impl_->data);
}

}  // namespace pingan::analytics
