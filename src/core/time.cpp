#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "core/text_limits.h"

namespace pingan {
namespace {

using Seconds = std::chrono::seconds;
using SysSeconds = std::chrono::time_point<std::chrono::system_clock, Seconds>;

const date::time_zone* as_zone(const void* p) { return static_cast<const date::time_zone*>(p); }

bool read_int(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + pos, s.data() + pos + len, *out);
  return true;
}

}  // namespace

bool is_valid_civil(const CivilTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1) return false;
  auto ymd = date::year{t.year} / t.month / t.day;
  return ymd.ok() && t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 &&
         t.second >= 0 && t.second < 61;
}

Timestamp civil_to_utc(const CivilTime& t) {
  auto days = date::sys_days{date::year{t.year} / t.month / t.day};
  return days.time_since_epoch().count() * 86400LL + t.hour * 3600LL + t.minute * 60LL + t.second;
}

CivilTime utc_to_civil(Timestamp ts) {
  auto days = date::floor<date::days>(SysSeconds{Seconds{ts}});
  date::year_month_day ymd{days};
  std::int64_t rem = ts - days.time_since_epoch().count() * 86400LL;
  return CivilTime{int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())),
                   int(rem / 3600), int(rem / 60 % 60), int(rem % 60)};
}

Result<TimeZone> TimeZone::locate(std::string_view name) {
  try {
    TimeZone tz;
    tz.zone_ = date::locate_zone(name);
    tz.name_ = std::string(name);
    return tz;
  } catch (const std::exception& e) {
    return Error::invalid("time_zone", fmt::format("unknown time zone '{}'", name));
  }
}

Timestamp TimeZone::to_utc(const CivilTime& local) const {
  auto lt = date::local_seconds{Seconds{civil_to_utc(local)}};
  auto info = as_zone(zone_)->get_info(lt);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      return (lt - info.first.offset).time_since_epoch().count();
    case date::local_info::nonexistent:
      // The clock jumped over this time: read it with the offset before the jump.
      return (lt - info.first.offset).time_since_epoch().count();
  }
  return (lt - info.first.offset).time_since_epoch().count();
}

int TimeZone::offset_at(Timestamp ts) const {
  auto info = as_zone(zone_)->get_info(SysSeconds{Seconds{ts}});
  return int(info.offset.count());
}

CivilTime TimeZone::to_local(Timestamp ts) const { return utc_to_civil(ts + offset_at(ts)); }

namespace {

// parse_iso8601 before the range check below.
Result<Timestamp> parse_iso8601_unbounded(std::string_view s, const TimeZone* zone_for_naive) {
  auto bad = [&](const char* why) {
    return Error::invalid("", fmt::format("'{}' is not an ISO 8601 time: {}", s, why));
  };
  // Before the text is echoed in a message: a time is short.
  PINGAN_RETURN_IF_ERROR(check_length("", s, kMaxTimeChars));
  CivilTime t;
  if (!read_int(s, 0, 4, &t.year) || s.size() < 10 || s[4] != '-' || !read_int(s, 5, 2, &t.month) ||
      s[7] != '-' || !read_int(s, 8, 2, &t.day))
    return bad("expected YYYY-MM-DD");
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!read_int(s, pos + 1, 2, &t.hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_int(s, pos + 4, 2, &t.minute))
      return bad("expected hh:mm after the date");
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!read_int(s, pos + 1, 2, &t.second)) return bad("expected seconds");
      pos += 3;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      }
    }
  }
  if (!is_valid_civil(t)) return bad("no such date or time");
  if (pos == s.size()) {
    if (!zone_for_naive) return bad("an offset (Z or +hh:mm) is required");
    return zone_for_naive->to_utc(t);
  }
  if (s[pos] == 'Z' || s[pos] == 'z') {
    if (pos + 1 != s.size()) return bad("text after Z");
    return civil_to_utc(t);
  }
  if (s[pos] != '+' && s[pos] != '-') return bad("unexpected text after the time");
  int oh = 0, om = 0;
  if (!read_int(s, pos + 1, 2, &oh)) return bad("bad offset");
  size_t mpos = pos + 3;
  if (mpos < s.size() && s[mpos] == ':') ++mpos;
  if (mpos < s.size() && !read_int(s, mpos, 2, &om)) return bad("bad offset minutes");
  if (mpos < s.size() && mpos + 2 != s.size()) return bad("text after the offset");
  if (oh > 18 || om > 59) return bad("offset out of range");
  int sign = s[pos] == '-' ? -1 : 1;
  return civil_to_utc(t) - sign * (oh * 3600 + om * 60);
}

}  // namespace

Result<Timestamp> parse_iso8601(std::string_view s, const TimeZone* zone_for_naive) {
  PINGAN_ASSIGN_OR_RETURN(Timestamp t, parse_iso8601_unbounded(s, zone_for_naive));
  // "0000-01-01T00:00+18:00" is an instant of the year -1, which no
  // four-digit year can write back: times are answered as written here
  // (format_utc, format_local), so only instants a day or more inside the
  // years 0000-9999 are taken, which every zone's offset keeps in them.
  static const Timestamp kEarliest = civil_to_utc(CivilTime{0, 1, 2, 0, 0, 0});
  static const Timestamp kLatest = civil_to_utc(CivilTime{9999, 12, 31, 0, 0, 0});
  if (t < kEarliest || t >= kLatest)
    return Error::invalid("", fmt::format("'{}' is not an ISO 8601 time: outside the years 0000-9999",
                                          s));
  return t;
}

std::string format_utc(Timestamp ts) {
  CivilTime c = utc_to_civil(ts);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second);
}

std::string format_local(Timestamp ts, const TimeZone& zone) {
  // An ISO 8601 offset has whole minutes: a local mean time's (+08:05:43 in
  // Shanghai before 1901) is cut to them, and the clock time written with
  // it, so that the text still names the instant.
  int off = zone.offset_at(ts);
  off -= off % 60;
  CivilTime c = utc_to_civil(ts + off);
  char sign = off < 0 ? '-' : '+';
  int a = off < 0 ? -off : off;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", c.year, c.month, c.day,
                     c.hour, c.minute, c.second, sign, a / 3600, a / 60 % 60);
}

Timestamp now_utc() {
  return std::chrono::duration_cast<Seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace pingan
