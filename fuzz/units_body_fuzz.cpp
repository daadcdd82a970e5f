// The body of POST /api/units (a JSON array of units or a GeoJSON
// FeatureCollection): units_from_json, Engine::upsert_units, and the
// geometry every later lookup runs on the boundaries (contains, centroid,
// area). Checked: refusals are invalid_argument naming a field; each unit
// accepted is in the tree afterwards as sent, its boundary point for point.

#include <cstddef>
#include <cstdint>
#include <map>

#include "fuzz_support.h"
#include "json/json_fields.h"
#include "json/unit_json.h"

namespace {

bool same_boundary(const pingan::Boundary& a, const pingan::Boundary& b) {
  if (a.polygons().size() != b.polygons().size()) return false;
  for (std::size_t i = 0; i < a.polygons().size(); ++i) {
    const auto& pa = a.polygons()[i];
    const auto& pb = b.polygons()[i];
    if (pa.size() != pb.size()) return false;
    for (std::size_t r = 0; r < pa.size(); ++r) {
      if (pa[r].size() != pb[r].size()) return false;
      for (std::size_t k = 0; k < pa[r].size(); ++k)
        if (pa[r][k].lat != pb[r][k].lat || pa[r][k].lon != pb[r][k].lon) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  Result<nlohmann::json> body = parse_json_body(fuzz::as_text(data, size));
  if (!body.ok()) return 0;
  Result<std::vector<Unit>> units = units_from_json(*body);
  if (!units.ok()) {
    fuzz::check(units.error().code == ErrorCode::kInvalidArgument && !units.error().field.empty(),
                "a refused body names its field");
    return 0;
  }
  for (const Unit& u : *units) {
    const Boundary& b = u.boundary;
    volatile bool inside =
        b.contains(b.bbox().min_lat <= b.bbox().max_lat ? b.centroid() : GeoPoint{0, 0});
    volatile double area = b.area_m2();
    (void)inside;
    (void)area;
    fuzz::check(!unit_to_json(u, true).dump().empty(), "a unit serialises");
  }
  auto engine = fuzz::fresh_engine();
  Status st = engine->upsert_units(*units);
  if (!st.ok()) {
    fuzz::check(st.error().code == ErrorCode::kInvalidArgument,
                "a refused batch is invalid_argument");
    fuzz::check(engine->units()->units().empty(), "a refused batch changes nothing");
    return 0;
  }
  std::map<std::string, const Unit*> last;  // a code given twice: the later one wins
  for (const Unit& u : *units) last[u.code] = &u;
  auto tree = engine->units();
  for (const auto& [code, sent] : last) {
    const Unit* kept = tree->find(code);
    fuzz::check(kept != nullptr, "an upserted unit is in the tree");
    fuzz::check(kept->name == sent->name && kept->kind == sent->kind &&
                    kept->parent_code == sent->parent_code,
                "a unit reads back as sent");
    if (!sent->boundary.empty())
      fuzz::check(same_boundary(kept->boundary, sent->boundary), "the boundary reads back");
  }
  return 0;
}
