#pragma once
// The demo district's posts (执勤点位): per station a night post (夜巡点位,
// 20:00-02:00) at each of its nightlife and entertainment hotspots plus one
// in its most densely peopled community, and a school post (护学岗,
// 07:00-08:30) at each of its schools, or in its most densely peopled
// community when it has none. Deterministic in the seed (the map's).

#include <vector>

#include "core/patrol_post.h"
#include "ingest/demo_district.h"

namespace pingan::ingest {

std::vector<PatrolPost> demo_posts(const DemoOptions& options);

}  // namespace pingan::ingest
