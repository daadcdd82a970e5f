// See demo_ledgers_writer.h.

#include "ingest/demo_ledgers_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace pingan::ingest::demo_ledgers {
namespace {

std::int64_t hours(Random& r, double lo, double hi) { return std::int64_t(r.uniform(lo, hi) * double(kHour)); }

// What a rectification order asks and what the officer found, by hazard kind.
struct HazardText {
  std::string_view kind, measures, rectified;
};
constexpr HazardText kHazardTexts[] = {
    {"fire", "清理疏散通道杂物，更换过期灭火器，规范电动自行车停放充电", "通道已清理，灭火器已更换，充电桩已安装"},
    {"traffic", "增设减速带和警示标志，清理占道堆放物", "减速带、警示标志已设置，占道物品已清除"},
    {"dangerous_goods", "完善危险物品出入库登记，落实双人双锁管理", "台账已补齐，双人双锁制度已落实"},
    {"public_order", "落实旅客（顾客）实名登记，补齐视频监控", "实名登记已落实，监控已补装并接入"},
    {"internal_security", "完善门卫值守和访客登记，加装防冲撞设施", "门卫值守已落实，防冲撞设施已安装"},
    {"construction", "设置围挡和警示标志，清理临街堆料", "围挡、警示标志已设置，堆料已清理"},
    {"other", "按检查意见限期整改", "已按检查意见整改完毕"},
};

const HazardText& hazard_text(const std::string& kind) {
  for (const HazardText& t : kHazardTexts)
    if (t.kind == kind) return t;
  return kHazardTexts[std::size(kHazardTexts) - 1];
}

std::string field_text(const LedgerItem& item, const std::string& code) {
  auto it = item.fields.find(code);
  if (it == item.fields.end()) return "";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "";
}

// Where a dispute that mediation cannot settle goes, by kind.
std::string_view escalation_for(const std::string& kind) {
  if (kind == "labour") return "labour_inspection";
  if (kind == "land_forest" || kind == "debt") return "judicial_office";
  if (kind == "medical" || kind == "traffic_accident") return "court";
  return "comprehensive_centre";
}

}  // namespace

std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ULL;
  return h;
}

Writer::Writer(Engine& engine, const DemoOptions& options, std::function<void(std::int64_t, std::int64_t)> progress)
    : engine_(engine),
      options_(options),
      campaign_(demo_campaign(options)),
      geography_(options.seed),
      progress_(std::move(progress)) {
  double sum = 0;
  for (const DemoCommunity& c : geography_.communities())
    community_weights_.push_back(sum += c.population * (0.5 + c.urbanity));
}

Random Writer::stream(std::string_view type, std::int64_t n) const {
  return Random(mix64(options_.seed ^ text_hash(type) ^ (std::uint64_t(n) * 0x9e3779b97f4a7c15ULL)));
}

int Writer::pick_community(Random& r) const { return int(r.pick(community_weights_)); }

Timestamp Writer::at_day(int day, double hour) const {
  return campaign_.start + day * kDay + std::int64_t(hour * double(kHour));
}

std::string Writer::local_date(Timestamp at) {
  const CivilTime t = utc_to_civil(at + 8 * kHour);  // Asia/Shanghai has no DST
  return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
}

std::string Writer::station_of(const std::string& unit) const {
  std::vector<std::string> path = engine_.units()->path(unit);
  return path.size() >= 2 ? path[1] : unit;
}

std::string Writer::bureau() const {
  for (const Unit& u : engine_.units()->units())
    if (u.kind == UnitKind::kBureau) return u.code;
  return "";
}

std::vector<std::string> Writer::communities_of(const std::string& station) const {
  std::vector<std::string> out;
  for (const Unit& u : engine_.units()->units())
    if (u.kind == UnitKind::kCommunity && (station.empty() || u.parent_code == station)) out.push_back(u.code);
  std::sort(out.begin(), out.end());
  return out;
}

Officer Writer::community_officer(const std::string& community, Random& r) const {
  const Unit* unit = engine_.units()->find(community);
  std::string code = community;
  if (!unit || unit->kind != UnitKind::kCommunity) {
    const std::vector<std::string> under = communities_of(unit && unit->kind == UnitKind::kStation ? community : "");
    code = under[r.below(std::uint32_t(under.size()))];
  }
  return {fmt::format("{}/sq{}", code, 1 + r.below(2)), "community"};
}

Officer Writer::station_officer(const std::string& unit, Random& r) const {
  return {fmt::format("{}/mj{}", station_of(unit), 1 + r.below(6)), "station"};
}

Officer Writer::station_leader(const std::string& unit) const {
  return {fmt::format("{}/sz", station_of(unit)), "leader"};
}

Officer Writer::command_officer() const { return {bureau() + "/zhzx", "command"}; }

Officer Writer::bureau_leader(Random& r) const { return {fmt::format("{}/ld{}", bureau(), 1 + r.below(3)), "leader"}; }

Result<std::optional<LedgerItem>> Writer::create(const std::string& type, std::int64_t n, const std::string& unit,
                                                 const Officer& by, Timestamp at, LedgerFields fields,
                                                 const std::string& officer_id) {
  NewLedgerItem request;
  request.unit_code = unit;
  request.officer_id = officer_id;
  request.fields = std::move(fields);
  request.actor = by.id;
  request.actor_grants = {by.role};
  request.at = at;
  Result<LedgerItem> item = engine_.ledgers().create(type, request, UnitScope::everything(),
                                                     LedgerOrigin{"demo", fmt::format("{}/{}", type, n)});
  if (!item.ok() && item.error().code == ErrorCode::kAlreadyExists) {
    ++report_.duplicates;
    ++done_;
    return std::optional<LedgerItem>();
  }
  if (!item.ok())
    return Error::internal(fmt::format("the demo's {} #{} was refused: {}", type, n, item.error().describe()));
  ++report_.by_type[type].items;
  return std::optional<LedgerItem>(std::move(*item));
}

Result<bool> Writer::step(LedgerItem& item, const Officer& by, Timestamp at, Step step,
                          std::optional<LedgerItem>* opened) {
  at = std::max(at, item.updated_at);
  if (at >= campaign_.end) return false;
  StepRequest request;
  request.step = step.code;
  request.actor = by.id;
  request.actor_grants = {by.role};
  request.at = at;
  request.fields = std::move(step.fields);
  request.note = std::move(step.note);
  request.unit_code = std::move(step.unit_code);
  request.officer_id = std::move(step.officer_id);
  Result<LedgerStepped> stepped = engine_.ledgers().step(item.id, request, UnitScope::everything());
  if (!stepped.ok())
    return Error::internal(fmt::format("the demo's step {} on {} #{} was refused: {}", request.step, item.type_code,
                                       item.id, stepped.error().describe()));
  item = std::move(stepped->item);
  ++report_.by_type[item.type_code].steps;
  if (stepped->opened) {
    DemoLedgerTally& tally = report_.by_type[stepped->opened->type_code];
    ++tally.items;
    ++tally.opened;
    if (opened) *opened = std::move(stepped->opened);
  }
  return true;
}

void Writer::done(const LedgerItem& item, bool planned) {
  ++report_.by_type[item.type_code].by_state[item.state];
  if (!planned) return;
  ++done_;
  if (progress_ && done_ % 100 == 0) progress_(done_, std::max(done_, total_));
}

Status Writer::work_hazard(LedgerItem hazard, Random& r, bool planned) {
  const Unit* unit = engine_.units()->find(hazard.unit_code);
  std::string community = hazard.unit_code;
  if (!unit || unit->kind != UnitKind::kCommunity) {
    const std::vector<std::string> under =
        communities_of(unit && unit->kind == UnitKind::kStation ? hazard.unit_code : "");
    community = under[r.below(std::uint32_t(under.size()))];
  }
  const Officer worker = hazard.officer_id.empty() || hazard.unit_code != community
                             ? community_officer(community, r)
                             : Officer{hazard.officer_id, "community"};
  const Officer checker = station_officer(community, r);
  const HazardText& texts = hazard_text(field_text(hazard, "kind"));
  const bool major = field_text(hazard, "level") == "major";
  Timestamp t = hazard.created_at + hours(r, 2, 30);
  Step order{"order_rectify",
             {{"rectify_measures", text(std::string(texts.measures))},
              {"rectify_by", text(local_date(t + (major ? 12 : 7) * kDay))}},
             "",
             community,
             worker.id};
  bool taken = false;
  PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, checker, t, std::move(order)));
  // A few stay in 整改 past their 15 days (督办, then 挂牌督办).
  if (taken && !r.chance(0.05)) {
    t += std::int64_t(r.lognormal(5 * double(kDay), 0.6));
    PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, worker, t, {"rectify", {{"rectified_summary", text(std::string(texts.rectified))}}}));
    if (taken && r.chance(0.07)) {
      t += hours(r, 12, 48);
      PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, checker, t, {"reject", {{"verify_result", text("复查发现整改不彻底，退回重新整改")}}}));
      t += hours(r, 24, 96);
      if (taken) {
        PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, worker, t, {"rectify", {{"rectified_summary", text("已按复查意见重新整改到位")}}}));
      }
    }
    // Now and then the 验收 waits past its 3 days.
    if (taken && !r.chance(0.02)) {
      t += hours(r, 12, 60);
      LedgerFields verified{{"verify_result", text("经复查，隐患已整改到位，同意销号")}};
      if (r.chance(0.1)) verified["fine_fen"] = number(100 * std::int64_t(500 + 500 * r.below(10)));
      PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, checker, t, {"verify", std::move(verified)}));
      t += hours(r, 2, 24);
      if (taken) {
        PINGAN_ASSIGN_OR_RETURN(taken, step(hazard, station_leader(community), t, {"close", {}}));
      }
    }
  }
  done(hazard, planned);
  return {};
}

Status Writer::work_dispute(LedgerItem dispute, Random& r, bool planned) {
  const std::string community = dispute.unit_code;
  const Officer mediator = community_officer(community, r);
  const Officer station = station_officer(community, r);
  const std::string kind = field_text(dispute, "kind");
  Timestamp t = dispute.created_at + hours(r, 1, 8);
  bool taken = false;
  PINGAN_ASSIGN_OR_RETURN(taken, step(dispute, station, t, {"assign", {}, "", community, mediator.id}));
  if (taken) {
    t += hours(r, 1, 12);
    PINGAN_ASSIGN_OR_RETURN(taken, step(dispute, mediator, t, {"mediate", {}}));
  }
  if (taken && r.chance(0.015)) {
    t += hours(r, 24, 120);
    PINGAN_ASSIGN_OR_RETURN(
        taken, step(dispute, station, t,
                    {"escalate",
                     {{"escalated_to", text(std::string(escalation_for(kind)))},
                      {"escalation_reason", text("多次调解未达成一致，当事人要求依法处理")}}}));
  } else if (taken) {
    t += std::int64_t(r.lognormal(1.2 * double(kDay), 0.6));
    static constexpr std::array<std::string_view, 4> kResolutions = {"agreement", "reconciled", "explained",
                                                                     "withdrawn"};
    static constexpr std::array<double, 4> kCumulative = {0.45, 0.75, 0.95, 1.0};
    const std::string_view resolution = kResolutions[r.pick(kCumulative)];
    LedgerFields fields{{"resolution", text(std::string(resolution))},
                        {"mediation_summary", text(resolution == "agreement" ? "经民警与人民调解员联合调解，双方达成调解协议"
                                                                            : "经耐心疏导，双方消除误解，矛盾已化解")}};
    if (resolution == "agreement" && (kind == "debt" || kind == "labour" || kind == "traffic_accident"))
      fields["agreement_amount_fen"] = number(100 * std::int64_t(r.lognormal(8000, 0.9)));
    PINGAN_ASSIGN_OR_RETURN(taken, step(dispute, mediator, t, {"resolve", std::move(fields)}));
  }
  done(dispute, planned);
  return {};
}

}  // namespace pingan::ingest::demo_ledgers
