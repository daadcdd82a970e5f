#pragma once
// Chinese names and text of the demo district: stations, communities, roads,
// officers, hotspot names, addresses, call descriptions and phone numbers.
// Names are fixed lists (the same for every seed) so the district reads the
// same from one demo to the next; per-incident text is drawn from the
// caller's Random.

#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/demo_profiles.h"
#include "ingest/demo_random.h"

namespace pingan::ingest {

inline constexpr int kStationCount = 8;
inline constexpr int kCommunitiesPerStation = 5;
inline constexpr int kCommunityCount = kStationCount * kCommunitiesPerStation;

std::string_view bureau_name();
std::string_view station_name(int station);      // "东关派出所"
std::string_view community_root(int community);  // "和平" (names the community and its compounds)
std::string community_name(int community);       // "和平社区"
int road_count();
std::string_view road_name(int road);            // "文化东路"
std::string_view officer_name(int community);    // the 社区民警 of the community
// A compound (小区) of a community, e.g. "和平花园"; `block` 0..3.
std::string compound_name(int community, int block);
// The name of the `ordinal`-th hotspot of a kind, given roads of its community.
std::string hotspot_name(HotspotKind kind, int ordinal, std::string_view root,
                         std::string_view road, std::string_view cross_road);

// Addresses. `h` is a hash of the place, so that the same point always gets
// the same house number, building and room (repeat calls from one flat).
void append_home_address(std::string& out, std::string_view road, std::string_view compound,
                         std::uint64_t h);
void append_street_address(std::string& out, std::string_view road, std::string_view cross_road,
                           std::uint64_t h);
void append_venue_address(std::string& out, std::string_view venue, std::uint64_t h);

// Templates of the short call description (简要警情) of one type; null when
// the type has none (check_demo_taxonomy refuses that).
struct DescriptionSet;
const DescriptionSet* find_descriptions(std::string_view type_code);
// Appends one description; `place` fills a {place} slot.
void append_description(std::string& out, const DescriptionSet& set, std::string_view place,
                        Random& random);
// Why a second visit is needed (FollowUpTask::assessment).
std::string_view followup_assessment(std::string_view type_code);

// An 11-digit mainland mobile number drawn from the hash.
void assign_mobile_number(std::string& out, std::uint64_t h);

}  // namespace pingan::ingest
