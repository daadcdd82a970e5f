#include "json/ledger_json.h"

#include <fmt/format.h>

#include "core/ledger_people.h"
#include "core/personal_masks.h"
#include "json/json_fields.h"

namespace pingan {
namespace {

std::string known_fields(const LedgerDefinition& type) {
  std::string out;
  for (const LedgerField& f : type.fields()) out += (out.empty() ? "" : ", ") + f.code;
  return out;
}

// One member's JSON value as the value of `field`; the kind decides the JSON type.
Result<LedgerValue> value_from_json(const LedgerField& field, const nlohmann::json& v,
                                    const TimeZone& zone, const std::string& name) {
  switch (field.kind) {
    case LedgerFieldKind::kInteger:
    case LedgerFieldKind::kCount:
    case LedgerFieldKind::kMoneyFen: {
      if (v.is_number_integer()) return LedgerValue(v.get<std::int64_t>());
      if (v.is_number_unsigned())  // above INT64_MAX: no bound of a field admits it
        return Error::invalid(name, fmt::format("{} ({}): {} is too large", field.label, field.code, v.dump()));
      return Error::invalid(name, fmt::format("{} ({}): must be a whole number, got {}", field.label,
                                              field.code, v.is_number() ? v.dump() : json_type_name(v)));
    }
    case LedgerFieldKind::kDateTime: {
      if (!v.is_string())
        return Error::invalid(name, fmt::format("{} ({}): must be an ISO 8601 time string, got {}", field.label,
                                                field.code, json_type_name(v)));
      auto at = parse_iso8601(v.get<std::string>(), &zone);
      if (!at.ok()) return Error::invalid(name, fmt::format("{} ({}): {}", field.label, field.code, at.error().message));
      return LedgerValue(*at);
    }
    case LedgerFieldKind::kPoint: {
      PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(v, name));
      std::optional<double> lat, lon;
      PINGAN_RETURN_IF_ERROR(in.read_number("lat", &lat, true));
      PINGAN_RETURN_IF_ERROR(in.read_number("lon", &lon, true));
      PINGAN_RETURN_IF_ERROR(in.reject_unknown());
      return LedgerValue(GeoPoint{*lat, *lon});
    }
    case LedgerFieldKind::kPeople: {
      // A list of {name, phone?, id_number?}; kept as its canonical text.
      if (!v.is_array())
        return Error::invalid(name, fmt::format("{} ({}): must be a list of {{name, phone, id_number}}, got {}",
                                                field.label, field.code, json_type_name(v)));
      PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerPerson> people, parse_ledger_people(v.dump(), name));
      return LedgerValue(ledger_people_text(people));
    }
    case LedgerFieldKind::kText:
    case LedgerFieldKind::kEnum:
    case LedgerFieldKind::kDate:
    case LedgerFieldKind::kRegistryRef:
    case LedgerFieldKind::kPerson:
      break;
  }
  if (!v.is_string())
    return Error::invalid(name, fmt::format("{} ({}): must be a string, got {}", field.label, field.code,
                                            json_type_name(v)));
  return LedgerValue(v.get<std::string>());
}

Status read_assignment(JsonObjectReader& in, std::string* unit_code, std::string* officer_id) {
  PINGAN_RETURN_IF_ERROR(in.read_string("unit_code", unit_code));
  return in.read_string("officer_id", officer_id);
}

Status refuse_actor(JsonObjectReader& in) {
  if (in.member("actor")) return Error::invalid("actor", kActorNotInBody);
  return {};
}

std::string masked(LedgerMask mask, const std::string& text) {
  switch (mask) {
    case LedgerMask::kName:
      return mask_name(text);
    case LedgerMask::kPhone:
      return mask_phone(text);
    case LedgerMask::kIdNumber:
      return mask_id_number(text);
    case LedgerMask::kAddress:
      return mask_address(text);
    case LedgerMask::kPeople:
      break;  // a list, not a text: people_to_json
  }
  return mask_name(text);
}

// A people value as a list, each person masked unless `reveal`. A stored
// value that does not parse (it never should) is shown only to a revealer.
nlohmann::json people_to_json(const std::string& text, bool reveal) {
  Result<std::vector<LedgerPerson>> people = parse_ledger_people(text, "people");
  if (!people.ok()) return reveal ? nlohmann::json(text) : nlohmann::json();
  nlohmann::json out = nlohmann::json::array();
  for (const LedgerPerson& person : *people) {
    const LedgerPerson p = reveal ? person : masked_ledger_person(person);
    nlohmann::json one = {{"name", p.name}};
    if (!p.phone.empty()) one["phone"] = p.phone;
    if (!p.id_number.empty()) one["id_number"] = p.id_number;
    out.push_back(std::move(one));
  }
  return out;
}

nlohmann::json strings(const std::vector<std::string>& list) { return nlohmann::json(list); }

nlohmann::json field_to_json(const LedgerField& f) {
  nlohmann::json out = {{"code", f.code},
                        {"label", f.label},
                        {"kind", ledger_field_kind_name(f.kind)},
                        // The name the web client's contract uses for the kind.
                        {"type", ledger_field_kind_name(f.kind)},
                        {"required", f.required},
                        {"personal", f.personal ? nlohmann::json(ledger_mask_name(*f.personal)) : nlohmann::json()}};
  if (f.kind == LedgerFieldKind::kEnum) {
    nlohmann::json values = nlohmann::json::array();
    for (const LedgerChoice& c : f.values) values.push_back({{"code", c.code}, {"label", c.label}});
    out["values"] = std::move(values);
  }
  if (f.min) out["min"] = *f.min;
  if (f.max) out["max"] = *f.max;
  if (f.max_chars > 0) out["max_chars"] = f.max_chars;
  if (!f.registry.empty()) out["registry"] = f.registry;
  return out;
}

nlohmann::json step_to_json(const LedgerStep& s) {
  return {{"code", s.code},     {"label", s.label},   {"from", strings(s.from)},
          {"to", s.to},         {"who", strings(s.who)}, {"fields", strings(s.fields)},
          {"verifies", s.verifies.empty() ? nlohmann::json() : nlohmann::json(s.verifies)},
          {"assigns", s.assigns},
          {"opens", s.opens.empty() ? nlohmann::json() : nlohmann::json(s.opens)}};
}

nlohmann::json deadline_to_json(const LedgerDeadline& d) {
  nlohmann::json escalations = nlohmann::json::array();
  for (const LedgerEscalation& e : d.escalations)
    escalations.push_back({{"code", e.code}, {"label", e.label}, {"after_s", e.after_s}});
  auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  return {{"code", d.code},
          {"label", d.label},
          {"start_state", or_null(d.start_state)},
          {"start_step", or_null(d.start_step)},
          {"until", strings(d.until)},
          {"due_s", d.due_s},
          {"remind_before_s", d.remind_before_s},
          {"escalations", std::move(escalations)}};
}

std::string state_label(const LedgerDefinition& type, const std::string& code) {
  const LedgerState* s = type.state(code);
  return s ? s->label : code;
}

std::string step_label(const LedgerDefinition& type, const std::string& code) {
  if (code == kLedgerCreateStep) return "登记";
  const LedgerStep* s = type.step(code);
  return s ? s->label : code;
}

nlohmann::json fields_to_json(const LedgerFields& fields, const LedgerDefinition& type,
                              const LedgerJsonView& view) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [code, value] : fields) out[code] = ledger_value_to_json(type.field(code), value, view);
  return out;
}

nlohmann::json history_to_json(const LedgerHistoryEntry& e, const LedgerDefinition& type,
                               const LedgerJsonView& view) {
  nlohmann::json changes = nlohmann::json::array();
  for (const LedgerFieldChange& c : e.changes) {
    const LedgerField* field = type.field(c.field);
    changes.push_back({{"field", c.field},
                       {"label", field ? field->label : c.field},
                       {"before", c.before ? ledger_value_to_json(field, *c.before, view) : nlohmann::json()},
                       {"after", ledger_value_to_json(field, c.after, view)}});
  }
  nlohmann::json out = {{"step", e.step},
                        {"step_zh", step_label(type, e.step)},
                        {"from", e.from_state.empty() ? nlohmann::json() : nlohmann::json(e.from_state)},
                        {"to", e.to_state},
                        {"to_zh", state_label(type, e.to_state)},
                        {"actor", e.actor},
                        {"at", format_local(e.at, view.zone)},
                        {"note", e.note},
                        {"changes", std::move(changes)}};
  if (!e.unit_code.empty()) out["unit_code"] = e.unit_code;
  if (!e.officer_id.empty()) out["officer_id"] = e.officer_id;
  return out;
}

}  // namespace

Result<LedgerFields> ledger_fields_from_json(const nlohmann::json& value, const LedgerDefinition& type,
                                             const TimeZone& zone, const std::string& path) {
  if (!value.is_object())
    return Error::invalid(path, fmt::format("must be a JSON object of field code -> value, got {}",
                                            json_type_name(value)));
  LedgerFields fields;
  for (const auto& [code, v] : value.items()) {
    const std::string name = path + "." + code;
    const LedgerField* field = type.field(code);
    if (!field)
      return Error::invalid(name, fmt::format("{} has no field '{}' (known: {})", type.code(), code,
                                              known_fields(type)));
    if (v.is_null()) continue;  // as everywhere: null is not given
    PINGAN_ASSIGN_OR_RETURN(LedgerValue parsed, value_from_json(*field, v, zone, name));
    fields.emplace(code, std::move(parsed));
  }
  return fields;
}

Result<NewLedgerItem> new_ledger_item_from_json(const nlohmann::json& body, const LedgerDefinition& type,
                                                const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  NewLedgerItem item;
  PINGAN_RETURN_IF_ERROR(in.read_string("unit_code", &item.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("officer_id", &item.officer_id));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &item.note));
  const nlohmann::json* fields = in.member("fields");
  if (!fields) return Error::invalid("fields", "is required");
  PINGAN_ASSIGN_OR_RETURN(item.fields, ledger_fields_from_json(*fields, type, zone));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return item;
}

Result<StepRequest> ledger_step_from_json(const nlohmann::json& body, const LedgerDefinition& type,
                                          const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  StepRequest request;
  PINGAN_RETURN_IF_ERROR(in.read_string("step", &request.step, true));
  if (request.step.empty()) return Error::invalid("step", "is required");
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &request.note));
  PINGAN_RETURN_IF_ERROR(read_assignment(in, &request.unit_code, &request.officer_id));
  if (const nlohmann::json* fields = in.member("fields")) {
    PINGAN_ASSIGN_OR_RETURN(request.fields, ledger_fields_from_json(*fields, type, zone));
  }
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return request;
}

nlohmann::json ledger_type_to_json(const LedgerDefinition& type) {
  nlohmann::json fields = nlohmann::json::array(), states = nlohmann::json::array(),
                 steps = nlohmann::json::array(), deadlines = nlohmann::json::array();
  for (const LedgerField& f : type.fields()) fields.push_back(field_to_json(f));
  for (const LedgerState& s : type.states())
    states.push_back({{"code", s.code},
                      {"label", s.label},
                      {"initial", s.initial},
                      {"final", s.final},
                      {"counts_as", strings(s.counts_as)}});
  for (const LedgerStep& s : type.steps()) steps.push_back(step_to_json(s));
  for (const LedgerDeadline& d : type.deadlines()) deadlines.push_back(deadline_to_json(d));
  return {{"code", type.code()},
          {"label", type.label()},
          {"version", type.version()},
          {"who_may_create", strings(type.who_may_create())},
          {"fields", std::move(fields)},
          {"states", std::move(states)},
          {"steps", std::move(steps)},
          {"deadlines", std::move(deadlines)},
          {"tallies", strings(type.tallies())}};
}

nlohmann::json ledger_value_to_json(const LedgerField* field, const LedgerValue& value,
                                    const LedgerJsonView& view) {
  // A field the definition no longer names may have been personal: without
  // the reveal permission it is not shown at all.
  if (!field) return view.reveal ? nlohmann::json(ledger_value_text(value)) : nlohmann::json();
  if (field->kind == LedgerFieldKind::kPeople) {
    if (const auto* text = std::get_if<std::string>(&value)) return people_to_json(*text, view.reveal);
    return nlohmann::json();
  }
  if (field->personal && !view.reveal) {
    if (const auto* text = std::get_if<std::string>(&value)) return masked(*field->personal, *text);
    return nlohmann::json();
  }
  if (const auto* point = std::get_if<GeoPoint>(&value)) return {{"lat", point->lat}, {"lon", point->lon}};
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    if (field->kind == LedgerFieldKind::kDateTime) return format_local(*number, view.zone);
    return *number;
  }
  return std::get<std::string>(value);
}

nlohmann::json ledger_item_to_json(const LedgerItem& item, const LedgerDefinition& type,
                                   const LedgerJsonView& view) {
  nlohmann::json history = nlohmann::json::array();
  for (const LedgerHistoryEntry& e : item.history) history.push_back(history_to_json(e, type, view));
  nlohmann::json allowed = nlohmann::json::array();
  for (const LedgerStep* s : type.steps_from(item.state)) allowed.push_back({{"code", s->code}, {"label", s->label}});
  nlohmann::json out = {{"id", item.id},
                        {"type", item.type_code},
                        {"type_zh", type.label()},
                        {"type_version", item.type_version},
                        {"state", item.state},
                        {"state_zh", state_label(type, item.state)},
                        {"unit_code", item.unit_code},
                        {"officer_id", item.officer_id},
                        {"created_at", format_local(item.created_at, view.zone)},
                        {"updated_at", format_local(item.updated_at, view.zone)},
                        {"fields", fields_to_json(item.fields, type, view)},
                        {"steps_allowed", std::move(allowed)},
                        {"history", std::move(history)}};
  if (view.units) {
    if (const Unit* unit = view.units->find(item.unit_code)) out["unit_zh"] = unit->name;
  }
  return out;
}

nlohmann::json ledger_dues_to_json(const std::vector<LedgerDue>& dues, const TimeZone& zone) {
  nlohmann::json out = nlohmann::json::array();
  auto time_or_null = [&zone](const std::optional<Timestamp>& t) {
    return t ? nlohmann::json(format_local(*t, zone)) : nlohmann::json();
  };
  for (const LedgerDue& d : dues) {
    out.push_back({{"deadline", d.deadline ? d.deadline->code : ""},
                   {"label", d.deadline ? d.deadline->label : ""},
                   {"state", ledger_due_state_name(d.state)},
                   {"started_at", format_local(d.started_at, zone)},
                   {"due_at", format_local(d.due_at, zone)},
                   {"remind_at", time_or_null(d.remind_at)},
                   {"stopped_at", time_or_null(d.stopped_at)},
                   {"escalation", d.escalation ? nlohmann::json(d.escalation->code) : nlohmann::json()},
                   {"escalation_zh", d.escalation ? nlohmann::json(d.escalation->label) : nlohmann::json()},
                   {"escalation_level", d.escalation_level},
                   {"next_change_at", time_or_null(d.next_change_at)}});
  }
  return out;
}

}  // namespace pingan
