#include "core/case_record.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

// As for incidents: older dates in real data are placeholders.
constexpr Timestamp kEarliestCase = -2208988800 + 366 * 86400;  // 1901-01-01

std::string time_field(CaseStatus s) { return std::string(case_status_name(s)) + "_at"; }

// The walk an imported case's times describe: opened, investigating if it
// carries that time, then its status when that is a final one. Every time it
// carries must lie on the walk, and the walk must be one the table allows.
Status check_imported_walk(const CaseRecord& c, Timestamp now, std::int64_t future_tolerance_s) {
  std::vector<CaseStatus> walk = {CaseStatus::kOpened};
  if (c.times.investigating_at) walk.push_back(CaseStatus::kInvestigating);
  if (c.status != CaseStatus::kOpened && c.status != CaseStatus::kInvestigating) walk.push_back(c.status);
  if (c.status == CaseStatus::kInvestigating && !c.times.investigating_at)
    return Error::invalid(time_field(c.status), "a case under investigation needs the time it started");
  for (CaseStatus s : kAllCaseStatuses) {
    const auto* t = c.times.slot(s);
    if (!t) continue;
    bool on_walk = std::find(walk.begin(), walk.end(), s) != walk.end();
    if (t->has_value() && !on_walk)
      return Error::invalid(time_field(s), fmt::format("a case that is {} cannot carry a time for {}",
                                                       case_status_name(c.status), case_status_name(s)));
    if (!t->has_value() && on_walk)
      return Error::invalid(time_field(s), fmt::format("a case that is {} needs the time it became so",
                                                       case_status_name(c.status)));
  }
  std::optional<Timestamp> previous = c.opened_at;
  for (size_t i = 1; i < walk.size(); ++i) {
    if (!is_allowed_case_step(walk[i - 1], walk[i]))
      return Error::invalid("status", fmt::format("a case cannot become {} from {}; give the time of the step "
                                                  "between", case_status_name(walk[i]),
                                                  case_status_name(walk[i - 1])));
    Timestamp at = **c.times.slot(walk[i]);
    PINGAN_RETURN_IF_ERROR(check_step_time(time_field(walk[i]), at, previous, now, future_tolerance_s));
    previous = at;
  }
  return {};
}

}  // namespace

Status validate_new_case(CaseRecord& c, const CaseTypes& types, Timestamp now, std::int64_t future_tolerance_s) {
  if (c.source.empty()) c.source = "api";
  PINGAN_RETURN_IF_ERROR(check_length("source", c.source, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("source_id", c.source_id, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("case_number", c.case_number, kMaxSourceRefChars));
  PINGAN_RETURN_IF_ERROR(check_length("type", c.type_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("unit", c.unit_code, kMaxCodeChars));
  PINGAN_RETURN_IF_ERROR(check_length("summary", c.summary, kMaxDescriptionChars));
  if (trim(c.case_number).empty()) return Error::invalid("case_number", "a case needs its case number (案件编号)");
  if (c.unit_code.empty()) return Error::invalid("unit", "a case needs the unit that opened it");
  if (c.type_code.empty()) return Error::invalid("type", "a case needs a type");
  const CaseType* type = types.find_type(c.type_code);
  if (!type) return Error::invalid("type", fmt::format("unknown case type '{}'", c.type_code));
  c.case_class = type->case_class;
  if (c.opened_at < kEarliestCase)
    return Error::invalid("opened_at", fmt::format("{} is before 1901, a placeholder date", format_utc(c.opened_at)));
  PINGAN_RETURN_IF_ERROR(check_step_time("opened_at", c.opened_at, std::nullopt, now, future_tolerance_s));
  for (size_t i = 0; i < c.incident_ids.size(); ++i) {
    if (c.incident_ids[i] <= 0)
      return Error::invalid("incident_ids", fmt::format("{} is not an incident id", c.incident_ids[i]));
    if (std::find(c.incident_ids.begin(), c.incident_ids.begin() + i, c.incident_ids[i]) != c.incident_ids.begin() + i)
      return Error::invalid("incident_ids", fmt::format("incident {} is linked twice", c.incident_ids[i]));
  }
  PINGAN_RETURN_IF_ERROR(check_amount("money_involved_fen", c.money_involved_fen));
  return check_imported_walk(c, now, future_tolerance_s);
}

}  // namespace pingan
