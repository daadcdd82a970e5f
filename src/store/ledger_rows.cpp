#include "store/ledger_rows.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "crypto/field_cipher.h"

namespace pingan::ledger_rows {

using nlohmann::json;

namespace {

std::string context_of(std::string_view code) {
  return fmt::format("ledger_items.fields.{}", code);
}

bool is_personal(const LedgerDefinition& definition, const std::string& code) {
  const LedgerField* f = definition.field(code);
  return f && f->personal.has_value();
}

// Tracks the key of the row's tokens: the key of the first token sealed
// ('' for plain text without a cipher); nullopt while nothing is personal.
struct Sealer {
  const LedgerDefinition& definition;
  const stored::PersonalFields& fields;
  std::optional<std::string> key;

  Result<json> value(const std::string& code, const LedgerValue& v) {
    if (is_personal(definition, code)) {
      if (const auto* text = std::get_if<std::string>(&v)) {
        PINGAN_ASSIGN_OR_RETURN(std::string token, fields.seal_text(*text, context_of(code)));
        if (!key) {
          auto parts = crypto::parse_token(token);
          key = crypto::is_sealed(token) && parts ? parts->key_id : std::string();
        }
        return json{{"sealed", std::move(token)}};
      }
    }
    if (const auto* text = std::get_if<std::string>(&v)) return json(*text);
    if (const auto* n = std::get_if<std::int64_t>(&v)) return json(*n);
    const GeoPoint& p = std::get<GeoPoint>(v);
    return json{{"lat", p.lat}, {"lon", p.lon}};
  }
};

Result<LedgerValue> value_of(const std::string& code, const json& j,
                             const stored::PersonalFields& fields, std::string_view what) {
  if (j.is_string()) return LedgerValue(j.get<std::string>());
  if (j.is_number_integer()) return LedgerValue(j.get<std::int64_t>());
  if (j.is_object() && j.contains("sealed") && j["sealed"].is_string()) {
    PINGAN_ASSIGN_OR_RETURN(std::string plain, fields.open_text(j["sealed"].get<std::string>(),
                                                                context_of(code), what));
    return LedgerValue(std::move(plain));
  }
  if (j.is_object() && j.contains("lat") && j.contains("lon") && j["lat"].is_number() &&
      j["lon"].is_number())
    return LedgerValue(GeoPoint{j["lat"].get<double>(), j["lon"].get<double>()});
  return Error::internal(
      fmt::format("{}: field '{}' holds {}, not a ledger value", what, code, j.dump()));
}

Result<json> parse(std::string_view text, std::string_view what, bool array) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || (array ? !j.is_array() : !j.is_object()))
    return Error::internal(fmt::format("{}: stored {} is not a JSON {}", what,
                                       array ? "changes" : "fields", array ? "array" : "object"));
  return j;
}

}  // namespace

Result<ItemRow> item_row(const LedgerDefinition& definition, const LedgerItem& item,
                         const LedgerOrigin& origin, const stored::PersonalFields& fields) {
  ItemRow r;
  r.id = item.id;
  r.type_code = item.type_code;
  r.type_version = item.type_version;
  r.unit_code = item.unit_code;
  r.officer_id = item.officer_id;
  r.state = item.state;
  r.created_at = item.created_at;
  r.updated_at = item.updated_at;
  r.source = origin.source;
  r.source_id = origin.source_id;
  Sealer sealer{definition, fields, std::nullopt};
  json out = json::object();
  for (const auto& [code, value] : item.fields) {
    PINGAN_ASSIGN_OR_RETURN(out[code], sealer.value(code, value));
  }
  r.fields = out.dump();
  r.personal_key = sealer.key;
  return r;
}

Result<LedgerItem> item_of(const ItemRow& row, const stored::PersonalFields& fields) {
  const std::string what = fmt::format("ledger item {}", row.id);
  LedgerItem item;
  item.id = row.id;
  item.type_code = row.type_code;
  item.type_version = static_cast<int>(row.type_version);
  item.unit_code = row.unit_code;
  item.officer_id = row.officer_id;
  item.state = row.state;
  item.created_at = row.created_at;
  item.updated_at = row.updated_at;
  PINGAN_ASSIGN_OR_RETURN(json j, parse(row.fields, what, false));
  for (const auto& [code, value] : j.items()) {
    PINGAN_ASSIGN_OR_RETURN(LedgerValue v, value_of(code, value, fields, what));
    item.fields.emplace(code, std::move(v));
  }
  return item;
}

Result<StepRow> step_row(const LedgerDefinition& definition, std::int64_t item_id, std::int64_t seq,
                         const LedgerHistoryEntry& entry, const stored::PersonalFields& fields) {
  StepRow r;
  r.item_id = item_id;
  r.seq = seq;
  r.step = entry.step;
  r.from_state = entry.from_state;
  r.to_state = entry.to_state;
  r.actor = entry.actor;
  r.at = entry.at;
  r.note = entry.note;
  r.unit_code = entry.unit_code;
  r.officer_id = entry.officer_id;
  Sealer sealer{definition, fields, std::nullopt};
  json changes = json::array();
  for (const LedgerFieldChange& c : entry.changes) {
    json one = json::object();
    one["field"] = c.field;
    if (c.before) {
      PINGAN_ASSIGN_OR_RETURN(one["before"], sealer.value(c.field, *c.before));
    }
    PINGAN_ASSIGN_OR_RETURN(one["after"], sealer.value(c.field, c.after));
    changes.push_back(std::move(one));
  }
  r.changes = changes.dump();
  return r;
}

Result<LedgerHistoryEntry> entry_of(const StepRow& row, const stored::PersonalFields& fields) {
  const std::string what = fmt::format("ledger item {}, history entry {}", row.item_id, row.seq);
  LedgerHistoryEntry e;
  e.step = row.step;
  e.from_state = row.from_state;
  e.to_state = row.to_state;
  e.actor = row.actor;
  e.at = row.at;
  e.note = row.note;
  e.unit_code = row.unit_code;
  e.officer_id = row.officer_id;
  PINGAN_ASSIGN_OR_RETURN(json j, parse(row.changes, what, true));
  for (const json& one : j) {
    if (!one.is_object() || !one.contains("field") || !one["field"].is_string() ||
        !one.contains("after"))
      return Error::internal(
          fmt::format("{}: a change is not {{field, after}}: {}", what, one.dump()));
    LedgerFieldChange c;
    c.field = one["field"].get<std::string>();
    if (one.contains("before")) {
      PINGAN_ASSIGN_OR_RETURN(c.before, value_of(c.field, one["before"], fields, what));
    }
    PINGAN_ASSIGN_OR_RETURN(c.after, value_of(c.field, one["after"], fields, what));
    e.changes.push_back(std::move(c));
  }
  return e;
}

}  // namespace pingan::ledger_rows
