// The body of POST /api/shifts: shift_from_json, then dispatch::record_shift
// on a small desk (desk_support.h) and the coverage rule patrol statistics
// apply to it. Checked: refusals are invalid_argument (or not_found, for an
// unknown unit or post) naming a reason; a recorded shift is listed with the
// times and crew sent, and its answer serialises.

#include <cstddef>
#include <cstdint>

#include "desk_support.h"
#include "dispatch/patrol_records.h"
#include "json/json_fields.h"
#include "json/patrol_record_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok()) return 0;
  Result<PatrolShift> shift = shift_from_json(*body, fuzz::zone());
  if (!shift.ok()) {
    fuzz::check(shift.error().code == ErrorCode::kInvalidArgument && !shift.error().field.empty(),
                "a refused body names its field");
    return 0;
  }
  PatrolPost night;  // 20:00-02:00 at the station
  night.code = "PA-S01-N01";
  night.name = "夜市巡防点";
  night.kind = "night";
  night.station_code = fuzz::kStation;
  night.location = fuzz::kIncidentAt;
  night.start_minute = 20 * 60;
  night.end_minute = 2 * 60;
  const CivilTime day = fuzz::zone().to_local(shift->starts_at);
  volatile bool covers = shift_covers_post_on(*shift, night, day, fuzz::zone());
  (void)covers;

  fuzz::Desk d = fuzz::fresh_desk();
  fuzz::must(dispatch::save_posts(*d.engine, {night}), "the post");
  Result<PatrolShift> stored = dispatch::record_shift(*d.engine, *d.desk, *shift);
  if (!stored.ok()) {
    const ErrorCode code = stored.error().code;
    fuzz::check(code == ErrorCode::kInvalidArgument || code == ErrorCode::kNotFound,
                "a refused shift is invalid_argument or not_found");
    return 0;
  }
  fuzz::check(stored->starts_at == shift->starts_at && stored->ends_at == shift->ends_at &&
                  stored->crew == shift->crew && stored->call_sign == shift->call_sign,
              "the shift is recorded as sent");
  auto listed = fuzz::must(
      dispatch::list_shifts(*d.engine, UnitScope::everything(), stored->starts_at, stored->ends_at),
      "listing the shifts");
  fuzz::check(listed.size() == 1 && listed[0].id == stored->id,
              "the shift is listed over its own hours");
  fuzz::check(!shift_to_json(*stored, fuzz::zone()).dump().empty(), "the answer serialises");
  return 0;
}
