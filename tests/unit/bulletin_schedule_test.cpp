// The schedule of the scheduled bulletins (issue 22; core/bulletin_schedule.h
// and config/bulletin_schedule_file.h): schedule.json read field by field,
// every bad field named; the period each run has due at constructed
// instants in the bureau's zone (before and after its time of day, its
// weekday, a month, a year and a zone-shifted day boundary); the file read
// with the rest of the data folder, its lines and templates checked.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/bulletin_schedule_file.h"
#include "config/settings.h"
#include "core/bulletin_schedule.h"
#include "core/taxonomy.h"
#include "test_support.h"

namespace pingan::testing {
namespace {

namespace fs = std::filesystem;

const TimeZone& shanghai() {
  static const TimeZone zone = *TimeZone::locate("Asia/Shanghai");
  return zone;
}

Timestamp local(int y, int mo, int d, int h, int mi, int s = 0) {
  return shanghai().to_utc(CivilTime{y, mo, d, h, mi, s});
}

const char* kGood = R"({
  "folder": "out/bulletins",
  "base_url": "https://pingan.bureau.example",
  "runs": [
    {"name": "daily", "template": "daily", "unit": "", "every": "day", "at": "07:30", "formats": ["md", "html"]},
    {"name": "weekly", "template": "weekly", "unit": "JN", "every": "week", "weekday": 1, "at": "08:00",
     "formats": ["md", "pdf", "docx"]}
  ]
})";

BulletinSchedule parsed(const std::string& text) {
  auto s = parse_bulletin_schedule(nlohmann::json::parse(text));
  EXPECT_TRUE(s.ok()) << s.error().describe();
  return s.ok() ? *s : BulletinSchedule{};
}

// The field and message of the refusal of `text`.
Error refusal(const std::string& text) {
  auto s = parse_bulletin_schedule(nlohmann::json::parse(text));
  EXPECT_FALSE(s.ok()) << text;
  return s.ok() ? Error::internal("accepted") : s.error();
}

std::string day(const CivilTime& t) { return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day); }

// The one run of `run_json` due at `now`: "first..last".
std::string due_period(const std::string& run_json, Timestamp now) {
  const BulletinSchedule s = parsed(R"({"runs": [)" + run_json + "]}");
  const auto due = due_bulletins(s, shanghai(), now);
  EXPECT_EQ(due.size(), 1u);
  if (due.size() != 1) return "";
  return day(due[0].first_day) + ".." + day(due[0].last_day);
}

const char* kDaily0730 = R"({"name": "d", "template": "daily", "every": "day", "at": "07:30", "formats": ["md"]})";
const char* kMonday0800 =
    R"({"name": "w", "template": "weekly", "every": "week", "weekday": 1, "at": "08:00", "formats": ["md"]})";

TEST(BulletinScheduleTest, ParsesEveryFieldOfAGoodFile) {
  const BulletinSchedule s = parsed(kGood);
  EXPECT_EQ(s.folder, "out/bulletins");
  EXPECT_EQ(s.base_url, "https://pingan.bureau.example");
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_EQ(s.runs[0].name, "daily");
  EXPECT_EQ(s.runs[0].template_name, "daily");
  EXPECT_EQ(s.runs[0].unit, "");
  EXPECT_EQ(s.runs[0].every, BulletinEvery::kDay);
  EXPECT_EQ(s.runs[0].at_minute, 7 * 60 + 30);
  EXPECT_EQ(s.runs[0].formats, (std::vector<std::string>{"md", "html"}));
  EXPECT_EQ(s.runs[1].unit, "JN");
  EXPECT_EQ(s.runs[1].every, BulletinEvery::kWeek);
  EXPECT_EQ(s.runs[1].weekday, 1);
  EXPECT_EQ(s.runs[1].at_minute, 8 * 60);
  EXPECT_EQ(s.runs[1].formats, (std::vector<std::string>{"md", "pdf", "docx"}));
  // No folder: "bulletins" beside the database; no runs is a schedule too.
  EXPECT_EQ(parsed(R"({"runs": []})").folder, "bulletins");
  EXPECT_TRUE(parsed(R"({"runs": []})").runs.empty());
}

TEST(BulletinScheduleTest, EachBadFieldIsNamedWithWhy) {
  struct Case {
    std::string run;  // the second run's JSON (the first is good)
    std::string field, message;
  };
  const std::string ok = R"("name": "b", "template": "weekly", )";
  const std::vector<Case> cases = {
      {R"({)" + ok + R"("every": "day", "at": "25:00", "formats": ["md"]})", "runs[1].at",
       "'25:00' is not a time of day"},
      {R"({)" + ok + R"("every": "day", "at": "7:30", "formats": ["md"]})", "runs[1].at", "'7:30' is not a time of day"},
      {R"({)" + ok + R"("every": "day", "at": "07:60", "formats": ["md"]})", "runs[1].at", "'07:60'"},
      {R"({)" + ok + R"("every": "month", "at": "07:30", "formats": ["md"]})", "runs[1].every",
       "'month' is not day or week"},
      {R"({)" + ok + R"("every": "week", "at": "07:30", "formats": ["md"]})", "runs[1].weekday",
       "is required for a weekly run"},
      {R"({)" + ok + R"("every": "week", "weekday": 8, "at": "07:30", "formats": ["md"]})", "runs[1].weekday",
       "8 is not a weekday"},
      {R"({)" + ok + R"("every": "week", "weekday": "Monday", "at": "07:30", "formats": ["md"]})", "runs[1].weekday",
       "is not a weekday"},
      {R"({)" + ok + R"("every": "day", "weekday": 1, "at": "07:30", "formats": ["md"]})", "runs[1].weekday",
       "only a weekly run"},
      {R"({)" + ok + R"("every": "day", "at": "07:30", "formats": ["md", "txt"]})", "runs[1].formats[1]",
       "'txt' is not a format"},
      {R"({)" + ok + R"("every": "day", "at": "07:30", "formats": ["md", "md"]})", "runs[1].formats[1]",
       "listed twice"},
      {R"({)" + ok + R"("every": "day", "at": "07:30", "formats": []})", "runs[1].formats", "one or more"},
      {R"({)" + ok + R"("every": "day", "at": "07:30"})", "runs[1].formats", "is required"},
      {R"({)" + ok + R"("every": "day", "at": "07:30", "formats": ["md"], "hour": 7})", "runs[1].hour",
       "is not a key of a run"},
      {R"({"template": "weekly", "every": "day", "at": "07:30", "formats": ["md"]})", "runs[1].name", "is required"},
      {R"({"name": "b", "template": "../etc/x", "every": "day", "at": "07:30", "formats": ["md"]})", "runs[1].template",
       "is not a template name"},
      {R"({)" + ok + R"("unit": "JN/S1", "every": "day", "at": "07:30", "formats": ["md"]})", "runs[1].unit",
       "is not a unit code"},
      {R"({)" + ok + R"("unit": 7, "every": "day", "at": "07:30", "formats": ["md"]})", "runs[1].unit",
       "must be a string"},
      {R"({"name": "a", "template": "weekly", "every": "day", "at": "07:30", "formats": ["md"]})", "runs[1].name",
       "'a' is the name of runs[0] too"},
      {R"({"name": "b", "template": "daily", "every": "day", "at": "09:00", "formats": ["md"]})", "runs[1].template",
       "their files would share names"},
      {R"([1])", "runs[1]", "must be an object"},
  };
  for (const Case& c : cases) {
    const std::string text =
        R"({"runs": [{"name": "a", "template": "daily", "every": "day", "at": "07:30", "formats": ["md"]}, )" + c.run +
        "]}";
    const Error e = refusal(text);
    EXPECT_EQ(e.field, c.field) << c.run << " -> " << e.describe();
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.run << " -> " << e.describe();
  }
  EXPECT_EQ(refusal(R"({"runs": [], "when": 1})").field, "when");
  EXPECT_EQ(refusal(R"({"folder": "", "runs": []})").field, "folder");
  EXPECT_EQ(refusal(R"x({"base_url": "javascript:alert(1)", "runs": []})x").field, "base_url");
  EXPECT_EQ(refusal(R"({"base_url": "https://a b", "runs": []})").field, "base_url");
  EXPECT_EQ(refusal(R"({"folder": "x"})").field, "runs");
  EXPECT_EQ(refusal(R"({"runs": {}})").field, "runs");
  EXPECT_EQ(refusal(R"([])").field, "");
  // The brief's example, as describe() prints it.
  EXPECT_EQ(refusal(R"({"runs": [{"name": "a", "template": "daily", "every": "day", "at": "07:30", "formats": ["md"]},
                                 {"name": "b", "template": "weekly", "every": "day", "at": "25:00", "formats": ["md"]}]})")
                .describe(),
            "runs[1].at: '25:00' is not a time of day (HH:MM, 00:00 to 23:59)");
}

TEST(BulletinScheduleTest, DailyRunCoversThePreviousDayFromItsTimeOn) {
  // Before 07:30 the latest due period is the day before yesterday; from 07:30, yesterday.
  EXPECT_EQ(due_period(kDaily0730, local(2026, 10, 31, 7, 29, 59)), "2026-10-29..2026-10-29");
  EXPECT_EQ(due_period(kDaily0730, local(2026, 10, 31, 7, 30)), "2026-10-30..2026-10-30");
  EXPECT_EQ(due_period(kDaily0730, local(2026, 10, 31, 23, 59)), "2026-10-30..2026-10-30");
  // Month and year boundaries.
  EXPECT_EQ(due_period(kDaily0730, local(2026, 11, 1, 8, 0)), "2026-10-31..2026-10-31");
  EXPECT_EQ(due_period(kDaily0730, local(2027, 1, 1, 8, 0)), "2026-12-31..2026-12-31");
  EXPECT_EQ(due_period(kDaily0730, local(2027, 1, 1, 7, 0)), "2026-12-30..2026-12-30");
  // The due instant is the run time, in UTC: 07:30 +08:00 is 23:30Z the day before.
  const BulletinSchedule s = parsed(std::string(R"({"runs": [)") + kDaily0730 + "]}");
  EXPECT_EQ(format_utc(due_bulletins(s, shanghai(), local(2026, 10, 31, 9, 0))[0].due_at), "2026-10-30T23:30:00Z");
}

TEST(BulletinScheduleTest, TheDayIsTheBureausNotUtcs) {
  // Midnight in Shanghai is 16:00Z the day before: on both sides of it the
  // UTC date is 2026-10-30, the local day is not.
  const std::string midnight = R"({"name": "d", "template": "daily", "every": "day", "at": "00:00", "formats": ["md"]})";
  const Timestamp before = parse_iso8601("2026-10-30T15:59:59Z").value();
  const Timestamp at = parse_iso8601("2026-10-30T16:00:00Z").value();
  EXPECT_EQ(due_period(midnight, before), "2026-10-29..2026-10-29");
  EXPECT_EQ(due_period(midnight, at), "2026-10-30..2026-10-30");
  // The same instants in UTC's calendar give other days.
  const BulletinSchedule s = parsed(R"({"runs": [)" + midnight + "]}");
  const TimeZone utc = *TimeZone::locate("UTC");
  EXPECT_EQ(day(due_bulletins(s, utc, at)[0].last_day), "2026-10-29");
}

TEST(BulletinScheduleTest, WeeklyRunOnItsWeekdayCoversTheSevenDaysBefore) {
  // 2026-11-02 is a Monday: before 08:00 the week due is the one before last.
  EXPECT_EQ(due_period(kMonday0800, local(2026, 11, 2, 7, 59)), "2026-10-19..2026-10-25");
  EXPECT_EQ(due_period(kMonday0800, local(2026, 11, 2, 8, 0)), "2026-10-26..2026-11-01");
  // Any day of the week after: the week of the last Monday's run.
  EXPECT_EQ(due_period(kMonday0800, local(2026, 10, 31, 12, 0)), "2026-10-19..2026-10-25");
  EXPECT_EQ(due_period(kMonday0800, local(2026, 11, 1, 23, 59)), "2026-10-19..2026-10-25");
  EXPECT_EQ(due_period(kMonday0800, local(2026, 11, 8, 23, 59)), "2026-10-26..2026-11-01");
  // Across the year: 2027-01-04 is a Monday, 2027-01-01 a Friday.
  EXPECT_EQ(due_period(kMonday0800, local(2027, 1, 4, 9, 0)), "2026-12-28..2027-01-03");
  EXPECT_EQ(due_period(kMonday0800, local(2027, 1, 1, 9, 0)), "2026-12-21..2026-12-27");
  // A Sunday run (weekday 7): the seven days up to Saturday.
  const std::string sunday =
      R"({"name": "s", "template": "weekly", "every": "week", "weekday": 7, "at": "20:00", "formats": ["md"]})";
  EXPECT_EQ(due_period(sunday, local(2026, 11, 1, 21, 0)), "2026-10-25..2026-10-31");
  EXPECT_EQ(due_period(sunday, local(2026, 11, 1, 19, 0)), "2026-10-18..2026-10-24");
}

TEST(BulletinScheduleTest, EveryRunIsDueInOrderAndNamesItsFile) {
  const BulletinSchedule s = parsed(kGood);
  const auto due = due_bulletins(s, shanghai(), local(2026, 11, 2, 9, 0));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].run, 0u);
  EXPECT_EQ(day(due[0].last_day), "2026-11-01");
  EXPECT_EQ(due[1].run, 1u);
  EXPECT_EQ(day(due[1].first_day), "2026-10-26");
  EXPECT_EQ(bulletin_file_name(s.runs[1], "JN", due[1].last_day, "pdf"), "weekly-JN-20261101.pdf");
}

// ---- the file in a data folder (config) ----

class BulletinScheduleFileTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::copy(shipped_data_dir(), folder_, fs::copy_options::recursive); }
  void write(const std::string& relative, const std::string& text) {
    std::ofstream(fs::path(folder_) / relative, std::ios::binary | std::ios::trunc) << text;
  }
  TempDir dir_;
  std::string folder_ = dir_.file("data");
};

TEST_F(BulletinScheduleFileTest, TheShippedScheduleLoadsWithTheSettings) {
  auto s = config::load_settings("");
  ASSERT_TRUE(s.ok()) << s.error().describe();
  ASSERT_EQ(s->bulletin_schedule.runs.size(), 2u);
  EXPECT_EQ(s->bulletin_schedule.folder, "bulletins");
  EXPECT_EQ(s->bulletin_schedule.runs[0].template_name, "daily");
  EXPECT_EQ(s->bulletin_schedule.runs[1].template_name, "weekly");
  EXPECT_EQ(s->bulletin_schedule.runs[1].weekday, 1);
}

TEST_F(BulletinScheduleFileTest, NoFileIsNoRuns) {
  fs::remove(fs::path(folder_) / config::kBulletinScheduleFile);
  auto s = config::load_settings(folder_);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_TRUE(s->bulletin_schedule.runs.empty());
}

TEST_F(BulletinScheduleFileTest, ABadFieldNamesTheFileAndItsLine) {
  write(config::kBulletinScheduleFile, R"({
  "runs": [
    {"name": "daily", "template": "daily", "every": "day", "at": "07:30", "formats": ["md"]},
    {"name": "weekly", "template": "weekly", "every": "week", "weekday": 1,
     "at": "25:00", "formats": ["md"]}
  ]
})");
  auto s = config::load_settings(folder_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "runs[1].at");
  const std::string where = folder_ + "/bulletins/schedule.json:5: '25:00' is not a time of day";
  EXPECT_EQ(s.error().message.rfind(where, 0), 0u) << s.error().describe();
}

TEST_F(BulletinScheduleFileTest, AMissingTemplateOrOneWithAnUnknownFigureIsRefused) {
  write(config::kBulletinScheduleFile, R"({"runs": [
    {"name": "daily", "template": "dayly", "every": "day", "at": "07:30", "formats": ["md"]}]})");
  auto missing = config::load_settings(folder_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "runs[0].template");
  EXPECT_NE(missing.error().message.find(":2: no template 'dayly'"), std::string::npos) << missing.error().describe();

  write(config::kBulletinScheduleFile, R"({"runs": [
    {"name": "daily", "template": "daily", "every": "day", "at": "07:30", "formats": ["md"]}]})");
  write("bulletins/daily.md", "---\ntitle: {unit}警情日报\n---\n共接报警情{incidents.totl}。\n");
  auto unknown = config::load_settings(folder_);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "runs[0].template");
  EXPECT_NE(unknown.error().message.find("daily.md line 4: unknown figure 'incidents.totl'"), std::string::npos)
      << unknown.error().describe();
}

TEST(BulletinScheduleFieldLine, HonoursTheIndex) {
  const std::string text = "{\n \"runs\": [\n  {\"at\": 1},\n  {\"x\": [1, {\"at\": 2}],\n   \"at\": 3}\n ]\n}";
  EXPECT_EQ(config::schedule_field_line(text, "runs"), 2);
  EXPECT_EQ(config::schedule_field_line(text, "runs[0].at"), 3);
  EXPECT_EQ(config::schedule_field_line(text, "runs[1]"), 4);
  EXPECT_EQ(config::schedule_field_line(text, "runs[1].x"), 4);
  EXPECT_EQ(config::schedule_field_line(text, "runs[2].at"), 0);
}

}  // namespace
}  // namespace pingan::testing
