// One configuration object, reloaded all or nothing (issue 15): a bad file
// on reload is refused naming the file, the line and the reason, and the
// server keeps answering with the settings in force; a good one takes
// effect at once. Also the place of errors in a file, and the pieces
// handed to the engine and the desk.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config_file.h"
#include "config/live_settings.h"
#include "config/settings.h"
#include "http_test_support.h"
#include "server_process.h"

namespace pingan::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(ConfigFile, ASyntaxErrorNamesTheFileLineAndColumn) {
  auto parsed = config::parse_config_json("{\n  \"radius_m\": 300\n  \"window_minutes\": 30\n}\n", "d/dup.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message.rfind("d/dup.json:3:", 0), 0u) << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("syntax error"), std::string::npos) << parsed.error().message;
}

TEST(ConfigFile, AFieldIsFoundOnItsLineAlongItsPath) {
  const std::string text = "{\n  \"marks\": [\n    {\"code\": \"1min\", \"seconds\": 60}\n  ],\n"
                           "  \"overrides\": [\n    {\"unit\": \"S5\",\n     \"seconds\": {\"1min\": 0}}\n  ]\n}\n";
  EXPECT_EQ(config::line_of_field(text, "marks[0].seconds"), 3);
  EXPECT_EQ(config::line_of_field(text, "overrides[0].seconds.1min"), 7);
  EXPECT_EQ(config::line_of_field(text, "nowhere"), 0);
  Error placed = config::in_file(Error::invalid("overrides[0].seconds.1min", "must be positive"), "r.json", text);
  EXPECT_EQ(placed.message, "r.json:7: must be positive");
  EXPECT_EQ(placed.field, "overrides[0].seconds.1min");
}

TEST(Settings, TheShippedFolderLoadsWhole) {
  auto s = config::load_settings("");
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(s->data_dir, shipped_data_dir());
  EXPECT_NE(s->taxonomy.find_type("theft"), nullptr);
  EXPECT_EQ(s->duplicates.radius_m, 300);
  EXPECT_EQ(s->response_standard.marks.size(), 3u);
  EXPECT_EQ(s->mappings.count("stlouis"), 1u);
  EXPECT_EQ(s->mappings.count("slo"), 1u);
  EXPECT_FALSE(s->run_cards.for_type("robbery").needs.empty());
}

// A server answering from a copy of data/ that the test edits.
class ConfigReloadTest : public HttpServerTest {
 protected:
  std::shared_ptr<config::LiveSettings> live_settings() override {
    folder_ = dir_.file("config");
    fs::copy(shipped_data_dir(), folder_, fs::copy_options::recursive);
    auto loaded = config::load_settings(folder_);
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    settings_ = std::make_shared<config::LiveSettings>(std::move(loaded).value());
    return settings_;
  }
  std::string file(const std::string& name) const { return folder_ + "/" + name; }
  // A theft reported now, `metres` north of a fixed point; the ids offered as its duplicates.
  std::vector<std::int64_t> call_north(double metres) {
    JsonResponse r = post("/api/incidents", json{{"type", "theft"},
                                                 {"location", {{"lat", 36.62 + metres / 111'195.0}, {"lon", 117.12}}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    std::vector<std::int64_t> ids;
    for (const json& d : r.body["possible_duplicates"]) ids.push_back(d["id"].get<std::int64_t>());
    return ids;
  }
  JsonResponse reload() { return post("/api/admin/reload-config", std::string()); }

  std::string folder_;
  std::shared_ptr<config::LiveSettings> settings_;
};

TEST_F(ConfigReloadTest, AMalformedFileIsRefusedWithFileLineAndReasonAndTheOldSettingsStay) {
  ASSERT_TRUE(call_north(0).empty());
  ASSERT_EQ(call_north(100).size(), 1u);  // 300 m shipped

  // A good edit takes effect at once: 50 m.
  auto rules = json::parse(std::ifstream(file("dispatch/duplicates.json")));
  rules["radius_m"] = 50;
  write_file(file("dispatch/duplicates.json"), rules.dump(2));
  JsonResponse ok = reload();
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["generation"], 2);
  EXPECT_TRUE(call_north(-100).empty());  // 100 m south of the first, 200 m from the second

  // A malformed one (a comma missing at the end of line 2) is refused...
  write_file(file("dispatch/duplicates.json"), "{\n  \"radius_m\": 500\n  \"window_minutes\": 30\n}\n");
  JsonResponse bad = reload();
  ASSERT_EQ(bad.status, 400) << bad.raw;
  const std::string message = bad.body["error"]["message"];
  EXPECT_NE(message.find(file("dispatch/duplicates.json") + ":3:"), std::string::npos) << message;
  EXPECT_NE(message.find("syntax error"), std::string::npos) << message;

  // ... and the server goes on answering with the settings in force (50 m, not 500).
  JsonResponse health = get("/api/health");
  ASSERT_EQ(health.status, 200) << health.raw;
  EXPECT_EQ(health.body["config"]["generation"], 2);
  EXPECT_EQ(health.body["config"]["refused"], 1);
  EXPECT_NE(health.body["config"]["last_refusal"].get<std::string>().find("duplicates.json:3:"), std::string::npos);
  EXPECT_EQ(call_north(-40).size(), 1u);  // 40 m from the first; 60 m from the one at -100
  EXPECT_TRUE(call_north(-400).empty());
  EXPECT_EQ(settings_->current()->duplicates.radius_m, 50);

  // A value out of range is refused naming its field and line.
  write_file(file("dispatch/duplicates.json"), "{\n  \"radius_m\": -5,\n  \"window_minutes\": 30\n}\n");
  JsonResponse negative = reload();
  ASSERT_EQ(negative.status, 400) << negative.raw;
  EXPECT_EQ(negative.body["error"]["field"], "radius_m");
  EXPECT_NE(negative.body["error"]["message"].get<std::string>().find("duplicates.json:2: "), std::string::npos)
      << negative.raw;
  EXPECT_EQ(settings_->current()->duplicates.radius_m, 50);
}

TEST_F(ConfigReloadTest, AReloadRequestCarriesNothingAndRepeatedReloadsAreHarmless) {
  JsonResponse with_field = post("/api/admin/reload-config", json{{"data_dir", "/etc"}});
  ASSERT_EQ(with_field.status, 400) << with_field.raw;
  EXPECT_EQ(with_field.body["error"]["field"], "data_dir");
  EXPECT_EQ(post("/api/admin/reload-config", std::string("not json")).status, 400);
  EXPECT_EQ(settings_->state().generation, 1);  // refused before reading anything
  for (int i = 0; i < 5; ++i) ASSERT_EQ(post("/api/admin/reload-config", json::object()).status, 200);
  EXPECT_EQ(settings_->state().generation, 6);
  EXPECT_EQ(settings_->state().data_dir, folder_);
}

TEST_F(ConfigReloadTest, AllOrNothingAcrossFilesAndNoTaxonomyChangeWhileRunning) {
  // One good file and one bad: neither is taken.
  auto rules = json::parse(std::ifstream(file("dispatch/duplicates.json")));
  rules["radius_m"] = 10;
  write_file(file("dispatch/duplicates.json"), rules.dump(2));
  write_file(file("dispatch/run_cards.csv"), "type_code,kind,role,count\nrobbery,tank,,1\n");
  JsonResponse bad = reload();
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("run_cards.csv:2"), std::string::npos) << bad.raw;
  EXPECT_EQ(settings_->current()->duplicates.radius_m, 300);

  // A new incident type would leave the indexes behind: a restart is asked for.
  fs::copy_file(shipped_data_dir() + "/dispatch/run_cards.csv", file("dispatch/run_cards.csv"),
                fs::copy_options::overwrite_existing);
  std::ofstream(file(kTaxonomyFile), std::ios::app) << "criminal,刑事,llama_theft,偷羊驼,Llama theft\n";
  JsonResponse changed = reload();
  ASSERT_EQ(changed.status, 400) << changed.raw;
  EXPECT_NE(changed.body["error"]["message"].get<std::string>().find("restart"), std::string::npos) << changed.raw;
  EXPECT_EQ(settings_->state().generation, 1);
}

TEST(LiveSettingsTest, ListenersHearEachSuccessfulReloadOnly) {
  TempDir dir;
  const std::string folder = dir.file("config");
  fs::copy(shipped_data_dir(), folder, fs::copy_options::recursive);
  auto loaded = config::load_settings(folder);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  config::LiveSettings live(std::move(loaded).value());
  int heard = 0;
  double speed = 0;
  live.on_reload([&](const config::Settings& s) {
    ++heard;
    speed = s.dispatch.speed_kmh[0];
  });
  write_file(folder + "/dispatch/config.json", "{\"speed_kmh\": {\"car\": 42}}\n");
  ASSERT_TRUE(live.reload().ok());
  EXPECT_EQ(heard, 1);
  EXPECT_DOUBLE_EQ(speed, 42);
  write_file(folder + "/dispatch/config.json", "{\"speed_kmh\": {\"car\": 42}\n");
  EXPECT_FALSE(live.reload().ok());
  EXPECT_EQ(heard, 1);
  EXPECT_EQ(live.state().refused, 1);
}

// The real `pingan serve`, reloaded by SIGHUP: a malformed file is refused
// in its log and in /api/health, the server goes on answering; a good one
// is taken.
TEST(ServeSighup, ReloadsOnHangupAndRefusesABadFileWhileServing) {
  TempDir dir;
  const std::string folder = dir.file("config");
  fs::copy(shipped_data_dir(), folder, fs::copy_options::recursive);
  const int port = free_port();
  const std::string token = issue_tester_token(dir.file("hup.db"), dir.file("serve.log"), {"--data-dir", folder});
  ASSERT_FALSE(token.empty()) << "cannot issue an API token:\n" << read_log_file(dir.file("serve.log"));
  ServerProcess server(dir.file("hup.db"), port, dir.file("serve.log"), {"--data-dir", folder});
  ASSERT_TRUE(server.spawned());
  ASSERT_TRUE(server.wait_healthy()) << server.log();
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  auto config_state = [&] {
    auto r = c.Get("/api/health");
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body)["config"] : json();
  };
  auto wait_for = [&](const char* key, int value) {
    for (int i = 0; i < 250 && config_state()[key] != value; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return config_state();
  };
  EXPECT_EQ(config_state()["data_dir"], folder);
  EXPECT_EQ(config_state()["generation"], 1);

  write_file(folder + "/dispatch/response_standard.json", "{\n  \"name\": \"1-3-5\",\n  \"marks\": [\n}\n");
  server.send(SIGHUP);
  json refused = wait_for("refused", 1);
  EXPECT_EQ(refused["refused"], 1) << server.log();
  EXPECT_EQ(refused["generation"], 1);
  EXPECT_NE(refused["last_refusal"].get<std::string>().find("response_standard.json:4:"), std::string::npos)
      << refused.dump();
  EXPECT_NE(server.log().find("SIGHUP: configuration reload refused"), std::string::npos) << server.log();
  auto stats = c.Get("/api/stats/response");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200) << stats->body;  // still answering with the standard in force

  fs::copy_file(shipped_data_dir() + "/dispatch/response_standard.json", folder + "/dispatch/response_standard.json",
                fs::copy_options::overwrite_existing);
  server.send(SIGHUP);
  EXPECT_EQ(wait_for("generation", 2)["generation"], 2) << server.log();
  EXPECT_EQ(server.signal_and_wait(SIGTERM, std::chrono::seconds(10)), 0) << server.log();
}

}  // namespace
}  // namespace pingan::testing
