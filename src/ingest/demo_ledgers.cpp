// See demo_ledgers.h. The ledgers that need no registry record: disputes,
// hazards reported or found in sweeps, sweeps and publicity; the checks of
// registry records are in demo_ledgers_checks.cpp, the shared loops in
// demo_ledgers_writer.cpp.

#include "ingest/demo_ledgers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "ingest/demo_ledgers_writer.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {

std::int64_t DemoLedgerReport::items() const {
  std::int64_t n = 0;
  for (const auto& [code, tally] : by_type) n += tally.items;
  return n;
}

std::vector<std::string> describe_demo_ledgers(const DemoLedgerReport& report, const LedgerRecords& ledgers) {
  std::vector<std::string> lines;
  for (const LedgerDefinition& type : ledgers.types()) {
    auto it = report.by_type.find(type.code());
    if (it == report.by_type.end()) continue;
    const DemoLedgerTally& t = it->second;
    std::string line = fmt::format("{} {}: {} items", type.label(), type.code(), t.items);
    if (t.opened > 0) line += fmt::format(" ({} opened by another item's step)", t.opened);
    line += fmt::format(", {} steps", t.steps);
    std::string states;
    for (const LedgerState& state : type.states()) {
      auto n = t.by_state.find(state.code);
      if (n == t.by_state.end()) continue;
      states += fmt::format("{}{} {}", states.empty() ? "; now " : ", ", state.label, n->second);
    }
    lines.push_back(line + states);
  }
  return lines;
}

DemoCampaign demo_campaign(const DemoOptions& options) {
  constexpr int kCampaignDays = 100;  // 百日行动
  DemoCampaign c;
  c.days = std::min(options.days, kCampaignDays);
  c.end = demo_end(options);
  c.start = c.end - c.days * demo_ledgers::kDay;
  return c;
}

namespace demo_ledgers {
namespace {

// A code drawn by share; the shares need not sum to 1.
struct Share {
  std::string_view code;
  double share;
};

template <std::size_t N>
std::string draw(const std::array<Share, N>& shares, Random& r) {
  std::array<double, N> cumulative{};
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i) cumulative[i] = sum += shares[i].share;
  return std::string(shares[r.pick(cumulative)].code);
}

// Disputes by kind at the shares county bulletins report (婚姻家庭 and
// 邻里 first), with what the ledger's 简要情况 says.
constexpr std::array<Share, 10> kDisputeKinds = {{{"marriage_family", 0.28}, {"neighbour", 0.26}, {"debt", 0.12},
                                                  {"land_forest", 0.05}, {"labour", 0.08}, {"property_mgmt", 0.08},
                                                  {"consumer", 0.05}, {"traffic_accident", 0.05}, {"medical", 0.01},
                                                  {"other", 0.02}}};
std::string_view dispute_summary(const std::string& kind) {
  if (kind == "marriage_family") return "夫妻因家庭琐事发生争吵，一方报警求助";
  if (kind == "neighbour") return "邻里因漏水、噪音问题产生矛盾";
  if (kind == "debt") return "双方因借款未按期归还发生纠纷";
  if (kind == "land_forest") return "村民因宅基地界址不清发生争执";
  if (kind == "labour") return "务工人员反映工资被拖欠";
  if (kind == "property_mgmt") return "业主与物业公司因物业费和停车问题发生纠纷";
  if (kind == "consumer") return "顾客与商家因退换货发生争执";
  if (kind == "traffic_accident") return "轻微交通事故双方就赔偿金额未达成一致";
  if (kind == "medical") return "患者家属对诊疗结果有异议";
  return "双方因琐事发生口角";
}
constexpr std::array<Share, 4> kDisputeSources = {
    {{"incident", 0.35}, {"walk_in", 0.2}, {"grid", 0.35}, {"superior", 0.1}}};
constexpr std::array<Share, 3> kRisks = {{{"low", 0.7}, {"medium", 0.25}, {"high", 0.05}}};

constexpr std::array<Share, 7> kHazardKinds = {{{"fire", 0.4}, {"traffic", 0.2}, {"public_order", 0.1},
                                                {"construction", 0.1}, {"dangerous_goods", 0.05},
                                                {"internal_security", 0.05}, {"other", 0.1}}};
std::string_view hazard_description(const std::string& kind) {
  if (kind == "fire") return "楼道堆放杂物、电动自行车入户充电，堵塞消防通道";
  if (kind == "traffic") return "路口视线遮挡，缺少减速和警示设施";
  if (kind == "public_order") return "场所未落实实名登记，监控存在盲区";
  if (kind == "construction") return "施工现场围挡缺失，临街堆放建材";
  if (kind == "dangerous_goods") return "危险物品储存不规范，出入库台账不全";
  if (kind == "internal_security") return "单位门卫值守不到位，访客未登记";
  return "群众反映的治安隐患";
}

// A point and an address in community `ci`.
GeoPoint point_in(const Writer& w, int ci, Random& r) {
  return w.geography().plane().to_geo(w.geography().uniform_point(ci, r));
}
std::string address_in(int ci, Random& r) {
  return fmt::format("济南市{}{}{}号楼{}单元", community_name(ci), compound_name(ci, int(r.below(4))),
                     1 + r.below(20), 1 + r.below(4));
}

}  // namespace

Status write_disputes(Writer& w, std::int64_t count) {
  const auto& communities = w.geography().communities();
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("dispute", n);
    const int ci = w.pick_community(r);
    const std::string& unit = communities[std::size_t(ci)].code;
    const std::string kind = draw(kDisputeKinds, r);
    LedgerFields fields{{"kind", text(kind)},
                        {"summary", text(std::string(dispute_summary(kind)))},
                        {"source", text(draw(kDisputeSources, r))},
                        {"risk", text(draw(kRisks, r))},
                        {"parties", number(2 + r.below(3))},
                        {"address", text(address_in(ci, r))},
                        {"location", LedgerValue(point_in(w, ci, r))}};
    if (kind == "debt" || kind == "labour")
      fields["amount_fen"] = number(100 * std::int64_t(r.lognormal(20000, 0.9)));
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(8, 21));
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("dispute", n, unit, w.community_officer(unit, r), at, std::move(fields)));
    if (!item) continue;
    PINGAN_RETURN_IF_ERROR(w.work_dispute(std::move(*item), r, true));
  }
  return {};
}

Status write_reported_hazards(Writer& w, std::int64_t count) {
  const auto& communities = w.geography().communities();
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("hazard", n);
    const int ci = w.pick_community(r);
    const std::string& unit = communities[std::size_t(ci)].code;
    const std::string kind = draw(kHazardKinds, r);
    const Officer finder = w.community_officer(unit, r);
    LedgerFields fields{{"kind", text(kind)},
                        {"level", text(r.chance(0.06) ? "major" : "general")},
                        {"description", text(std::string(hazard_description(kind)))},
                        {"source", text(r.chance(0.6) ? "report" : "incident")},
                        {"location", LedgerValue(point_in(w, ci, r))}};
    const Timestamp at = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(8, 20));
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("hazard", n, unit, finder, at, std::move(fields), finder.id));
    if (!item) continue;
    PINGAN_RETURN_IF_ERROR(w.work_hazard(std::move(*item), r, true));
  }
  return {};
}

Status write_sweeps(Writer& w, std::int64_t count) {
  const std::string bureau = w.bureau();
  const auto& stations = w.geography().stations();
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("sweep", n);
    // Evenly through the campaign; every other one the whole district's
    // 集中统一清查, the others one station's night sweep.
    const bool unified = n % 2 == 0;
    const int day = std::min(w.campaign().days - 1, int((double(n) + r.uniform(0.2, 0.8)) * w.campaign().days / double(count)));
    const Timestamp started = w.at_day(day, 20);
    const Timestamp ended = started + 6 * kHour;
    const std::size_t si = r.below(std::uint32_t(stations.size()));
    const std::string unit = unified ? bureau : stations[si].code;
    const CivilTime local = utc_to_civil(started + 8 * kHour);
    LedgerFields plan{{"kind", text(unified ? "unified" : "night")},
                      {"name", text(unified ? fmt::format("{}月{}日全区集中统一清查行动", local.month, local.day)
                                            : fmt::format("{}夜间清查行动", stations[si].name))},
                      {"area", text(unified ? "全区" : "辖区重点部位及出租房屋")},
                      {"started_at", number(started)}};
    Random staff = w.stream("sweep-staff", n);
    const Officer planner = unified ? w.command_officer() : w.station_leader(unit);
    const Timestamp planned_at = std::max(w.campaign().start, started - 2 * kDay);
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> sweep,
                            w.create("sweep", n, unit, planner, planned_at, std::move(plan)));
    if (!sweep) continue;
    // Hazards found that night, each its own item (source: the sweep).
    const int hazards = unified ? 6 + int(r.below(5)) : 1 + int(r.below(3));
    int found = 0;
    for (int k = 0; k < hazards && ended < w.campaign().end; ++k) {
      Random hr = w.stream("sweep-hazard", n * 100 + k);
      const std::vector<std::string> under = w.communities_of(unified ? "" : unit);
      const std::string community = under[hr.below(std::uint32_t(under.size()))];
      const std::string kind = draw(kHazardKinds, hr);
      const Officer finder = w.community_officer(community, hr);
      LedgerFields fields{{"kind", text(kind)},
                          {"level", text(hr.chance(0.1) ? "major" : "general")},
                          {"description", text(std::string(hazard_description(kind)))},
                          {"source", text("sweep")},
                          {"source_item", text(std::to_string(sweep->id))}};
      PINGAN_ASSIGN_OR_RETURN(
          std::optional<LedgerItem> hazard,
          w.create("hazard", 100000 + n * 100 + k, community, finder, started + std::int64_t(hr.uniform(0.5, 5.5) * double(kHour)), std::move(fields), finder.id));
      if (!hazard) continue;
      ++found;
      PINGAN_RETURN_IF_ERROR(w.work_hazard(std::move(*hazard), hr, false));
    }
    // The tallies of the seeds' sweeps (Wenzhou: 2,600 officer-shifts, 256
    // volunteers, 366 places and 1,211 people checked, 3 fugitives).
    auto between = [&r](int lo, int hi) { return number(lo + std::int64_t(r.below(std::uint32_t(hi - lo + 1)))); };
    const LedgerValue caught = unified ? between(3, 12) : between(0, 3);
    LedgerFields tallies{{"ended_at", number(ended)},
                         {"officer_shifts", unified ? between(1800, 2600) : between(60, 200)},
                         {"auxiliary_shifts", unified ? between(200, 500) : between(20, 80)},
                         {"volunteers", unified ? between(150, 300) : between(10, 60)},
                         {"vehicles", unified ? between(150, 300) : between(8, 30)},
                         {"places_checked", unified ? between(250, 400) : between(20, 60)},
                         {"rentals_checked", unified ? between(80, 200) : between(10, 40)},
                         {"people_checked", unified ? between(900, 1300) : between(80, 250)},
                         {"people_caught", caught},
                         {"fugitives_caught", unified ? between(0, 3) : between(0, 1)},
                         {"hazards_found", number(found)},
                         {"measures_taken", caught},
                         {"summary", text("行动中清查重点场所、出租房屋，盘查可疑人员，发现隐患当场交办整改")}};
    [[maybe_unused]] bool taken = false;
    PINGAN_ASSIGN_OR_RETURN(taken, w.step(*sweep, w.station_officer(unified ? stations[0].code : unit, staff),
                                          ended + 2 * kHour, {"report", std::move(tallies)}));
    if (taken) {
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*sweep, w.bureau_leader(staff), ended + kDay, {"review", {}}));
    }
    w.done(*sweep);
  }
  return {};
}

Status write_publicity(Writer& w, std::int64_t count) {
  static constexpr std::array<Share, 7> kKinds = {{{"street_booth", 0.35}, {"lecture", 0.15}, {"campus", 0.15},
                                                   {"enterprise", 0.1}, {"door_to_door", 0.1}, {"livestream", 0.08},
                                                   {"media", 0.07}}};
  static constexpr std::array<Share, 7> kTopics = {{{"anti_fraud", 0.55}, {"anti_drug", 0.08}, {"fire", 0.12},
                                                    {"traffic", 0.08}, {"anti_theft", 0.1}, {"anti_cult", 0.02},
                                                    {"other", 0.05}}};
  const auto& communities = w.geography().communities();
  for (std::int64_t n = 0; n < count; ++n) {
    Random r = w.stream("publicity", n);
    const int ci = w.pick_community(r);
    const bool by_station = r.chance(0.4);
    const std::string unit = by_station ? w.station_of(communities[std::size_t(ci)].code) : communities[std::size_t(ci)].code;
    const std::string kind = draw(kKinds, r), topic = draw(kTopics, r);
    const Timestamp held = w.at_day(int(r.below(std::uint32_t(w.campaign().days))), r.uniform(9, 17));
    const std::string topic_zh = topic == "anti_fraud" ? "防范电信网络诈骗" : topic == "anti_drug" ? "禁毒"
                                 : topic == "fire"     ? "消防安全"         : topic == "traffic"  ? "交通安全"
                                 : topic == "anti_theft" ? "防盗防抢"       : topic == "anti_cult" ? "反邪教"
                                                                                                  : "平安建设";
    const bool street = kind == "street_booth" || kind == "door_to_door" || kind == "campus";
    LedgerFields fields{{"title", text(fmt::format("{}{}宣传活动", community_name(ci), topic_zh))},
                        {"kind", text(kind)},
                        {"topic", text(topic)},
                        {"held_at", number(held)},
                        {"place", text(address_in(ci, r))},
                        {"location", LedgerValue(point_in(w, ci, r))},
                        {"events", number(1)},
                        {"points", number(kind == "street_booth" ? 2 + r.below(4) : 1)},
                        {"audience", number(kind == "livestream" ? 0 : 50 + r.below(600))},
                        {"leaflets", number(street ? 300 + r.below(900) : 100 + r.below(200))},
                        {"officers", number(2 + r.below(7))},
                        {"volunteers", number(r.below(20))}};
    if (kind == "livestream") fields["livestream_audience"] = number(2000 + r.below(48000));
    const Officer by = by_station ? w.station_officer(unit, r) : w.community_officer(unit, r);
    PINGAN_ASSIGN_OR_RETURN(std::optional<LedgerItem> item,
                            w.create("publicity", n, unit, by, held + 3 * kHour, std::move(fields)));
    if (!item) continue;
    if (r.chance(0.9)) {
      [[maybe_unused]] bool taken = false;
      PINGAN_ASSIGN_OR_RETURN(taken, w.step(*item, w.station_leader(unit), held + std::int64_t(r.uniform(1, 3) * double(kDay)),
                                            {"review", {}}));
    }
    w.done(*item);
  }
  return {};
}

}  // namespace demo_ledgers

Result<DemoLedgerReport> write_demo_ledgers(
    Engine& engine, const DemoOptions& options,
    const std::function<void(std::int64_t done, std::int64_t total)>& progress) {
  PINGAN_RETURN_IF_ERROR(validate_demo_options(options));
  demo_ledgers::Writer w(engine, options, progress);
  // How many of each, per campaign day, about the seeds' scale (see the
  // header); the draw is the plan's own, so the counts vary a little by seed.
  Random plan(mix64(options.seed ^ 0x1ed6e25ULL));
  const double days = w.campaign().days;
  const std::int64_t disputes = plan.poisson(3.6 * days), hazards = plan.poisson(1.1 * days),
                     sweeps = std::max<std::int64_t>(1, std::llround(0.12 * days)),
                     publicity = std::max<std::int64_t>(1, plan.poisson(0.45 * days)),
                     inspections = plan.poisson(9.9 * days), rentals = plan.poisson(11.3 * days),
                     floating = plan.poisson(9.0 * days), visits = plan.poisson(6.0 * days);
  w.expect(disputes + hazards + sweeps + publicity + inspections + rentals + floating + visits);
  // Thousands of small writes: in bulk mode they wait for the disk once, at
  // the end, not once each (a crash before it loses some; a rerun adds them).
  PINGAN_RETURN_IF_ERROR(engine.ledgers().begin_bulk());
  Status run = [&]() -> Status {
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_sweeps(w, sweeps));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_inspections(w, inspections));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_rental_checks(w, rentals));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_floating_checks(w, floating));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_home_visits(w, visits));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_disputes(w, disputes));
    PINGAN_RETURN_IF_ERROR(demo_ledgers::write_reported_hazards(w, hazards));
    return demo_ledgers::write_publicity(w, publicity);
  }();
  Status ended = engine.ledgers().end_bulk();
  PINGAN_RETURN_IF_ERROR(run);
  PINGAN_RETURN_IF_ERROR(ended);
  return std::move(w.report());
}

}  // namespace pingan::ingest
