// The web UI's files are served at / beside the API.

#include <filesystem>
#include <fstream>

#include "http_test_support.h"

namespace pingan::testing {
namespace {

class HttpStaticTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& config) override {
    std::ofstream(web_.file("index.html")) << "<!doctype html><title>平安</title>";
    std::ofstream(web_.file("app.js")) << "console.log('pingan');";
    std::filesystem::create_directories(web_.path() / "assets");
    std::ofstream((web_.path() / "assets" / "index-Bl9x5GPA.js").string()) << "export {};";
    config.static_dir = web_.path().string();
    config.map_tile_url = "http://tiles.gaj.local/{z}/{x}/{y}.png";
  }
  TempDir web_;
};

TEST_F(HttpStaticTest, FilesAtTheRootAndTheApiBesideThem) {
  auto c = client();
  auto index = c->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html><title>平安</title>");
  EXPECT_NE(index->get_header_value("Content-Type").find("text/html"), std::string::npos);
  auto js = c->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "console.log('pingan');");
  // index.html and unhashed files are revalidated; the bundler's hashed
  // assets are kept a year.
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  auto hashed = c->Get("/assets/index-Bl9x5GPA.js");
  ASSERT_TRUE(hashed);
  EXPECT_EQ(hashed->status, 200);
  EXPECT_EQ(hashed->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_NE(hashed->get_header_value("Content-Type").find("javascript"), std::string::npos);
  JsonResponse health = get("/api/health");
  EXPECT_EQ(health.status, 200);
  // The UI's maps learn the intranet tile server from here (serve --map-tile-url).
  EXPECT_EQ(health.body["map_tile_url"], "http://tiles.gaj.local/{z}/{x}/{y}.png");
  JsonResponse missing = get("/nothing.css");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "not_found");
  // No escape from the folder.
  EXPECT_EQ(get("/../http.db").status, 404);
}

class HttpMissingStaticTest : public HttpServerTest {
 protected:
  void configure(HttpConfig& config) override { config.static_dir = dir_.file("no-such-folder"); }
};

TEST_F(HttpMissingStaticTest, AMissingUiFolderLeavesTheApiServing) {
  EXPECT_EQ(get("/api/health").status, 200);
  EXPECT_EQ(get("/").status, 404);
}

}  // namespace
}  // namespace pingan::testing
