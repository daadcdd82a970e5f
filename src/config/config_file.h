#pragma once
// Reading one configuration file: its text, its JSON, and where in it an
// error is, so that every refusal names the file, the line and the reason
// (field radius_m, "data/dispatch/duplicates.json:4: must be a positive number").
// The one place configuration files are read from disk; the layers below
// parse what this hands them.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan::config {

// The whole file; an error naming the path when it cannot be read.
Result<std::string> read_config_text(const std::string& path);

// JSON of a file's text; a syntax error says "path:line:column: reason".
Result<nlohmann::json> parse_config_json(std::string_view text, const std::string& path);

// The 1-based line of a field ("overrides[0].seconds.arrive": the key
// "arrive" after "seconds" after "overrides") in a JSON text; 0 when it
// cannot be found.
int line_of_field(std::string_view json_text, std::string_view field);

// `error` as a refusal of the file: its message begins "path:line: " (the
// line of its field; "path: " when not found), unless it names the path
// already. The field stays in error.field.
Error in_file(Error error, const std::string& path, std::string_view text);

}  // namespace pingan::config
