#include "registry/camera_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace pingan::registry {
namespace {

constexpr double kDegToRad = M_PI / 180.0;
// The sphere of core's distance_m() (geo.cpp), in metres.
constexpr double kEarthRadiusM = 6371008.8;
constexpr double kMetresPerDegLat = kEarthRadiusM * kDegToRad;
// Widening of the search box: relative, then absolute (degrees). Far above
// the rounding of distance_m() and of the box's own trigonometry, far below
// a camera's spacing.
constexpr double kBoxSlackRelative = 1e-9;
constexpr double kBoxSlackDeg = 1e-9;
constexpr std::int64_t kKeyOffset = std::int64_t{1} << 31;

}  // namespace

Status check_camera_query(const CameraQuery& q) {
  PINGAN_RETURN_IF_ERROR(validate_point(q.point, "point"));
  if (!std::isfinite(q.radius_m) || q.radius_m < 0 || q.radius_m > kMaxCameraRadiusM)
    return Error::invalid("radius_m", fmt::format("{} m is outside 0..{} m", q.radius_m, kMaxCameraRadiusM));
  if (q.k > kMaxCameraResults)
    return Error::invalid("k", fmt::format("{} cameras is more than the {} a query may ask", q.k, kMaxCameraResults));
  if (!std::isfinite(q.assumed_fov_deg) || q.assumed_fov_deg <= 0 || q.assumed_fov_deg > 360)
    return Error::invalid("assumed_fov_deg", fmt::format("{} is outside (0, 360] degrees", q.assumed_fov_deg));
  return {};
}

std::optional<BoundingBox> search_box(const GeoPoint& c, double radius_m) {
  // Every point within angular distance delta of c differs from it by at
  // most delta in latitude and asin(sin delta / cos lat) in longitude (the
  // tangent points of the circle's meridians), while the circle holds no pole.
  const double delta = radius_m / kEarthRadiusM;
  const double dlat = delta / kDegToRad * (1 + kBoxSlackRelative) + kBoxSlackDeg;
  if (c.lat + dlat >= 90 || c.lat - dlat <= -90) return std::nullopt;
  const double ratio = std::sin(delta) / std::cos(c.lat * kDegToRad);
  if (ratio >= 1) return std::nullopt;
  const double dlon = std::asin(ratio) / kDegToRad * (1 + kBoxSlackRelative) + kBoxSlackDeg;
  if (c.lon - dlon < -180 || c.lon + dlon > 180) return std::nullopt;
  BoundingBox box;
  box.min_lat = c.lat - dlat;
  box.max_lat = c.lat + dlat;
  box.min_lon = c.lon - dlon;
  box.max_lon = c.lon + dlon;
  return box;
}

Result<CameraIndex> CameraIndex::build(std::span<const Camera> cameras, double cell_m) {
  if (!std::isfinite(cell_m) || cell_m < 10 || cell_m > 10'000)
    return Error::invalid("cell_m", fmt::format("{} m is outside 10..10000 m", cell_m));
  if (cameras.size() >= std::size_t{UINT32_MAX}) return Error::invalid("cameras", "more than 2^32-1 cameras");
  CameraIndex index;
  index.cell_m_ = cell_m;
  double lat_sum = 0;
  for (std::size_t i = 0; i < cameras.size(); ++i) {
    PINGAN_RETURN_IF_ERROR(validate_point(cameras[i].location, fmt::format("cameras[{}].location", i)));
    lat_sum += cameras[i].location.lat;
  }
  if (!cameras.empty()) {
    index.lat0_ = lat_sum / static_cast<double>(cameras.size());
    index.lon0_ = cameras.front().location.lon;
  }
  // Cells are square near the cameras; cos() is bounded so a grid of polar
  // cameras keeps finite cells.
  index.cell_lat_deg_ = cell_m / kMetresPerDegLat;
  index.cell_lon_deg_ = cell_m / (kMetresPerDegLat * std::max(0.01, std::cos(index.lat0_ * kDegToRad)));

  std::vector<std::uint64_t> keys(cameras.size());
  std::vector<std::uint32_t> order(cameras.size());
  std::iota(order.begin(), order.end(), 0u);
  index.codes_.reserve(cameras.size());
  for (std::size_t i = 0; i < cameras.size(); ++i) {
    const GeoPoint& p = cameras[i].location;
    const std::int64_t row = index.row_of(p.lat), col = index.column_of(p.lon);
    index.min_row_ = i == 0 ? row : std::min(index.min_row_, row);
    index.max_row_ = i == 0 ? row : std::max(index.max_row_, row);
    index.min_col_ = i == 0 ? col : std::min(index.min_col_, col);
    index.max_col_ = i == 0 ? col : std::max(index.max_col_, col);
    keys[i] = key_of(row, col);
    index.codes_.push_back(cameras[i].code);
  }
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return keys[a] != keys[b] ? keys[a] < keys[b] : a < b; });
  index.keys_.reserve(order.size());
  index.entries_.reserve(order.size());
  for (std::uint32_t slot : order) {
    const Camera& c = cameras[slot];
    index.keys_.push_back(keys[slot]);
    index.entries_.push_back(
        {c.location, c.direction_deg, c.field_of_view_deg, c.status == CameraStatus::kOnline, slot});
  }
  return index;
}

std::int64_t CameraIndex::row_of(double lat) const {
  return static_cast<std::int64_t>(std::floor((lat - lat0_) / cell_lat_deg_));
}

std::int64_t CameraIndex::column_of(double lon) const {
  return static_cast<std::int64_t>(std::floor((lon - lon0_) / cell_lon_deg_));
}

std::uint64_t CameraIndex::key_of(std::int64_t row, std::int64_t column) {
  return (static_cast<std::uint64_t>(row + kKeyOffset) << 32) | static_cast<std::uint64_t>(column + kKeyOffset);
}

void CameraIndex::consider(const Entry& e, const CameraQuery& q, std::vector<CameraHit>& out) const {
  if (q.online_only && !e.online) return;
  // The argument order of the scan, so both compute the same double.
  const double d = distance_m(q.point, e.location);
  if (d > q.radius_m) return;
  if (q.facing_only && !camera_faces(e.location, e.direction_deg, e.field_of_view_deg, q.point, q.assumed_fov_deg))
    return;
  out.push_back({e.slot, d});
}

std::vector<CameraHit> CameraIndex::first_k(std::vector<CameraHit> hits, std::size_t k) const {
  auto before = [this](const CameraHit& a, const CameraHit& b) {
    if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
    const int by_code = codes_[a.slot].compare(codes_[b.slot]);
    return by_code != 0 ? by_code < 0 : a.slot < b.slot;
  };
  if (k < hits.size()) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), before);
    hits.resize(k);
  } else {
    std::sort(hits.begin(), hits.end(), before);
  }
  return hits;
}

Result<std::vector<CameraHit>> CameraIndex::nearest(const CameraQuery& q) const {
  PINGAN_RETURN_IF_ERROR(check_camera_query(q));
  if (q.k == 0 || entries_.empty()) return std::vector<CameraHit>{};
  const std::optional<BoundingBox> box = search_box(q.point, q.radius_m);
  if (!box) return nearest_by_scan(q);
  // floor() of a monotone expression is monotone: a camera inside the box
  // lies in a row and column between those of the box's corners.
  const std::int64_t row_lo = std::max(min_row_, row_of(box->min_lat));
  const std::int64_t row_hi = std::min(max_row_, row_of(box->max_lat));
  const std::int64_t col_lo = std::max(min_col_, column_of(box->min_lon));
  const std::int64_t col_hi = std::min(max_col_, column_of(box->max_lon));
  std::vector<CameraHit> hits;
  for (std::int64_t row = row_lo; row <= row_hi && col_lo <= col_hi; ++row) {
    const std::uint64_t first = key_of(row, col_lo), last = key_of(row, col_hi);
    auto it = std::lower_bound(keys_.begin(), keys_.end(), first);
    for (auto i = static_cast<std::size_t>(it - keys_.begin()); i < keys_.size() && keys_[i] <= last; ++i)
      consider(entries_[i], q, hits);
  }
  return first_k(std::move(hits), q.k);
}

Result<std::vector<CameraHit>> CameraIndex::nearest_by_scan(const CameraQuery& q) const {
  PINGAN_RETURN_IF_ERROR(check_camera_query(q));
  if (q.k == 0) return std::vector<CameraHit>{};
  std::vector<CameraHit> hits;
  for (const Entry& e : entries_) consider(e, q, hits);
  return first_k(std::move(hits), q.k);
}

}  // namespace pingan::registry
