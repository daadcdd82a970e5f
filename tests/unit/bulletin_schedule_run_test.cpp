// One round of the scheduled bulletins (report/scheduled_bulletins.h) on a
// real engine (SQLite, or PostgreSQL with PINGAN_TEST_BACKEND=postgres) and
// the shipped templates: the files of the due periods are written with the
// records' figures (a small fixture whose counts are known), a second round
// writes nothing and does not even read the indexes, a deleted file is
// written again, and a run that cannot be written (an unknown unit) is
// reported while the others are written. At the end, the real `pingan
// serve` binary writes a due bulletin into its folder by itself.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "analytics/incident_index.h"
#include "case/case_attach.h"
#include "core/bulletin_schedule.h"
#include "core/incident.h"
#include "core/taxonomy.h"
#include "ledger/ledger_attach.h"
#include "report/scheduled_bulletins.h"
#include "server_process.h"
#include "test_store.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

namespace fs = std::filesystem;

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(int y, int mo, int d, int h, int mi = 0) {
  return shanghai().to_utc(CivilTime{y, mo, d, h, mi, 0});
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// 2025-10-30 (a Thursday) in Shanghai: JN-S1 has 3 criminal and 2
// public-order incidents, the day before 4 incidents (环比 +25.00%); the
// other bureau OT 2 that day. Two JN incidents fall on the edges' other
// sides (23:59 the day before, 00:00 the day after) and must not count.
const char* kSchedule = R"({"runs": [
  {"name": "daily", "template": "daily", "unit": "", "every": "day", "at": "07:30", "formats": ["md", "html"]},
  {"name": "weekly-jn", "template": "weekly", "unit": "JN", "every": "week", "weekday": 5, "at": "07:00", "formats": ["md"]},
  {"name": "nowhere", "template": "daily", "unit": "NOPE", "every": "day", "at": "07:30", "formats": ["md"]}
]})";

class BulletinScheduleRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Engine::open(EngineConfig{test_store_location(dir_, "run.db"), "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    engine_ = std::move(opened).value();
    ASSERT_TRUE(engine_
                    ->upsert_units({test_unit("JN", "", UnitKind::kBureau), test_unit("JN-S1", "JN", UnitKind::kStation),
                                    test_unit("OT", "", UnitKind::kBureau)})
                    .ok());
    std::vector<Incident> batch;
    auto add = [&](const char* type, const char* unit, Timestamp at) {
      Incident inc;
      inc.source = "schedule-test";
      inc.source_id = std::to_string(batch.size());
      inc.type_code = type;
      inc.unit_code = unit;
      inc.reported_at = at;
      batch.push_back(std::move(inc));
    };
    for (int i = 0; i < 3; ++i) add("burglary", "JN-S1", local(2025, 10, 30, 9 + i));
    for (int i = 0; i < 2; ++i) add("simple_assault", "JN-S1", local(2025, 10, 30, 14 + i));
    for (int i = 0; i < 3; ++i) add("burglary", "JN-S1", local(2025, 10, 29, 10 + i));
    add("burglary", "JN-S1", local(2025, 10, 29, 23, 59));
    add("burglary", "JN-S1", local(2025, 10, 31, 0, 0));
    for (int i = 0; i < 2; ++i) add("burglary", "OT", local(2025, 10, 30, 11 + i));
    for (Incident& inc : batch) ASSERT_TRUE(validate_new_incident(inc, engine_->taxonomy(), now_utc()).ok());
    auto inserted = engine_->insert_batch(batch);
    ASSERT_TRUE(inserted.ok()) << inserted.error().describe();
    ASSERT_EQ(inserted->inserted, static_cast<std::int64_t>(batch.size()));

    auto schedule = parse_bulletin_schedule(nlohmann::json::parse(kSchedule));
    ASSERT_TRUE(schedule.ok()) << schedule.error().describe();
    schedule_ = *schedule;
    inputs_.units = [this] { return engine_->units(); };
    inputs_.sources = [this]() -> Result<report::BulletinSources> {
      ++sources_asked_;
      if (!incidents_) {
        PINGAN_ASSIGN_OR_RETURN(incidents_, analytics::attach_index(*engine_));
        PINGAN_ASSIGN_OR_RETURN(cases_, cases::attach_case_index(*engine_));
        PINGAN_ASSIGN_OR_RETURN(ledgers_, ledger::attach_ledger_index(*engine_));
      }
      return report::BulletinSources{incidents_.get(), cases_.get(), ledgers_.get(), engine_->units()};
    };
  }

  report::BulletinRound round(Timestamp now) {
    return report::run_due_bulletins(schedule_, "", folder_, shanghai(), inputs_, now);
  }

  TempDir dir_;
  fs::path folder_ = dir_.path() / "bulletins";
  std::unique_ptr<Engine> engine_;
  BulletinSchedule schedule_;
  report::BulletinInputs inputs_;
  int sources_asked_ = 0;
  std::shared_ptr<analytics::IncidentIndex> incidents_;
  std::shared_ptr<cases::CaseIndex> cases_;
  std::shared_ptr<ledger::LedgerIndex> ledgers_;
};

TEST_F(BulletinScheduleRunTest, WritesTheDueFilesWithTheirFiguresOnceAndReportsTheBadRun) {
  // Friday 2025-10-31 08:00: the daily run of the 30th and the weekly run
  // (Friday 07:00) of the 24th to the 30th are due.
  const Timestamp now = local(2025, 10, 31, 8, 0);
  const report::BulletinRound first = round(now);
  const std::vector<std::string> expected = {"daily-JN-20251030.md", "daily-JN-20251030.html", "daily-OT-20251030.md",
                                             "daily-OT-20251030.html", "weekly-JN-20251030.md"};
  ASSERT_EQ(first.written.size(), expected.size()) << ::testing::PrintToString(first.written);
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(first.written[i], (folder_ / expected[i]).string());
  EXPECT_EQ(first.present, 0u);
  EXPECT_EQ(sources_asked_, 1);

  // The unknown unit is reported, naming the run, the unit and why.
  ASSERT_EQ(first.failures.size(), 1u);
  EXPECT_NE(first.failures[0].find("run 'nowhere', unit NOPE, 2025-10-30 to 2025-10-30"), std::string::npos)
      << first.failures[0];
  EXPECT_NE(first.failures[0].find("unknown unit 'NOPE'"), std::string::npos) << first.failures[0];
  EXPECT_FALSE(fs::exists(folder_ / "daily-NOPE-20251030.md"));

  // The figures of the day, in the shipped daily template's words.
  const std::string jn = slurp(folder_ / "daily-JN-20251030.md");
  EXPECT_NE(jn.find("# JN所警情日报"), std::string::npos) << jn;
  EXPECT_NE(jn.find("2025年10月30日共接报警情[5起]("), std::string::npos) << jn;
  EXPECT_NE(jn.find("[环比上升25.00%]("), std::string::npos) << jn;
  EXPECT_NE(jn.find("其中刑事警情[3起]("), std::string::npos) << jn;
  EXPECT_NE(jn.find("治安警情[2起]("), std::string::npos) << jn;
  EXPECT_EQ(jn.find("交通警情"), std::string::npos) << "no traffic incident: the sentence is left out\n" << jn;
  const std::string ot = slurp(folder_ / "daily-OT-20251030.md");
  EXPECT_NE(ot.find("共接报警情[2起]("), std::string::npos) << ot;
  const std::string week = slurp(folder_ / "weekly-JN-20251030.md");
  EXPECT_NE(week.find("（2025年10月24日至10月30日）"), std::string::npos) << week;
  EXPECT_NE(week.find("本周共接报警情[9起]("), std::string::npos) << week;
  const std::string html = slurp(folder_ / "daily-JN-20251030.html");
  EXPECT_NE(html.find("data-figure=\"incidents.total\""), std::string::npos);
  EXPECT_NE(html.find("5起"), std::string::npos);
  struct stat st{};
  ASSERT_EQ(::stat((folder_ / "daily-JN-20251030.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A second round later that day writes nothing and reads no index; the
  // bad run is reported again (retried).
  const report::BulletinRound second = round(local(2025, 10, 31, 23, 0));
  EXPECT_TRUE(second.written.empty()) << ::testing::PrintToString(second.written);
  EXPECT_EQ(second.present, expected.size());
  EXPECT_EQ(sources_asked_, 2) << "asked only for the bad run, whose file is missing";
  EXPECT_EQ(second.failures.size(), 1u);

  // A file removed is written again, and only it.
  fs::remove(folder_ / "daily-OT-20251030.html");
  const report::BulletinRound third = round(local(2025, 10, 31, 23, 30));
  ASSERT_EQ(third.written.size(), 1u);
  EXPECT_EQ(third.written[0], (folder_ / "daily-OT-20251030.html").string());

  // The next morning, the next day's daily bulletin (1 incident: 00:00 of the 31st).
  const report::BulletinRound next = round(local(2025, 11, 1, 7, 30));
  ASSERT_EQ(next.written.size(), 4u) << ::testing::PrintToString(next.written);
  EXPECT_NE(slurp(folder_ / "daily-JN-20251031.md").find("共接报警情[1起]("), std::string::npos);
}

TEST_F(BulletinScheduleRunTest, ARunOfTheRootsWritesNothingWhileTheTreeIsEmpty) {
  BulletinSchedule only_roots;
  only_roots.runs.push_back(schedule_.runs[0]);
  report::BulletinInputs no_tree = inputs_;
  no_tree.units = [] { return std::make_shared<const UnitTree>(); };
  const auto r = report::run_due_bulletins(only_roots, "", folder_, shanghai(), no_tree, local(2025, 10, 31, 8, 0));
  EXPECT_TRUE(r.written.empty());
  EXPECT_TRUE(r.failures.empty()) << r.failures[0];
  EXPECT_EQ(sources_asked_, 0);
  EXPECT_FALSE(fs::exists(folder_));
}

TEST(BulletinScheduleFolder, RelativeBesideTheDatabaseAbsoluteAsGiven) {
  BulletinSchedule s;
  EXPECT_EQ(report::scheduled_bulletin_folder(s, "/srv/pingan", ""), fs::path("/srv/pingan/bulletins"));
  EXPECT_EQ(report::scheduled_bulletin_folder(s, "", ""), fs::path("bulletins"));
  EXPECT_EQ(report::scheduled_bulletin_folder(s, "/srv/pingan", "/var/out"), fs::path("/var/out"));
  s.folder = "/data/bulletins";
  EXPECT_EQ(report::scheduled_bulletin_folder(s, "/srv/pingan", ""), fs::path("/data/bulletins"));
}

// The real server: a data folder whose schedule is due at any instant (a
// daily run at 00:00 covers yesterday from midnight on), and the bulletin
// appears in --bulletin-dir by itself, within 30 s of start.
TEST(BulletinScheduleServeTest, ServeWritesTheDueBulletinByItself) {
  if (testing_postgres()) GTEST_SKIP() << "spawns serve on a SQLite file";
  TempDir dir;
  const std::string data = dir.file("data");
  fs::copy(shipped_data_dir(), data, fs::copy_options::recursive);
  std::ofstream(fs::path(data) / "bulletins/schedule.json", std::ios::trunc) << R"({"runs": [
    {"name": "daily", "template": "daily", "unit": "", "every": "day", "at": "00:00", "formats": ["md"]}]})";
  const std::string db = dir.file("serve.db");
  {
    auto opened = Engine::open(EngineConfig{db, "", "Asia/Shanghai"});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    ASSERT_TRUE((*opened)->upsert_units({test_unit("JN", "", UnitKind::kBureau)}).ok());
  }
  const fs::path out = dir.path() / "out";
  ServerProcess server(db, free_port(), dir.file("serve.log"),
                       {"--data-dir", data, "--bulletin-dir", out.string()});
  ASSERT_TRUE(server.spawned());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto expected_name = [&] {
    BulletinSchedule s;
    s.runs.push_back(ScheduledBulletin{"daily", "daily", "", BulletinEvery::kDay, 1, 0, {"md"}});
    return bulletin_file_name(s.runs[0], "JN", due_bulletins(s, shanghai(), now_utc())[0].last_day, "md");
  };
  std::string found;
  while (found.empty() && std::chrono::steady_clock::now() < deadline) {
    // Read the name each time: a test run across midnight moves the day.
    if (fs::exists(out / expected_name())) found = (out / expected_name()).string();
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(found.empty()) << "no bulletin in " << out << " after 30 s; server log:\n" << server.log();
  EXPECT_NE(slurp(found).find("警情日报"), std::string::npos) << slurp(found);
  EXPECT_NE(server.log().find("scheduled bulletin written: " + found), std::string::npos) << server.log();
  EXPECT_EQ(server.signal_and_wait(SIGTERM, std::chrono::seconds(20)), 0) << server.log();
}

}  // namespace
}  // namespace pingan::testing
