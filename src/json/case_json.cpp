#include "json/case_json.h"

#include <fmt/format.h>

#include <cmath>

#include "core/personal_masks.h"
#include "json/json_fields.h"

namespace pingan {

namespace {

nlohmann::json time_or_null(const std::optional<Timestamp>& t, const TimeZone& zone) {
  return t ? nlohmann::json(format_local(*t, zone)) : nlohmann::json();
}

// A whole, non-negative number within what a double holds exactly (ids,
// amounts in fen): 1.5 or 1e300 is refused, not rounded.
Status read_whole(JsonObjectReader& in, std::string_view key, std::optional<std::int64_t>* out, bool required) {
  std::optional<double> v;
  PINGAN_RETURN_IF_ERROR(in.read_number(key, &v, required));
  if (!v) return {};
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (*v < 0 || *v > kExact || std::floor(*v) != *v)
    return Error::invalid(in.field(key), fmt::format("must be a whole number from 0 to 2^53, got {}", *v));
  *out = static_cast<std::int64_t>(*v);
  return {};
}

Status read_bool(JsonObjectReader& in, std::string_view key, bool* out) {
  const nlohmann::json* v = in.member(key);
  if (!v) return {};
  if (!v->is_boolean()) return Error::invalid(in.field(key), fmt::format("must be true or false, got {}", json_type_name(*v)));
  *out = v->get<bool>();
  return {};
}

Status refuse_actor(JsonObjectReader& in) {
  if (in.member("actor")) return Error::invalid("actor", kActorNotInBody);
  return {};
}

// A time that defaults to now when the request leaves it out.
Result<Timestamp> time_or_now(JsonObjectReader& in, std::string_view key, const TimeZone& zone, Timestamp now) {
  std::optional<Timestamp> t;
  PINGAN_RETURN_IF_ERROR(in.read_time(key, &t, zone));
  return t.value_or(now);
}

}  // namespace

Result<CaseRecord> new_case_from_json(const nlohmann::json& body, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  CaseRecord c;
  c.source = "api";
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  PINGAN_RETURN_IF_ERROR(in.read_string("case_number", &c.case_number, true));
  c.source_id = c.case_number;
  PINGAN_RETURN_IF_ERROR(in.read_string("type", &c.type_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &c.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("summary", &c.summary));
  std::optional<Timestamp> opened;
  PINGAN_RETURN_IF_ERROR(in.read_time("opened_at", &opened, zone, true));
  c.opened_at = *opened;
  if (const nlohmann::json* ids = in.member("incident_ids")) {
    if (!ids->is_array()) return Error::invalid("incident_ids", "must be an array of incident ids");
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const nlohmann::json& id = (*ids)[i];
      if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
        return Error::invalid(fmt::format("incident_ids[{}]", i), "must be a positive incident id");
      c.incident_ids.push_back(id.get<std::int64_t>());
    }
  }
  if (const nlohmann::json* flags = in.member("flags")) {
    PINGAN_ASSIGN_OR_RETURN(JsonObjectReader f, JsonObjectReader::open(*flags, "flags"));
    PINGAN_RETURN_IF_ERROR(read_bool(f, "major", &c.flags.major));
    PINGAN_RETURN_IF_ERROR(read_bool(f, "gang", &c.flags.gang));
    PINGAN_RETURN_IF_ERROR(read_bool(f, "task_force", &c.flags.task_force));
    PINGAN_RETURN_IF_ERROR(read_bool(f, "homicide", &c.flags.homicide));
    PINGAN_RETURN_IF_ERROR(f.reject_unknown());
  }
  std::optional<std::int64_t> money;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "money_involved_fen", &money, false));
  c.money_involved_fen = money.value_or(0);
  PINGAN_RETURN_IF_ERROR(in.read_string("fraud_method", &c.fraud_method));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return c;
}

Result<CaseStepRequest> case_step_from_json(const nlohmann::json& body, const TimeZone& zone,
                                            const std::string& actor) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  CaseStepRequest req;
  std::string to;
  PINGAN_RETURN_IF_ERROR(in.read_string("to", &to, true));
  PINGAN_ASSIGN_OR_RETURN(req.to, parse_case_status(to, "to"));
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &req.at, zone));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &req.note));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  req.actor = actor;
  return req;
}

Result<Person> person_from_json(const nlohmann::json& value, const std::string& path) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(value, path));
  Person p;
  PINGAN_RETURN_IF_ERROR(in.read_string("name", &p.name, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("id_number", &p.id_number));
  PINGAN_RETURN_IF_ERROR(in.read_string("phone", &p.phone));
  PINGAN_RETURN_IF_ERROR(in.read_string("address", &p.address));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return p;
}

Result<PartyRequest> party_from_json(const nlohmann::json& body) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  PartyRequest req;
  const nlohmann::json* person = in.member("person");
  if (!person) return Error::invalid("person", "is required");
  PINGAN_ASSIGN_OR_RETURN(req.person, person_from_json(*person, "person"));
  std::string role;
  PINGAN_RETURN_IF_ERROR(in.read_string("role", &role, true));
  PINGAN_ASSIGN_OR_RETURN(req.role, parse_person_role(role, "role"));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return req;
}

Result<Measure> measure_from_json(const nlohmann::json& body, const TimeZone& zone, CaseId case_id,
                                  const std::string& actor, Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  Measure m;
  m.case_id = case_id;
  m.actor = actor;
  std::optional<std::int64_t> person;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "person_id", &person, true));
  m.person_id = *person;
  std::string kind;
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &kind, true));
  PINGAN_ASSIGN_OR_RETURN(m.kind, parse_measure_kind(kind, "kind"));
  PINGAN_ASSIGN_OR_RETURN(m.at, time_or_now(in, "at", zone, now));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &m.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &m.note));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return m;
}

Result<FraudMoneyEntry> money_from_json(const nlohmann::json& body, const TimeZone& zone, CaseId case_id,
                                        const std::string& actor, Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  FraudMoneyEntry e;
  e.case_id = case_id;
  e.actor = actor;
  std::string kind;
  PINGAN_RETURN_IF_ERROR(in.read_string("kind", &kind, true));
  PINGAN_ASSIGN_OR_RETURN(e.kind, parse_fraud_money_kind(kind, "kind"));
  // Read as a number first so that a negative amount is named as such.
  std::optional<double> raw;
  PINGAN_RETURN_IF_ERROR(in.read_number("amount_fen", &raw, true));
  if (*raw <= 0) return Error::invalid("amount_fen", fmt::format("must be more than 0 fen, got {}", *raw));
  std::optional<std::int64_t> amount;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "amount_fen", &amount, true));
  e.amount_fen = *amount;
  PINGAN_ASSIGN_OR_RETURN(e.at, time_or_now(in, "at", zone, now));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &e.unit_code, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &e.note));
  PINGAN_RETURN_IF_ERROR(read_bool(in, "override_limit", &e.override_limit));
  PINGAN_RETURN_IF_ERROR(in.read_string("override_reason", &e.override_reason));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return e;
}

Result<FugitiveRequest> fugitive_from_json(const nlohmann::json& body, const TimeZone& zone) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  FugitiveRequest req;
  PINGAN_RETURN_IF_ERROR(in.read_string("listing_number", &req.listing.listing_number, true));
  const nlohmann::json* person = in.member("person");
  if (!person) return Error::invalid("person", "is required");
  PINGAN_ASSIGN_OR_RETURN(req.person, person_from_json(*person, "person"));
  std::optional<Timestamp> listed;
  PINGAN_RETURN_IF_ERROR(in.read_time("listed_at", &listed, zone, true));
  req.listing.listed_at = *listed;
  PINGAN_RETURN_IF_ERROR(in.read_string("listing_unit", &req.listing.listing_unit, true));
  std::optional<std::int64_t> case_id;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "case_id", &case_id, false));
  if (case_id) req.listing.case_id = *case_id;
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return req;
}

Result<FugitiveStepRequest> fugitive_step_from_json(const nlohmann::json& body, const TimeZone& zone,
                                                    const std::string& actor) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  FugitiveStepRequest req;
  std::string to;
  PINGAN_RETURN_IF_ERROR(in.read_string("to", &to, true));
  PINGAN_ASSIGN_OR_RETURN(req.to, parse_fugitive_status(to, "to"));
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &req.at, zone));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &req.unit));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &req.note));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  req.actor = actor;
  return req;
}

Result<DissuasionTask> dissuasion_from_json(const nlohmann::json& body, const TimeZone& zone, Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  DissuasionTask t;
  PINGAN_RETURN_IF_ERROR(in.read_string("warning_number", &t.warning_number, true));
  PINGAN_RETURN_IF_ERROR(in.read_string("unit", &t.unit_code, true));
  PINGAN_ASSIGN_OR_RETURN(t.issued_at, time_or_now(in, "issued_at", zone, now));
  std::optional<std::int64_t> person;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "person_id", &person, false));
  if (person) t.person_id = *person;
  PINGAN_RETURN_IF_ERROR(in.read_string("target_phone", &t.target_phone));
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  return t;
}

Result<DissuasionStepRequest> dissuasion_step_from_json(const nlohmann::json& body, const TimeZone& zone,
                                                        const std::string& actor) {
  PINGAN_ASSIGN_OR_RETURN(JsonObjectReader in, JsonObjectReader::open(body, ""));
  PINGAN_RETURN_IF_ERROR(refuse_actor(in));
  DissuasionStepRequest req;
  std::string to;
  PINGAN_RETURN_IF_ERROR(in.read_string("to", &to, true));
  PINGAN_ASSIGN_OR_RETURN(req.to, parse_dissuasion_status(to, "to"));
  PINGAN_RETURN_IF_ERROR(in.read_time("at", &req.at, zone));
  PINGAN_RETURN_IF_ERROR(in.read_string("note", &req.note));
  std::optional<std::int64_t> case_id;
  PINGAN_RETURN_IF_ERROR(read_whole(in, "case_id", &case_id, false));
  if (case_id) req.case_id = *case_id;
  PINGAN_RETURN_IF_ERROR(in.reject_unknown());
  req.actor = actor;
  return req;
}

nlohmann::json case_to_json(const CaseRecord& c, const CaseRules& rules, const TimeZone& zone) {
  const CaseType* type = rules.types.find_type(c.type_code);
  const FraudMethod* method = rules.fraud_methods.find(c.fraud_method);
  nlohmann::json times = nlohmann::json::object();
  times["opened_at"] = format_local(c.opened_at, zone);
  for (CaseStatus s : kAllCaseStatuses)
    if (const auto* t = c.times.slot(s)) times[std::string(case_status_name(s)) + "_at"] = time_or_null(*t, zone);
  return {{"id", c.id},
          {"case_number", c.case_number},
          {"source", c.source},
          {"type", c.type_code},
          {"type_zh", type ? type->name_zh : std::string()},
          {"class", case_class_name(c.case_class)},
          {"class_zh", case_class_name_zh(c.case_class)},
          {"unit", c.unit_code},
          {"summary", c.summary},
          {"status", case_status_name(c.status)},
          {"status_zh", case_status_name_zh(c.status)},
          {"times", std::move(times)},
          {"incident_ids", c.incident_ids},
          {"flags",
           {{"major", c.flags.major}, {"gang", c.flags.gang}, {"task_force", c.flags.task_force},
            {"homicide", c.flags.homicide}}},
          {"money_involved_fen", c.money_involved_fen},
          {"fraud_method", c.fraud_method.empty() ? nlohmann::json() : nlohmann::json(c.fraud_method)},
          {"fraud_method_zh", method ? nlohmann::json(method->name_zh) : nlohmann::json()}};
}

nlohmann::json person_masked_json(const Person& p) {
  nlohmann::json out = {{"id", p.id},
                        {"name", mask_name(p.name)},
                        {"id_number", mask_id_number(p.id_number)},
                        {"phone", mask_phone(p.phone)},
                        {"address", mask_address(p.address)}};
  // The birth date stays masked with the number it comes from.
  out["sex"] = p.sex ? nlohmann::json(sex_name(*p.sex)) : nlohmann::json();
  return out;
}

nlohmann::json measure_to_json(const Measure& m, const TimeZone& zone) {
  return {{"id", m.id},
          {"case_id", m.case_id},
          {"person_id", m.person_id},
          {"kind", measure_kind_name(m.kind)},
          {"kind_zh", measure_kind_name_zh(m.kind)},
          {"at", format_local(m.at, zone)},
          {"unit", m.unit_code},
          {"actor", m.actor},
          {"note", m.note}};
}

nlohmann::json money_to_json(const FraudMoneyEntry& e, const TimeZone& zone) {
  return {{"id", e.id},
          {"case_id", e.case_id},
          {"kind", fraud_money_kind_name(e.kind)},
          {"kind_zh", fraud_money_kind_name_zh(e.kind)},
          {"amount_fen", e.amount_fen},
          {"at", format_local(e.at, zone)},
          {"unit", e.unit_code},
          {"actor", e.actor},
          {"note", e.note},
          {"override_limit", e.override_limit},
          {"override_reason", e.override_reason}};
}

nlohmann::json case_detail_json(const CaseBundle& bundle, const std::map<PersonId, Person>& persons,
                                const CaseRules& rules, const TimeZone& zone) {
  nlohmann::json out = case_to_json(bundle.record, rules, zone);
  nlohmann::json parties = nlohmann::json::array();
  for (const CaseParty& p : bundle.parties) {
    auto it = persons.find(p.person_id);
    parties.push_back({{"person", it != persons.end() ? person_masked_json(it->second) : nlohmann::json()},
                       {"person_id", p.person_id},
                       {"role", person_role_name(p.role)},
                       {"role_zh", person_role_name_zh(p.role)},
                       {"added_at", format_local(p.added_at, zone)},
                       {"actor", p.actor}});
  }
  out["parties"] = std::move(parties);
  nlohmann::json measures = nlohmann::json::array();
  for (const Measure& m : bundle.measures) measures.push_back(measure_to_json(m, zone));
  out["measures"] = std::move(measures);
  nlohmann::json money = nlohmann::json::array();
  const FraudMoneyTotals totals = fraud_money_totals(bundle.money, bundle.record.id);
  for (const FraudMoneyEntry& e : bundle.money) money.push_back(money_to_json(e, zone));
  out["money"] = {{"entries", std::move(money)},
                  {"stopped_fen", totals.stopped},
                  {"frozen_fen", totals.frozen},
                  {"returned_fen", totals.returned}};
  return out;
}

nlohmann::json fugitive_to_json(const Fugitive& f, const TimeZone& zone) {
  return {{"id", f.id},
          {"listing_number", f.listing_number},
          {"person_id", f.person_id},
          {"case_id", f.case_id ? nlohmann::json(*f.case_id) : nlohmann::json()},
          {"listed_at", format_local(f.listed_at, zone)},
          {"listing_unit", f.listing_unit},
          {"status", fugitive_status_name(f.status)},
          {"status_zh", fugitive_status_name_zh(f.status)},
          {"caught_at", time_or_null(f.caught_at, zone)},
          {"caught_by_unit", f.caught_by_unit},
          {"revoked_at", time_or_null(f.revoked_at, zone)},
          {"revoke_reason", f.revoke_reason}};
}

nlohmann::json dissuasion_to_json(const DissuasionTask& t, const TimeZone& zone) {
  nlohmann::json times = nlohmann::json::object();
  times["issued_at"] = format_local(t.issued_at, zone);
  for (DissuasionStatus s : kAllDissuasionStatuses)
    if (const auto* slot = t.times.slot(s))
      times[std::string(dissuasion_status_name(s)) + "_at"] = time_or_null(*slot, zone);
  return {{"id", t.id},
          {"warning_number", t.warning_number},
          {"unit", t.unit_code},
          {"person_id", t.person_id ? nlohmann::json(*t.person_id) : nlohmann::json()},
          {"target_phone", mask_phone(t.target_phone)},
          {"status", dissuasion_status_name(t.status)},
          {"status_zh", dissuasion_status_name_zh(t.status)},
          {"times", std::move(times)},
          {"case_id", t.case_id ? nlohmann::json(*t.case_id) : nlohmann::json()}};
}

}  // namespace pingan
