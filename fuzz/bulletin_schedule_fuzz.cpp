// parse_bulletin_schedule (core/bulletin_schedule.h) over arbitrary bytes
// read as JSON: it answers an error or a schedule, never crashes; a refusal
// says why, every run it accepts is well formed, and the periods due at a
// few instants are one per run, seven days or one, ending before the run.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/bulletin_schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return 0;
  auto parsed = pingan::parse_bulletin_schedule(doc);
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();  // a refusal says why
    return 0;
  }
  static const pingan::TimeZone zone = *pingan::TimeZone::locate("Asia/Shanghai");
  for (const auto& run : parsed->runs) {
    if (run.name.empty() || run.template_name.empty() || run.formats.empty()) std::abort();
    if (run.at_minute < 0 || run.at_minute >= 24 * 60 || run.weekday < 1 || run.weekday > 7) std::abort();
  }
  for (pingan::Timestamp now : {pingan::Timestamp{1'761'868'800}, pingan::Timestamp{1'798'761'599}}) {
    const auto due = pingan::due_bulletins(*parsed, zone, now);
    if (due.size() != parsed->runs.size()) std::abort();
    for (const auto& d : due) {
      if (d.due_at > now) std::abort();
      const pingan::Timestamp first = pingan::civil_to_utc(d.first_day), last = pingan::civil_to_utc(d.last_day);
      const bool weekly = parsed->runs[d.run].every == pingan::BulletinEvery::kWeek;
      if (last - first != (weekly ? 6 : 0) * 86400) std::abort();
    }
  }
  return 0;
}
