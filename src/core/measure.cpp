#include "core/measure.h"

#include <fmt/format.h>

#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr Timestamp kEarliestMeasure = -2208988800 + 366 * 86400;  // 1901-01-01

}  // namespace

const char* measure_kind_name(MeasureKind k) {
  switch (k) {
    case MeasureKind::kCaught: return "caught";
    case MeasureKind::kCriminalDetention: return "criminal_detention";
    case MeasureKind::kAdministrativeDetention: return "administrative_detention";
    case MeasureKind::kArrest: return "arrest";
    case MeasureKind::kBail: return "bail";
    case MeasureKind::kResidentialSurveillance: return "residential_surveillance";
    case MeasureKind::kTransferForProsecution: return "transfer_for_prosecution";
    case MeasureKind::kProsecution: return "prosecution";
    case MeasureKind::kSentence: return "sentence";
    case MeasureKind::kDealtWith: return "dealt_with";
  }
  return "caught";
}

const char* measure_kind_name_zh(MeasureKind k) {
  switch (k) {
    case MeasureKind::kCaught: return "抓获";
    case MeasureKind::kCriminalDetention: return "刑事拘留";
    case MeasureKind::kAdministrativeDetention: return "行政拘留";
    case MeasureKind::kArrest: return "逮捕";
    case MeasureKind::kBail: return "取保候审";
    case MeasureKind::kResidentialSurveillance: return "监视居住";
    case MeasureKind::kTransferForProsecution: return "移送起诉";
    case MeasureKind::kProsecution: return "起诉";
    case MeasureKind::kSentence: return "判决";
    case MeasureKind::kDealtWith: return "打击处理";
  }
  return "抓获";
}

std::string measure_kind_label(MeasureKind k) {
  return fmt::format("{} ({})", measure_kind_name_zh(k), measure_kind_name(k));
}

Result<MeasureKind> parse_measure_kind(std::string_view name, std::string_view field) {
  std::string known;
  for (MeasureKind k : kAllMeasureKinds) {
    if (name == measure_kind_name(k)) return k;
    known += fmt::format("{}{}", known.empty() ? "" : ", ", measure_kind_name(k));
  }
  return Error::invalid(std::string(field), fmt::format("unknown measure '{}' ({})", name, known));
}

Status validate_measure(const Measure& m, Timestamp now, std::int64_t future_tolerance_s) {
  if (m.case_id <= 0) return Error::invalid("case_id", "a measure is taken in a case");
  if (m.person_id <= 0) return Error::invalid("person_id", "a measure is taken on a person");
  PINGAN_RETURN_IF_ERROR(check_length("unit", m.unit_code, kMaxCodeChars));
  if (m.unit_code.empty()) return Error::invalid("unit", "a measure needs the unit that took it");
  PINGAN_RETURN_IF_ERROR(check_actor("actor", m.actor));
  PINGAN_RETURN_IF_ERROR(check_length("note", m.note, kMaxNoteChars));
  if (m.at < kEarliestMeasure)
    return Error::invalid("at", fmt::format("{} is before 1901, a placeholder date", format_utc(m.at)));
  return check_step_time("at", m.at, std::nullopt, now, future_tolerance_s);
}

}  // namespace pingan
