#include "core/step_checks.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {

Status check_step_time(std::string_view field, Timestamp at, std::optional<Timestamp> previous,
                       Timestamp now, std::int64_t future_tolerance_s) {
  if (previous && at < *previous)
    return Error::invalid(std::string(field), fmt::format("{} is before the previous step at {}", format_utc(at),
                                                          format_utc(*previous)));
  if (at > now + future_tolerance_s)
    return Error::invalid(std::string(field), fmt::format("{} is in the future (now {})", format_utc(at),
                                                          format_utc(now)));
  return {};
}

Status check_actor(std::string_view field, std::string_view actor) {
  PINGAN_RETURN_IF_ERROR(check_length(field, actor, kMaxNameChars));
  if (trim(actor).empty())
    return Error::invalid(std::string(field), "a step is attributed: name the officer who took it");
  return {};
}

}  // namespace pingan
