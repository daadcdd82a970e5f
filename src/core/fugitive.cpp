#include "core/fugitive.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

using S = FugitiveStatus;

constexpr Timestamp kEarliestListing = -2208988800 + 366 * 86400;  // 1901-01-01

}  // namespace

const char* fugitive_status_name(FugitiveStatus s) {
  switch (s) {
    case S::kListed: return "listed";
    case S::kCaught: return "caught";
    case S::kRevoked: return "revoked";
  }
  return "listed";
}

const char* fugitive_status_name_zh(FugitiveStatus s) {
  switch (s) {
    case S::kListed: return "在逃";
    case S::kCaught: return "已抓获";
    case S::kRevoked: return "已撤销";
  }
  return "在逃";
}

Result<FugitiveStatus> parse_fugitive_status(std::string_view name, std::string_view field) {
  for (S s : kAllFugitiveStatuses)
    if (name == fugitive_status_name(s)) return s;
  return Error::invalid(std::string(field),
                        fmt::format("unknown fugitive status '{}' (listed, caught, revoked)", name));
}

Status validate_new_fugitive(const Fugitive& f, Timestamp now, std::int64_t future_tolerance_s) {
  PINGAN_RETURN_IF_ERROR(check_length("listing_number", f.listing_number, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("listing_unit", f.listing_unit, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("caught_by_unit", f.caught_by_unit, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("revoke_reason", f.revoke_reason, kMaxNoteChars));
  if (trim(f.listing_number).empty()) return Error::invalid("listing_number", "a listing needs its number");
  if (f.person_id <= 0) return Error::invalid("person_id", "a listing names the person wanted");
  if (f.case_id && *f.case_id <= 0) return Error::invalid("case_id", fmt::format("{} is not a case id", *f.case_id));
  if (f.listing_unit.empty()) return Error::invalid("listing_unit", "a listing needs the unit that listed the person");
  if (f.listed_at < kEarliestListing)
    return Error::invalid("listed_at", fmt::format("{} is before 1901, a placeholder date", format_utc(f.listed_at)));
  PINGAN_RETURN_IF_ERROR(check_step_time("listed_at", f.listed_at, std::nullopt, now, future_tolerance_s));
  bool caught = f.status == S::kCaught, revoked = f.status == S::kRevoked;
  const char* status = fugitive_status_name(f.status);
  if (f.caught_at.has_value() != caught)
    return Error::invalid("caught_at", caught ? std::string("a caught fugitive needs the time of the capture")
                                              : fmt::format("a {} listing has no capture time", status));
  if (f.revoked_at.has_value() != revoked)
    return Error::invalid("revoked_at", revoked ? std::string("a revoked listing needs the time it was revoked")
                                                : fmt::format("a {} listing has no revocation time", status));
  if (caught) {
    PINGAN_RETURN_IF_ERROR(check_step_time("caught_at", *f.caught_at, f.listed_at, now, future_tolerance_s));
    if (f.caught_by_unit.empty()) return Error::invalid("caught_by_unit", "a capture names the unit that made it");
  }
  if (revoked) {
    PINGAN_RETURN_IF_ERROR(check_step_time("revoked_at", *f.revoked_at, f.listed_at, now, future_tolerance_s));
    if (trim(f.revoke_reason).empty()) return Error::invalid("revoke_reason", "a revocation needs its reason");
  }
  return {};
}

Result<FugitiveStep> apply_fugitive_step(Fugitive& f, const FugitiveStepRequest& req, Timestamp now,
                                         std::int64_t future_tolerance_s) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", req.actor));
  PINGAN_RETURN_IF_ERROR(check_length("unit", req.unit, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("note", req.note, kMaxNoteChars));
  if (!is_allowed_step<FugitiveStatus>(kFugitiveSteps, f.status, req.to))
    return Error::conflict("to", fmt::format("listing {} is {} ({}) and cannot become {} ({})", f.listing_number,
                                             fugitive_status_name(f.status), fugitive_status_name_zh(f.status),
                                             fugitive_status_name(req.to), fugitive_status_name_zh(req.to)));
  if (req.to == S::kCaught && req.unit.empty())
    return Error::invalid("unit", "a capture names the unit that made it");
  if (req.to == S::kRevoked && trim(req.note).empty())
    return Error::invalid("note", "a revocation needs its reason");
  Timestamp at = req.at.value_or(now);
  PINGAN_RETURN_IF_ERROR(check_step_time("at", at, f.listed_at, now, future_tolerance_s));
  FugitiveStep step{f.status, req.to, at, req.actor, req.note};
  if (req.to == S::kCaught) {
    f.caught_at = at;
    f.caught_by_unit = req.unit;
  } else {
    f.revoked_at = at;
    f.revoke_reason = req.note;
  }
  f.status = req.to;
  return step;
}

}  // namespace pingan
