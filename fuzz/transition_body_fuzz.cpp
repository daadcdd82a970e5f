// The body of POST /api/incidents/{id}/transition: transition_from_json and
// Engine::transition on a fresh received incident. A top-level array is a
// sequence of bodies applied in order, so that the follow-up loop (handled →
// followup → fed_back → verified → closed) is reachable. Checked: refusals
// are invalid_argument or conflict naming a reason; an accepted step leaves
// the incident in the status asked for with exactly one new event.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "json/incident_json.h"
#include "json/json_fields.h"

namespace {

constexpr std::size_t kMaxSteps = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok()) return 0;
  std::vector<const nlohmann::json*> steps;
  if (body->is_array()) {
    for (const auto& step : *body)
      if (steps.size() < kMaxSteps) steps.push_back(&step);
  } else {
    steps.push_back(&*body);
  }

  auto engine = fuzz::fresh_engine();
  Incident call;
  call.type_code = "theft";
  call.reported_at = now_utc() - 3600;
  const Incident created =
      fuzz::must(engine->create_incident(call, "fuzz"), "creating the incident");
  const UnitScope all = UnitScope::everything();
  std::size_t events = 1;
  for (const nlohmann::json* step : steps) {
    Result<TransitionRequest> request = transition_from_json(*step, fuzz::zone(), "fuzz");
    if (!request.ok()) {
      fuzz::check(
          request.error().code == ErrorCode::kInvalidArgument && !request.error().field.empty(),
          "a refused body names its field");
      continue;
    }
    Result<Incident> moved = engine->transition(created.id, all, *request);
    if (!moved.ok()) {
      const ErrorCode code = moved.error().code;
      fuzz::check(code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict,
                  "a refused step is invalid_argument or conflict");
      continue;
    }
    fuzz::check(moved->status == request->to, "the incident is in the status asked for");
    auto history = fuzz::must(engine->events(created.id, all), "reading the events");
    fuzz::check(history.size() == ++events && history.back().to == request->to,
                "one event per step");
  }
  return 0;
}
