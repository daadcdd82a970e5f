#include "http/json_reply.h"

namespace pingan {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse json_reply(int status, const nlohmann::json& value) {
  HttpResponse res;
  res.status = status;
  res.content_type = kJsonContentType;
  res.body = dump_json(value);
  return res;
}

}  // namespace pingan
