#pragma once
// Finding the route for a method and path. Paths are matched segment by
// segment against the routes' OpenAPI-style paths ("/api/incidents/{id}"): a
// placeholder takes one whole non-empty segment, decoded after matching, so
// an escaped '/' (%2F) inside a call sign stays inside its parameter.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/route.h"

namespace pingan {

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> path_params;  // decoded, in order
  };
  // The route serving `method` at `raw_path` (still percent-encoded), or
  // empty. A placeholder value that does not decode is an error naming it.
  Result<std::optional<Match>> find(std::string_view method, std::string_view raw_path) const;
  // The methods served at `raw_path` (for "this path serves GET").
  std::set<std::string> methods_at(std::string_view raw_path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Pattern {
    std::vector<std::string> segments;  // literal text, or the placeholder's name
    std::vector<bool> is_param;
  };
  bool matches(const Pattern& p, const std::vector<std::string_view>& parts) const;

  std::vector<Route> routes_;
  std::vector<Pattern> patterns_;  // patterns_[i] for routes_[i]
};

// 404 naming the method and path, and the methods the path serves if any.
Error no_route_error(const Router& router, const std::string& method, std::string_view raw_path);

}  // namespace pingan
