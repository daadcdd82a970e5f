#include "http/http_request.h"

#include <strings.h>

namespace pingan {
namespace {

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string HttpRequest::get_param_value(const std::string& key, std::size_t index) const {
  auto [first, last] = params.equal_range(key);
  for (auto it = first; it != last; ++it, --index)
    if (index == 0) return it->second;
  return "";
}

bool HttpRequest::has_header(const std::string& name) const { return header_count(name) > 0; }

std::string HttpRequest::get_header_value(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (same_name(n, name)) return v;
  return "";
}

std::size_t HttpRequest::header_count(const std::string& name) const {
  std::size_t n = 0;
  for (const auto& h : headers) n += same_name(h.first, name);
  return n;
}

}  // namespace pingan
