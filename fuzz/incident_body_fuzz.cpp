// The body of POST /api/incidents: parse_json_body, new_incident_from_json,
// then what the route does with it (validation, a write through the engine,
// the answer's JSON). Checked: errors are invalid_argument naming a field;
// an incident the engine accepts reads back with the same text, byte for
// byte (a NUL or an emoji in a description must not be cut), and its JSON
// serialises.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "json/incident_json.h"
#include "json/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  const Timestamp now = now_utc();
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok()) {
    fuzz::check(body.error().code == ErrorCode::kInvalidArgument && body.error().field == "body",
                "a malformed body is invalid_argument on field body");
    return 0;
  }
  Result<Incident> parsed = new_incident_from_json(*body, fuzz::zone(), now);
  if (!parsed.ok()) {
    fuzz::check(parsed.error().code == ErrorCode::kInvalidArgument && !parsed.error().field.empty(),
                "a refused body names its field");
    return 0;
  }
  auto engine = fuzz::fresh_engine();
  Result<Incident> created = engine->create_incident(*parsed, "fuzz");
  if (!created.ok()) {
    fuzz::check(created.error().code == ErrorCode::kInvalidArgument,
                "a refused incident is invalid_argument");
    return 0;
  }
  Incident stored =
      fuzz::must(engine->get_incident(created->id, UnitScope::everything()), "reading it back");
  fuzz::check(stored.type_code == parsed->type_code && stored.address == parsed->address &&
                  stored.description == parsed->description &&
                  stored.reporter_phone == parsed->reporter_phone &&
                  stored.case_number == parsed->case_number &&
                  stored.original_code == parsed->original_code &&
                  stored.reported_at == parsed->reported_at,
              "the stored incident reads back as sent");
  // Without a source id of its own, an API incident is keyed by its id.
  fuzz::check(stored.source_id ==
                  (parsed->source_id.empty() ? std::to_string(stored.id) : parsed->source_id),
              "the source id is kept");
  fuzz::check(stored.location.has_value() == parsed->location.has_value(), "the location is kept");
  auto units = engine->units();
  nlohmann::json out =
      incident_to_json(stored, IncidentJsonContext{engine->taxonomy(), fuzz::zone(), units.get()});
  fuzz::check(!out.dump().empty(), "the answer serialises");
  return 0;
}
