#pragma once
// The nearest cameras to a point (一键调阅, issue 21): every camera within a
// radius of an incident, at most k, nearest first — optionally only those
// online and those looking towards the point.
//
// A uniform grid of cells about `cell_m` on a side, laid on degrees (the
// cell's height is cell_m of latitude, its width cell_m of longitude at the
// cameras' mean latitude), the entries packed in one array sorted by
// (row, column) with a parallel array of cell keys: a query takes the
// conservative latitude/longitude box of its circle (search_box()), and for
// each row of cells in it one binary search finds the run of entries of the
// row's columns. Each candidate is then tested with core's distance_m() — the
// same great-circle distance a brute-force scan uses — so the answer is
// exactly the scan's (the tests compare them on 10,000 cameras), not an
// approximation of it. A box that would cross the antimeridian or hold a
// pole is answered by scanning every camera.
//
// Why not dispatch's AvailableUnitIndex or analytics' Grid: layers forbid
// registry to include them (docs/layers.txt), and neither fits: the first is
// a mutable per-kind grid ranked by ETA, the second a dense raster for
// statistics. Cameras change rarely and are read often, so this index is
// immutable and packed.
//
// Thread safety: immutable after build(); any number of threads may query one
// index at once. The owner rebuilds a new index when the registry's cameras
// change and swaps it in (a std::shared_ptr<const CameraIndex> under its
// mutex, or std::atomic<std::shared_ptr<...>>); queries running on the old
// one finish on it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/camera.h"
#include "core/geo.h"
#include "core/status.h"

namespace pingan::registry {

// The radius of a query: 一键调阅 asks for the cameras around one incident,
// not a district's.
inline constexpr double kMaxCameraRadiusM = 50'000;
// The largest k a query may ask.
inline constexpr std::size_t kMaxCameraResults = 1000;
// The common radius of a call-up: a block around the incident.
inline constexpr double kDefaultCameraCellM = 300;

struct CameraQuery {
  GeoPoint point;
  double radius_m = 300;   // [0, kMaxCameraRadiusM]; 0 finds cameras at the point itself
  std::size_t k = 20;      // at most this many, [0, kMaxCameraResults]
  bool facing_only = false;  // only cameras looking towards the point (camera_faces())
  bool online_only = false;  // only cameras online
  double assumed_fov_deg = kDefaultFieldOfViewDeg;  // for directed cameras that record no field of view
};

// Error::invalid naming "point", "radius_m", "k" or "assumed_fov_deg".
Status check_camera_query(const CameraQuery& query);

struct CameraHit {
  std::uint32_t slot = 0;  // the camera's position in the span given to build()
  double distance_m = 0;
  bool operator==(const CameraHit&) const = default;
};

// A latitude/longitude box holding every point within `radius_m` (great
// circle) of `centre`, with a margin for rounding; nothing when the circle
// holds a pole or crosses the antimeridian (the box would not be one box).
std::optional<BoundingBox> search_box(const GeoPoint& centre, double radius_m);

class CameraIndex {
 public:
  // Indexes the cameras' locations, directions and status (codes are kept for
  // ordering ties). Errors when a location is not a valid point, when there
  // are more than 2^32-1 cameras, or when cell_m is outside 10..10000 m.
  static Result<CameraIndex> build(std::span<const Camera> cameras, double cell_m = kDefaultCameraCellM);

  // The cameras within query.radius_m of query.point (distance_m() <=
  // radius), filtered as asked, ordered by distance then code (then slot),
  // the first k. Errors as check_camera_query().
  Result<std::vector<CameraHit>> nearest(const CameraQuery& query) const;
  // The same answer by testing every camera: the reference of the tests and
  // the benchmark.
  Result<std::vector<CameraHit>> nearest_by_scan(const CameraQuery& query) const;

  std::size_t size() const { return codes_.size(); }
  const std::string& code(std::uint32_t slot) const { return codes_[slot]; }
  double cell_m() const { return cell_m_; }

 private:
  struct Entry {
    GeoPoint location;
    std::optional<double> direction_deg;
    std::optional<double> field_of_view_deg;
    bool online = true;
    std::uint32_t slot = 0;
  };

  CameraIndex() = default;
  std::int64_t column_of(double lon) const;
  std::int64_t row_of(double lat) const;
  static std::uint64_t key_of(std::int64_t row, std::int64_t column);
  void consider(const Entry& e, const CameraQuery& q, std::vector<CameraHit>& out) const;
  std::vector<CameraHit> first_k(std::vector<CameraHit> hits, std::size_t k) const;

  double cell_m_ = kDefaultCameraCellM;
  double lat0_ = 0, lon0_ = 0;              // the grid's origin
  double cell_lat_deg_ = 1, cell_lon_deg_ = 1;
  std::int64_t min_row_ = 0, max_row_ = -1, min_col_ = 0, max_col_ = -1;  // the occupied cells' extent
  std::vector<std::uint64_t> keys_;  // by entry: its cell's key, ascending
  std::vector<Entry> entries_;       // sorted by (key, slot)
  std::vector<std::string> codes_;   // by slot
};

}  // namespace pingan::registry
