#include "http/router.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "http/query_string.h"

namespace pingan {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const Route& r : routes_) {
    Pattern p;
    for (std::string_view part : split_path(r.path)) {
      const bool param = part.size() >= 2 && part.front() == '{' && part.back() == '}';
      p.segments.emplace_back(param ? part.substr(1, part.size() - 2) : part);
      p.is_param.push_back(param);
    }
    patterns_.push_back(std::move(p));
  }
}

bool Router::matches(const Pattern& p, const std::vector<std::string_view>& parts) const {
  if (parts.size() != p.segments.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (p.is_param[i] ? parts[i].empty() : parts[i] != p.segments[i]) return false;
  }
  return true;
}

Result<std::optional<Router::Match>> Router::find(std::string_view method, std::string_view raw_path) const {
  const std::vector<std::string_view> parts = split_path(raw_path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != method || !matches(patterns_[i], parts)) continue;
    Match m{&routes_[i], {}};
    for (size_t k = 0; k < parts.size(); ++k) {
      if (!patterns_[i].is_param[k]) continue;
      auto value = decode_path(parts[k]);
      if (!value.ok()) return Error::invalid(patterns_[i].segments[k], value.error().message);
      m.path_params.push_back(std::move(value).value());
    }
    return std::optional<Match>(std::move(m));
  }
  return std::optional<Match>();
}

std::set<std::string> Router::methods_at(std::string_view raw_path) const {
  const std::vector<std::string_view> parts = split_path(raw_path);
  std::set<std::string> methods;
  for (size_t i = 0; i < routes_.size(); ++i)
    if (matches(patterns_[i], parts)) methods.insert(routes_[i].method);
  return methods;
}

Error no_route_error(const Router& router, const std::string& method, std::string_view raw_path) {
  auto path = decode_path(raw_path);
  Error error = Error::not_found(fmt::format("no route for {} {}", method, path.ok() ? *path : std::string(raw_path)));
  std::set<std::string> methods = router.methods_at(raw_path);
  methods.erase(method);
  if (!methods.empty()) error.message += fmt::format("; this path serves {}", fmt::join(methods, ", "));
  return error;
}

}  // namespace pingan
