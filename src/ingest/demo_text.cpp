#include "ingest/demo_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace pingan::ingest {
namespace {

// Stations in row order: the north row west to east, then the south row.
constexpr std::string_view kStations[kStationCount] = {
    "西关派出所", "北园派出所", "文昌派出所", "东关派出所",
    "西郊派出所", "南苑派出所", "新华派出所", "高新派出所"};

constexpr std::string_view kCommunityRoots[kCommunityCount] = {
    "和平", "幸福", "柳园", "西营", "杏林",   "北园", "金桥", "花园", "长青", "玉泉",
    "文昌", "建设", "光明", "锦绣", "文化",   "东关", "朝阳", "阳光", "永安", "丰收",
    "王家庄", "刘庄", "青龙", "白马", "翠湖", "南苑", "桃园", "振兴", "荷花", "安康",
    "新华", "红旗", "青年", "富民", "凤凰",   "高新", "龙泉", "八里桥", "卧龙", "张庄"};

constexpr std::string_view kRoads[] = {
    "和平路",   "建设路",   "文化东路", "文化西路", "解放路",   "人民路",   "胜利大街", "工业北路",
    "工业南路", "历山路",   "花园路",   "二环东路", "二环西路", "北园大街", "南苑街",   "东关大街",
    "西关大街", "青年路",   "朝阳路",   "光明路",   "新华路",   "振兴街",   "柳园路",   "杏林路",
    "玉泉路",   "金桥路",   "长青路",   "锦绣路",   "永安路",   "丰收路",   "翠湖路",   "桃园路",
    "荷花路",   "安康路",   "红旗路",   "富民路",   "凤凰路",   "高新大道", "龙泉路",   "卧龙路",
    "白马路",   "青龙街",   "育才路",   "学府路",   "明湖路",   "泉城路",   "经七路",   "纬二路",
    "济钢路",   "黄台路",   "滨河路",   "环山路",   "科技路",   "创业路",   "兴业街",   "顺河街"};

constexpr std::string_view kOfficers[kCommunityCount] = {
    "张建国", "李卫东", "王志强", "刘海涛", "陈晓明", "杨立新", "赵永刚", "黄伟",   "周敏",   "吴磊",
    "徐静",   "孙红梅", "马俊",   "朱宏伟", "胡建军", "郭强",   "何丽",   "高峰",   "林涛",   "罗斌",
    "郑凯",   "梁国庆", "谢宁",   "宋志刚", "唐亮",   "韩雪",   "冯军",   "于洋",   "董建华", "萧文",
    "程鹏",   "曹阳",   "袁芳",   "邓超",   "许立",   "傅明",   "沈浩",   "曾辉",   "彭飞",   "吕娜"};

constexpr std::string_view kCompoundSuffix[4] = {"小区", "花园", "家园", "新村"};

// Prefixes of mainland mobile numbers.
constexpr std::string_view kMobilePrefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199"};

constexpr std::string_view kVenueSuffix[] = {"", "门口", "东门", "西侧", "北侧", "南门", "停车场", "内", "附近"};

}  // namespace

// A description is a template with slots: {place} the venue or road, {item}
// one of the fillers, {amount} a sum in yuan.
struct DescriptionSet {
  std::string_view type_code;
  std::vector<std::string_view> templates;
  std::vector<std::string_view> items;
  double amount_median = 0;  // yuan; 0 when no template uses {amount}
};

namespace {

const std::vector<DescriptionSet>& description_sets() {
  static const std::vector<DescriptionSet> sets = {
      {"homicide", {"报警人称{place}有人被刺伤倒地，已无意识", "报警人称家中亲属遭人杀害"}, {}, 0},
      {"rape", {"报警人称被熟人强行发生性关系", "报警人称遭人强奸，嫌疑人已离开"}, {}, 0},
      {"robbery", {"报警人称在{place}被人持刀抢走{item}", "报警人称夜间步行时被两名男子拦截抢走{item}"},
       {"手机", "钱包", "金项链", "挎包"}, 0},
      {"snatching", {"报警人称在{place}被骑电动车男子抢走{item}"}, {"手机", "挎包", "金项链"}, 0},
      {"assault", {"报警人称在{place}与人发生冲突被打伤，头部流血", "报警人称被人用酒瓶打伤，需送医"}, {}, 0},
      {"burglary", {"报警人称家中被撬门入室，丢失{item}", "报警人称回家发现窗户被撬，屋内被翻动，丢失{item}"},
       {"现金和首饰", "笔记本电脑", "金首饰", "现金约两千元", "名酒两箱"}, 0},
      {"vehicle_theft", {"报警人称停放在{place}的{item}被盗"}, {"电动车", "摩托车", "小型轿车", "电动三轮车"}, 0},
      {"theft", {"报警人称在{place}{item}被盗", "报警人称在{place}发现{item}被人偷走"},
       {"手机", "钱包", "自行车", "电动车电瓶", "背包"}, 0},
      {"arson", {"报警人称有人故意点燃{item}"}, {"楼道杂物", "停放的车辆", "店铺门口招牌"}, 0},
      {"fraud", {"报警人称被人以{item}为由骗取{amount}元"}, {"投资理财", "介绍工作", "办理贷款", "代购商品", "购买保健品"}, 6000},
      {"telecom_fraud", {"报警人称接到冒充{item}的电话，被骗转账{amount}元", "报警人称通过网络刷单被骗{amount}元"},
       {"客服", "公检法人员", "单位领导", "银行工作人员"}, 12000},
      {"forgery", {"报警人称在{place}收到假币", "报警人称发现有人使用伪造证件"}, {}, 0},
      {"embezzlement", {"报警人称公司员工私自挪用货款{amount}元"}, {}, 30000},
      {"stolen_property", {"报警人称发现有人在{place}收购来历不明的手机"}, {}, 0},
      {"weapons", {"报警人称{place}有人持刀威胁他人", "报警人称{place}有人携带管制刀具"}, {}, 0},
      {"sex_offense", {"报警人称在{place}遭陌生男子猥亵"}, {}, 0},
      {"drugs", {"群众举报{place}有人贩卖毒品"}, {}, 0},
      {"affray", {"报警人称{place}有十余人持械斗殴"}, {}, 0},
      {"picking_quarrels", {"报警人称{place}有人酒后滋事，随意殴打他人", "报警人称有人在{place}拦截车辆强行索要财物"}, {}, 0},
      {"gang", {"群众举报有人以暴力手段强揽工程"}, {}, 0},
      {"food_drug_env_ip", {"群众举报{place}有人销售假冒伪劣商品", "群众举报有作坊违法排放污水"}, {}, 0},
      {"family_child", {"报警人称邻居家孩子长期遭受家长殴打"}, {}, 0},
      {"criminal_other", {"报警人称遭人敲诈勒索{amount}元"}, {}, 5000},
      {"simple_assault", {"报警人称在{place}因琐事与人发生争执被打", "报警人称被人打了一巴掌，要求处理"}, {}, 0},
      {"vandalism", {"报警人称停放的车辆被人划伤", "报警人称{place}店铺玻璃被人砸坏"}, {}, 0},
      {"prostitution", {"群众举报{place}有卖淫嫖娼活动"}, {}, 0},
      {"gambling", {"群众举报{place}有人聚众赌博"}, {}, 0},
      {"drug_use", {"群众举报{place}有人聚众吸毒"}, {}, 0},
      {"disorder", {"报警人称{place}有人酒后闹事", "报警人称{place}有人聚集吵闹，影响秩序"}, {}, 0},
      {"noise", {"报警人称楼上深夜噪音扰民", "报警人称附近{item}噪音太大"}, {"广场舞", "装修", "烧烤摊", "KTV"}, 0},
      {"liquor", {"报警人称{place}有人醉酒倒地"}, {}, 0},
      {"suspicious", {"报警人称{place}有可疑人员来回徘徊", "报警人称小区内有陌生人挨户敲门"}, {}, 0},
      {"alarm", {"{place}报警器报警，请求出警查看"}, {}, 0},
      {"trespass", {"报警人称有陌生人闯入{place}"}, {}, 0},
      {"public_order_other", {"报警人称{place}有人乱贴小广告", "报警人称有人在{place}强行推销"}, {}, 0},
      {"traffic_accident", {"报警人称在{place}发生两车剐蹭事故，无人员受伤", "报警人称在{place}电动车与轿车相撞，一人受伤"}, {}, 0},
      {"drink_driving", {"报警人称{place}有司机疑似酒后驾车"}, {}, 0},
      {"traffic_violation", {"报警人称车辆被他人车辆堵住无法驶出，要求挪车", "报警人称{place}有车辆违停堵塞通道"}, {}, 0},
      {"traffic_other", {"报警人称{place}路面有障碍物影响通行", "报警人称{place}信号灯故障"}, {}, 0},
      {"family_dispute", {"报警人称与丈夫发生争吵被打", "报警人称与家人因{item}发生纠纷"},
       {"赡养老人", "子女教育", "财产分割", "家务琐事"}, 0},
      {"neighbour_dispute", {"报警人称楼上漏水与邻居发生纠纷", "报警人称与邻居因{item}发生争吵"},
       {"停车位", "楼道堆物", "噪音", "宠物"}, 0},
      {"economic_dispute", {"报警人称{item}拖欠工资{amount}元", "报警人称在{place}购物与商家发生纠纷"},
       {"工地老板", "饭店老板", "公司"}, 8000},
      {"dispute_other", {"报警人称在{place}与人发生纠纷，要求处理"}, {}, 0},
      {"welfare_check", {"报警人称家中老人联系不上，请求上门查看", "报警人称钥匙锁在屋内，请求帮助", "报警人称{place}有老人迷路"}, {}, 0},
      {"missing_person", {"报警人称{item}走失"}, {"八岁的儿子", "患阿尔茨海默病的父亲", "女儿", "家中老人"}, 0},
      {"medical", {"报警人称{place}有人晕倒，请求协助急救"}, {}, 0},
      {"help_other", {"报警人称{item}，请求帮助"}, {"手机遗失", "被困电梯", "车辆抛锚", "钱包丢失"}, 0},
      {"fire", {"报警人称{place}有浓烟冒出", "报警人称家中厨房起火"}, {}, 0},
      {"disaster", {"报警人称暴雨导致{place}积水严重，有车辆被困"}, {}, 0},
      {"hazard", {"报警人称{place}有井盖缺失", "报警人称小区内电动车飞线充电存在隐患"}, {}, 0},
      {"administrative", {"报警人咨询{item}"}, {"户籍办理", "身份证补办", "居住证办理", "出入境业务"}, 0},
      {"abandoned_call", {"报警后无人说话，回拨无人接听", "报警人误拨110", "儿童拨打110玩耍"}, {}, 0},
      {"other", {"报警人称{place}有人需要帮助，情况不明", "报警人反映其他问题"}, {}, 0},
  };
  return sets;
}

void append_number(std::string& out, std::uint64_t n) {
  fmt::format_int f(n);
  out.append(f.data(), f.size());
}

}  // namespace

std::string_view bureau_name() { return "平安市公安局示范分局"; }
std::string_view station_name(int station) { return kStations[station]; }
std::string_view community_root(int community) { return kCommunityRoots[community]; }
std::string community_name(int community) {
  std::string_view root = kCommunityRoots[community];
  // Village names (…庄) read as villages, the rest as urban communities.
  bool village = root.size() >= 3 && root.substr(root.size() - 3) == "庄";
  return std::string(root) + (village ? "村" : "社区");
}
int road_count() { return int(std::size(kRoads)); }
std::string_view road_name(int road) { return kRoads[road]; }
std::string_view officer_name(int community) { return kOfficers[community]; }

std::string compound_name(int community, int block) {
  return std::string(kCommunityRoots[community]) + std::string(kCompoundSuffix[block % 4]);
}

std::string hotspot_name(HotspotKind kind, int ordinal, std::string_view root,
                         std::string_view road, std::string_view cross_road) {
  constexpr std::string_view kNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  std::string_view n = kNumbers[ordinal % 10];
  std::string r(root);
  std::string rd(road);
  switch (kind) {
    case HotspotKind::kMarket: return r + "农贸市场";
    case HotspotKind::kNightlife: return ordinal % 2 ? rd + "夜市" : rd + "酒吧街";
    case HotspotKind::kTransport: return ordinal == 0 ? "平安火车站" : "平安长途汽车站";
    case HotspotKind::kSchool:
      return ordinal % 2 ? "平安市第" + std::string(n) + "中学" : r + "小学";
    case HotspotKind::kMall: return r + "购物中心";
    case HotspotKind::kHospital:
      return ordinal == 0 ? "平安市中心医院" : "平安市第" + std::string(n) + "人民医院";
    case HotspotKind::kOldCompound: return r + "纺织厂宿舍";
    case HotspotKind::kUrbanVillage: return r + "城中村";
    case HotspotKind::kIndustrial: return ordinal == 0 ? "平安高新技术产业园" : r + "工业园";
    case HotspotKind::kPark: return ordinal == 0 ? "人民广场" : r + "公园";
    case HotspotKind::kEntertainment: return ordinal % 2 ? r + "网吧" : r + "KTV";
    case HotspotKind::kJunction: return rd + "与" + std::string(cross_road) + "路口";
  }
  return r;
}

void append_home_address(std::string& out, std::string_view road, std::string_view compound,
                         std::uint64_t h) {
  out.append(road);
  append_number(out, 1 + h % 299);
  out.append("号");
  out.append(compound);
  append_number(out, 1 + (h >> 12) % 24);
  out.append("号楼");
  append_number(out, 1 + (h >> 20) % 4);
  out.append("单元");
  append_number(out, (1 + (h >> 24) % 18) * 100 + 1 + (h >> 32) % 4);
  out.append("室");
}

void append_street_address(std::string& out, std::string_view road, std::string_view cross_road,
                           std::uint64_t h) {
  out.append(road);
  if (h % 3 == 0 && cross_road != road) {
    out.append("与");
    out.append(cross_road);
    out.append("交叉口");
    return;
  }
  append_number(out, 1 + (h >> 8) % 399);
  out.append((h >> 20) % 2 ? "号附近" : "号");
}

void append_venue_address(std::string& out, std::string_view venue, std::uint64_t h) {
  out.append(venue);
  out.append(kVenueSuffix[h % std::size(kVenueSuffix)]);
}

const DescriptionSet* find_descriptions(std::string_view type_code) {
  for (const DescriptionSet& s : description_sets())
    if (s.type_code == type_code) return &s;
  return nullptr;
}

void append_description(std::string& out, const DescriptionSet& set, std::string_view place,
                        Random& random) {
  std::string_view text = set.templates[random.below(std::uint32_t(set.templates.size()))];
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    size_t close = text.find('}', open);
    std::string_view slot = text.substr(open + 1, close - open - 1);
    if (slot == "place") {
      out.append(place);
    } else if (slot == "item") {
      out.append(set.items[random.below(std::uint32_t(set.items.size()))]);
    } else if (slot == "amount") {
      // Losses are heavy-tailed; rounded to the hundred as victims tell them.
      double amount = random.lognormal(set.amount_median, 1.0);
      append_number(out, std::uint64_t(std::max(1.0, std::round(amount / 100))) * 100);
    }
    pos = close + 1;
  }
}

std::string_view followup_assessment(std::string_view type_code) {
  if (type_code == "family_dispute") return "双方情绪仍不稳定，存在再次冲突风险，需社区民警回访";
  if (type_code == "neighbour_dispute") return "漏水、堆物等矛盾根源未消除，需协调物业后回访";
  if (type_code == "economic_dispute") return "欠款约定分期支付，需跟踪兑现情况";
  if (type_code == "hazard") return "隐患未完全整改，需限期复查销号";
  if (type_code == "noise") return "噪音问题反复发生，需回访确认整改";
  return "调解协议待履行，需回访确认";
}

void assign_mobile_number(std::string& out, std::uint64_t h) {
  out.clear();
  out.append(kMobilePrefixes[h % std::size(kMobilePrefixes)]);
  std::uint64_t rest = (h >> 8) % 100000000ULL;
  char digits[8];
  for (int i = 7; i >= 0; --i) {
    digits[i] = char('0' + rest % 10);
    rest /= 10;
  }
  out.append(digits, 8);
}

}  // namespace pingan::ingest
