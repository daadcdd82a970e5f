#pragma once
// The behaviour of each incident type in the demo district: how common it is,
// when in the day, week and year it happens, how it drifts from year to year,
// where it happens (hotspots or homes, town or outskirts), whether one event
// raises the chance of another nearby (near repeats), and how the police
// handle it. docs/demo.md explains the figures.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/time.h"

namespace pingan::ingest {

// Shape of the 24-hour day.
enum class Rhythm : std::uint8_t {
  kDaytime,    // business hours: fraud, economic disputes, pickpockets
  kEvening,    // people at home: family disputes, help, welfare
  kNight,      // nightlife: fights, drink, noise, disorder
  kCommute,    // traffic: morning and evening rush
  kBurglary,   // empty homes by day, sleeping homes by night
  kLateNight,  // alarms, suspicious persons, vandalism
};
inline constexpr int kRhythmCount = 6;

// Shape of the week (Monday first).
enum class WeekShape : std::uint8_t {
  kWorkdays,   // offices and shops: fewer at weekends
  kFlat,
  kWeekends,   // people at home: more disputes at weekends
  kNightlife,  // Friday and Saturday nights
};

// What kind of address the call gives.
enum class AddressForm : std::uint8_t {
  kHome,    // a flat: compound, building, unit, room
  kStreet,  // a number on a road or a crossing
  kVenue,   // the hotspot's name when there is one, else a street
};

// Kinds of persistent hotspot (places that draw certain incidents).
enum class HotspotKind : std::uint8_t {
  kMarket,         // 农贸市场
  kNightlife,      // 酒吧街 / 夜市
  kTransport,      // 火车站 / 汽车站
  kSchool,         // 学校
  kMall,           // 商场
  kHospital,       // 医院
  kOldCompound,    // 老旧小区
  kUrbanVillage,   // 城中村
  kIndustrial,     // 工业园
  kPark,           // 公园 / 广场
  kEntertainment,  // KTV / 网吧
  kJunction,       // 路口
};
inline constexpr int kHotspotKindCount = 12;

struct TypeProfile {
  std::string_view code;   // taxonomy type code
  double share;            // percent of all incidents before the modifiers below
  Rhythm rhythm;
  WeekShape week;
  double season;           // amplitude of the yearly cycle; > 0 peaks in late July
  double trend;            // change per year, e.g. -0.08 = 8% fewer each year
  double hotspot_share;    // share drawn to hotspots rather than homes and streets
  double urban_lean;       // -1 outskirts .. +1 town centre, for the background
  double repeat_ratio;     // near-repeat offspring per event (ETAS branching ratio)
  double repeat_metres;    // mean distance of an offspring (0 = same address)
  double repeat_days;      // mean delay of an offspring
  AddressForm address;
  double on_scene_minutes; // median time from arrival to handled
  double phone_settled;    // share settled by phone, never dispatched
  double followup;         // share sent through the follow-up loop
  int urgency;             // 0 urgent (in progress), 1 normal, 2 low priority
};

// Every type the demo generates, in taxonomy order.
std::span<const TypeProfile> type_profiles();

// Hour-of-day weights (local hours 0..23), for weekdays or weekends.
const std::array<double, 24>& hour_weights(Rhythm rhythm, bool weekend);
// Day-of-week factor, weekday 0 = Monday.
double weekday_factor(WeekShape shape, int weekday);
// Extra factor of a type on a local date for Chinese holidays: the Spring
// Festival week (known dates 2020-2030), National Day and Labour Day weeks,
// New Year's Eve, and the wage-arrears weeks before the Spring Festival.
double holiday_factor(std::string_view type_code, const CivilTime& date);

// How strongly a hotspot kind draws a type, on top of a small base draw
// that every crowded place has.
double hotspot_affinity(HotspotKind kind, std::string_view type_code);

}  // namespace pingan::ingest
