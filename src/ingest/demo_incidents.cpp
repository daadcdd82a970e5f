// Generation of the demo district's incidents. A day at a time: the expected
// count of each type on that day (share x season x trend x weekday x holiday)
// gives a Poisson number of background incidents, each placed in time by the
// type's hour-of-day curve and in space at a hotspot or in a community by
// population; near-repeat offspring (ETAS branching) of burglaries and a few
// other types wait in a queue until their day comes. The day's drafts are
// sorted by time and turned into full incidents (text, phone, lifecycle) in
// that order, so only a day and the pending offspring are ever in memory.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <queue>
#include <stdexcept>

#include "ingest/demo_district.h"
#include "ingest/demo_geography.h"
#include "ingest/demo_profiles.h"
#include "ingest/demo_random.h"
#include "ingest/demo_text.h"

namespace pingan::ingest {
namespace {

constexpr int kSummerPeakDayOfYear = 200;  // about 19 July
constexpr double kBlockShare = 0.65;       // background points near a residential compound
constexpr double kBlockSigmaM = 250;
constexpr Timestamp kChinaStandardOffset = 8 * 3600;  // Asia/Shanghai, no DST since 1991

// A day number (days since 1970-01-01) of a civil date.
std::int64_t day_number(const CivilTime& date) {
  return civil_to_utc(CivilTime{date.year, date.month, date.day}) / 86400;
}

int weekday_of(std::int64_t day) { return int(((day % 7) + 7 + 3) % 7); }  // 0 = Monday

// Local midnights of the demo's days (and the one after the last), as UTC.
std::vector<Timestamp> local_midnights(const DemoOptions& options) {
  auto zone = TimeZone::locate("Asia/Shanghai");
  const std::int64_t first = day_number(options.first_day);
  std::vector<Timestamp> out;
  out.reserve(size_t(options.days) + 1);
  for (std::int64_t d = 0; d <= options.days; ++d) {
    CivilTime date = utc_to_civil((first + d) * 86400);
    out.push_back(zone.ok() ? zone->to_utc(date) : civil_to_utc(date) - kChinaStandardOffset);
  }
  return out;
}

double round6(double v) { return std::round(v * 1e6) / 1e6; }

// Appends `value` zero-padded to `width` digits (more when it needs more);
// fmt's runtime formatting of the two ids was a tenth of the generation time.
void append_digits(std::string& out, std::uint64_t value, int width) {
  char buffer[20];
  int n = 0;
  do {
    buffer[n++] = char('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (n < width) buffer[n++] = '0';
  while (n > 0) out.push_back(buffer[--n]);
}

// What the generator knows about one type, precomputed once.
struct TypeModel {
  const TypeProfile* profile = nullptr;
  const DescriptionSet* text = nullptr;
  std::string class_code;
  std::vector<double> hotspot_cumulative;    // by hotspot, strength x affinity
  std::vector<double> community_cumulative;  // by community, population x urban lean
  std::array<std::array<double, 24>, 2> hour_cumulative{};  // weekday, weekend
  bool criminal = false;
};

// An incident before its text: what the sort by time needs.
struct Draft {
  Timestamp at = 0;
  std::uint64_t order = 0;  // tie-break in generation order: keeps the sort deterministic
  GeoPoint where;
  std::int32_t day = 0;     // index of the local day of `at`
  std::uint16_t type = 0;
  std::int16_t hotspot = -1;
  std::uint16_t community = 0;
  std::uint16_t generation = 0;  // 0 background, n the n-th near repeat
};

struct LaterFirst {
  bool operator()(const Draft& a, const Draft& b) const {
    return a.at != b.at ? a.at > b.at : a.order > b.order;
  }
};

class Generator {
 public:
  Generator(const DemoOptions& options, const Taxonomy& taxonomy)
      : options_(options), geography_(options.seed), random_(options.seed),
        midnights_(local_midnights(options)), first_day_(day_number(options.first_day)) {
    for (int d = 0; d < options.days; ++d) dates_.push_back(utc_to_civil((first_day_ + d) * 86400));
    build_type_models(taxonomy);
    build_day_rates();
  }

  void run(const std::function<void(Incident&&)>& visit) {
    const Timestamp end = midnights_.back();
    std::priority_queue<Draft, std::vector<Draft>, LaterFirst> pending;
    std::vector<Draft> day;
    Incident incident;
    std::uint64_t sequence = 0;
    for (int d = 0; d < options_.days; ++d) {
      day.clear();
      const bool weekend = weekday_of(first_day_ + d) >= 5;
      for (size_t t = 0; t < types_.size(); ++t) {
        std::int64_t n = random_.poisson(rate(d, t));
        for (std::int64_t i = 0; i < n; ++i) day.push_back(background(d, t, weekend));
      }
      while (!pending.empty() && pending.top().at < midnights_[size_t(d) + 1]) {
        day.push_back(pending.top());
        pending.pop();
      }
      // Each incident of the day spawns its near repeats once; those falling
      // on the same day join the day (and spawn in turn).
      for (size_t i = 0; i < day.size(); ++i) {
        const Draft parent = day[i];
        spawn_repeats(parent, end, [&](const Draft& child) {
          if (child.day == d) day.push_back(child);
          else pending.push(child);
        });
      }
      std::sort(day.begin(), day.end(), [](const Draft& a, const Draft& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
      });
      int of_day = 0;
      for (const Draft& draft : day) {
        materialise(draft, ++sequence, ++of_day, end, incident);
        visit(std::move(incident));
      }
    }
  }

 private:
  void build_type_models(const Taxonomy& taxonomy) {
    const auto& hotspots = geography_.hotspots();
    const auto& communities = geography_.communities();
    for (const TypeProfile& p : type_profiles()) {
      TypeModel m;
      m.profile = &p;
      m.text = find_descriptions(p.code);
      const IncidentType* type = taxonomy.find_type(p.code);
      m.class_code = type ? type->class_code : "";
      m.criminal = m.class_code == "criminal";
      double total = 0;
      for (const auto& h : hotspots) {
        total += h.strength * hotspot_affinity(h.kind, p.code);
        m.hotspot_cumulative.push_back(total);
      }
      total = 0;
      for (const auto& c : communities) {
        total += c.population * std::exp(1.5 * p.urban_lean * (c.urbanity - 0.5));
        m.community_cumulative.push_back(total);
      }
      for (int w = 0; w < 2; ++w) {
        const auto& weights = hour_weights(p.rhythm, w == 1);
        double sum = 0;
        for (int h = 0; h < 24; ++h) m.hour_cumulative[size_t(w)][size_t(h)] = sum += weights[size_t(h)];
      }
      types_.push_back(std::move(m));
    }
  }

  // Expected counts of every (day, type), scaled so that the mean over the
  // whole period (background plus near repeats) is incidents_per_day.
  void build_day_rates() {
    rates_.resize(size_t(options_.days) * types_.size());
    double total = 0;
    for (int d = 0; d < options_.days; ++d) {
      const std::int64_t day = first_day_ + d;
      const CivilTime date = utc_to_civil(day * 86400);
      const int day_of_year = int(day - day_number(CivilTime{date.year, 1, 1}));
      const double cycle = std::cos(2 * M_PI * (day_of_year - kSummerPeakDayOfYear) / 365.25);
      const double years = d / 365.25;
      const int weekday = weekday_of(day);
      for (size_t t = 0; t < types_.size(); ++t) {
        const TypeProfile& p = *types_[t].profile;
        double r = p.share * (1 + p.season * cycle) * std::pow(1 + p.trend, years) *
                   weekday_factor(p.week, weekday) * holiday_factor(p.code, date);
        total += r;
        // Only the background is drawn directly; the near repeats add the rest.
        rates_[size_t(d) * types_.size() + t] = r * (1 - p.repeat_ratio);
      }
    }
    const double scale = options_.incidents_per_day * options_.days / total;
    for (double& r : rates_) r *= scale;
  }

  double rate(int d, size_t t) const { return rates_[size_t(d) * types_.size() + t]; }

  int second_of_day(const TypeModel& m, bool weekend, Random& random) const {
    size_t hour = random.pick(m.hour_cumulative[weekend ? 1 : 0]);
    return int(hour) * 3600 + int(random.below(3600));
  }

  Draft background(int d, size_t t, bool weekend) {
    const TypeModel& m = types_[t];
    Draft draft;
    draft.type = std::uint16_t(t);
    draft.day = d;
    draft.order = next_order_++;
    draft.at = midnights_[size_t(d)] + second_of_day(m, weekend, random_);
    place(m, draft);
    return draft;
  }

  // Puts the draft at a hotspot of the type or in a community by population.
  void place(const TypeModel& m, Draft& draft) {
    const auto& plane = geography_.plane();
    if (random_.chance(m.profile->hotspot_share)) {
      size_t h = random_.pick(m.hotspot_cumulative);
      const DemoHotspot& spot = geography_.hotspots()[h];
      for (int tries = 0; tries < 8; ++tries) {
        Xy p{spot.centre.x + spot.sigma_m * random_.normal(), spot.centre.y + spot.sigma_m * random_.normal()};
        if (!geography_.in_district(p)) continue;
        GeoPoint g = plane.to_geo(p);
        g = {round6(g.lat), round6(g.lon)};
        int c = geography_.locate(g);
        if (c < 0) continue;
        draft.where = g;
        draft.community = std::uint16_t(c);
        draft.hotspot = std::int16_t(h);
        return;
      }
    }
    const int c = int(random_.pick(m.community_cumulative));
    const DemoCommunity& community = geography_.communities()[size_t(c)];
    for (int tries = 0;; ++tries) {
      Xy p;
      if (tries < 6 && random_.chance(kBlockShare)) {
        Xy block = community.blocks[random_.below(std::uint32_t(community.blocks.size()))];
        p = {block.x + kBlockSigmaM * random_.normal(), block.y + kBlockSigmaM * random_.normal()};
      } else {
        p = geography_.uniform_point(c, random_);
      }
      GeoPoint g = plane.to_geo(p);
      g = {round6(g.lat), round6(g.lon)};
      if (community.boundary.contains(g)) {
        draft.where = g;
        draft.community = std::uint16_t(c);
        draft.hotspot = -1;
        return;
      }
    }
  }

  // ETAS-style offspring: Poisson(repeat_ratio) children, each a truncated
  // exponential number of days later at a fresh hour of the type's curve,
  // an exponential distance away (or at the same address).
  template <typename Sink>
  void spawn_repeats(const Draft& parent, Timestamp end, Sink&& sink) {
    const TypeModel& m = types_[parent.type];
    const TypeProfile& p = *m.profile;
    if (p.repeat_ratio <= 0) return;
    const std::int64_t children = random_.poisson(p.repeat_ratio);
    for (std::int64_t k = 0; k < children; ++k) {
      Draft child = parent;
      child.order = next_order_++;
      child.generation = std::uint16_t(parent.generation + 1);
      const int later = int(random_.truncated_exponential(p.repeat_days, 5 * p.repeat_days));
      child.day = parent.day + later;
      if (child.day >= options_.days) continue;
      const bool weekend = weekday_of(first_day_ + child.day) >= 5;
      child.at = midnights_[size_t(child.day)] + second_of_day(m, weekend, random_);
      if (child.at <= parent.at) {
        child.at = parent.at + 300 + random_.below(3 * 3600);
        if (child.at >= midnights_[size_t(child.day) + 1]) ++child.day;
        if (child.day >= options_.days) continue;
      }
      if (child.at >= end) continue;
      if (p.repeat_metres > 0) {
        const auto& plane = geography_.plane();
        double distance = random_.exponential(p.repeat_metres);
        double angle = random_.uniform(0, 2 * M_PI);
        Xy origin = plane.to_xy(parent.where);
        Xy q{origin.x + distance * std::cos(angle), origin.y + distance * std::sin(angle)};
        if (!geography_.in_district(q)) continue;
        GeoPoint g = plane.to_geo(q);
        g = {round6(g.lat), round6(g.lon)};
        int c = geography_.locate(g);
        if (c < 0) continue;
        child.where = g;
        child.community = std::uint16_t(c);
        if (distance > 300) child.hotspot = -1;
      }
      sink(child);
    }
  }

  void materialise(const Draft& draft, std::uint64_t sequence, int of_day, Timestamp end,
                   Incident& inc) {
    const TypeModel& m = types_[draft.type];
    const TypeProfile& p = *m.profile;
    const DemoCommunity& community = geography_.communities()[draft.community];
    // Text and lifecycle draw from a stream of their own per incident, so
    // that they do not depend on how many draws earlier incidents took.
    Random random(mix64(options_.seed ^ 0x7465787473747265ULL) + sequence);
    // Same point, same flat, same caller: repeat calls from one home agree.
    const std::uint64_t place_hash =
        mix64(std::uint64_t(std::llround(draft.where.lat * 1e6)) * 0x9e3779b97f4a7c15ULL ^
                    std::uint64_t(std::llround(draft.where.lon * 1e6)) ^ options_.seed);

    inc.id = 0;
    inc.source = "demo";
    inc.source_id.clear();
    append_digits(inc.source_id, sequence, 9);
    // 接警单号: PA, the local date, the call's number on that day.
    const CivilTime& date = dates_[size_t(draft.day)];
    inc.case_number.assign("PA");
    append_digits(inc.case_number, std::uint64_t(date.year), 4);
    append_digits(inc.case_number, std::uint64_t(date.month), 2);
    append_digits(inc.case_number, std::uint64_t(date.day), 2);
    append_digits(inc.case_number, std::uint64_t(of_day), 5);
    inc.original_code.clear();
    inc.reported_at = draft.at;
    inc.location = draft.where;
    inc.type_code.assign(p.code);
    inc.class_code = m.class_code;
    inc.unit_code = community.code;
    inc.voided = false;
    inc.void_reason.clear();

    const std::string_view road = road_name(community.roads[place_hash % 3]);
    const std::string_view cross_road = road_name(community.roads[(place_hash >> 5) % 3]);
    const std::string_view compound = community.compounds[(place_hash >> 9) % community.compounds.size()];
    const DemoHotspot* spot = draft.hotspot >= 0 ? &geography_.hotspots()[size_t(draft.hotspot)] : nullptr;
    inc.address.clear();
    std::string_view place = road;
    if (p.address == AddressForm::kHome) {
      append_home_address(inc.address, road, compound, place_hash);
      place = compound;
    } else if (p.address == AddressForm::kVenue && spot) {
      append_venue_address(inc.address, spot->name, place_hash);
      place = spot->name;
    } else {
      append_street_address(inc.address, road, cross_road, place_hash);
    }
    inc.description.clear();
    append_description(inc.description, *m.text, place, random);

    // Automatic alarms come from the alarm company's line; a few callers
    // withhold their number.
    if (p.code == "alarm" || random.chance(0.02)) inc.reporter_phone.clear();
    else
      assign_mobile_number(inc.reporter_phone,
                                 p.address == AddressForm::kHome ? mix64(place_hash) : random.next());

    fill_lifecycle(draft, m, community, end, random, inc);
  }

  void fill_lifecycle(const Draft& draft, const TypeModel& m, const DemoCommunity& community,
                      Timestamp end, Random& random, Incident& inc) {
    const TypeProfile& p = *m.profile;
    LifecycleTimes t;
    std::optional<FollowUpTask> task;
    auto step = [&](Timestamp from, double seconds) { return from + std::max<Timestamp>(1, std::llround(seconds)); };
    Timestamp last = draft.at;
    if (random.chance(p.phone_settled)) {
      // Settled on the phone: advice, a call back, a hang-up checked.
      t.handled_at = last = step(last, std::clamp(random.lognormal(360, 0.6), 60.0, 3600.0));
      t.closed_at = step(last, random.lognormal(600, 0.8));
    } else {
      t.dispatched_at = last = step(last, std::clamp(random.lognormal(60, 0.5), 15.0, 600.0));
      // Travel: quicker in town, slower in the outskirts and at rush hour,
      // quicker for calls in progress.
      const int local_hour = int((draft.at - midnights_[size_t(draft.day)]) / 3600);
      const double remote = 1 - community.urbanity;
      double minutes = (1.6 + 7.0 * remote * remote) *
                       geography_.stations()[size_t(community.station)].response_factor;
      minutes *= p.urgency == 0 ? 0.8 : p.urgency == 2 ? 1.35 : 1.0;
      if (local_hour == 7 || local_hour == 8 || local_hour == 17 || local_hour == 18) minutes *= 1.25;
      else if (local_hour < 6) minutes *= 0.85;
      t.arrived_at = last = step(last, std::clamp(random.lognormal(minutes * 60, 0.45), 45.0, 3600.0));
      t.handled_at = last = step(last, std::max(120.0, random.lognormal(p.on_scene_minutes * 60, 0.6)));
      if (random.chance(p.followup)) {
        // 评估-派单-反馈-核查: assessed, tasked to the community officer with
        // a deadline, fed back, verified, then closed.
        t.followup_at = last = step(last, std::max(600.0, random.lognormal(4 * 3600, 0.7)));
        task = FollowUpTask{std::string(officer_name(draft.community)),
                            last + (random.chance(0.5) ? 3 : 7) * 86400,
                            std::string(followup_assessment(p.code))};
        t.fed_back_at = last = step(last, random.lognormal(2 * 86400, 0.6));
        t.verified_at = last = step(last, random.lognormal(86400, 0.6));
        t.closed_at = step(last, random.lognormal(2 * 3600, 0.8));
      } else if (m.criminal) {
        // Closed when the case is opened and handed to investigators.
        t.closed_at = step(last, random.lognormal(2 * 86400, 0.8));
      } else if (random.chance(0.1)) {
        // Waiting for paperwork, a second party or a report from elsewhere.
        t.closed_at = step(last, random.lognormal(86400, 0.8));
      } else {
        t.closed_at = step(last, random.lognormal(1800, 1.0));
      }
    }
    // The demo stops at `end`: later steps have not happened yet.
    inc.status = IncidentStatus::kReceived;
    inc.times = {};
    for (IncidentStatus s : kAllStatuses) {
      const auto* at = t.slot(s);
      if (!at || !at->has_value() || **at >= end) continue;
      *inc.times.slot(s) = **at;
      inc.status = s;
    }
    inc.followup.reset();
    if (task && inc.times.followup_at) inc.followup = std::move(task);
  }

  const DemoOptions options_;
  const DemoGeography geography_;
  Random random_;
  const std::vector<Timestamp> midnights_;
  const std::int64_t first_day_;
  std::vector<CivilTime> dates_;  // local date of each day
  std::vector<TypeModel> types_;
  std::vector<double> rates_;  // [day * types + type]
  std::uint64_t next_order_ = 0;
};

}  // namespace

Status validate_demo_options(const DemoOptions& o) {
  CivilTime date{o.first_day.year, o.first_day.month, o.first_day.day};
  if (!is_valid_civil(date) || o.first_day.year < 1970 || o.first_day.year > 2200)
    return Error::invalid("first_day", fmt::format("{}-{}-{} is not a date between 1970 and 2200",
                                                   o.first_day.year, o.first_day.month, o.first_day.day));
  if (o.days < 1 || o.days > 36500)
    return Error::invalid("days", fmt::format("{} days is outside 1..36500", o.days));
  if (!std::isfinite(o.incidents_per_day) || o.incidents_per_day <= 0 || o.incidents_per_day > 1e6)
    return Error::invalid("incidents_per_day",
                          fmt::format("{} is outside (0, 1000000]", o.incidents_per_day));
  return {};
}

Timestamp demo_end(const DemoOptions& options) {
  CivilTime date = utc_to_civil((day_number(options.first_day) + options.days) * 86400);
  auto zone = TimeZone::locate("Asia/Shanghai");
  return zone.ok() ? zone->to_utc(date) : civil_to_utc(date) - kChinaStandardOffset;
}

Status check_demo_taxonomy(const Taxonomy& taxonomy) {
  for (const TypeProfile& p : type_profiles()) {
    if (!taxonomy.find_type(p.code))
      return Error::invalid("type", fmt::format("the demo generates type '{}', which the taxonomy lacks", p.code));
    if (!find_descriptions(p.code))
      return Error::internal(fmt::format("the demo has no description text for type '{}'", p.code));
  }
  return {};
}

void generate_demo_incidents(const DemoOptions& options, const Taxonomy& taxonomy,
                             const std::function<void(Incident&&)>& visit) {
  if (Status s = validate_demo_options(options); !s.ok())
    throw std::invalid_argument("demo options: " + s.error().describe());
  if (Status s = check_demo_taxonomy(taxonomy); !s.ok())
    throw std::invalid_argument("demo taxonomy: " + s.error().describe());
  Generator(options, taxonomy).run(visit);
}

}  // namespace pingan::ingest
