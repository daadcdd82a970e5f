#include "store/boundary_json.h"

#include <nlohmann/json.hpp>

namespace pingan::stored {

std::string boundary_to_json(const Boundary& b) {
  if (b.empty()) return {};
  nlohmann::json polys = nlohmann::json::array();
  for (const auto& poly : b.polygons()) {
    nlohmann::json rings = nlohmann::json::array();
    for (const auto& ring : poly) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : ring) pts.push_back({p.lon, p.lat});
      rings.push_back(std::move(pts));
    }
    polys.push_back(std::move(rings));
  }
  return polys.dump();
}

Boundary boundary_from_json(const std::string& text) {
  if (text.empty()) return {};
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return {};
  std::vector<Polygon> polys;
  for (const auto& jp : j) {
    Polygon poly;
    for (const auto& jr : jp) {
      Ring ring;
      for (const auto& pt : jr) ring.push_back(GeoPoint{pt[1].get<double>(), pt[0].get<double>()});
      poly.push_back(std::move(ring));
    }
    polys.push_back(std::move(poly));
  }
  return Boundary(std::move(polys));
}

}  // namespace pingan::stored
