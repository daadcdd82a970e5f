// See demo_registry.h.

#include "ingest/demo_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "core/credit_code.h"
#include "core/id_number.h"
#include "ingest/demo_geography.h"
#include "ingest/demo_random.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {
namespace {

// Places in the whole district by category (codes of
// data/registry/place_categories.csv): the counts a district of about half
// a million residents registers.
struct CategoryCount {
  std::string_view code;
  int count;
};
constexpr CategoryCount kPlaceCounts[] = {
    {"hotel", 45},          {"pawnshop", 6},           {"scrap_metal", 10},       {"second_hand_phones", 12},
    {"locksmith", 15},      {"seal_engraving", 5},     {"ktv", 25},               {"dance_hall", 4},
    {"internet_cafe", 30},  {"bathhouse", 12},         {"foot_massage", 40},      {"bar", 15},
    {"game_hall", 6},       {"small_shop", 600},       {"small_restaurant", 500}, {"small_hotel", 60},
    {"small_entertainment", 20}, {"small_internet_cafe", 10}, {"small_beauty_bath", 80}, {"small_school", 30},
    {"small_clinic", 40},   {"small_workshop", 60},    {"express_delivery", 60},  {"postal", 8},
    {"freight_logistics", 15}, {"toxic_chemicals", 2}, {"explosive_precursors", 4}, {"civil_explosives", 1},
    {"drug_precursors", 3}, {"radioactive", 1},        {"fireworks", 5},          {"gas_station", 18},
    {"knife_seller", 6},    {"school", 40},            {"kindergarten", 60},      {"training_school", 50},
    {"hospital", 8},        {"bank", 45},              {"market", 20},            {"transport_hub", 3},
    {"shop", 400},          {"other", 30},
};

// The groups whose key places get a camera at the door (not the 九小场所:
// thousands of shops are watched by the street's cameras).
constexpr std::array<std::string_view, 5> kWatchedGroups = {"special_trade", "entertainment", "dangerous_goods",
                                                            "education", "public_service"};

constexpr int kCameraTarget = 2000;
constexpr double kLatticeM = 420;  // the road lattice's spacing (crossings with cameras)

// Registry persons: the i-th is the same on every run, with a valid GB 11643
// number unique among them (sequence and birth day follow from i).
constexpr std::array<std::string_view, 16> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                                        "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
constexpr std::array<std::string_view, 16> kGiven = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军",
                                                     "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"};
constexpr std::array<std::string_view, 8> kRegions = {"370102", "370103", "370104", "370105",
                                                      "370112", "370181", "410102", "340102"};

Person registry_person(std::uint64_t seed, int i) {
  Random r(mix64(seed ^ (0x7e610000ULL + std::uint64_t(i))));
  Person p;
  p.name = fmt::format("{}{}", kSurnames[r.below(kSurnames.size())], kGiven[r.below(kGiven.size())]);
  const int year = 1960 + int(r.below(45)), month = 1 + int(r.below(12)), day = 1 + (i / 1000) % 28;
  const std::string first17 =
      fmt::format("{}{:04}{:02}{:02}{:03}", kRegions[r.below(kRegions.size())], year, month, day, i % 1000);
  p.id_number = first17 + id_number_check_char(first17);
  assign_mobile_number(p.phone, mix64(seed + 0x7e61ULL + std::uint64_t(i)));
  return p;
}

std::string credit_code(Random& r) {
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string first17 = "91370102";
  for (int i = 0; i < 9; ++i) first17 += kChars[r.below(std::uint32_t(kChars.size()))];
  return first17 + *credit_code_check_char(first17);
}

CivilDate date_between(Random& r, int first_year, int last_year) {
  return CivilDate{first_year + int(r.below(std::uint32_t(last_year - first_year + 1))), 1 + int(r.below(12)),
                   1 + int(r.below(28))};
}

// Communities by weight: residents, more in the town centre.
class CommunityPicker {
 public:
  explicit CommunityPicker(const DemoGeography& g) {
    double sum = 0;
    for (const DemoCommunity& c : g.communities()) cumulative_.push_back(sum += c.population * (0.5 + c.urbanity));
  }
  int pick(Random& r) const {
    const double x = r.uniform() * cumulative_.back();
    for (std::size_t i = 0; i < cumulative_.size(); ++i)
      if (x < cumulative_[i]) return int(i);
    return int(cumulative_.size()) - 1;
  }

 private:
  std::vector<double> cumulative_;
};

struct Built {
  std::vector<Place> places;
  std::vector<Enterprise> enterprises;
  std::vector<RentalHouseEntry> houses;
  std::vector<ResidentEntry> residents;
  std::vector<Camera> cameras;
};

std::string address_in(const DemoCommunity& c, Random& r, int number) {
  const std::string_view road = c.roads.empty() ? road_name(0) : road_name(c.roads[r.below(c.roads.size())]);
  return fmt::format("济南市{}{}{}号", c.name, road, number);
}

Camera a_camera(int n, std::string name, const GeoPoint& at, const std::string& unit, Random& r) {
  Camera cam;
  cam.code = fmt::format("3701020000131{:07}", n);
  cam.name = std::move(name);
  cam.location = at;
  cam.owner_name = "示范分局";
  cam.unit_code = unit;
  cam.stream_url = fmt::format("rtsp://10.37.{}.{}:554/live/{}", n / 250, n % 250 + 1, cam.code);
  cam.status = r.chance(0.03) ? CameraStatus::kOffline : CameraStatus::kOnline;
  return cam;
}

Built build(const DemoGeography& g, const PlaceCategories& categories, std::uint64_t seed) {
  Built out;
  Random r(mix64(seed ^ 0x2e615747ULL));
  const CommunityPicker picker(g);
  const auto& communities = g.communities();
  int camera_n = 0;

  // Places, and a camera at each watched key place's door.
  int place_n = 0;
  for (const CategoryCount& cc : kPlaceCounts) {
    const PlaceCategory* cat = categories.find(cc.code);
    if (!cat) continue;  // a bureau's file without it: the demo does not invent codes
    bool watched = false;
    for (std::string_view group : kWatchedGroups) watched |= cat->group == group && cat->key_place;
    for (int i = 0; i < cc.count; ++i) {
      const int ci = picker.pick(r);
      const DemoCommunity& c = communities[std::size_t(ci)];
      Place p;
      p.code = fmt::format("CS{:06}", ++place_n);
      const std::string_view road = c.roads.empty() ? road_name(0) : road_name(c.roads[r.below(c.roads.size())]);
      p.name = fmt::format("{}{}{}", road, cat->name_zh, i + 1);
      p.category = cat->code;
      p.address = fmt::format("济南市{}{}{}号", c.name, road, 1 + r.below(300));
      p.location = g.plane().to_geo(g.uniform_point(ci, r));
      p.unit_code = c.code;
      if (cat->key_place) {
        p.licence_number = fmt::format("{}-{:05}", cat->code, place_n);
        const Person contact = registry_person(seed, 50'000 + place_n);
        p.contact_name = contact.name;
        p.contact_phone = contact.phone;
      }
      p.opened = date_between(r, 2005, 2025);
      if (r.chance(0.04)) p.closed = CivilDate{2026, 1 + int(r.below(9)), 1 + int(r.below(28))};
      if (watched && !p.closed) {
        Camera cam = a_camera(++camera_n, p.name + "门口", p.location, p.unit_code, r);
        cam.owner_kind = CameraOwnerKind::kSocial;
        cam.owner_name = p.name;
        cam.direction_deg = double(r.below(360));
        out.cameras.push_back(std::move(cam));
      }
      out.places.push_back(std::move(p));
    }
  }

  // Enterprises.
  for (int i = 0; i < 150; ++i) {
    const int ci = picker.pick(r);
    const DemoCommunity& c = communities[std::size_t(ci)];
    Enterprise e;
    e.code = fmt::format("QY{:05}", i + 1);
    static constexpr std::array<std::string_view, 6> kTrades = {"商贸", "物流", "科技", "建筑", "餐饮管理", "物业服务"};
    const std::string_view road = c.roads.empty() ? road_name(0) : road_name(c.roads[r.below(c.roads.size())]);
    e.name = fmt::format("济南{}{}有限公司{}", road, kTrades[r.below(kTrades.size())], i + 1);
    e.credit_code = credit_code(r);
    e.address = address_in(c, r, 1 + int(r.below(500)));
    e.location = g.plane().to_geo(g.uniform_point(ci, r));
    e.unit_code = c.code;
    out.enterprises.push_back(std::move(e));
  }

  // Rental houses, more in the town centre and in urban villages; their
  // tenants are floating residents, their landlords registered ones.
  int person_n = 0, house_n = 0;
  for (int ci = 0; ci < int(communities.size()); ++ci) {
    const DemoCommunity& c = communities[std::size_t(ci)];
    const int houses = 6 + int(std::lround(c.urbanity * 18));
    for (int h = 0; h < houses; ++h) {
      RentalHouseEntry entry;
      RentalHouse& house = entry.house;
      house.code = fmt::format("CZ{:05}", ++house_n);
      const int block = c.blocks.empty() ? 0 : int(r.below(c.blocks.size()));
      const Xy at = c.blocks.empty() ? g.uniform_point(ci, r) : c.blocks[std::size_t(block)];
      house.address = fmt::format("{}{}号楼{}单元{}", compound_name(ci, block), 1 + r.below(20), 1 + r.below(4),
                                  101 + 100 * int(r.below(6)) + int(r.below(3)));
      house.location = g.plane().to_geo(Xy{at.x + r.uniform(-40, 40), at.y + r.uniform(-40, 40)});
      house.unit_code = c.code;
      entry.landlord = registry_person(seed, ++person_n);
      const int tenants = 1 + int(r.below(4));
      house.rooms = tenants + int(r.below(2));
      for (int t = 0; t < tenants; ++t) {
        Person tenant = registry_person(seed, ++person_n);
        Tenancy stay;
        stay.room = fmt::format("{}", t + 1);
        stay.from = date_between(r, 2022, 2025);
        if (r.chance(0.25)) stay.to = CivilDate{2026, 1 + int(r.below(9)), 1 + int(r.below(28))};
        house.tenants.push_back(stay);
        entry.tenants.push_back(tenant);
        ResidentEntry floating;
        floating.person = tenant;
        floating.resident.kind = ResidentKind::kFloating;
        floating.resident.address = house.address;
        floating.resident.house_code = house.code;
        floating.resident.unit_code = c.code;
        floating.resident.registered = stay.from;
        floating.resident.left = stay.to;
        out.residents.push_back(std::move(floating));
      }
      ResidentEntry registered;
      registered.person = entry.landlord;
      registered.resident.kind = ResidentKind::kRegistered;
      registered.resident.address = address_in(c, r, 1 + int(r.below(300)));
      registered.resident.unit_code = c.code;
      registered.resident.registered = date_between(r, 1990, 2020);
      out.residents.push_back(std::move(registered));
      out.houses.push_back(std::move(entry));
    }
  }

  // Domes at the hotspots, a camera at compound gates, then the road
  // lattice's crossings until the district has its ~2,000.
  auto unit_at = [&](const GeoPoint& p) -> const DemoCommunity* {
    const int ci = g.locate(p);
    return ci < 0 ? nullptr : &communities[std::size_t(ci)];
  };
  for (const DemoHotspot& h : g.hotspots()) {
    for (int k = 0; k < 4; ++k) {
      const double a = k * M_PI / 2;
      const GeoPoint p = g.plane().to_geo(Xy{h.centre.x + 60 * std::cos(a), h.centre.y + 60 * std::sin(a)});
      if (const DemoCommunity* c = unit_at(p))
        out.cameras.push_back(a_camera(++camera_n, fmt::format("{}{}号球机", h.name, k + 1), p, c->code, r));
    }
  }
  for (int ci = 0; ci < int(communities.size()); ++ci) {
    const DemoCommunity& c = communities[std::size_t(ci)];
    for (std::size_t b = 0; b < c.blocks.size(); ++b) {
      const GeoPoint p = g.plane().to_geo(c.blocks[b]);
      if (!unit_at(p)) continue;
      Camera cam = a_camera(++camera_n, compound_name(ci, int(b)) + "大门", p, c.code, r);
      cam.owner_kind = CameraOwnerKind::kSocial;
      cam.owner_name = compound_name(ci, int(b)) + "物业";
      cam.direction_deg = double(r.below(360));
      cam.field_of_view_deg = 90;
      out.cameras.push_back(std::move(cam));
    }
  }
  std::vector<Xy> crossings;
  for (double y = -DemoGeography::kHalfHeightM; y <= DemoGeography::kHalfHeightM; y += kLatticeM)
    for (double x = -DemoGeography::kHalfWidthM; x <= DemoGeography::kHalfWidthM; x += kLatticeM)
      if (g.in_district(Xy{x, y})) crossings.push_back(Xy{x, y});
  // Denser where people are: the town centre's crossings first.
  std::stable_sort(crossings.begin(), crossings.end(),
                   [&](const Xy& a, const Xy& b) { return g.density(a) > g.density(b); });
  for (std::size_t i = 0; i < crossings.size() && int(out.cameras.size()) < kCameraTarget; ++i) {
    const GeoPoint p = g.plane().to_geo(crossings[i]);
    const DemoCommunity* c = unit_at(p);
    if (!c) continue;
    const std::string_view road = c->roads.empty() ? road_name(0) : road_name(c->roads[i % c->roads.size()]);
    Camera cam = a_camera(++camera_n, fmt::format("{}路口{}", road, i + 1), p, c->code, r);
    if (i % 2) cam.direction_deg = double((i / 2 % 4) * 90);  // along the road; the others are domes
    out.cameras.push_back(std::move(cam));
  }
  return out;
}

void count(DemoRegistryReport& report, std::int64_t& field, const BatchOutcome& outcome) {
  field += outcome.created() + outcome.updated();
  report.unchanged += outcome.unchanged();
}

Status refused(const char* what, const BatchOutcome& outcome) {
  if (outcome.refused.empty()) return {};
  const RefusedRow& first = outcome.refused.front();
  return Error::internal(fmt::format("the demo's {} #{} was refused: {}", what, first.index, first.error.describe()));
}

}  // namespace

Result<DemoRegistryReport> write_demo_registry(Engine& engine, const DemoOptions& options) {
  const DemoGeography geography(options.seed);
  RegistryRecords& registry = engine.registry();
  Built built = build(geography, registry.place_categories(), options.seed);
  DemoRegistryReport report;
  const UnitScope all = UnitScope::everything();
  std::vector<std::int64_t> tenancies;  // by house, counted for the houses written
  for (const RentalHouseEntry& e : built.houses) tenancies.push_back(std::int64_t(e.house.tenants.size()));
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome places, registry.upsert_places(std::move(built.places), all));
  PINGAN_RETURN_IF_ERROR(refused("place", places));
  count(report, report.places, places);
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome enterprises, registry.upsert_enterprises(std::move(built.enterprises), all));
  PINGAN_RETURN_IF_ERROR(refused("enterprise", enterprises));
  count(report, report.enterprises, enterprises);
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome houses, registry.upsert_rental_houses(std::move(built.houses), all));
  PINGAN_RETURN_IF_ERROR(refused("rental house", houses));
  count(report, report.rental_houses, houses);
  for (std::size_t i = 0; i < houses.writes.size(); ++i)
    if (houses.writes[i] != RegistryWrite::kUnchanged) report.tenancies += tenancies[i];
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome residents, registry.upsert_residents(std::move(built.residents), all));
  PINGAN_RETURN_IF_ERROR(refused("resident", residents));
  count(report, report.residents, residents);
  PINGAN_ASSIGN_OR_RETURN(BatchOutcome cameras, registry.upsert_cameras(std::move(built.cameras), all));
  PINGAN_RETURN_IF_ERROR(refused("camera", cameras));
  count(report, report.cameras, cameras);
  return report;
}

}  // namespace pingan::ingest
