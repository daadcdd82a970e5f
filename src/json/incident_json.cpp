#include "json/incident_json.h"

#include "core/personal_masks.h"
#include "json/json_fields.h"

namespace pingan {

nlohmann::json time_json(const std::optional<Timestamp>& ts, const TimeZone& zone) {
  if (!ts) return nullptr;
  return format_local(*ts, zone);
}

namespace {

nlohmann::json class_json(const std::string& code, const Taxonomy& taxonomy) {
  const IncidentClass* c = taxonomy.find_class(code);
  return {{"code", code}, {"name_zh", c ? c->name_zh : ""}};
}

nlohmann::json type_json(const std::string& code, const Taxonomy& taxonomy) {
  const IncidentType* t = taxonomy.find_type(code);
  return {{"code", code}, {"name_zh", t ? t->name_zh : ""}, {"name_en", t ? t->name_en : ""}};
}

nlohmann::json times_json(const Incident& inc, const TimeZone& zone) {
  nlohmann::json out = nlohmann::json::object();
  out["received_at"] = format_local(inc.reported_at, zone);
  for (IncidentStatus s : kAllStatuses)
    if (const auto* slot = inc.times.slot(s))
      out[std::string(status_name(s)) + "_at"] = time_json(*slot, zone);
  return out;
}

nlohmann::json followup_json(const std::optional<FollowUpTask>& task, const TimeZone& zone) {
  if (!task) return nullptr;
  return {{"assignee", task->assignee},
          {"deadline", format_local(task->deadline, zone)},
          {"assessment", task->assessment}};
}

}  // namespace

nlohmann::json incident_to_json(const Incident& inc, const IncidentJsonContext& ctx) {
  nlohmann::json out = {
      {"id", inc.id},
      {"source", inc.source},
      {"source_id", inc.source_id},
      {"case_number", inc.case_number},
      {"original_code", inc.original_code},
      {"reported_at", format_local(inc.reported_at, ctx.zone)},
      {"location", nullptr},
      {"address", inc.address},
      {"class", class_json(inc.class_code, ctx.taxonomy)},
      {"type", type_json(inc.type_code, ctx.taxonomy)},
      {"unit", inc.unit_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(inc.unit_code)},
      {"status", status_name(inc.status)},
      {"status_zh", status_name_zh(inc.status)},
      // Masked: the plain values go out only through reveal_json (issue 17).
      {"reporter_phone", mask_phone(inc.reporter_phone)},
      {"reporter_name", mask_name(inc.reporter_name)},
      {"reporter_id_number", mask_id_number(inc.reporter_id_number)},
      {"description", inc.description},
      {"times", times_json(inc, ctx.zone)},
      {"followup", followup_json(inc.followup, ctx.zone)},
      {"voided", inc.voided},
  };
  if (inc.location) out["location"] = {{"lat", inc.location->lat}, {"lon", inc.location->lon}};
  if (ctx.units && !inc.unit_code.empty())
    if (const Unit* u = ctx.units->find(inc.unit_code)) out["unit_name"] = u->name;
  if (inc.voided) out["void_reason"] = inc.void_reason;
  out["merged_into"] = inc.merged_into ? nlohmann::json(*inc.merged_into) : nlohmann::json(nullptr);
  return out;
}

Result<Incident> new_incident_from_json(const nlohmann::json& body, const TimeZone& zone,
                                        Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  Incident inc;
  PINGAN_RETURN_IF_ERROR(in.read_string("type", &inc.type_code, /*required=*/true));
  std::optional<Timestamp> reported;
  PINGAN_RETURN_IF_ERROR(in.read_time("reported_at", &reported, zone));
  inc.reported_at = reported.value_or(now);
  if (const nlohmann::json* loc = in.member("location")) {
    PINGAN_ASSIGN_OR_RETURN(JsonObjectReader l, JsonObjectReader::open(*loc, "location"));
    std::optional<double> lat, lon;
    PINGAN_RETURN_IF_ERROR(l.read_number("lat", &lat, true));
    PINGAN_RETURN_IF_ERROR(l.read_number("lon", &lon, true));
    PINGAN_RETURN_IF_ERROR(l.reject_unknown());
    inc.location = GeoPoint{*lat, *lon};
  }
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &inc.address));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &inc.unit_code));
  PINGAN_RETURN_IF_ERROR(in.read_string("reporter_phone", &inc.reporter_phone));
  PINGAN_RETURN_IF_ERROR(in.read_string("reporter_name", &inc.reporter_name));
  PINGAN_RETURN_IF_ERROR(in.read_string("reporter_id_number", &inc.reporter_id_number));
  PINGAN_RETURN_IF_ERROR(in.read_string("description", &inc.description));
  PINGAN_RETURN_IF_ERROR(in.read_string("source", &inc.source));
  PINGAN_RETURN_IF_ERROR(in.read_string("source_id", &inc.source_id));
  PINGAN_RETURN_IF_ERROR(in.read_string("case_number", &inc.case_number));
  PINGAN_RETURN_IF_ERROR(in.read_string("original_code", &inc.original_code));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return inc;
}

Result<TransitionRequest> transition_from_json(const nlohmann::json& body, const TimeZone& zone,
                                               const std::string& default_actor) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  TransitionRequest req;
  std::string to;
  PINGAN_RETURN_IF_ERROR(in.read_string("to", &to, /*required=*/true));
  auto status = parse_status(to);
  if (!status.ok()) return Error::invalid("to", status.error().message);
  req.to = *status;
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &req.at, zone));
  // Who moved it is who is signed in (issue 17), never what a body claims.
  if (in.member("actor")) return Error::invalid("actor", kActorNotInBody);
  req.actor = default_actor;
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &req.note));
  PINGAN_RETURN_IF_ERROR(in.read_string("assignee", &req.assignee));
  PINGAN_RETURN_IF_ERROR(in.read_time("deadline", &req.deadline, zone));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return req;
}

nlohmann::json reveal_json(const Incident& inc) {
  return {{"reporter_phone", inc.reporter_phone},
          {"reporter_name", inc.reporter_name},
          {"reporter_id_number", inc.reporter_id_number}};
}

nlohmann::json event_to_json(const IncidentEvent& ev, const TimeZone& zone) {
  nlohmann::json out = {
      {"incident_id", ev.incident_id},
      {"seq", ev.seq},
      {"from", nullptr},
      {"from_zh", nullptr},
      {"to", status_name(ev.to)},
      {"to_zh", status_name_zh(ev.to)},
      {"at", format_local(ev.at, zone)},
      {"actor", ev.actor},
      {"note", ev.note},
  };
  if (ev.from) {
    out["from"] = status_name(*ev.from);
    out["from_zh"] = status_name_zh(*ev.from);
  }
  return out;
}

}  // namespace pingan
