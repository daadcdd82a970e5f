#pragma once
// The organisation: bureau → station → community/beat, each a Unit with an
// optional boundary. Statistics roll up this tree and users see only their
// subtree, so every query carries a UnitScope.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "core/status.h"

namespace pingan {

using UnitId = std::int64_t;

enum class UnitKind : std::uint8_t {
  kBureau,     // 市局 / 分局 / 县局
  kStation,    // 派出所 (also a precinct or patrol district of a foreign city)
  kCommunity,  // 社区 / 警务区 / beat
  kTeam,       // specialised unit: 刑侦大队, 治安大队, 特警, 快反 ...
};

const char* unit_kind_name(UnitKind kind);
Result<UnitKind> parse_unit_kind(std::string_view name);

struct Unit {
  UnitId id = 0;  // assigned by the store
  std::string code;  // unique, stable, e.g. "PA-S03-C02"
  std::string name;  // Chinese name shown to users
  UnitKind kind = UnitKind::kStation;
  std::string parent_code;  // empty for the root
  Boundary boundary;        // may be empty
};

// Checks code, name and parent fields of one unit (not the tree as a whole).
Status validate_unit(const Unit& unit);

// Which units a query may see: the subtrees under any of `roots`, or
// everything when `all` is set. Built from a user's units by auth later.
struct UnitScope {
  bool all = false;
  std::vector<std::string> root_codes;

  static UnitScope everything() { return UnitScope{true, {}}; }
  static UnitScope subtree(std::string code) { return UnitScope{false, {std::move(code)}}; }
};

// An immutable snapshot of the unit tree for lookups in memory.
class UnitTree {
 public:
  UnitTree() = default;
  // Refuses a tree with an unknown parent or a cycle.
  static Result<UnitTree> build(std::vector<Unit> units);

  const std::vector<Unit>& units() const { return units_; }
  const Unit* find(const std::string& code) const;
  const Unit* find(UnitId id) const;
  // Ids of the unit and all its descendants.
  std::vector<UnitId> subtree_ids(const std::string& code) const;
  // The deepest unit whose boundary holds the point, or null.
  const Unit* locate(const GeoPoint& p) const;
  // Codes from the root down to the unit itself.
  std::vector<std::string> path(const std::string& code) const;

 private:
  std::vector<Unit> units_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<UnitId, size_t> by_id_;
  std::vector<std::vector<size_t>> children_;
  std::vector<int> depth_;
};

}  // namespace pingan
