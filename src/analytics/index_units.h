#pragma once
// Dense unit numbers for the index. Units of the tree are numbered in
// depth-first order, so that every subtree is one contiguous range of
// numbers: a scope becomes a few [begin, end) ranges, and the rows of a
// subtree, sorted by unit, are one contiguous run. Codes that incidents carry
// but the tree lacks (a unit since removed, an import without units) get
// numbers after the tree's and belong to no subtree.
//
// Thread safety: none; the index guards it.

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/unit.h"

namespace pingan::analytics {

inline constexpr std::uint16_t kNoUnit = std::numeric_limits<std::uint16_t>::max();

// Half-open ranges of dense unit numbers, sorted and disjoint.
struct UnitRanges {
  std::vector<std::pair<int, int>> ranges;
  bool unplaced = false;  // also rows with no unit (only an unrestricted scope sees them)
};

class UnitCatalog {
 public:
  UnitCatalog();
  explicit UnitCatalog(std::shared_ptr<const UnitTree> tree);

  int size() const { return static_cast<int>(units_.size()); }
  // -1 when the code is unknown.
  int find(std::string_view code) const;
  // The number of `code`, adding it as a unit outside the tree when new;
  // kNoUnit for an empty code or when the numbers are exhausted.
  std::uint16_t intern(const std::string& code);
  const Unit& at(int index) const { return *units_[static_cast<std::size_t>(index)]; }
  // The subtree of `index` is [index, subtree_end(index)).
  int subtree_end(int index) const { return subtree_end_[static_cast<std::size_t>(index)]; }
  int parent(int index) const { return parent_[static_cast<std::size_t>(index)]; }
  std::vector<int> children(int index) const;
  std::vector<int> roots() const;
  bool in_tree(int index) const { return index < tree_size_; }
  const std::shared_ptr<const UnitTree>& tree() const { return tree_; }

  // The units a scope sees; root codes that are not units of the tree see nothing.
  UnitRanges ranges(const UnitScope& scope) const;

 private:
  std::shared_ptr<const UnitTree> tree_;
  int tree_size_ = 0;
  std::vector<const Unit*> units_;  // tree units point into tree_; extras into extras_
  std::vector<std::unique_ptr<Unit>> extras_;
  std::vector<int> subtree_end_;
  std::vector<int> parent_;  // -1 for roots and extras
  std::unordered_map<std::string, int> by_code_;
};

}  // namespace pingan::analytics
