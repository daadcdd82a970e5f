#include "core/bulletin_schedule.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <utility>

#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::size_t kMaxFolderChars = 4096;

// A name that goes into a file name: letters, digits, '_' and '-'.
bool is_file_word(const std::string& s) {
  if (s.empty() || s.size() > kMaxCodeChars) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Result<std::string> string_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                 bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return Error::invalid(field, "is required");
    return std::string();
  }
  if (!it->is_string()) return Error::invalid(field, fmt::format("must be a string, not {}", it->dump()));
  return it->get<std::string>();
}

// "07:30" -> 450; exactly two digits each side.
Result<int> parse_time_of_day(const std::string& text, const std::string& field) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3) && digit(4)) {
    const int hour = (text[0] - '0') * 10 + (text[1] - '0');
    const int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour < 24 && minute < 60) return hour * 60 + minute;
  }
  return Error::invalid(field, fmt::format("'{}' is not a time of day (HH:MM, 00:00 to 23:59)", text));
}

Result<std::vector<std::string>> parse_formats(const nlohmann::json& obj, const std::string& field) {
  auto it = obj.find("formats");
  if (it == obj.end()) return Error::invalid(field, "is required: some of md, html, pdf, docx");
  if (!it->is_array() || it->empty())
    return Error::invalid(field, "must be a list of one or more of md, html, pdf, docx");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& f = (*it)[i];
    const std::string at = fmt::format("{}[{}]", field, i);
    if (!f.is_string()) return Error::invalid(at, fmt::format("must be a string, not {}", f.dump()));
    const std::string name = f.get<std::string>();
    if (std::none_of(std::begin(kBulletinFormats), std::end(kBulletinFormats),
                     [&](const char* known) { return name == known; }))
      return Error::invalid(at, fmt::format("'{}' is not a format (md, html, pdf, docx)", name));
    if (std::find(out.begin(), out.end(), name) != out.end())
      return Error::invalid(at, fmt::format("'{}' is listed twice", name));
    out.push_back(name);
  }
  return out;
}

Result<ScheduledBulletin> parse_run(const nlohmann::json& obj, const std::string& where) {
  if (!obj.is_object()) return Error::invalid(where, "must be an object {\"name\": ..., \"template\": ..., ...}");
  static const std::set<std::string> kKeys = {"name", "template", "unit", "every", "weekday", "at", "formats"};
  for (const auto& [key, value] : obj.items())
    if (!kKeys.count(key))
      return Error::invalid(fmt::format("{}.{}", where, key),
                            "is not a key of a run (name, template, unit, every, weekday, at, formats)");
  ScheduledBulletin run;
  const std::string name_field = where + ".name";
  PINGAN_ASSIGN_OR_RETURN(run.name, string_field(obj, "name", name_field, true));
  if (!is_file_word(run.name))
    return Error::invalid(name_field, fmt::format("'{}' is not a name (letters, digits, _ and -; up to {})",
                                                  run.name, kMaxCodeChars));
  const std::string template_field = where + ".template";
  PINGAN_ASSIGN_OR_RETURN(run.template_name, string_field(obj, "template", template_field, true));
  if (!is_file_word(run.template_name))
    return Error::invalid(template_field,
                          fmt::format("'{}' is not a template name (a file data/bulletins/<name>.md)", run.template_name));
  const std::string unit_field = where + ".unit";
  PINGAN_ASSIGN_OR_RETURN(run.unit, string_field(obj, "unit", unit_field, false));
  if (Status st = check_length(unit_field, run.unit, kMaxCodeChars); !st.ok()) return st.error();
  const bool bad_unit = run.unit == "." || run.unit == ".." ||
                        std::any_of(run.unit.begin(), run.unit.end(), [](char c) {
                          return c == ' ' || c == '/' || c == '\\' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f;
                        });
  if (bad_unit) return Error::invalid(unit_field, fmt::format("'{}' is not a unit code", run.unit));

  const std::string every_field = where + ".every";
  PINGAN_ASSIGN_OR_RETURN(std::string every, string_field(obj, "every", every_field, true));
  if (every == "day") run.every = BulletinEvery::kDay;
  else if (every == "week") run.every = BulletinEvery::kWeek;
  else return Error::invalid(every_field, fmt::format("'{}' is not day or week", every));

  const std::string weekday_field = where + ".weekday";
  auto weekday = obj.find("weekday");
  if (run.every == BulletinEvery::kWeek) {
    if (weekday == obj.end()) return Error::invalid(weekday_field, "is required for a weekly run: 1 (Monday) to 7 (Sunday)");
    if (!weekday->is_number_integer() || weekday->get<std::int64_t>() < 1 || weekday->get<std::int64_t>() > 7)
      return Error::invalid(weekday_field, fmt::format("{} is not a weekday: 1 (Monday) to 7 (Sunday)", weekday->dump()));
    run.weekday = weekday->get<int>();
  } else if (weekday != obj.end()) {
    return Error::invalid(weekday_field, "only a weekly run (\"every\": \"week\") has a weekday");
  }

  const std::string at_field = where + ".at";
  PINGAN_ASSIGN_OR_RETURN(std::string at, string_field(obj, "at", at_field, true));
  PINGAN_ASSIGN_OR_RETURN(run.at_minute, parse_time_of_day(at, at_field));
  PINGAN_ASSIGN_OR_RETURN(run.formats, parse_formats(obj, where + ".formats"));
  return run;
}

// Days since 1970-01-01 of a civil date, and back.
std::int64_t day_number(const CivilTime& t) { return civil_to_utc(CivilTime{t.year, t.month, t.day, 0, 0, 0}) / kDay; }
CivilTime date_of_day(std::int64_t day) { return utc_to_civil(day * kDay); }
// ISO weekday of a day number: 1 = Monday; 1970-01-01 was a Thursday (4).
int weekday_of(std::int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7) + 1; }

Timestamp run_time(const TimeZone& zone, std::int64_t day, int at_minute) {
  CivilTime t = date_of_day(day);
  t.hour = at_minute / 60;
  t.minute = at_minute % 60;
  return zone.to_utc(t);
}

}  // namespace

Result<BulletinSchedule> parse_bulletin_schedule(const nlohmann::json& doc) {
  if (!doc.is_object()) return Error::invalid("", "the bulletin schedule must be a JSON object {\"folder\": ..., \"runs\": [...]}");
  for (const auto& [key, value] : doc.items())
    if (key != "folder" && key != "base_url" && key != "runs")
      return Error::invalid(key, "is not a key of the schedule (folder, base_url, runs)");
  BulletinSchedule schedule;
  if (auto folder = doc.find("folder"); folder != doc.end()) {
    if (!folder->is_string() || folder->get<std::string>().empty())
      return Error::invalid("folder", "must be a folder: relative to the database file's, or absolute");
    schedule.folder = folder->get<std::string>();
    if (schedule.folder.size() > kMaxFolderChars || schedule.folder.find('\0') != std::string::npos)
      return Error::invalid("folder", "is not a usable path");
  }
  if (auto base = doc.find("base_url"); base != doc.end()) {
    const std::string url = base->is_string() ? base->get<std::string>() : std::string();
    const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    if (!base->is_string() || (!url.empty() && !web) || url.size() > kMaxFolderChars ||
        std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == '"'; }))
      return Error::invalid("base_url", fmt::format("{} is not an http:// or https:// address", base->dump()));
    schedule.base_url = url;
  }
  auto runs = doc.find("runs");
  if (runs == doc.end()) return Error::invalid("runs", "is required: a list of runs (may be empty)");
  if (!runs->is_array()) return Error::invalid("runs", "must be a list of runs");
  for (std::size_t i = 0; i < runs->size(); ++i) {
    const std::string where = fmt::format("runs[{}]", i);
    PINGAN_ASSIGN_OR_RETURN(ScheduledBulletin run, parse_run((*runs)[i], where));
    for (std::size_t j = 0; j < schedule.runs.size(); ++j) {
      const ScheduledBulletin& other = schedule.runs[j];
      if (other.name == run.name)
        return Error::invalid(where + ".name", fmt::format("'{}' is the name of runs[{}] too", run.name, j));
      if (other.template_name == run.template_name && other.unit == run.unit)
        return Error::invalid(where + ".template",
                              fmt::format("runs[{}] writes template '{}' of unit '{}' too: their files would share names",
                                          j, run.template_name, run.unit));
    }
    schedule.runs.push_back(std::move(run));
  }
  return schedule;
}

std::vector<DueBulletin> due_bulletins(const BulletinSchedule& schedule, const TimeZone& zone, Timestamp now) {
  const std::int64_t today = day_number(zone.to_local(now));
  std::vector<DueBulletin> out;
  out.reserve(schedule.runs.size());
  for (std::size_t i = 0; i < schedule.runs.size(); ++i) {
    const ScheduledBulletin& run = schedule.runs[i];
    const std::int64_t step = run.every == BulletinEvery::kDay ? 1 : 7;
    // The latest day of the run's kind (any day; its weekday) whose run time has passed.
    std::int64_t day = today;
    if (run.every == BulletinEvery::kWeek) day -= (weekday_of(today) - run.weekday + 7) % 7;
    if (run_time(zone, day, run.at_minute) > now) day -= step;
    DueBulletin due;
    due.run = i;
    due.first_day = date_of_day(day - step);
    due.last_day = date_of_day(day - 1);
    due.due_at = run_time(zone, day, run.at_minute);
    out.push_back(due);
  }
  return out;
}

std::string bulletin_file_name(const ScheduledBulletin& run, const std::string& unit, const CivilTime& last_day,
                               const std::string& format) {
  return fmt::format("{}-{}-{:04}{:02}{:02}.{}", run.template_name, unit, last_day.year, last_day.month, last_day.day,
                     format);
}

}  // namespace pingan
