#include "core/unit_numbering.h"

namespace pingan {

UnitNumbering::UnitNumbering() : UnitNumbering(std::make_shared<const UnitTree>()) {}

UnitNumbering::UnitNumbering(std::shared_ptr<const UnitTree> tree) : tree_(std::move(tree)) {
  const std::vector<Unit>& all = tree_->units();
  std::unordered_map<std::string, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].parent_code.empty() || !tree_->find(all[i].parent_code))
      roots.push_back(i);
    else
      children[all[i].parent_code].push_back(i);
  }
  // Depth-first without recursion (a deep tree must not exhaust the stack);
  // UnitTree::build refused cycles.
  struct Frame {
    std::size_t unit;
    int number;
    std::size_t next_child = 0;
  };
  subtree_end_.assign(all.size(), 0);
  for (std::size_t root : roots) {
    std::vector<Frame> stack;
    auto enter = [&](std::size_t u) {
      const int number = static_cast<int>(codes_.size());
      codes_.push_back(all[u].code);
      names_.push_back(all[u].name);
      by_code_.emplace(all[u].code, number);
      stack.push_back(Frame{u, number});
    };
    enter(root);
    while (!stack.empty()) {
      Frame& top = stack.back();
      auto it = children.find(all[top.unit].code);
      if (it != children.end() && top.next_child < it->second.size()) {
        enter(it->second[top.next_child++]);
        continue;
      }
      subtree_end_[static_cast<std::size_t>(top.number)] = static_cast<int>(codes_.size());
      stack.pop_back();
    }
  }
  tree_size_ = size();
}

int UnitNumbering::find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? -1 : it->second;
}

int UnitNumbering::intern(const std::string& code) {
  if (code.empty()) return -1;
  if (int i = find(code); i >= 0) return i;
  const int number = size();
  codes_.push_back(code);
  names_.push_back(code);
  subtree_end_.push_back(number + 1);
  by_code_.emplace(code, number);
  return number;
}

std::vector<int> UnitNumbering::children(int index) const {
  std::vector<int> out;
  const int begin = index < 0 ? 0 : index + 1;
  const int end = index < 0 ? tree_size_ : subtree_end(index);
  for (int c = begin; c < end; c = subtree_end(c)) out.push_back(c);
  return out;
}

}  // namespace pingan
