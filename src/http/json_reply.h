#pragma once
// Writing JSON bodies. Strings that reach a response are valid UTF-8 by the
// time they are stored, but a dump must never throw inside a handler, so
// invalid bytes are replaced rather than raised.

#include <nlohmann/json.hpp>

namespace httplib {
struct Response;
}

namespace pingan {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

std::string dump_json(const nlohmann::json& value);
void write_json(httplib::Response& res, const nlohmann::json& value);

}  // namespace pingan
