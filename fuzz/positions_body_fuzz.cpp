// The body of POST /api/positions (AVL position batches):
// position_reports_from_json, then DispatchService::report_positions on a
// small desk (desk_support.h) whose car is en route, so that a report near
// its incident infers an arrival. Checked: every report of the batch is
// either accepted or refused, once, in order; a malformed report is refused;
// an accepted report is the unit's position afterwards or an older one was.

#include <cstddef>
#include <cstdint>
#include <set>

#include "desk_support.h"
#include "json/json_fields.h"
#include "json/patrol_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok()) return 0;
  Result<ParsedReports> parsed = position_reports_from_json(*body, fuzz::zone());
  if (!parsed.ok()) {
    fuzz::check(parsed.error().code == ErrorCode::kInvalidArgument && !parsed.error().field.empty(),
                "a refused envelope names its field");
    return 0;
  }
  fuzz::check(parsed->malformed.size() <= parsed->reports.size(), "malformed reports are reports");
  fuzz::Desk d = fuzz::fresh_desk();
  dispatch::PositionBatchResult result = d.desk->report_positions(parsed->reports);
  fuzz::check(result.accepted + static_cast<std::int64_t>(result.refused.size()) ==
                  static_cast<std::int64_t>(parsed->reports.size()),
              "every report is accepted or refused");
  std::set<std::size_t> refused;
  std::size_t previous = 0;
  for (const auto& r : result.refused) {
    fuzz::check(r.index < parsed->reports.size(), "a refusal points into the batch");
    fuzz::check(refused.empty() || r.index > previous, "refusals in batch order, once each");
    refused.insert(r.index);
    previous = r.index;
  }
  for (const auto& [index, message] : parsed->malformed)
    fuzz::check(refused.count(index) == 1 && !message.empty(),
                "a malformed report is refused with a reason");
  fuzz::check(!position_result_to_json(result).dump().empty(), "the answer serialises");
  return 0;
}
