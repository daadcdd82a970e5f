#pragma once
// The reference of bench_bulletin for the 10 M-incident district's incident
// figures: one pass over the generated rows (bench/analytics/dataset.h)
// counting, per class, the rows of the unit's subtree in each of the three
// periods. What a program without pingan's index does with the rows in
// memory; SQLite would need ~40 s to load them first (bench_analytics).

#include <array>
#include <string>
#include <vector>

#include "../analytics/dataset.h"
#include "core/taxonomy.h"
#include "core/unit.h"
#include "reference.h"

namespace pingan::bench {

class ScanReference {
 public:
  ScanReference(const Dataset& data, const Taxonomy& taxonomy, const UnitTree& tree, const std::string& root,
                const BulletinPeriods& periods)
      : data_(data), periods_(periods) {
    // The class of each type as 0 criminal, 1 public order, 2 traffic, 3 other.
    for (const IncidentType& t : taxonomy.types())
      type_class_.push_back(t.class_code == "criminal" ? 0 : t.class_code == "public_order" ? 1
                                                            : t.class_code == "traffic"      ? 2
                                                                                             : 3);
    // Units of the subtree: the root and every unit whose chain of parents reaches it.
    for (const std::string& code : data.unit_codes) {
      bool inside = false;
      for (const Unit* u = tree.find(code); u && !inside; u = u->parent_code.empty() ? nullptr : tree.find(u->parent_code))
        inside = u->code == root;
      in_subtree_.push_back(inside);
    }
  }

  ReferenceFigures figures() const {
    // counts[period][class]
    std::array<std::array<std::int64_t, 4>, 3> counts{};
    const Timestamp from[3] = {periods_.from, periods_.year_ago_from, periods_.previous_from};
    const Timestamp to[3] = {periods_.to, periods_.year_ago_to, periods_.previous_to};
    for (const BenchRow& r : data_.rows) {
      if (!in_subtree_[r.unit]) continue;
      for (int p = 0; p < 3; ++p)
        if (r.t >= from[p] && r.t < to[p]) ++counts[static_cast<size_t>(p)][static_cast<size_t>(type_class_[r.type])];
    }
    ReferenceFigures out;
    auto put = [&](const char* name, int cls) {
      auto n = [&](int p) {
        const auto& c = counts[static_cast<size_t>(p)];
        return cls < 0 ? c[0] + c[1] + c[2] + c[3] : c[static_cast<size_t>(cls)];
      };
      out[name] = ReferenceFigure{n(0), 0, n(1), n(2)};
    };
    put("incidents.total", -1);
    put("incidents.criminal", 0);
    put("incidents.public_order", 1);
    put("incidents.traffic", 2);
    return out;
  }

 private:
  const Dataset& data_;
  BulletinPeriods periods_;
  std::vector<int> type_class_;
  std::vector<bool> in_subtree_;
};

}  // namespace pingan::bench
