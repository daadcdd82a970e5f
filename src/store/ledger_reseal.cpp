#include "store/ledger_reseal.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "crypto/field_cipher.h"

namespace pingan::stored {

using nlohmann::json;

namespace {

// As store/ledger_rows.cpp seals them.
std::string context_of(std::string_view code) { return fmt::format("ledger_items.fields.{}", code); }

bool is_sealed_value(const json& j) { return j.is_object() && j.size() == 1 && j.contains("sealed") && j["sealed"].is_string(); }

// `j` re-sealed in place when it is a sealed value of field `code`; records
// the key of the first token made in `key`.
Status reseal_value(const PersonalFields& fields, const std::string& code, json& j, const std::string& what,
                    std::optional<std::string>& key) {
  if (!is_sealed_value(j)) return {};
  PINGAN_ASSIGN_OR_RETURN(std::string plain, fields.open_text(j["sealed"].get<std::string>(), context_of(code), what));
  PINGAN_ASSIGN_OR_RETURN(std::string token, fields.seal_text(plain, context_of(code)));
  if (!key) {
    auto parts = crypto::parse_token(token);
    key = crypto::is_sealed(token) && parts ? parts->key_id : std::string();
  }
  j["sealed"] = std::move(token);
  return {};
}

}  // namespace

Result<ResealedLedgerFields> reseal_ledger_fields(const PersonalFields& fields, std::int64_t item_id,
                                                  std::string_view stored) {
  const std::string what = fmt::format("ledger item {}", item_id);
  json j = json::parse(stored, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error::internal(fmt::format("{}: stored fields are not a JSON object", what));
  ResealedLedgerFields out;
  for (auto it = j.begin(); it != j.end(); ++it)
    PINGAN_RETURN_IF_ERROR(reseal_value(fields, it.key(), it.value(), what, out.key));
  out.fields = j.dump();
  return out;
}

Result<std::string> reseal_ledger_changes(const PersonalFields& fields, std::int64_t item_id, std::int64_t seq,
                                          std::string_view stored) {
  const std::string what = fmt::format("ledger item {}, history entry {}", item_id, seq);
  json j = json::parse(stored, nullptr, false);
  if (j.is_discarded() || !j.is_array())
    return Error::internal(fmt::format("{}: stored changes are not a JSON array", what));
  std::optional<std::string> key;
  for (json& change : j) {
    if (!change.is_object() || !change.contains("field") || !change["field"].is_string())
      return Error::internal(fmt::format("{}: a change is not {{field, after}}: {}", what, change.dump()));
    const std::string code = change["field"].get<std::string>();
    for (const char* side : {"before", "after"})
      if (change.contains(side)) PINGAN_RETURN_IF_ERROR(reseal_value(fields, code, change[side], what, key));
  }
  return j.dump();
}

}  // namespace pingan::stored
