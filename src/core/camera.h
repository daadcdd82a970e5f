#pragma once
// A video camera of the registry (issue 21): where it is, which way it looks,
// who owns it and where its stream is, so an incident's nearest cameras can
// be called up from the map (一键调阅, "5652路视频监控可一键调阅").
//
// The stream URL is checked strictly: rtsp://, rtmp://, http:// or https://
// with a host, and no credentials in it — neither user:password@ nor a
// password, token or secret in the query. A password in a URL is copied
// into logs, page sources, screenshots and exports; the video platform's
// credentials belong in its own configuration, not in the registry.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/geo.h"
#include "core/status.h"

namespace pingan {

enum class CameraOwnerKind : std::uint8_t {
  kPolice,  // 公安自建, the bureau's own
  kSocial,  // 社会资源, a shop's, an estate's, a school's, shared with the police
  kOther,   // 其他
};

const char* camera_owner_kind_name(CameraOwnerKind k);     // "police", "social", "other"
const char* camera_owner_kind_name_zh(CameraOwnerKind k);  // "公安自建", "社会资源", "其他"
Result<CameraOwnerKind> parse_camera_owner_kind(std::string_view name, std::string_view field = "owner_kind");

enum class CameraStatus : std::uint8_t { kOnline, kOffline };

const char* camera_status_name(CameraStatus s);     // "online", "offline"
const char* camera_status_name_zh(CameraStatus s);  // "在线", "离线"
Result<CameraStatus> parse_camera_status(std::string_view name, std::string_view field = "status");

// The longest stream URL accepted (a URL is not prose: platforms' URLs stay
// well under it).
inline constexpr std::size_t kMaxStreamUrlChars = 1000;
// The field of view assumed for a directed camera that records none: a
// common fixed lens (4 mm on a 1/2.7" sensor) sees about 90°.
inline constexpr double kDefaultFieldOfViewDeg = 90;

struct Camera {
  std::string code;  // the registry's code (国标编码 or the platform's)
  std::string name;  // "经十路与顺河街路口东北角"
  GeoPoint location;
  // Degrees clockwise from north the camera looks, in [0, 360); none for a
  // dome (球机) that turns or sees all round.
  std::optional<double> direction_deg;
  // Horizontal field of view in degrees, (0, 360]; only with a direction.
  std::optional<double> field_of_view_deg;
  CameraOwnerKind owner_kind = CameraOwnerKind::kPolice;
  std::string owner_name;  // "市中区公安分局", "某小区物业"
  std::string unit_code;   // the station or community it lies in
  std::string stream_url;
  CameraStatus status = CameraStatus::kOnline;
};

// Required code, name, owner name, unit and stream URL within their limits;
// a geocoded location (check_geocoded() in registry_records.h); direction
// and field of view in range, a field of view only with a direction; the
// stream URL by check_stream_url(). Errors name the field.
Status validate_camera(const Camera& camera);

// OK for a URL of scheme rtsp, rtmp, http or https (any case), "//", a host
// (a name, an IPv4 address or a bracketed IPv6 one), an optional port
// 1..65535 and any path; Error::invalid(field, why) for another scheme, no
// host, a bad port, blanks or control characters, user information
// ("admin:12345@": refused even without a password) or a query parameter
// naming a password, token or secret.
Status check_stream_url(std::string_view field, std::string_view url);

// The initial great-circle bearing from `from` to `to`, degrees clockwise
// from north in [0, 360).
double bearing_deg(const GeoPoint& from, const GeoPoint& to);

// Whether the camera looks towards the point: a dome always does, so does a
// point at the camera itself; a directed camera when the bearing to the
// point lies within half its field of view (kDefaultFieldOfViewDeg, or
// `assumed_fov_deg`, when it records none) either side of its direction,
// edges included.
bool camera_faces(const Camera& camera, const GeoPoint& point, double assumed_fov_deg = kDefaultFieldOfViewDeg);

// The same test on the parts of a camera, for indexes that keep only those.
bool camera_faces(const GeoPoint& location, std::optional<double> direction_deg,
                  std::optional<double> field_of_view_deg, const GeoPoint& point,
                  double assumed_fov_deg = kDefaultFieldOfViewDeg);

}  // namespace pingan
