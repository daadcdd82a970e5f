#pragma once
// Checks on a request's head made before any route sees it: how its body is
// framed, and whether it was sent to one of this server's names. Pure
// functions over the parsed head, so that they can be fuzzed and tested
// without a socket.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/http_request.h"

namespace pingan {

// Refuses ambiguous framing, the start of request smuggling behind a proxy:
// Content-Length given twice (even with one value) or as a list,
// Content-Length together with Transfer-Encoding, a Transfer-Encoding other
// than exactly "chunked".
Status check_framing(const HttpRequest& req);

// Whether the Host header names this server: an IP literal (v4 or [v6]),
// "localhost", or one of `names` (case-insensitive; a port is ignored). A
// server reached under any other name is being reached through DNS
// rebinding or a misconfigured proxy. HTTP/1.0 requests may leave Host out.
Status check_host(const HttpRequest& req, bool http_1_1, const std::vector<std::string>& names);
bool host_allowed(std::string_view host, const std::vector<std::string>& names);

// Splits the target into the decoded path and query parameters; refuses a
// target that is not origin-form ("/..."), or that does not decode.
Status split_target(HttpRequest& req);

}  // namespace pingan
