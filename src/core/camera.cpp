#include "core/camera.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/registry_records.h"
#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr double kDegToRad = M_PI / 180.0;

constexpr std::array<std::string_view, 4> kSchemes = {"rtsp", "rtmp", "http", "https"};
// Query parameters that carry a credential in the URLs of video platforms
// and cameras (Dahua's and Hikvision's HTTP APIs, ONVIF snapshots, tokens of
// HLS gateways).
constexpr std::array<std::string_view, 9> kSecretParams = {"password", "passwd", "pwd",    "pass",   "token",
                                                           "access_token", "secret", "auth", "apikey"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

Status check_required(std::string_view field, std::string_view text, std::size_t max_chars, const char* what) {
  PINGAN_RETURN_IF_ERROR(check_length(field, text, max_chars));
  if (trim(text).empty()) return Error::invalid(std::string(field), fmt::format("{} is required", what));
  return {};
}

// The angle from a to b folded into [0, 180].
double angle_between(double a, double b) {
  double d = std::fmod(std::fabs(a - b), 360.0);
  return d > 180 ? 360 - d : d;
}

}  // namespace

const char* camera_owner_kind_name(CameraOwnerKind k) {
  switch (k) {
    case CameraOwnerKind::kPolice: return "police";
    case CameraOwnerKind::kSocial: return "social";
    case CameraOwnerKind::kOther: return "other";
  }
  return "other";
}

const char* camera_owner_kind_name_zh(CameraOwnerKind k) {
  switch (k) {
    case CameraOwnerKind::kPolice: return "公安自建";
    case CameraOwnerKind::kSocial: return "社会资源";
    case CameraOwnerKind::kOther: return "其他";
  }
  return "其他";
}

Result<CameraOwnerKind> parse_camera_owner_kind(std::string_view name, std::string_view field) {
  for (CameraOwnerKind k : {CameraOwnerKind::kPolice, CameraOwnerKind::kSocial, CameraOwnerKind::kOther})
    if (name == camera_owner_kind_name(k)) return k;
  return Error::invalid(std::string(field), fmt::format("unknown owner kind '{}' (police, social, other)", name));
}

const char* camera_status_name(CameraStatus s) { return s == CameraStatus::kOnline ? "online" : "offline"; }
const char* camera_status_name_zh(CameraStatus s) { return s == CameraStatus::kOnline ? "在线" : "离线"; }

Result<CameraStatus> parse_camera_status(std::string_view name, std::string_view field) {
  if (name == "online") return CameraStatus::kOnline;
  if (name == "offline") return CameraStatus::kOffline;
  return Error::invalid(std::string(field), fmt::format("unknown camera status '{}' (online, offline)", name));
}

Status check_stream_url(std::string_view field, std::string_view url) {
  const std::string f(field);
  PINGAN_RETURN_IF_ERROR(check_length(field, url, kMaxStreamUrlChars));
  for (char c : url) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F)
      return Error::invalid(f, "a stream URL holds no blanks, control characters or non-ASCII characters "
                               "(percent-encode them)");
  }
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos)
    return Error::invalid(f, "a stream URL starts with rtsp://, rtmp://, http:// or https://");
  const std::string scheme = lower(url.substr(0, sep));
  if (std::find(kSchemes.begin(), kSchemes.end(), scheme) == kSchemes.end())
    return Error::invalid(f, fmt::format("scheme '{}' is not one of rtsp, rtmp, http, https", url.substr(0, sep)));
  std::string_view rest = url.substr(sep + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos)
    return Error::invalid(f, "a stream URL must not carry credentials (user:password@): they leak into logs and "
                             "pages; keep them in the video platform");
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Error::invalid(f, "an IPv6 host needs its closing ']'");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Error::invalid(f, "only ':port' may follow an IPv6 host");
    if (!after.empty()) port = after.substr(1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
        }))
      return Error::invalid(f, fmt::format("'{}' is not an IPv6 address", host));
  } else {
    const std::size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.find(':') != std::string_view::npos) return Error::invalid(f, "the host has more than one ':'");
    }
    if (host.empty()) return Error::invalid(f, "a stream URL names a host");
    if (!std::all_of(host.begin(), host.end(), is_host_char))
      return Error::invalid(f, fmt::format("'{}' is not a host name or address", host));
  }
  if (authority.size() > host.size() && port.empty() && authority.back() == ':')
    return Error::invalid(f, "a ':' after the host needs a port");
  if (!port.empty()) {
    long value = 0;
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Error::invalid(f, fmt::format("port '{}' is not a number", port));
    for (char c : port) value = value * 10 + (c - '0');
    if (value < 1 || value > 65535) return Error::invalid(f, fmt::format("port {} is outside 1..65535", value));
  }
  std::string_view tail = rest.substr(authority_end);
  const std::size_t q = tail.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = tail.substr(q + 1);
    query = query.substr(0, std::min(query.find('#'), query.size()));
    for (std::string_view param : split(query, '&')) {
      const std::string name = lower(param.substr(0, std::min(param.find('='), param.size())));
      if (std::find(kSecretParams.begin(), kSecretParams.end(), name) != kSecretParams.end())
        return Error::invalid(f, fmt::format("a stream URL must not carry credentials (query parameter '{}'): they "
                                             "leak into logs and pages; keep them in the video platform",
                                             name));
    }
  }
  return {};
}

Status validate_camera(const Camera& c) {
  PINGAN_RETURN_IF_ERROR(check_required("code", c.code, kMaxCodeChars, "a camera's code"));
  PINGAN_RETURN_IF_ERROR(check_required("name", c.name, kMaxNameChars, "a camera's name"));
  PINGAN_RETURN_IF_ERROR(check_geocoded(c.location));
  if (c.direction_deg) {
    const double d = *c.direction_deg;
    if (!std::isfinite(d) || d < 0 || d >= 360)
      return Error::invalid("direction_deg", fmt::format("{} is outside [0, 360) degrees from north", d));
  }
  if (c.field_of_view_deg) {
    const double v = *c.field_of_view_deg;
    if (!c.direction_deg)
      return Error::invalid("field_of_view_deg", "a field of view needs a direction (a dome records neither)");
    if (!std::isfinite(v) || v <= 0 || v > 360)
      return Error::invalid("field_of_view_deg", fmt::format("{} is outside (0, 360] degrees", v));
  }
  PINGAN_RETURN_IF_ERROR(check_required("owner_name", c.owner_name, kMaxNameChars, "the camera's owner"));
  PINGAN_RETURN_IF_ERROR(check_required("unit_code", c.unit_code, kMaxCodeChars, "the unit holding the camera"));
  if (trim(c.stream_url).empty()) return Error::invalid("stream_url", "a camera needs its stream URL");
  return check_stream_url("stream_url", c.stream_url);
}

double bearing_deg(const GeoPoint& from, const GeoPoint& to) {
  const double phi1 = from.lat * kDegToRad, phi2 = to.lat * kDegToRad;
  const double dlambda = (to.lon - from.lon) * kDegToRad;
  const double y = std::sin(dlambda) * std::cos(phi2);
  const double x = std::cos(phi1) * std::sin(phi2) - std::sin(phi1) * std::cos(phi2) * std::cos(dlambda);
  double deg = std::atan2(y, x) / kDegToRad;
  if (deg < 0) deg += 360;
  return deg >= 360 ? 0 : deg;
}

bool camera_faces(const GeoPoint& location, std::optional<double> direction_deg,
                  std::optional<double> field_of_view_deg, const GeoPoint& point, double assumed_fov_deg) {
  if (!direction_deg) return true;
  if (location.lat == point.lat && location.lon == point.lon) return true;
  const double fov = field_of_view_deg.value_or(assumed_fov_deg);
  if (fov >= 360) return true;
  return angle_between(bearing_deg(location, point), *direction_deg) <= fov / 2;
}

bool camera_faces(const Camera& camera, const GeoPoint& point, double assumed_fov_deg) {
  return camera_faces(camera.location, camera.direction_deg, camera.field_of_view_deg, point, assumed_fov_deg);
}

}  // namespace pingan
