#include "core/camera.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "registry/camera_index.h"

namespace pingan {
namespace {

using registry::CameraHit;
using registry::CameraIndex;
using registry::CameraQuery;

constexpr GeoPoint kCentre{36.65, 117.0};  // Jinan
constexpr double kMetresPerDegLat = 111195.08;

GeoPoint offset(const GeoPoint& c, double east_m, double north_m) {
  return {c.lat + north_m / kMetresPerDegLat, c.lon + east_m / (kMetresPerDegLat * std::cos(c.lat * M_PI / 180))};
}

Camera good_camera() {
  Camera c;
  c.code = "37010300001310000001";
  c.name = "经十路与顺河街路口东北角";
  c.location = kCentre;
  c.direction_deg = 225;
  c.field_of_view_deg = 90;
  c.owner_kind = CameraOwnerKind::kPolice;
  c.owner_name = "市中区公安分局";
  c.unit_code = "370103-01";
  c.stream_url = "rtsp://10.1.2.3:554/Streaming/Channels/101";
  return c;
}

std::string url_error(const std::string& url) {
  Status s = check_stream_url("stream_url", url);
  return s.ok() ? "" : s.error().message;
}

TEST(CameraValidation, AGoodCameraPassesAndEachBadFieldIsNamed) {
  EXPECT_TRUE(validate_camera(good_camera()).ok()) << validate_camera(good_camera()).error().describe();
  Camera c = good_camera();
  c.direction_deg = 360;
  EXPECT_EQ(validate_camera(c).error().field, "direction_deg");
  c = good_camera();
  c.direction_deg.reset();  // a dome records no field of view
  EXPECT_EQ(validate_camera(c).error().field, "field_of_view_deg");
  c.field_of_view_deg.reset();
  EXPECT_TRUE(validate_camera(c).ok());
  c = good_camera();
  c.field_of_view_deg = 0;
  EXPECT_EQ(validate_camera(c).error().field, "field_of_view_deg");
  c = good_camera();
  c.location = {0, 0};
  EXPECT_EQ(validate_camera(c).error().field, "location");
  c = good_camera();
  c.owner_name = "";
  EXPECT_EQ(validate_camera(c).error().field, "owner_name");
  c = good_camera();
  c.stream_url = "";
  EXPECT_EQ(validate_camera(c).error().field, "stream_url");
  c = good_camera();
  c.stream_url = "rtsp://admin:12345@10.1.2.3:554/Streaming/Channels/101";
  Status s = validate_camera(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "stream_url");
  EXPECT_NE(s.error().message.find("credentials"), std::string::npos);
  EXPECT_STREQ(camera_owner_kind_name_zh(CameraOwnerKind::kSocial), "社会资源");
  EXPECT_EQ(*parse_camera_owner_kind("other"), CameraOwnerKind::kOther);
  EXPECT_FALSE(parse_camera_status("broken").ok());
}

TEST(CameraValidation, StreamUrlsWithAHostAndNoCredentials) {
  for (const char* ok : {"rtsp://10.1.2.3/live", "RTSP://cam.example.cn:554/h264/ch1/main/av_stream",
                         "rtmp://live.example.cn/app/stream", "http://10.1.2.3:8080/hls/1.m3u8",
                         "https://video.example.cn/api/play?channel=1&subtype=0", "rtsp://[fe80::1]:554/live",
                         "https://host"})
    EXPECT_EQ(url_error(ok), "") << ok;
  EXPECT_NE(url_error("rtsp://admin:12345@10.1.2.3/live").find("credentials"), std::string::npos);
  EXPECT_NE(url_error("rtsp://admin@10.1.2.3/live").find("credentials"), std::string::npos);
  EXPECT_NE(url_error("http://10.1.2.3/cgi-bin/snapshot.cgi?user=admin&password=123").find("'password'"),
            std::string::npos);
  EXPECT_NE(url_error("https://gw.example.cn/live.flv?Token=abc").find("'token'"), std::string::npos);
  EXPECT_NE(url_error("ftp://10.1.2.3/x").find("scheme"), std::string::npos);
  EXPECT_NE(url_error("10.1.2.3/live").find("starts with"), std::string::npos);
  EXPECT_NE(url_error("rtsp:///live").find("host"), std::string::npos);
  EXPECT_NE(url_error("rtsp://10.1.2.3:0/live").find("port"), std::string::npos);
  EXPECT_NE(url_error("rtsp://10.1.2.3:65536/live").find("port"), std::string::npos);
  EXPECT_NE(url_error("rtsp://10.1.2.3:/live").find("port"), std::string::npos);
  EXPECT_NE(url_error("rtsp://10.1.2.3:55a/live").find("port"), std::string::npos);
  EXPECT_NE(url_error("rtsp://10.1.2.3/li ve").find("blanks"), std::string::npos);
  EXPECT_NE(url_error("rtsp://[fe80::1/live").find("IPv6"), std::string::npos);
  EXPECT_NE(url_error("rtsp://摄像头/live").find("non-ASCII"), std::string::npos);
  EXPECT_NE(url_error("rtsp://" + std::string(1000, 'a')).find("limit is 1000"), std::string::npos);
}

TEST(CameraValidation, FacingFollowsTheBearing) {
  Camera c = good_camera();  // looks south-west, 90°
  c.direction_deg = 0;       // north
  EXPECT_NEAR(bearing_deg(kCentre, offset(kCentre, 0, 100)), 0, 1e-6);
  EXPECT_NEAR(bearing_deg(kCentre, offset(kCentre, 100, 0)), 90, 0.01);
  EXPECT_NEAR(bearing_deg(kCentre, offset(kCentre, -100, -100)), 225, 0.05);
  EXPECT_TRUE(camera_faces(c, offset(kCentre, 0, 100)));
  EXPECT_TRUE(camera_faces(c, offset(kCentre, 30, 100)));    // ~17° east of north
  EXPECT_FALSE(camera_faces(c, offset(kCentre, 100, 30)));   // ~73° east of north
  EXPECT_FALSE(camera_faces(c, offset(kCentre, 0, -100)));   // behind
  EXPECT_TRUE(camera_faces(c, offset(kCentre, -30, 100)));   // across north: 343°
  EXPECT_TRUE(camera_faces(c, kCentre));                     // at the camera
  c.field_of_view_deg.reset();  // the assumed 90°, or a wider one given
  EXPECT_FALSE(camera_faces(c, offset(kCentre, 100, 30)));
  EXPECT_TRUE(camera_faces(c, offset(kCentre, 100, 30), 170));
  c.direction_deg.reset();  // a dome
  EXPECT_TRUE(camera_faces(c, offset(kCentre, 0, -100)));
}

// The reference: every camera tested, written out here independently of the
// index (its own distance, its own ordering).
std::vector<CameraHit> brute_force(const std::vector<Camera>& cams, const CameraQuery& q) {
  std::vector<CameraHit> hits;
  for (std::uint32_t i = 0; i < cams.size(); ++i) {
    if (q.online_only && cams[i].status != CameraStatus::kOnline) continue;
    const double d = distance_m(q.point, cams[i].location);
    if (d > q.radius_m) continue;
    if (q.facing_only && !camera_faces(cams[i], q.point, q.assumed_fov_deg)) continue;
    hits.push_back({i, d});
  }
  std::sort(hits.begin(), hits.end(), [&](const CameraHit& a, const CameraHit& b) {
    return std::tie(a.distance_m, cams[a.slot].code, a.slot) < std::tie(b.distance_m, cams[b.slot].code, b.slot);
  });
  if (hits.size() > q.k) hits.resize(q.k);
  return hits;
}

std::vector<Camera> random_cameras(std::mt19937_64& rng, int n) {
  std::uniform_real_distribution<double> metres(-15000, 15000), angle(0, 359.999);
  std::vector<Camera> cams;
  for (int i = 0; i < n; ++i) {
    Camera c = good_camera();
    c.code = "C" + std::to_string(100000 + (i * 7919) % n);  // codes not in slot order
    c.location = offset(kCentre, metres(rng), metres(rng));
    if (rng() % 3 == 0) c.direction_deg.reset(), c.field_of_view_deg.reset();
    else c.direction_deg = angle(rng), c.field_of_view_deg = rng() % 2 ? std::optional<double>(60) : std::nullopt;
    c.status = rng() % 10 == 0 ? CameraStatus::kOffline : CameraStatus::kOnline;
    cams.push_back(std::move(c));
  }
  // Clusters at one spot (a crossroads with four cameras on one pole): equal
  // distances, ordered by code.
  for (int i = 0; i < 40; ++i) cams[std::size_t(i)].location = cams[0].location;
  return cams;
}

TEST(CameraIndexTest, TenThousandCamerasAnswerAsBruteForce) {
  std::mt19937_64 rng(2026);
  const std::vector<Camera> cams = random_cameras(rng, 10000);
  auto index = CameraIndex::build(cams);
  ASSERT_TRUE(index.ok()) << index.error().describe();
  std::uniform_real_distribution<double> metres(-16000, 16000), radius(0, 2500);
  std::size_t total = 0, nonempty = 0;
  for (int i = 0; i < 2000; ++i) {
    CameraQuery q;
    q.point = i % 50 == 0 ? cams[std::size_t(i) % cams.size()].location : offset(kCentre, metres(rng), metres(rng));
    q.radius_m = i % 10 == 0 ? 300 : i % 10 == 1 ? 1000 : radius(rng);
    q.k = i % 7 == 0 ? 1000 : 1 + rng() % 30;
    q.facing_only = i % 3 == 0;
    q.online_only = i % 4 == 0;
    auto fast = index->nearest(q);
    ASSERT_TRUE(fast.ok()) << fast.error().describe();
    const std::vector<CameraHit> want = brute_force(cams, q);
    ASSERT_EQ(*fast, want) << "query " << i << " radius " << q.radius_m;
    auto scan = index->nearest_by_scan(q);
    ASSERT_EQ(*scan, want);
    total += want.size();
    nonempty += !want.empty();
  }
  // The comparison meant something: most queries found cameras.
  EXPECT_GT(nonempty, 1500u);
  EXPECT_GT(total, 10000u);
}

TEST(CameraIndexTest, EdgeCases) {
  std::vector<Camera> cams;
  for (int i = 0; i < 4; ++i) cams.push_back(good_camera());
  cams[0].code = "B";
  cams[1].code = "A";  // same place as B: A first
  cams[1].location = cams[0].location = kCentre;
  cams[2].code = "C";
  cams[2].location = offset(kCentre, 300, 0);
  cams[3].code = "D";
  cams[3].location = offset(kCentre, 0, 900);
  auto index = CameraIndex::build(cams, 300);
  ASSERT_TRUE(index.ok());

  // Radius 0: only the cameras at the point, by code.
  CameraQuery q{kCentre, 0, 10};
  EXPECT_EQ(*index->nearest(q), (std::vector<CameraHit>{{1, 0}, {0, 0}}));
  // k larger than the matches; k smaller; k 0.
  q.radius_m = 1000;
  auto all = *index->nearest(q);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2].slot, 2u);
  EXPECT_NEAR(all[2].distance_m, 300, 0.1);
  EXPECT_EQ(all[3].slot, 3u);
  q.k = 3;
  EXPECT_EQ(index->nearest(q)->size(), 3u);
  q.k = 0;
  EXPECT_TRUE(index->nearest(q)->empty());
  // A radius equal to a camera's exact distance includes it.
  q = CameraQuery{kCentre, distance_m(kCentre, cams[2].location), 10};
  EXPECT_EQ(index->nearest(q)->back().slot, 2u);
  q.radius_m = std::nextafter(q.radius_m, 0.0);
  EXPECT_EQ(index->nearest(q)->size(), 2u);
  // Nothing near: a point 20 km away.
  q = CameraQuery{offset(kCentre, 20000, 0), 1000, 10};
  EXPECT_TRUE(index->nearest(q)->empty());
  // Bad queries are refused, naming the field.
  q = CameraQuery{kCentre, -1, 10};
  EXPECT_EQ(index->nearest(q).error().field, "radius_m");
  q = CameraQuery{kCentre, 100, 5000};
  EXPECT_EQ(index->nearest(q).error().field, "k");
  q = CameraQuery{{95, 0}, 100, 5};
  EXPECT_EQ(index->nearest(q).error().field, "point.lat");
  // No camera at all.
  auto empty = CameraIndex::build({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->nearest(CameraQuery{kCentre, 1000, 10})->empty());
  EXPECT_FALSE(CameraIndex::build(cams, 5).ok());
}

TEST(CameraIndexTest, PointsOnCellEdgesAreFound) {
  // Cameras placed on the grid's lines (every 300 m from the first camera,
  // the grid's origin column, at the mean latitude) and queries on the same
  // lines: whichever cell a boundary point falls in, the answer is the scan's.
  std::vector<Camera> cams;
  for (int i = -3; i <= 3; ++i)
    for (int j = -3; j <= 3; ++j) {
      Camera c = good_camera();
      c.code = "E" + std::to_string((i + 3) * 7 + (j + 3));
      c.location = offset(kCentre, i * 300.0, j * 300.0);
      cams.push_back(c);
    }
  std::swap(cams[0], cams[24]);  // the centre camera first: the grid's origin column
  auto index = CameraIndex::build(cams, 300);
  ASSERT_TRUE(index.ok());
  for (int i = -4; i <= 4; ++i)
    for (int j = -4; j <= 4; ++j)
      for (double r : {0.0, 299.999, 300.0, 300.001, 450.0, 600.0}) {
        CameraQuery q{offset(kCentre, i * 300.0, j * 150.0), r, 100};
        EXPECT_EQ(*index->nearest(q), brute_force(cams, q)) << i << "," << j << " r=" << r;
      }
}

TEST(CameraIndexTest, FarNorthAndTheAntimeridianFallBackToAScan) {
  std::vector<Camera> cams(3, good_camera());
  cams[0].location = {89.999, 10};
  cams[1].location = {89.999, -170};  // across the pole, about 220 m away
  cams[2].location = {10, 179.9999};
  cams[1].code = "N2";
  cams[2].code = "W";
  auto index = CameraIndex::build(cams);
  ASSERT_TRUE(index.ok());
  CameraQuery q{{89.999, 10}, 500, 10};
  EXPECT_EQ(*index->nearest(q), brute_force(cams, q));
  EXPECT_EQ(index->nearest(q)->size(), 2u);
  q = CameraQuery{{10, -179.9999}, 100, 10};  // 22 m away across the antimeridian
  EXPECT_EQ(*index->nearest(q), brute_force(cams, q));
  EXPECT_EQ(index->nearest(q)->size(), 1u);
  EXPECT_FALSE(registry::search_box({10, 179.9999}, 100).has_value());
  auto box = registry::search_box(kCentre, 1000);
  ASSERT_TRUE(box.has_value());
  EXPECT_TRUE(box->contains(offset(kCentre, 999, 0)));
  EXPECT_FALSE(box->contains(offset(kCentre, 1100, 0)));
}

}  // namespace
}  // namespace pingan
