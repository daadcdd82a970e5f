#pragma once
// Dense unit numbers for the statistics indexes of records (cases, ledgers).
// Units of the tree are numbered in depth-first order, so every subtree is
// one contiguous range [i, end(i)): a unit's figure is read from the rows of
// that range only. Codes that records carry but the tree lacks (a unit since
// removed, an import before its units) get numbers after the tree's and
// belong to no subtree but their own.
//
// In core so that every index layer (case/, ledger/) shares one numbering.
// analytics/index_units.h is the incidents' older variant (16-bit numbers,
// scope ranges); it could be rebuilt on this one.
//
// Thread safety: none; the owning index guards it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/unit.h"

namespace pingan {

class UnitNumbering {
 public:
  UnitNumbering();
  explicit UnitNumbering(std::shared_ptr<const UnitTree> tree);

  int size() const { return static_cast<int>(codes_.size()); }
  // -1 when unknown.
  int find(std::string_view code) const;
  // The number of `code`, added after the tree's units when new; -1 for "".
  int intern(const std::string& code);
  const std::string& code(int index) const { return codes_[static_cast<std::size_t>(index)]; }
  // The tree's name, or the code for a unit outside the tree.
  const std::string& name(int index) const { return names_[static_cast<std::size_t>(index)]; }
  int subtree_end(int index) const { return subtree_end_[static_cast<std::size_t>(index)]; }
  bool in_tree(int index) const { return index < tree_size_; }
  // The children of a tree unit, in order; the roots of the tree for -1.
  std::vector<int> children(int index) const;
  const std::shared_ptr<const UnitTree>& tree() const { return tree_; }

 private:
  std::shared_ptr<const UnitTree> tree_;
  int tree_size_ = 0;
  std::vector<std::string> codes_, names_;
  std::vector<int> subtree_end_;
  std::unordered_map<std::string, int> by_code_;
};

}  // namespace pingan
