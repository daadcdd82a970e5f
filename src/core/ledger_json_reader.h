#pragma once
// The strict JSON reading the ledger definition parser shares between its
// files (ledger_definition.cpp, ledger_fields.cpp, ledger_deadlines.cpp).
// Not a public API: every error is Error::invalid(path, "<origin>: why").

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan {
struct LedgerField;
struct LedgerDeadline;
}  // namespace pingan

namespace pingan::ledger_json {

using nlohmann::json;

// The file's text as a document; a key repeated in one object is refused
// (the library would silently keep the last).
Result<json> parse_strict(std::string_view text, const std::string& origin);

// "fields[2].code"
std::string join(const std::string& path, std::string_view key);
std::string at(const std::string& path, std::size_t index);

struct Reader {
  const std::string& origin;

  Error fail(const std::string& path, std::string_view why) const;

  // `value` is an object whose keys are all in `known` ("comment" is always allowed).
  Status object(const json& value, const std::string& path, std::initializer_list<std::string_view> known) const;

  // A required non-empty string member, at most `max_chars` characters of valid UTF-8.
  Result<std::string> text(const json& object, std::string_view key, const std::string& path,
                           std::size_t max_chars) const;
  // The same, but absent is "".
  Result<std::string> optional_text(const json& object, std::string_view key, const std::string& path,
                                    std::size_t max_chars) const;
  // A required code member (is_ledger_code).
  Result<std::string> code(const json& object, std::string_view key, const std::string& path) const;
  // An optional boolean member, `fallback` when absent.
  Result<bool> flag(const json& object, std::string_view key, const std::string& path, bool fallback) const;
  // An optional whole number member.
  Result<std::optional<std::int64_t>> integer(const json& object, std::string_view key,
                                              const std::string& path) const;
  // An optional list of codes (or of grant names when `grants`); repeated
  // entries refused; `non_empty` when the list must be given and not empty.
  Result<std::vector<std::string>> code_list(const json& object, std::string_view key, const std::string& path,
                                             bool non_empty, bool grants = false) const;
  // An optional duration member ("72h"), `fallback` seconds when absent.
  Result<std::int64_t> duration(const json& object, std::string_view key, const std::string& path,
                                std::int64_t fallback) const;
};

// One entry of "fields" (ledger_fields.cpp): its own keys only.
Result<LedgerField> read_field(const Reader& reader, const json& value, const std::string& path);
// One entry of "deadlines" (ledger_deadlines.cpp): its own keys only; the
// states and steps it names are checked by the caller, which knows them.
Result<LedgerDeadline> read_deadline(const Reader& reader, const json& value, const std::string& path);

}  // namespace pingan::ledger_json
