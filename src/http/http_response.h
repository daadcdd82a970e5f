#pragma once
// One answer as the routes and the server build it, independent of the
// server library: status, content type, body and extra header fields.

#include <string>
#include <utility>
#include <vector>

namespace pingan {

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this answer
};

}  // namespace pingan
