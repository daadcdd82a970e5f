#pragma once
// Measures taken on a suspect in a case (强制措施 and what follows), each
// dated and attributed: 抓获 caught, 刑事拘留, 行政拘留, 逮捕, 取保候审, 监视居住,
// 移送起诉, 起诉, 判决, 打击处理. The kinds are the law's and fixed here; the
// order they may come in is data (measure_rules.h, data/cases/measure_rules.json).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/person.h"
#include "core/status.h"
#include "core/step_checks.h"
#include "core/time.h"

namespace pingan {

enum class MeasureKind : std::uint8_t {
  kCaught,                   // 抓获: brought under control, surrender and summons included
  kCriminalDetention,        // 刑事拘留
  kAdministrativeDetention,  // 行政拘留
  kArrest,                   // 逮捕
  kBail,                     // 取保候审
  kResidentialSurveillance,  // 监视居住
  kTransferForProsecution,   // 移送起诉 (移诉)
  kProsecution,              // 起诉
  kSentence,                 // 判决
  kDealtWith,                // 打击处理
};

inline constexpr MeasureKind kAllMeasureKinds[] = {
    MeasureKind::kCaught,      MeasureKind::kCriminalDetention,       MeasureKind::kAdministrativeDetention,
    MeasureKind::kArrest,      MeasureKind::kBail,                    MeasureKind::kResidentialSurveillance,
    MeasureKind::kTransferForProsecution, MeasureKind::kProsecution, MeasureKind::kSentence,
    MeasureKind::kDealtWith};

const char* measure_kind_name(MeasureKind k);     // "criminal_detention"
const char* measure_kind_name_zh(MeasureKind k);  // "刑事拘留"
// "刑事拘留 (criminal_detention)", as messages name a kind.
std::string measure_kind_label(MeasureKind k);
Result<MeasureKind> parse_measure_kind(std::string_view name, std::string_view field = "kind");

using MeasureId = std::int64_t;

struct Measure {
  MeasureId id = 0;  // assigned by the store
  CaseId case_id = 0;
  PersonId person_id = 0;  // a suspect of the case (the engine checks the role)
  MeasureKind kind = MeasureKind::kCaught;
  Timestamp at = 0;
  std::string unit_code;  // the unit that took it
  std::string actor;      // who recorded it
  std::string note;
};

// The measure's own fields, whatever came before: case_id, person_id, unit,
// actor, note, and `at` (after 1901, not in the future beyond the
// tolerance). The order against earlier measures is check_measure()'s.
Status validate_measure(const Measure& measure, Timestamp now,
                        std::int64_t future_tolerance_s = kDefaultFutureToleranceS);

}  // namespace pingan
