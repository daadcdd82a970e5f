#include "json/json_fields.h"

#include <fmt/format.h>

#include <cmath>

namespace pingan {

Result<nlohmann::json> parse_json_body(std::string_view text) {
  if (text.empty())
    return Error::invalid("body", "the request body is empty; a JSON document is expected");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() carries "[json.exception.parse_error.101] parse error at line 1,
    // column 9: ..."; the byte offset is the part a client can act on.
    std::string what = e.what();
    auto cut = what.find("] ");
    if (cut != std::string::npos) what = what.substr(cut + 2);
    return Error::invalid("body", fmt::format("malformed JSON at byte {}: {}", e.byte, what));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number no double holds (1e999) is the client's error too, not a 500.
    std::string what = e.what();
    auto cut = what.find("] ");
    if (cut != std::string::npos) what = what.substr(cut + 2);
    return Error::invalid("body", fmt::format("JSON number out of range: {}", what));
  }
}

const char* json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "object";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::binary:
      return "binary";
    case nlohmann::json::value_t::discarded:
      return "discarded";
  }
  return "unknown";
}

Result<JsonObjectReader> JsonObjectReader::open(const nlohmann::json& value, std::string path) {
  if (!value.is_object())
    return Error::invalid(path.empty() ? "body" : path,
                          fmt::format("must be a JSON object, got {}", json_type_name(value)));
  return JsonObjectReader(&value, std::move(path));
}

std::string JsonObjectReader::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const nlohmann::json* JsonObjectReader::member(std::string_view key) {
  seen_.emplace(key);
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status JsonObjectReader::read_string(std::string_view key, std::string* out, bool required) {
  const nlohmann::json* v = member(key);
  if (!v) {
    if (required) return Error::invalid(field(key), "is required");
    return {};
  }
  if (!v->is_string())
    return Error::invalid(field(key), fmt::format("must be a string, got {}", json_type_name(*v)));
  *out = v->get<std::string>();
  return {};
}

Status JsonObjectReader::read_number(std::string_view key, std::optional<double>* out,
                                     bool required) {
  const nlohmann::json* v = member(key);
  if (!v) {
    if (required) return Error::invalid(field(key), "is required");
    return {};
  }
  if (!v->is_number())
    return Error::invalid(field(key), fmt::format("must be a number, got {}", json_type_name(*v)));
  double d = v->get<double>();
  if (!std::isfinite(d)) return Error::invalid(field(key), "must be a finite number");
  *out = d;
  return {};
}

Status JsonObjectReader::read_time(std::string_view key, std::optional<Timestamp>* out,
                                   const TimeZone& zone, bool required) {
  std::string text;
  PINGAN_RETURN_IF_ERROR(read_string(key, &text, required));
  if (text.empty()) {
    if (required) return Error::invalid(field(key), "is required");
    return {};
  }
  auto ts = parse_iso8601(text, &zone);
  if (!ts.ok()) return Error::invalid(field(key), ts.error().message);
  *out = *ts;
  return {};
}

Status JsonObjectReader::reject_unknown() const {
  for (const auto& [key, value] : object_->items()) {
    if (seen_.count(key)) continue;
    // {"": 1} has no name to blame: the object holding it is named instead.
    if (key.empty())
      return Error::invalid(path_.empty() ? "body" : path_, "has a member with an empty name");
    return Error::invalid(field(key), "is not a known field");
  }
  return {};
}

}  // namespace pingan
