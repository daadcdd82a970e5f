#pragma once
// The life of an incident: 接警 received → 派警 dispatched → 到场 arrived →
// 处置 handled → 办结 closed, and the follow-up loop 评估-派单-反馈-核查:
// handled → followup (assessed and tasked to a community officer with a
// deadline) → fed_back → verified → closed; a verification that fails sends
// the task back (fed_back → followup). A call settled by phone may go
// received → handled. Every other move is refused.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace pingan {

enum class IncidentStatus : std::uint8_t {
  kReceived,    // 接警
  kDispatched,  // 派警
  kArrived,     // 到场
  kHandled,     // 处置
  kFollowUp,    // 评估 + 派单: a second visit is tasked
  kFedBack,     // 反馈
  kVerified,    // 核查
  kClosed,      // 办结
};

inline constexpr IncidentStatus kAllStatuses[] = {
    IncidentStatus::kReceived, IncidentStatus::kDispatched, IncidentStatus::kArrived,
    IncidentStatus::kHandled,  IncidentStatus::kFollowUp,   IncidentStatus::kFedBack,
    IncidentStatus::kVerified, IncidentStatus::kClosed};

const char* status_name(IncidentStatus s);     // "dispatched"
const char* status_name_zh(IncidentStatus s);  // "派警"
Result<IncidentStatus> parse_status(std::string_view name);

bool is_allowed_transition(IncidentStatus from, IncidentStatus to);
std::vector<IncidentStatus> allowed_next(IncidentStatus from);

// A request to move an incident on.
struct TransitionRequest {
  IncidentStatus to = IncidentStatus::kDispatched;
  std::optional<Timestamp> at;  // defaults to now
  std::string actor;
  std::string note;
  // Required when to == kFollowUp (first tasking, or a failed verification
  // sending the task back from fed_back).
  std::string assignee;
  std::optional<Timestamp> deadline;
};

struct Incident;

// Checks the request against the incident's state and applies it to the
// incident in memory (status, step time, follow-up task). The store persists
// the result and the event atomically. `now` fills a missing time.
Status apply_transition(Incident& incident, const TransitionRequest& request, Timestamp now);

}  // namespace pingan
