#pragma once
// Reading request JSON into domain values with errors that name the field.
// Every face that accepts JSON (HTTP today, import files later) uses these,
// so "location.lat must be a number, got string" reads the same everywhere.

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace pingan {

// The refusal of an "actor" member: the actor of a write is the signed-in
// user or token, never a field the client sends.
inline constexpr const char* kActorNotInBody =
    "is the signed-in user or API token; a request body cannot name it";

// Parses a request body. Malformed JSON (including invalid UTF-8 inside a
// string) gives invalid_argument on field "body" naming the byte position.
Result<nlohmann::json> parse_json_body(std::string_view text);

// "string", "number", "object", ... for messages.
const char* json_type_name(const nlohmann::json& value);

// Typed access to the members of one JSON object. A member that is absent or
// null counts as not given. Each accessor records the key, so reject_unknown()
// can refuse members nobody asked for (a misspelt "locaton" must not be
// silently dropped).
class JsonObjectReader {
 public:
  // Errors unless `value` is an object. `path` prefixes field names in errors
  // ("location" makes "location.lat"); empty for the top level.
  static Result<JsonObjectReader> open(const nlohmann::json& value, std::string path);

  Status read_string(std::string_view key, std::string* out, bool required = false);
  Status read_number(std::string_view key, std::optional<double>* out, bool required = false);
  // A time with an offset, or a naive local time read in `zone`.
  Status read_time(std::string_view key, std::optional<Timestamp>* out, const TimeZone& zone,
                   bool required = false);
  // The member itself, for nested objects and arrays; null when absent or null.
  const nlohmann::json* member(std::string_view key);

  // Errors naming the first member that no accessor asked for.
  Status reject_unknown() const;
  // The full field name of a key, as used in errors.
  std::string field(std::string_view key) const;

 private:
  JsonObjectReader(const nlohmann::json* object, std::string path)
      : object_(object), path_(std::move(path)) {}

  const nlohmann::json* object_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace pingan
