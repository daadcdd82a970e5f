#include "http/json_reply.h"

#include <httplib.h>

namespace pingan {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_json(httplib::Response& res, const nlohmann::json& value) {
  res.set_content(dump_json(value), kJsonContentType);
}

}  // namespace pingan
