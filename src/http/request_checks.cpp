#include "http/request_checks.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <strings.h>

#include "http/query_string.h"

namespace pingan {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

Status check_framing(const HttpRequest& req) {
  const size_t lengths = req.header_count("Content-Length");
  if (lengths > 1)
    return Error::invalid("Content-Length", "is given more than once; send one Content-Length header");
  if (lengths == 1 && !all_digits(req.get_header_value("Content-Length")))
    return Error::invalid("Content-Length",
                          fmt::format("'{}' is not one decimal length", req.get_header_value("Content-Length")));
  const size_t encodings = req.header_count("Transfer-Encoding");
  if (encodings == 0) return {};
  if (lengths > 0)
    return Error::invalid("Transfer-Encoding",
                          "is sent together with Content-Length; send one of the two");
  if (encodings > 1 || !iequal(req.get_header_value("Transfer-Encoding"), "chunked"))
    return Error::invalid("Transfer-Encoding", "only 'chunked' is accepted");
  return {};
}

bool host_allowed(std::string_view host, const std::vector<std::string>& names) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && all_digits(rest.substr(1)))) return false;
    const std::string literal(host.substr(1, close - 1));
    in6_addr v6{};
    return inet_pton(AF_INET6, literal.c_str(), &v6) == 1;
  }
  std::string_view name = host;
  if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    if (!all_digits(host.substr(colon + 1))) return false;
    name = host.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return false;
  const std::string text(name);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return true;
  if (iequal(name, "localhost")) return true;
  for (const std::string& allowed : names)
    if (iequal(name, allowed)) return true;
  return false;
}

Status check_host(const HttpRequest& req, bool http_1_1, const std::vector<std::string>& names) {
  const size_t hosts = req.header_count("Host");
  if (hosts == 0) {
    if (http_1_1) return Error::invalid("Host", "an HTTP/1.1 request must name its Host");
    return {};
  }
  if (hosts > 1) return Error::invalid("Host", "is given more than once");
  const std::string host = req.get_header_value("Host");
  if (!host_allowed(host, names))
    return Error::invalid("Host",
                          fmt::format("'{}' is not a name of this server (serve --allowed-host adds one)", host));
  return {};
}

Status split_target(HttpRequest& req) {
  const std::string_view target = req.target;
  if (target.empty() || target.front() != '/')
    return Error::invalid("path", "the request target must be a path starting with '/'");
  const size_t q = target.find('?');
  PINGAN_ASSIGN_OR_RETURN(req.path, decode_path(target.substr(0, q)));
  if (q != std::string_view::npos) {
    const size_t hash = target.find('#', q);
    PINGAN_ASSIGN_OR_RETURN(req.params, parse_query(target.substr(q + 1, hash == std::string_view::npos ? hash : hash - q - 1)));
  }
  return {};
}

}  // namespace pingan
