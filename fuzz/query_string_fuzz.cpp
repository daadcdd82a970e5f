// Request targets ("/api/patrol-units/%E8%A5%BF?unit=PA-S01&status=a+b"):
// decode_path and parse_query (http/query_string.h), and the router that
// matches the raw path against every route of the API and decodes its
// placeholders (http/router.h). The first byte picks GET or POST.
//
// Checked: whatever is accepted decodes to valid UTF-8 without NUL bytes;
// keys and values encoded again parse back to the same parameters; a route
// found has the method asked for and one decoded value per placeholder.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/text.h"
#include "fuzz_support.h"
#include "http/api_routes.h"
#include "http/query_string.h"
#include "http/router.h"

namespace {

using namespace pingan;

std::string percent_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool clean(const std::string& s) { return s.find('\0') == std::string::npos && is_valid_utf8(s); }

// Every route the API serves; the handlers are never called.
const Router& router() {
  static std::unique_ptr<Engine> engine = fuzz::fresh_engine();
  static ApiContext ctx{*engine, nlohmann::json(), std::string()};
  static const Router r = [] {
    std::vector<Route> all;
    for (auto group :
         {incident_routes(ctx), unit_routes(ctx), meta_routes(ctx), rising_routes(ctx),
          stats_routes(ctx), hotspot_routes(ctx), response_routes(ctx), duplicate_routes(ctx),
          dispatch_routes(ctx), patrol_record_routes(ctx), admin_routes(ctx)})
      for (Route& route : group) all.push_back(std::move(route));
    return Router(std::move(all));
  }();
  return r;
}

std::size_t placeholders(const std::string& path) {
  std::size_t n = 0;
  for (char c : path) n += c == '{';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string method = data[0] & 1 ? "POST" : "GET";
  const std::string_view target = fuzz::as_text(data + 1, size - 1);
  const std::size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  if (auto path = decode_path(raw_path); path.ok()) {
    fuzz::check(clean(*path) && path->size() <= raw_path.size(),
                "a decoded path is UTF-8 without NUL");
  } else {
    fuzz::check(path.error().code == ErrorCode::kInvalidArgument && path.error().field == "path",
                "a refused path is invalid_argument on field path");
  }

  if (auto params = parse_query(query); params.ok()) {
    std::string again;
    for (const auto& [key, value] : *params) {
      fuzz::check(clean(key) && clean(value), "decoded parameters are UTF-8 without NUL");
      again += (again.empty() ? "" : "&") + percent_encode(key) + "=" + percent_encode(value);
    }
    auto reparsed = parse_query(again);
    fuzz::check(reparsed.ok() && *reparsed == *params,
                "parameters encoded again parse back the same");
  } else {
    fuzz::check(params.error().code == ErrorCode::kInvalidArgument && !params.error().field.empty(),
                "a refused query names the parameter");
  }

  auto found = router().find(method, raw_path);
  if (!found.ok()) {
    fuzz::check(found.error().code == ErrorCode::kInvalidArgument,
                "an undecodable placeholder is invalid_argument");
  } else if (*found) {
    const Router::Match& m = **found;
    fuzz::check(m.route->method == method, "the route has the method asked for");
    fuzz::check(m.path_params.size() == placeholders(m.route->path), "one value per placeholder");
    for (const std::string& p : m.path_params)
      fuzz::check(clean(p) && !p.empty(), "placeholders decode cleanly");
  } else {
    fuzz::check(no_route_error(router(), method, raw_path).code == ErrorCode::kNotFound,
                "no route is not_found");
  }
  return 0;
}
