#include "core/ledger_json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/ledger_definition.h"
#include "core/text_limits.h"

namespace pingan::ledger_json {

Result<json> parse_strict(std::string_view text, const std::string& origin) {
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  auto watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    else if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    else if (event == json::parse_event_t::key && !open_objects.empty() &&
             !open_objects.back().insert(parsed.get<std::string>()).second && repeated.empty())
      repeated = parsed.get<std::string>();
    return true;
  };
  json doc;
  try {
    doc = json::parse(text.begin(), text.end(), watch);
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (auto cut = what.find("] "); cut != std::string::npos) what = what.substr(cut + 2);
    return Error::invalid("ledger", fmt::format("{}: not valid JSON: {}", origin, what));
  }
  if (!repeated.empty())
    return Error::invalid(repeated, fmt::format("{}: key '{}' appears twice in one object", origin, repeated));
  return doc;
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string at(const std::string& path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

Error Reader::fail(const std::string& path, std::string_view why) const {
  return Error::invalid(path, fmt::format("{}: {}: {}", origin, path.empty() ? "top level" : path, why));
}

Status Reader::object(const json& value, const std::string& path,
                      std::initializer_list<std::string_view> known) const {
  if (!value.is_object()) return fail(path, "must be a JSON object");
  for (const auto& [key, member] : value.items()) {
    if (key == "comment") {
      if (!member.is_string()) return fail(join(path, key), "a comment is text");
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list = "comment";
      for (std::string_view k : known) list += fmt::format(", {}", k);
      return fail(join(path, key), fmt::format("unknown key '{}' (known: {})", key, list));
    }
  }
  return {};
}

Result<std::string> Reader::optional_text(const json& object, std::string_view key, const std::string& path,
                                          std::size_t max_chars) const {
  std::string where = join(path, key);
  auto it = object.find(key);
  if (it == object.end()) return std::string();
  if (!it->is_string()) return fail(where, "must be text");
  std::string value = it->get<std::string>();
  if (value.empty()) return fail(where, "must not be empty");
  Status length = check_length(where, value, max_chars);
  if (!length.ok()) return fail(where, length.error().message);
  return value;
}

Result<std::string> Reader::text(const json& object, std::string_view key, const std::string& path,
                                 std::size_t max_chars) const {
  if (!object.contains(key)) return fail(join(path, key), "is required");
  return optional_text(object, key, path, max_chars);
}

Result<std::string> Reader::code(const json& object, std::string_view key, const std::string& path) const {
  PINGAN_ASSIGN_OR_RETURN(std::string value, text(object, key, path, kMaxCodeChars));
  if (!is_ledger_code(value))
    return fail(join(path, key), fmt::format("'{}' is not a code (lower-case letters, digits and '_', "
                                             "starting with a letter)", value));
  return value;
}

Result<bool> Reader::flag(const json& object, std::string_view key, const std::string& path,
                          bool fallback) const {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_boolean()) return fail(join(path, key), "must be true or false");
  return it->get<bool>();
}

Result<std::optional<std::int64_t>> Reader::integer(const json& object, std::string_view key,
                                                    const std::string& path) const {
  auto it = object.find(key);
  if (it == object.end()) return std::optional<std::int64_t>();
  if (it->is_number_integer()) return std::optional<std::int64_t>(it->get<std::int64_t>());
  if (it->is_number_unsigned())
    return fail(join(path, key), fmt::format("{} is too large", it->dump()));
  return fail(join(path, key), fmt::format("{} is not a whole number", it->dump()));
}

Result<std::vector<std::string>> Reader::code_list(const json& object, std::string_view key,
                                                   const std::string& path, bool non_empty, bool grants) const {
  std::string where = join(path, key);
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) {
    if (non_empty) return fail(where, "is required");
    return out;
  }
  if (!it->is_array()) return fail(where, "must be a list");
  if (non_empty && it->empty()) return fail(where, "must not be empty");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& entry = (*it)[i];
    std::string item_path = at(where, i);
    if (!entry.is_string()) return fail(item_path, fmt::format("{} is not text", entry.dump()));
    std::string value = entry.get<std::string>();
    if (grants ? !is_ledger_grant_name(value) : !is_ledger_code(value))
      return fail(item_path, grants ? fmt::format("'{}' is not a role or permission name", value)
                                    : fmt::format("'{}' is not a code", value));
    if (std::find(out.begin(), out.end(), value) != out.end())
      return fail(item_path, fmt::format("'{}' is listed twice", value));
    out.push_back(std::move(value));
  }
  return out;
}

Result<std::int64_t> Reader::duration(const json& object, std::string_view key, const std::string& path,
                                      std::int64_t fallback) const {
  std::string where = join(path, key);
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_string()) return fail(where, fmt::format("{} is not a duration such as \"72h\" or \"15d\"", it->dump()));
  Result<std::int64_t> seconds = parse_ledger_duration(it->get<std::string>(), where);
  if (!seconds.ok()) return fail(where, seconds.error().message);
  return seconds;
}

}  // namespace pingan::ledger_json
