#include "analytics/index_units.h"

#include <algorithm>

namespace pingan::analytics {

UnitCatalog::UnitCatalog() : UnitCatalog(std::make_shared<const UnitTree>()) {}

UnitCatalog::UnitCatalog(std::shared_ptr<const UnitTree> tree) : tree_(std::move(tree)) {
  const std::vector<Unit>& all = tree_->units();
  std::unordered_map<std::string, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].parent_code.empty() || !tree_->find(all[i].parent_code))
      roots.push_back(i);
    else
      children[all[i].parent_code].push_back(i);
  }
  // Iterative depth-first numbering; the tree was checked for cycles when built.
  struct Frame {
    std::size_t unit;
    int number;
    int parent;
    std::size_t next_child = 0;
  };
  units_.reserve(all.size());
  subtree_end_.assign(all.size(), 0);
  parent_.assign(all.size(), -1);
  for (std::size_t root : roots) {
    std::vector<Frame> stack;
    auto enter = [&](std::size_t u, int parent) {
      int number = static_cast<int>(units_.size());
      units_.push_back(&all[u]);
      parent_[static_cast<std::size_t>(number)] = parent;
      by_code_.emplace(all[u].code, number);
      stack.push_back(Frame{u, number, parent});
    };
    enter(root, -1);
    while (!stack.empty()) {
      Frame& top = stack.back();
      auto it = children.find(all[top.unit].code);
      if (it != children.end() && top.next_child < it->second.size()) {
        std::size_t child = it->second[top.next_child++];
        enter(child, top.number);
        continue;
      }
      subtree_end_[static_cast<std::size_t>(top.number)] = static_cast<int>(units_.size());
      stack.pop_back();
    }
  }
  tree_size_ = static_cast<int>(units_.size());
}

int UnitCatalog::find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? -1 : it->second;
}

std::uint16_t UnitCatalog::intern(const std::string& code) {
  if (code.empty()) return kNoUnit;
  if (int i = find(code); i >= 0) return static_cast<std::uint16_t>(i);
  if (units_.size() + 1 >= kNoUnit) return kNoUnit;
  auto unit = std::make_unique<Unit>();
  unit->code = code;
  unit->name = code;
  int number = static_cast<int>(units_.size());
  units_.push_back(unit.get());
  extras_.push_back(std::move(unit));
  subtree_end_.push_back(number + 1);
  parent_.push_back(-1);
  by_code_.emplace(code, number);
  return static_cast<std::uint16_t>(number);
}

std::vector<int> UnitCatalog::children(int index) const {
  std::vector<int> out;
  for (int c = index + 1; c < subtree_end(index); c = subtree_end(c)) out.push_back(c);
  return out;
}

std::vector<int> UnitCatalog::roots() const {
  std::vector<int> out;
  for (int r = 0; r < tree_size_; r = subtree_end(r)) out.push_back(r);
  return out;
}

UnitRanges UnitCatalog::ranges(const UnitScope& scope) const {
  UnitRanges out;
  if (scope.all) {
    if (size() > 0) out.ranges.emplace_back(0, size());
    out.unplaced = true;
    return out;
  }
  // Only units of the tree can be scope roots, as in the store: a code seen
  // only on incidents is no unit anyone can be given.
  for (const std::string& code : scope.root_codes)
    if (int i = find(code); i >= 0 && in_tree(i)) out.ranges.emplace_back(i, subtree_end(i));
  std::sort(out.ranges.begin(), out.ranges.end());
  // Nested or repeated roots: keep each unit once. Subtrees are nested or
  // disjoint, so only a nested one overlaps; neighbours stay apart, and each
  // range begins at a scope root.
  std::vector<std::pair<int, int>> merged;
  for (const auto& r : out.ranges) {
    if (!merged.empty() && r.first < merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  out.ranges = std::move(merged);
  return out;
}

}  // namespace pingan::analytics
