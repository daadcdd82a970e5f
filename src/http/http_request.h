#pragma once
// One parsed HTTP request as the routes see it, independent of the server
// library: the method, the decoded path, the query parameters (decoded by
// query_string.h) and the header fields. Header names are compared without
// regard to case, as HTTP says.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pingan {

struct HttpRequest {
  std::string method;  // "GET", "POST" ...
  std::string target;  // as sent: "/api/incidents?limit=2"
  std::string path;    // percent-decoded path without the query: "/api/incidents"
  std::multimap<std::string, std::string> params;              // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // in the order sent
  std::string remote_address;                                  // the peer's IP address

  bool has_param(const std::string& key) const { return params.count(key) > 0; }
  std::size_t get_param_value_count(const std::string& key) const { return params.count(key); }
  // The `index`th value of `key`, empty when there is none.
  std::string get_param_value(const std::string& key, std::size_t index = 0) const;

  bool has_header(const std::string& name) const;
  // The first value of the header `name` (any case), empty when absent.
  std::string get_header_value(const std::string& name) const;
  std::size_t header_count(const std::string& name) const;
};

}  // namespace pingan
