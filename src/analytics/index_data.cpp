#include "analytics/index_data.h"

#include <algorithm>

namespace pingan::analytics {
namespace {

// Dense slots of the cube may take this much memory, whichever is larger
// (see rebuild_cube); sparse slots take 4 bytes a record.
constexpr std::size_t kCubeFloorBytes = 1u << 20;
constexpr std::size_t kCubeBytesPerRow = 12;
// No window longer than a century, whatever the budget.
constexpr DayNumber kCubeMaxDays = 36'525;
// Days kept past the last day of the data, so that new records of the next
// weeks land in the cube without a rebuild.
constexpr DayNumber kCubeFutureDays = 62;
// The share of rows at each end of time left out when choosing the window,
// so that 1900 placeholders or typos in the year do not stretch it. Small
// enough that the newest 1% of rows spans less than kCubeFutureDays on any
// dataset worth a cube, so the window still reaches past today.
constexpr double kCubeOutlierShare = 0.01;

// Ids beyond this many slots past the row count are kept in the map.
constexpr std::size_t kDenseIdSlack = 1u << 20;

template <typename T>
void permute_column(std::vector<T>& column, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(order.size());
  for (std::uint32_t row : order) out.push_back(column[row]);
  column.swap(out);
}

template <typename T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

void IndexColumns::reserve(std::size_t n) {
  minute.reserve(n);
  second.reserve(n);
  type.reserve(n);
  status.reserve(n);
  unit.reserve(n);
  x.reserve(n);
  y.reserve(n);
}

void IndexColumns::shrink_to_fit() {
  minute.shrink_to_fit();
  second.shrink_to_fit();
  type.shrink_to_fit();
  status.shrink_to_fit();
  unit.shrink_to_fit();
  x.shrink_to_fit();
  y.shrink_to_fit();
}

void IndexColumns::permute(const std::vector<std::uint32_t>& order) {
  permute_column(minute, order);
  permute_column(second, order);
  permute_column(type, order);
  permute_column(status, order);
  permute_column(unit, order);
  permute_column(x, order);
  permute_column(y, order);
}

std::size_t IndexColumns::memory_bytes() const {
  return bytes_of(minute) + bytes_of(second) + bytes_of(type) + bytes_of(status) + bytes_of(unit) +
         bytes_of(x) + bytes_of(y);
}

IndexData::IndexData(const Taxonomy& taxonomy, const TimeZone& zone)
    : types(taxonomy.types()), classes(taxonomy.classes()), clock(zone) {
  for (std::size_t i = 0; i < types.size() && i < kUnknownType; ++i) {
    type_by_code.emplace(types[i].code, static_cast<int>(i));
    std::uint8_t cls = 0;
    for (std::size_t c = 0; c < classes.size(); ++c)
      if (classes[c].code == types[i].class_code) cls = static_cast<std::uint8_t>(c);
    class_of_type.push_back(cls);
  }
  run_begin.assign(static_cast<std::size_t>(unit_dims()) + 1, 0);
}

std::uint32_t IndexData::find_row(IncidentId id) const {
  if (id <= 0) return kNoRow;
  if (static_cast<std::uint64_t>(id) < row_of_id.size()) return row_of_id[static_cast<std::size_t>(id)];
  auto it = row_of_sparse_id.find(id);
  return it == row_of_sparse_id.end() ? kNoRow : it->second;
}

void IndexData::set_row(IncidentId id, std::uint32_t row) {
  if (id <= 0) return;
  const auto uid = static_cast<std::uint64_t>(id);
  if (uid < row_of_id.size()) {
    row_of_id[uid] = row;
    return;
  }
  if (uid < rows.size() + row_of_sparse_id.size() + kDenseIdSlack) {
    row_of_id.resize(uid + 1, kNoRow);
    row_of_id[uid] = row;
    return;
  }
  row_of_sparse_id[id] = row;
}

void IndexData::sort_rows() {
  const std::size_t n = rows.size();
  const std::size_t dims = static_cast<std::size_t>(unit_dims());
  // Counting sort by unit dimension; stable, so in each run the rows of the
  // sorted part (already in time order) come before the tail's.
  std::vector<std::uint32_t> begin(dims + 1, 0);
  for (std::size_t r = 0; r < n; ++r)
    if (rows.live(r)) ++begin[static_cast<std::size_t>(unit_dim(rows.unit[r])) + 1];
  for (std::size_t d = 0; d < dims; ++d) begin[d + 1] += begin[d];
  std::vector<std::uint32_t> order(begin[dims]);
  {
    std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
    for (std::size_t r = 0; r < n; ++r)
      if (rows.live(r)) order[next[static_cast<std::size_t>(unit_dim(rows.unit[r]))]++] = static_cast<std::uint32_t>(r);
  }
  auto earlier = [this](std::uint32_t a, std::uint32_t b) {
    return rows.minute[a] != rows.minute[b] ? rows.minute[a] < rows.minute[b]
                                            : rows.second[a] < rows.second[b];
  };
  for (std::size_t d = 0; d < dims; ++d) {
    auto first = order.begin() + begin[d];
    auto last = order.begin() + begin[d + 1];
    auto middle = std::partition_point(first, last, [this](std::uint32_t r) { return r < sorted_end; });
    if (!std::is_sorted(middle, last, earlier)) std::sort(middle, last, earlier);
    if (middle != first && middle != last) std::inplace_merge(first, middle, last, earlier);
  }
  // Old position -> new position, to renumber the id map.
  std::vector<std::uint32_t> moved(n, kNoRow);
  for (std::size_t k = 0; k < order.size(); ++k) moved[order[k]] = static_cast<std::uint32_t>(k);
  rows.permute(order);
  for (std::uint32_t& row : row_of_id)
    if (row != kNoRow) row = moved[row];
  for (auto it = row_of_sparse_id.begin(); it != row_of_sparse_id.end();) {
    if (moved[it->second] == kNoRow) {
      it = row_of_sparse_id.erase(it);
    } else {
      it->second = moved[it->second];
      ++it;
    }
  }
  run_begin = std::move(begin);
  sorted_end = rows.size();
  dead_rows = 0;
}

void IndexData::rebuild_cube() {
  const int dims = unit_dims();
  const int type_count = static_cast<int>(types.size());
  cube.clear();
  if (type_count == 0) return;

  // Local day of every live row, and how many rows each (unit, type) pair has.
  std::vector<std::int32_t> days(rows.size());
  const std::size_t pair_count = static_cast<std::size_t>(dims) * static_cast<std::size_t>(type_count);
  std::vector<std::int64_t> pair_rows(pair_count, 0);
  LocalClock::Cursor cursor(clock);
  DayNumber min_day = std::numeric_limits<DayNumber>::max(), max_day = std::numeric_limits<DayNumber>::min();
  std::int64_t counted = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!rows.live(r) || rows.type[r] == kUnknownType) continue;
    const DayNumber day = floor_div(cursor.local_seconds(rows.time(r)), kSecondsPerDay);
    days[r] = static_cast<std::int32_t>(day);
    min_day = std::min(min_day, day);
    max_day = std::max(max_day, day);
    ++pair_rows[static_cast<std::size_t>(unit_dim(rows.unit[r])) * static_cast<std::size_t>(type_count) + rows.type[r]];
    ++counted;
  }
  if (counted == 0) {
    cube.reset(dims, type_count, 0, 0);
    return;
  }

  // The dense window: all the days, unless outliers stretch them (a 1901
  // placeholder, a typo in the year); then the bulk of the rows.
  std::vector<std::int64_t> per_day(static_cast<std::size_t>(max_day - min_day + 1), 0);
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (rows.live(r) && rows.type[r] != kUnknownType) ++per_day[static_cast<std::size_t>(days[r] - min_day)];
  const auto outliers = static_cast<std::int64_t>(static_cast<double>(counted) * kCubeOutlierShare);
  DayNumber low = min_day, high = max_day;
  for (std::int64_t seen = 0; low < max_day; ++low) {
    seen += per_day[static_cast<std::size_t>(low - min_day)];
    if (seen > outliers) break;
  }
  for (std::int64_t seen = 0; high > low; --high) {
    seen += per_day[static_cast<std::size_t>(high - min_day)];
    if (seen > outliers) break;
  }
  DayNumber first = min_day, end = max_day + 1 + kCubeFutureDays;
  const DayNumber bulk_end = high + 1 + kCubeFutureDays;
  if (end - first > 2 * (bulk_end - low) + 366) {
    first = low;
    end = bulk_end;
  }
  end = std::min(end, first + kCubeMaxDays);
  const auto window = static_cast<int>(end - first);

  // Dense slots for the pairs with a record on at least every other day of
  // the window (a dense day costs what a sparse record does), the busiest
  // first, within the budget.
  const std::size_t budget = std::max(kCubeFloorBytes, kCubeBytesPerRow * static_cast<std::size_t>(counted));
  const std::size_t max_dense = budget / ((static_cast<std::size_t>(window) + 1) * sizeof(std::int32_t));
  std::vector<std::size_t> dense;
  for (std::size_t p = 0; p < pair_count; ++p)
    if (pair_rows[p] * 2 >= window) dense.push_back(p);
  if (dense.size() > max_dense) {
    std::stable_sort(dense.begin(), dense.end(), [&](std::size_t a, std::size_t b) { return pair_rows[a] > pair_rows[b]; });
    dense.resize(max_dense);
  }
  cube.reset(dims, type_count, first, window);
  for (std::size_t p : dense)
    cube.make_dense(static_cast<int>(p / static_cast<std::size_t>(type_count)), static_cast<int>(p % static_cast<std::size_t>(type_count)));
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (rows.live(r) && rows.type[r] != kUnknownType) cube.count_raw(unit_dim(rows.unit[r]), rows.type[r], days[r]);
  cube.finish_counting();
}

std::size_t IndexData::memory_bytes() const {
  return rows.memory_bytes() + bytes_of(run_begin) + bytes_of(row_of_id) +
         row_of_sparse_id.size() * (sizeof(std::int64_t) + sizeof(std::uint32_t) + 2 * sizeof(void*)) +
         cube.memory_bytes() + bytes_of(class_of_type);
}

}  // namespace pingan::analytics
