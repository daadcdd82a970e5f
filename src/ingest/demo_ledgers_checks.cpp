// The demo's checks of registry records (demo_ledgers.h): place inspections
// (家次), rental-house checks, floating-resident checks and door-to-door
// visits, each pointing at the record it checks; an inspection's or a
// rental check's finding opens a hazard, a visit's a dispute, through the
// type's step that `opens` it.

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "ingest/demo_ledgers_writer.h"

namespace pingan::ingest::demo_ledgers {
namespace {

std::int64_t minutes(Random& r, double lo, double hi) { return std::int64_t(r.uniform(lo, hi) * 60); }

// Every record of a registry list, page by page (at most 1,000 a page).
template <typename Record, typename List, typename Key>
Result<std::vector<Record>> read_all(List list, Key key) {
  std::vector<Record> out;
  RegistryFilter filter;
  filter.limit = 1000;
  for (;;) {
    PINGAN_ASSIGN_OR_RETURN(RegistryPage<Record> page, list(filter));
    for (Record& rec : page.records) out.push_back(std::move(rec));
    if (!page.more || out.empty()) break;
    filter.after = key(out.back());
  }
  return out;
}

// The inspection ledger's place_kind for a registry category.
std::string place_kind(const PlaceCategory& c) {
  const std::string& code = c.code;
  if (code == "hotel" || code == "small_hotel") return "hotel";
  if (code == "internet_cafe" || code == "small_internet_cafe") return "internet_cafe";
  if (c.group == "entertainment" || code == "small_entertainment" || code == "small_beauty_bath")
    return "entertainment";
  if (c.group == "education" || code == "small_school") return "school";
  if (code == "hospital" || code == "small_clinic") return "hospital";
  if (code == "market") return "market";
  if (c.group == "logistics") return "logistics";
  if (c.group == "dangerous_goods") return "hazardous_chemicals";
  if (c.group == "special_trade" || code == "shop" || code == "small_shop" || code == "small_restaurant") return "shop";
  return "other";
}

// What an inspection of a place of this kind finds when it finds something.
std::pair<std::string_view, std::string_view> finding_for(const std::string& kind) {
  if (kind == "hotel") return {"public_order", "未落实旅客“四实”登记，部分住客未实名"};
  if (kind == "internet_cafe") return {"public_order", "接纳未成年人上网，上网人员未实名登记"};
  if (kind == "hazardous_chemicals") return {"dangerous_goods", "危险化学品出入库台账不全，储存区域未双人双锁"};
  if (kind == "school" || kind == "hospital") return {"internal_security", "门卫值守不到位，防冲撞设施缺失"};
  if (kind == "logistics") return {"public_order", "未落实实名收寄和开箱验视"};
  return {"fire", "灭火器过期，安全出口被杂物堵塞"};
}

struct Weighted {
  std::vector<double> cumulative;
  void add(double w) { cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + w); }
};

}  // namespace

Status write_inspections(Writer& w, std::int64_t count) {
  RegistryRecords& registry = w.engine().registry();
  PINGAN_ASSIGN_OR_RETURN(std::vector<Place> all,
                          (read_all<Place>([&](const RegistryFilter& f) { return registry.list_places(f); },
                                           [](const Place& p) { return p.code; })));
  // Open places, visited as often as their category must be inspected.
  std::vector<const Place*> places;
  Weighted weights;
  for (const Place& p : all) {
    const PlaceCategory* cat = registry.place_categories().find(p.category);
    if (p.closed || !cat) continue;
    places.push_back(&p);
    weights.add(cat->inspect_every_days ? 30.0 / *cat->inspect_every_days : 0.1);
  }
  if (places.empty()) return count == 0 ? Status() : Error::invalid("places", "the registry has no open place to inspect (write the demo registry first)");
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("inspection", n);
    const Place& place = *places[r.pick(weights.cumulative)];
    const std::string kind = place_kind(*registry.place_categories().find(place.category));
    const bool night = r.chance(0.1);
    const std::string inspection_kind = night ? "night" : r.chance(0.65) ? "routine" : r.chance(0.6) ? "special" : "joint";
    const Officer officer = w.community_officer(place.unit_code, r);
    const Officer second = w.station_officer(place.unit_code, r);
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), night ? r.uniform(21, 23.5) : r.uniform(9, 17));
    LedgerFields fields{{"place_ref", text(place.code)},
                        {"place_name", text(place.name)},
                        {"place_kind", text(kind)},
                        {"inspection_kind", text(inspection_kind)},
                        {"inspectors", text(fmt::format("{}、{}", officer.id, second.id))},
                        {"location", LedgerValue(place.location)}};
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("inspection", n, place.unit_code, officer, at, std::move(fields), officer.id));
    if (!item) continue;
    bool found = false;
    [[maybe_unused]] bool taken = false;
    if (r.chance(0.2)) {
      const auto [hazard_kind, description] = finding_for(kind);
      std::optional<LedgerItem> hazard;
      PINGAN_ASSIGN_OR_RETURN(found, w.step(*item, officer, at + minutes(r, 20, 90),
                                            {"open_hazard",
                                             {{"hazard_kind", text(std::string(hazard_kind))},
                                              {"hazard_level", text(r.chance(0.05) ? "major" : "general")},
                                              {"hazard_description", text(std::string(description))}}},
                                            &hazard));
      if (hazard) PINGAN_RETURN_IF_ERROR(w.work_hazard(std::move(*hazard), r, false));
    }
    if (r.chance(0.97)) {
      LedgerFields result{{"result", text(found ? "hazards_found" : "passed")},
                          {"hazards_found", number(found ? 1 : 0)},
                          {"findings", text(found ? "发现隐患，已当场责令整改并录入隐患台账" : "未发现问题")}};
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, w.station_officer(place.unit_code, r),
                                            at + std::int64_t(r.uniform(1, 5) * double(kDay)), {"archive", std::move(result)}));
    }
    w.done(*item);
  }
  return {};
}

Status write_rental_checks(Writer& w, std::int64_t count) {
  RegistryRecords& registry = w.engine().registry();
  PINGAN_ASSIGN_OR_RETURN(
      std::vector<RentalHouse> houses,
      (read_all<RentalHouse>([&](const RegistryFilter& f) { return registry.list_rental_houses(f); },
                             [](const RentalHouse& h) { return h.code; })));
  if (houses.empty()) return count == 0 ? Status() : Error::invalid("rental_houses", "the registry has no rental house to check (write the demo registry first)");
  static constexpr std::string_view kRentalKinds[] = {"whole", "whole", "shared", "shared", "group", "short_term", "dormitory"};
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("rental_check", n);
    const RentalHouse& house = houses[r.below(std::uint32_t(houses.size()))];
    // The same house is let the same way at every visit.
    const std::string_view rental_kind = kRentalKinds[mix64(w.seed() ^ text_hash(house.code)) % std::size(kRentalKinds)];
    std::int64_t tenants = 0;
    for (const Tenancy& t : house.tenants) tenants += !t.to;
    const std::int64_t unregistered = r.chance(0.08) ? 1 + r.below(2) : 0;
    const Officer officer = w.community_officer(house.unit_code, r);
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(9, 20));
    LedgerFields fields{{"house_ref", text(house.code)},
                        {"address", text(house.address)},
                        {"rental_kind", text(std::string(rental_kind))},
                        {"tenants", number(tenants + unregistered)},
                        {"tenants_unregistered", number(unregistered)},
                        {"location", LedgerValue(house.location)}};
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("rental_check", n, house.unit_code, officer, at, std::move(fields), officer.id));
    if (!item) continue;
    bool found = false;
    [[maybe_unused]] bool taken = false;
    if (r.chance(0.07)) {
      std::optional<LedgerItem> hazard;
      PINGAN_ASSIGN_OR_RETURN(found, w.step(*item, officer, at + minutes(r, 10, 40),
                                            {"open_hazard",
                                             {{"hazard_kind", text("fire")},
                                              {"hazard_level", text("general")},
                                              {"hazard_description", text("电动自行车入户充电，私拉乱接电线")}}},
                                            &hazard));
      if (hazard) PINGAN_RETURN_IF_ERROR(w.work_hazard(std::move(*hazard), r, false));
    }
    const std::string result = found ? "hazards_found" : unregistered ? "unregistered_tenants" : r.chance(0.05) ? "rectify" : "normal";
    LedgerFields archive{{"result", text(result)},
                         {"findings", text(unregistered ? "发现未登记租客，已当场采集登记" : found ? "发现消防隐患，已录入隐患台账" : "人房信息一致")}};
    PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, w.station_officer(house.unit_code, r),
                                          at + std::int64_t(r.uniform(1, 4) * double(kDay)), {"archive", std::move(archive)}));
    w.done(*item);
  }
  return {};
}

Status write_floating_checks(Writer& w, std::int64_t count) {
  RegistryRecords& registry = w.engine().registry();
  PINGAN_ASSIGN_OR_RETURN(std::vector<Resident> all,
                          (read_all<Resident>([&](const RegistryFilter& f) { return registry.list_residents(f); },
                                              [](const Resident& p) { return std::to_string(p.person_id); })));
  std::vector<const Resident*> floating;
  for (const Resident& res : all)
    if (res.kind == ResidentKind::kFloating && !res.left) floating.push_back(&res);
  if (floating.empty()) return count == 0 ? Status() : Error::invalid("residents", "the registry has no floating resident to check (write the demo registry first)");
  // Each resident once, in an order of the seed's (by house, then by id).
  std::stable_sort(floating.begin(), floating.end(), [&](const Resident* a, const Resident* b) {
    const std::uint64_t ka = mix64(w.seed() ^ text_hash(a->house_code + a->address));
    const std::uint64_t kb = mix64(w.seed() ^ text_hash(b->house_code + b->address));
    return ka != kb ? ka < kb : a->person_id < b->person_id;
  });
  // A resident is checked once: a campaign asking more checks than the
  // registry has floating residents checks each of them.
  count = std::min<std::int64_t>(count, std::int64_t(floating.size()));
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("floating_check", n);
    const Resident& res = *floating[std::size_t(n)];
    PINGAN_ASSIGN_OR_RETURN(Person person, registry.get_person(res.person_id));
    const Officer officer = w.community_officer(res.unit_code, r);
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(8.5, 11));
    const std::string region = person.id_number.substr(0, 2);
    LedgerFields fields{{"person_name", text(person.name)},
                        {"id_number", text(person.id_number)},
                        {"address", text(res.address)},
                        {"origin", text(region == "41" ? "河南省" : region == "34" ? "安徽省" : "山东省")},
                        {"arrived_on", text(format_date(res.registered))},
                        {"residence_permit", text(r.chance(0.6) ? "holds" : r.chance(0.4) ? "applying" : "none")}};
    if (!person.phone.empty()) fields["phone"] = text(person.phone);
    if (!res.house_code.empty()) fields["house_ref"] = text(res.house_code);
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item, w.create("floating_check", n, res.unit_code,
                                                                     w.station_officer(res.unit_code, r), at,
                                                                     std::move(fields), officer.id));
    if (!item) continue;
    [[maybe_unused]] bool taken = false;
    // A few wait past their 7 days (核查 overdue at the demo's end).
    if (!r.chance(0.04)) {
      const Timestamp checked = at + std::int64_t(r.lognormal(1.5 * double(kDay), 0.6));
      const double u = r.uniform();
      const std::string result = u < 0.85 ? "registered" : u < 0.93 ? "corrected" : u < 0.98 ? "left" : u < 0.995 ? "not_found" : "suspicious";
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, officer, checked,
                                            {"check", {{"check_result", text(result)}, {"checked_at", number(checked)}}}));
      if (taken) {
        PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, w.station_officer(res.unit_code, r),
                                              checked + std::int64_t(r.uniform(1, 4) * double(kDay)), {"archive", {}}));
      }
    }
    w.done(*item);
  }
  return {};
}

Status write_home_visits(Writer& w, std::int64_t count) {
  RegistryRecords& registry = w.engine().registry();
  PINGAN_ASSIGN_OR_RETURN(std::vector<Resident> all,
                          (read_all<Resident>([&](const RegistryFilter& f) { return registry.list_residents(f); },
                                              [](const Resident& p) { return std::to_string(p.person_id); })));
  std::vector<const Resident*> households;
  for (const Resident& res : all)
    if (res.kind == ResidentKind::kRegistered && !res.left) households.push_back(&res);
  if (households.empty()) return count == 0 ? Status() : Error::invalid("residents", "the registry has no registered resident to visit (write the demo registry first)");
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("home_visit", n);
    const Resident& res = *households[r.below(std::uint32_t(households.size()))];
    const Officer officer = w.community_officer(res.unit_code, r);
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(9, 20));
    const double mode = r.uniform();
    const double app = r.uniform();
    LedgerFields fields{{"household_ref", text(std::to_string(res.person_id))},
                        {"address", text(res.address)},
                        {"mode", text(mode < 0.5 ? "online" : mode < 0.85 ? "door" : "phone")},
                        {"people_reached", number(1 + r.below(4))},
                        {"anti_fraud_app", text(app < 0.5 ? "installed" : app < 0.85 ? "installed_now" : "declined")},
                        {"topics", text("反诈宣传、矛盾纠纷排查、安全防范提示")}};
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("home_visit", n, res.unit_code, officer, at, std::move(fields), officer.id));
    if (!item) continue;
    [[maybe_unused]] bool taken = false;
    if (r.chance(0.03)) {
      const bool neighbours = r.chance(0.6);
      std::optional<LedgerItem> dispute;
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, officer, at + minutes(r, 15, 45),
                                            {"open_dispute",
                                             {{"dispute_kind", text(neighbours ? "neighbour" : "property_mgmt")},
                                              {"dispute_summary", text(neighbours ? "走访中群众反映与楼上邻居因漏水问题多次争吵"
                                                                                  : "走访中群众反映与物业因停车收费问题存在矛盾")},
                                              {"issues", text("反映矛盾纠纷一起，已录入矛盾纠纷台账")}}},
                                            &dispute));
      if (dispute) PINGAN_RETURN_IF_ERROR(w.work_dispute(std::move(*dispute), r, false));
    }
    if (r.chance(0.9)) {
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, w.station_officer(res.unit_code, r),
                                            at + std::int64_t(r.uniform(1, 7) * double(kDay)), {"archive", {}}));
    }
    w.done(*item);
  }
  return {};
}

}  // namespace pingan::ingest::demo_ledgers
