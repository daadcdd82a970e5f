#include "ingest/demo_profiles.h"

#include <algorithm>

namespace pingan::ingest {
namespace {

using R = Rhythm;
using W = WeekShape;
using A = AddressForm;

// Shares follow the usual make-up of a Chinese 110 log: requests for help and
// disputes are half of all calls, criminal incidents under a tenth, theft the
// largest criminal type and homicide a handful a year. Trends: the property
// crimes fall (as the seeds report year on year), telecom fraud rises by a
// quarter a year. Seasons: nightlife, noise and theft peak in summer, fires
// in the heating season, wage disputes before the Spring Festival.
constexpr TypeProfile kProfiles[] = {
    // clang-format off
    //code                share  rhythm        week           season trend  hot   urban rep   rep_m rep_d addr       scene phone fup  urg
    {"homicide",          0.004, R::kNight,    W::kNightlife, 0.10,  -0.05, 0.30, 0.2,  0.0,  0,   0,   A::kHome,    180, 0.00, 0.00, 0},
    {"rape",              0.03,  R::kNight,    W::kNightlife, 0.25,  -0.03, 0.30, 0.2,  0.0,  0,   0,   A::kHome,    120, 0.00, 0.00, 0},
    {"robbery",           0.08,  R::kNight,    W::kFlat,      0.10,  -0.12, 0.45, 0.3,  0.1,  150, 5,   A::kStreet,  90,  0.00, 0.00, 0},
    {"snatching",         0.10,  R::kDaytime,  W::kFlat,      0.10,  -0.15, 0.50, 0.5,  0.1,  150, 5,   A::kVenue,   60,  0.00, 0.00, 0},
    {"assault",           0.35,  R::kNight,    W::kNightlife, 0.25,  -0.06, 0.45, 0.4,  0.0,  0,   0,   A::kVenue,   90,  0.00, 0.00, 0},
    {"burglary",          0.60,  R::kBurglary, W::kFlat,      0.20,  -0.10, 0.30, 0.0,  0.35, 80,  4,   A::kHome,    70,  0.00, 0.00, 1},
    {"vehicle_theft",     0.50,  R::kLateNight,W::kFlat,      0.10,  -0.10, 0.35, -0.2, 0.25, 120, 5,   A::kStreet,  50,  0.00, 0.00, 1},
    {"theft",             3.20,  R::kDaytime,  W::kWeekends,  0.20,  -0.07, 0.55, 0.5,  0.08, 150, 3,   A::kVenue,   45,  0.02, 0.00, 1},
    {"arson",             0.03,  R::kLateNight,W::kFlat,      -0.10, 0.00,  0.20, -0.2, 0.0,  0,   0,   A::kStreet,  120, 0.00, 0.00, 0},
    {"fraud",             0.60,  R::kDaytime,  W::kWorkdays,  0.00,  -0.05, 0.25, 0.3,  0.0,  0,   0,   A::kHome,    60,  0.05, 0.00, 1},
    {"telecom_fraud",     1.60,  R::kDaytime,  W::kWorkdays,  0.00,  0.25,  0.05, 0.1,  0.0,  0,   0,   A::kHome,    60,  0.05, 0.00, 1},
    {"forgery",           0.04,  R::kDaytime,  W::kWorkdays,  0.00,  0.00,  0.40, 0.5,  0.0,  0,   0,   A::kVenue,   60,  0.00, 0.00, 2},
    {"embezzlement",      0.05,  R::kDaytime,  W::kWorkdays,  0.00,  0.00,  0.50, -0.2, 0.0,  0,   0,   A::kVenue,   60,  0.05, 0.00, 2},
    {"stolen_property",   0.03,  R::kDaytime,  W::kFlat,      0.00,  -0.05, 0.40, 0.2,  0.0,  0,   0,   A::kVenue,   60,  0.00, 0.00, 2},
    {"weapons",           0.04,  R::kNight,    W::kNightlife, 0.10,  -0.05, 0.40, 0.2,  0.0,  0,   0,   A::kVenue,   90,  0.00, 0.00, 0},
    {"sex_offense",       0.08,  R::kEvening,  W::kFlat,      0.30,  0.00,  0.40, 0.3,  0.0,  0,   0,   A::kVenue,   90,  0.00, 0.00, 0},
    {"drugs",             0.08,  R::kNight,    W::kFlat,      0.00,  -0.05, 0.55, -0.1, 0.0,  0,   0,   A::kVenue,   120, 0.00, 0.00, 1},
    {"affray",            0.06,  R::kNight,    W::kNightlife, 0.35,  -0.12, 0.65, 0.4,  0.1,  100, 3,   A::kVenue,   120, 0.00, 0.00, 0},
    {"picking_quarrels",  0.25,  R::kNight,    W::kNightlife, 0.30,  -0.08, 0.60, 0.4,  0.0,  0,   0,   A::kVenue,   60,  0.00, 0.00, 0},
    {"gang",              0.01,  R::kDaytime,  W::kFlat,      0.00,  -0.20, 0.50, 0.0,  0.0,  0,   0,   A::kVenue,   120, 0.00, 0.00, 1},
    {"food_drug_env_ip",  0.04,  R::kDaytime,  W::kWorkdays,  0.10,  0.00,  0.50, -0.4, 0.0,  0,   0,   A::kVenue,   90,  0.00, 0.00, 2},
    {"family_child",      0.05,  R::kEvening,  W::kWeekends,  0.00,  0.00,  0.20, 0.0,  0.0,  0,   0,   A::kHome,    90,  0.00, 0.00, 0},
    {"criminal_other",    0.15,  R::kDaytime,  W::kFlat,      0.05,  -0.03, 0.30, 0.2,  0.0,  0,   0,   A::kStreet,  60,  0.02, 0.00, 1},
    {"simple_assault",    2.20,  R::kNight,    W::kNightlife, 0.30,  -0.05, 0.50, 0.4,  0.0,  0,   0,   A::kVenue,   40,  0.00, 0.00, 0},
    {"vandalism",         0.80,  R::kLateNight,W::kWeekends,  0.15,  -0.03, 0.30, 0.2,  0.1,  150, 4,   A::kStreet,  30,  0.03, 0.00, 1},
    {"prostitution",      0.15,  R::kNight,    W::kNightlife, 0.10,  -0.08, 0.75, 0.0,  0.0,  0,   0,   A::kVenue,   60,  0.00, 0.00, 2},
    {"gambling",          0.30,  R::kNight,    W::kWeekends,  -0.10, -0.10, 0.60, -0.3, 0.0,  0,   0,   A::kVenue,   45,  0.00, 0.00, 2},
    {"drug_use",          0.10,  R::kNight,    W::kFlat,      0.00,  -0.08, 0.65, -0.1, 0.0,  0,   0,   A::kVenue,   90,  0.00, 0.00, 1},
    {"disorder",          1.50,  R::kNight,    W::kNightlife, 0.35,  -0.05, 0.60, 0.5,  0.0,  0,   0,   A::kVenue,   30,  0.03, 0.00, 1},
    {"noise",             3.50,  R::kNight,    W::kWeekends,  0.45,  0.00,  0.15, 0.4,  0.0,  0,   0,   A::kHome,    20,  0.15, 0.02, 2},
    {"liquor",            0.40,  R::kNight,    W::kNightlife, 0.30,  0.00,  0.70, 0.4,  0.0,  0,   0,   A::kVenue,   30,  0.00, 0.00, 1},
    {"suspicious",        2.00,  R::kLateNight,W::kFlat,      0.15,  0.00,  0.35, 0.1,  0.0,  0,   0,   A::kStreet,  20,  0.05, 0.00, 1},
    {"alarm",             1.20,  R::kLateNight,W::kWeekends,  0.00,  -0.02, 0.30, 0.4,  0.0,  0,   0,   A::kVenue,   15,  0.10, 0.00, 1},
    {"trespass",          0.30,  R::kLateNight,W::kFlat,      0.10,  0.00,  0.35, 0.0,  0.0,  0,   0,   A::kVenue,   25,  0.00, 0.00, 1},
    {"public_order_other",1.50,  R::kEvening,  W::kFlat,      0.20,  -0.03, 0.35, 0.2,  0.0,  0,   0,   A::kStreet,  25,  0.08, 0.00, 1},
    {"traffic_accident",  9.00,  R::kCommute,  W::kWorkdays,  0.08,  0.03,  0.30, -0.1, 0.0,  0,   0,   A::kStreet,  40,  0.05, 0.00, 0},
    {"drink_driving",     0.50,  R::kNight,    W::kNightlife, 0.20,  -0.05, 0.50, 0.0,  0.0,  0,   0,   A::kStreet,  60,  0.00, 0.00, 1},
    {"traffic_violation", 2.50,  R::kCommute,  W::kWorkdays,  0.12,  0.05,  0.35, 0.5,  0.0,  0,   0,   A::kStreet,  15,  0.20, 0.00, 2},
    {"traffic_other",     1.00,  R::kCommute,  W::kFlat,      0.10,  0.00,  0.30, 0.0,  0.0,  0,   0,   A::kStreet,  20,  0.15, 0.00, 2},
    {"family_dispute",    6.00,  R::kEvening,  W::kWeekends,  0.15,  -0.02, 0.08, 0.0,  0.20, 0,   12,  A::kHome,    35,  0.05, 0.07, 1},
    {"neighbour_dispute", 5.00,  R::kEvening,  W::kWeekends,  0.25,  -0.02, 0.10, 0.2,  0.10, 0,   10,  A::kHome,    35,  0.08, 0.06, 1},
    {"economic_dispute",  6.00,  R::kDaytime,  W::kWorkdays,  -0.05, 0.05,  0.40, 0.1,  0.0,  0,   0,   A::kVenue,   40,  0.10, 0.04, 2},
    {"dispute_other",     4.00,  R::kEvening,  W::kWeekends,  0.18,  0.00,  0.35, 0.2,  0.0,  0,   0,   A::kVenue,   30,  0.10, 0.03, 1},
    {"welfare_check",     14.00, R::kEvening,  W::kFlat,      0.15,  0.04,  0.15, 0.1,  0.0,  0,   0,   A::kHome,    30,  0.15, 0.00, 1},
    {"missing_person",    2.00,  R::kEvening,  W::kWeekends,  0.25,  0.03,  0.35, 0.1,  0.0,  0,   0,   A::kVenue,   60,  0.00, 0.00, 0},
    {"medical",           4.00,  R::kEvening,  W::kFlat,      0.00,  0.05,  0.25, 0.2,  0.0,  0,   0,   A::kHome,    30,  0.05, 0.00, 0},
    {"help_other",        9.00,  R::kEvening,  W::kFlat,      0.18,  0.02,  0.30, 0.2,  0.0,  0,   0,   A::kStreet,  25,  0.30, 0.00, 1},
    {"fire",              1.20,  R::kEvening,  W::kFlat,      -0.25, 0.00,  0.20, -0.1, 0.0,  0,   0,   A::kHome,    60,  0.00, 0.00, 0},
    {"disaster",          0.20,  R::kDaytime,  W::kFlat,      0.60,  0.00,  0.05, -0.6, 0.0,  0,   0,   A::kStreet,  90,  0.00, 0.00, 0},
    {"hazard",            1.40,  R::kDaytime,  W::kWorkdays,  0.15,  0.00,  0.30, 0.0,  0.0,  0,   0,   A::kStreet,  30,  0.05, 0.25, 2},
    {"administrative",    3.00,  R::kDaytime,  W::kWorkdays,  0.05,  0.00,  0.10, 0.2,  0.0,  0,   0,   A::kHome,    20,  0.60, 0.00, 2},
    {"abandoned_call",    7.00,  R::kEvening,  W::kFlat,      0.10,  -0.10, 0.00, 0.2,  0.0,  0,   0,   A::kStreet,  10,  0.90, 0.00, 2},
    {"other",             3.00,  R::kEvening,  W::kFlat,      0.12,  0.00,  0.20, 0.2,  0.0,  0,   0,   A::kStreet,  20,  0.30, 0.00, 2},
    // clang-format on
};

// Hour weights, local hours 0..23. Every curve is lowest between 3 and 6 am.
constexpr std::array<std::array<double, 24>, kRhythmCount> kHours = {{
    // kDaytime
    {0.25, 0.15, 0.10, 0.08, 0.08, 0.12, 0.30, 0.60, 1.00, 1.40, 1.60, 1.60,
     1.30, 1.30, 1.50, 1.60, 1.60, 1.50, 1.30, 1.20, 1.00, 0.80, 0.60, 0.40},
    // kEvening
    {0.50, 0.35, 0.25, 0.18, 0.15, 0.20, 0.40, 0.70, 0.90, 1.00, 1.05, 1.05,
     1.00, 0.95, 1.00, 1.05, 1.10, 1.25, 1.45, 1.60, 1.65, 1.50, 1.20, 0.85},
    // kNight
    {1.50, 1.30, 1.00, 0.60, 0.30, 0.20, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50,
     0.60, 0.55, 0.55, 0.60, 0.70, 0.90, 1.20, 1.60, 1.90, 2.10, 2.10, 1.90},
    // kCommute
    {0.30, 0.20, 0.15, 0.12, 0.12, 0.20, 0.50, 1.50, 1.90, 1.30, 1.00, 1.10,
     1.20, 1.00, 1.00, 1.10, 1.40, 1.90, 1.80, 1.20, 0.90, 0.70, 0.50, 0.40},
    // kBurglary
    {0.70, 0.90, 1.00, 0.90, 0.60, 0.40, 0.40, 0.60, 0.90, 1.20, 1.40, 1.30,
     1.10, 1.20, 1.40, 1.30, 1.10, 0.90, 0.80, 0.80, 0.80, 0.80, 0.80, 0.70},
    // kLateNight
    {1.30, 1.30, 1.20, 1.00, 0.80, 0.60, 0.60, 0.70, 0.80, 0.80, 0.80, 0.80,
     0.80, 0.80, 0.80, 0.80, 0.90, 1.00, 1.00, 1.10, 1.20, 1.30, 1.40, 1.40},
}};

// At weekends people sleep in and stay out late: fewer calls in the early
// morning, more after midnight (Friday and Saturday nights spill over).
constexpr std::array<double, 24> kWeekendShift = {1.35, 1.35, 1.30, 1.20, 1.00, 0.90, 0.70, 0.65,
                                                  0.75, 0.90, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00,
                                                  1.00, 1.00, 1.00, 1.00, 1.05, 1.10, 1.15, 1.20};

constexpr std::array<std::array<double, 7>, 4> kWeek = {{
    {1.08, 1.06, 1.06, 1.06, 1.04, 0.88, 0.82},  // kWorkdays
    {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00},  // kFlat
    {0.92, 0.92, 0.92, 0.94, 1.02, 1.16, 1.12},  // kWeekends
    {0.84, 0.84, 0.88, 0.92, 1.16, 1.32, 1.04},  // kNightlife
}};

struct HolidayDate {
  int year, month, day;
};
// 春节 (the first day of the lunar year).
constexpr HolidayDate kSpringFestival[] = {
    {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29},
    {2026, 2, 17}, {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},
};

std::int64_t day_number(int y, int m, int d) { return civil_to_utc(CivilTime{y, m, d}) / 86400; }

bool is_any(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Effects of the Spring Festival week (eve to the sixth day): migrant workers
// go home, so street theft falls, while empty flats are burgled, fireworks
// start fires and families quarrel.
double spring_festival_factor(std::string_view t) {
  if (is_any(t, {"theft", "snatching", "robbery", "vehicle_theft"})) return 0.70;
  if (t == "burglary") return 1.35;
  if (t == "fire") return 2.60;
  if (t == "noise") return 1.50;
  if (t == "family_dispute") return 1.50;
  if (is_any(t, {"simple_assault", "liquor"})) return 1.25;
  if (t == "drink_driving") return 1.60;
  if (t == "traffic_accident") return 1.15;
  if (is_any(t, {"economic_dispute", "administrative", "fraud", "telecom_fraud", "hazard"})) return 0.45;
  if (t == "gambling") return 1.80;
  return 0.95;
}

// National Day and Labour Day golden weeks: trips, crowds at the sights.
double golden_week_factor(std::string_view t) {
  if (t == "traffic_accident") return 1.30;
  if (t == "missing_person") return 1.70;
  if (is_any(t, {"help_other", "theft", "disorder"})) return 1.15;
  if (is_any(t, {"economic_dispute", "administrative", "telecom_fraud", "fraud"})) return 0.65;
  return 1.0;
}

}  // namespace

std::span<const TypeProfile> type_profiles() { return kProfiles; }

const std::array<double, 24>& hour_weights(Rhythm rhythm, bool weekend) {
  static const auto weekend_tables = [] {
    std::array<std::array<double, 24>, kRhythmCount> out = kHours;
    for (auto& table : out)
      for (int h = 0; h < 24; ++h) table[h] *= kWeekendShift[h];
    return out;
  }();
  return weekend ? weekend_tables[int(rhythm)] : kHours[int(rhythm)];
}

double weekday_factor(WeekShape shape, int weekday) { return kWeek[int(shape)][weekday]; }

double holiday_factor(std::string_view type_code, const CivilTime& date) {
  const std::int64_t day = day_number(date.year, date.month, date.day);
  for (const HolidayDate& sf : kSpringFestival) {
    if (sf.year != date.year && sf.year != date.year + 1) continue;
    std::int64_t offset = day - day_number(sf.year, sf.month, sf.day);
    if (offset >= -1 && offset <= 6) return spring_festival_factor(type_code);
    // Workers chase unpaid wages in the three weeks before the holiday.
    if (offset >= -22 && offset < -1 && type_code == "economic_dispute") return 1.6;
  }
  if (date.month == 10 && date.day <= 7) return golden_week_factor(type_code);
  if (date.month == 5 && date.day <= 5) return 0.5 + 0.5 * golden_week_factor(type_code);
  if (date.month == 12 && date.day == 31 &&
      is_any(type_code, {"disorder", "simple_assault", "liquor", "drink_driving", "noise"}))
    return 1.4;
  return 1.0;
}

double hotspot_affinity(HotspotKind kind, std::string_view t) {
  constexpr double kBase = 0.15;  // any crowded place sees a little of everything
  double extra = 0;
  switch (kind) {
    case HotspotKind::kMarket:
      if (t == "theft") extra = 3;
      else if (t == "snatching") extra = 2;
      else if (is_any(t, {"economic_dispute", "dispute_other"})) extra = 1.5;
      else if (is_any(t, {"simple_assault", "fraud", "traffic_violation", "food_drug_env_ip"})) extra = 1;
      break;
    case HotspotKind::kNightlife:
      if (is_any(t, {"liquor", "affray"})) extra = 5;
      else if (is_any(t, {"simple_assault", "disorder", "picking_quarrels"})) extra = 4;
      else if (is_any(t, {"drink_driving", "assault", "weapons"})) extra = 3;
      else if (is_any(t, {"prostitution", "noise", "sex_offense"})) extra = 2;
      else if (t == "theft") extra = 1.5;
      break;
    case HotspotKind::kTransport:
      if (t == "theft") extra = 4;
      else if (is_any(t, {"missing_person", "stolen_property"})) extra = 3;
      else if (is_any(t, {"snatching", "fraud", "suspicious", "help_other"})) extra = 2;
      else if (is_any(t, {"robbery", "disorder", "forgery"})) extra = 1.5;
      break;
    case HotspotKind::kSchool:
      if (is_any(t, {"family_child", "traffic_violation"})) extra = 3;
      else if (is_any(t, {"traffic_accident", "missing_person", "suspicious"})) extra = 1.5;
      else if (t == "help_other") extra = 1;
      break;
    case HotspotKind::kMall:
      if (t == "theft") extra = 3;
      else if (is_any(t, {"economic_dispute", "missing_person", "forgery"})) extra = 2;
      else if (is_any(t, {"fraud", "vehicle_theft", "alarm"})) extra = 1.5;
      break;
    case HotspotKind::kHospital:
      if (t == "medical") extra = 4;
      else if (is_any(t, {"dispute_other", "theft"})) extra = 2;
      else if (is_any(t, {"economic_dispute", "welfare_check", "simple_assault"})) extra = 1;
      break;
    case HotspotKind::kOldCompound:
      if (t == "burglary") extra = 4;
      else if (t == "neighbour_dispute") extra = 3;
      else if (is_any(t, {"family_dispute", "noise", "fire", "hazard", "vehicle_theft"})) extra = 2;
      else if (t == "welfare_check") extra = 1.5;
      break;
    case HotspotKind::kUrbanVillage:
      if (is_any(t, {"gambling", "drug_use"})) extra = 4;
      else if (is_any(t, {"burglary", "drugs", "prostitution"})) extra = 3;
      else if (is_any(t, {"fire", "hazard", "vehicle_theft", "family_dispute"})) extra = 2;
      else if (is_any(t, {"simple_assault", "stolen_property"})) extra = 1.5;
      break;
    case HotspotKind::kIndustrial:
      if (is_any(t, {"economic_dispute", "embezzlement"})) extra = 4;
      else if (t == "food_drug_env_ip") extra = 3;
      else if (is_any(t, {"hazard", "fire"})) extra = 2;
      else if (is_any(t, {"theft", "vehicle_theft", "traffic_accident"})) extra = 1;
      break;
    case HotspotKind::kPark:
      if (is_any(t, {"missing_person", "noise"})) extra = 2;
      else if (is_any(t, {"medical", "sex_offense"})) extra = 1.5;
      else if (is_any(t, {"simple_assault", "disorder", "theft"})) extra = 1;
      break;
    case HotspotKind::kEntertainment:
      if (is_any(t, {"drug_use", "prostitution"})) extra = 3;
      else if (is_any(t, {"simple_assault", "gambling", "affray", "liquor", "picking_quarrels"})) extra = 2;
      else if (is_any(t, {"theft", "disorder"})) extra = 1;
      break;
    case HotspotKind::kJunction:
      if (t == "traffic_accident") extra = 5;
      else if (t == "traffic_violation") extra = 3;
      else if (is_any(t, {"drink_driving", "traffic_other"})) extra = 2;
      break;
  }
  return kBase + extra;
}

}  // namespace pingan::ingest
