#include "core/incident.h"

#include <fmt/format.h>

#include "core/id_number.h"
#include "core/taxonomy.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

// Earliest plausible report time: older dates in real data are placeholders.
constexpr Timestamp kEarliestReport = -2208988800 + 366 * 86400;  // 1901-01-01

}  // namespace

Status validate_new_incident(Incident& inc, const Taxonomy& taxonomy, Timestamp now) {
  if (inc.source.empty()) inc.source = "api";
  PINGAN_RETURN_IF_ERROR(check_length("source", inc.source, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("source_id", inc.source_id, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("case_number", inc.case_number, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("original_code", inc.original_code, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("address", inc.address, kMaxAddressChars));
  PINGAN_RETURN_IF_ERROR(check_length("description", inc.description, kMaxDescriptionChars));
  PINGAN_RETURN_IF_ERROR(check_length("unit", inc.unit_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("type", inc.type_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("reporter_phone", inc.reporter_phone, kMaxPhoneChars));
  PINGAN_RETURN_IF_ERROR(check_length("reporter_name", inc.reporter_name, kMaxNameChars));
  PINGAN_RETURN_IF_ERROR(check_length("reporter_id_number", inc.reporter_id_number, kMaxIdNumberChars));
  if (!inc.reporter_id_number.empty()) PINGAN_RETURN_IF_ERROR(check_id_number("reporter_id_number", inc.reporter_id_number));
  if (inc.reported_at < kEarliestReport)
    return Error::invalid("reported_at", fmt::format("{} is before 1901, a placeholder date", format_utc(inc.reported_at)));
  if (inc.reported_at > now + 300)
    return Error::invalid("reported_at", fmt::format("{} is in the future", format_utc(inc.reported_at)));
  if (inc.location) PINGAN_RETURN_IF_ERROR(validate_point(*inc.location, "location"));
  if (inc.type_code.empty()) return Error::invalid("type", "an incident needs a type");
  const IncidentType* type = taxonomy.find_type(inc.type_code);
  if (!type) return Error::invalid("type", fmt::format("unknown incident type '{}'", inc.type_code));
  inc.class_code = type->class_code;
  if (!inc.reporter_phone.empty()) {
    int digits = 0;
    for (char c : inc.reporter_phone) {
      if (c >= '0' && c <= '9') ++digits;
      else if (c != '+' && c != '-' && c != ' ')
        return Error::invalid("reporter_phone", fmt::format("'{}' may hold only digits, +, - and spaces", inc.reporter_phone));
    }
    if (digits < 3) return Error::invalid("reporter_phone", "needs at least 3 digits");
  }
  // Step times given with a new record (imports of finished calls) must be in order.
  Timestamp prev = inc.reported_at;
  for (IncidentStatus s : kAllStatuses) {
    const auto* t = inc.times.slot(s);
    if (!t || !t->has_value()) continue;
    if (**t < prev)
      return Error::invalid(std::string(status_name(s)) + "_at",
                            fmt::format("{} is before the previous step at {}", format_utc(**t), format_utc(prev)));
    prev = **t;
  }
  return {};
}

IncidentEvent intake_event(const Incident& incident, const std::string& actor) {
  return IncidentEvent{incident.id, 1, std::nullopt, IncidentStatus::kReceived, incident.reported_at, actor,
                       status_name_zh(IncidentStatus::kReceived)};
}

}  // namespace pingan
