// Time and date parsing: parse_iso8601 (core/time.h: query parameters, JSON
// bodies) and the importers' field parsers (ingest/field_parsers.h:
// M/D/YYYY H:MM, MM/DD/YY, YYYY-MM-DD, YYYY-MM, HH:MM) with the fast local
// clock they feed (ingest/local_clock.h). The first byte picks a zone (some
// with DST, half-hour and 45-minute offsets); each following line is one
// text, all read through one LocalClock so that its day cache is exercised.
//
// Checked: an accepted ISO time formats back (UTC and local) to text that
// parses to the same instant; an accepted field is a valid civil time; the
// local clock gives exactly TimeZone::to_utc, as it promises.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/text.h"
#include "fuzz_support.h"
#include "ingest/field_parsers.h"
#include "ingest/local_clock.h"

namespace {

using namespace pingan;

constexpr const char* kZones[] = {"Asia/Shanghai",       "America/Chicago", "America/Los_Angeles",
                                  "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"};
constexpr std::size_t kMaxLines = 32;

const TimeZone& zone_for(std::uint8_t pick) {
  static const std::vector<TimeZone> zones = [] {
    std::vector<TimeZone> z;
    for (const char* name : kZones) z.push_back(fuzz::must(TimeZone::locate(name), name));
    return z;
  }();
  return zones[pick % zones.size()];
}

void check_iso(std::string_view text, const TimeZone& zone) {
  for (const TimeZone* naive : {static_cast<const TimeZone*>(nullptr), &zone}) {
    auto t = parse_iso8601(text, naive);
    if (!t.ok()) {
      fuzz::check(t.error().code == ErrorCode::kInvalidArgument, "a bad time is invalid_argument");
      continue;
    }
    auto utc = parse_iso8601(format_utc(*t));
    fuzz::check(utc.ok() && *utc == *t, "a time formatted in UTC parses back to itself");
    auto local = parse_iso8601(format_local(*t, zone));
    fuzz::check(local.ok() && *local == *t, "a time formatted in the zone parses back to itself");
  }
}

void check_civil(const std::optional<CivilTime>& c, const TimeZone& zone,
                 ingest::LocalClock& clock) {
  if (!c) return;
  fuzz::check(is_valid_civil(*c), "an accepted field is a valid civil time");
  fuzz::check(clock.to_utc(*c) == zone.to_utc(*c), "the local clock agrees with TimeZone::to_utc");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const TimeZone& zone = zone_for(data[0]);
  ingest::LocalClock clock(zone);
  std::size_t n = 0;
  for (std::string_view line : split_lines(fuzz::as_text(data + 1, size - 1))) {
    if (++n > kMaxLines) break;
    check_iso(line, zone);
    check_civil(ingest::parse_mdy_hm(line), zone, clock);
    check_civil(ingest::parse_mdy2(line), zone, clock);
    check_civil(ingest::parse_ymd(line), zone, clock);
    check_civil(ingest::parse_year_month(line), zone, clock);
    if (auto secs = ingest::parse_hh_mm(line))
      fuzz::check(*secs >= 0 && *secs < 86'400, "HH:MM is within a day");
  }
  return 0;
}
