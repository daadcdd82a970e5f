#include "core/unit.h"

#include <fmt/format.h>

#include "core/text_limits.h"

namespace pingan {

const char* unit_kind_name(UnitKind kind) {
  switch (kind) {
    case UnitKind::kBureau: return "bureau";
    case UnitKind::kStation: return "station";
    case UnitKind::kCommunity: return "community";
    case UnitKind::kTeam: return "team";
  }
  return "station";
}

Result<UnitKind> parse_unit_kind(std::string_view name) {
  for (UnitKind k : {UnitKind::kBureau, UnitKind::kStation, UnitKind::kCommunity, UnitKind::kTeam})
    if (name == unit_kind_name(k)) return k;
  return Error::invalid("kind", fmt::format("unknown unit kind '{}' (bureau, station, community, team)", name));
}

Status validate_unit(const Unit& unit) {
  if (unit.code.empty()) return Error::invalid("code", "a unit needs a code");
  PINGAN_RETURN_IF_ERROR(check_length("code", unit.code, kMaxCodeChars));
  for (char c : unit.code)
    if (c == '/' || c == ' ' || static_cast<unsigned char>(c) < 0x20)
      return Error::invalid("code", fmt::format("unit code '{}' may not contain spaces, '/' or control characters", unit.code));
  if (unit.name.empty()) return Error::invalid("name", fmt::format("unit '{}' needs a name", unit.code));
  PINGAN_RETURN_IF_ERROR(check_length("name", unit.name, kMaxNameChars));
  PINGAN_RETURN_IF_ERROR(check_length("parent", unit.parent_code, kMaxCodeChars));
  if (unit.parent_code == unit.code) return Error::invalid("parent", fmt::format("unit '{}' cannot be its own parent", unit.code));
  return {};
}

Result<UnitTree> UnitTree::build(std::vector<Unit> units) {
  UnitTree t;
  t.units_ = std::move(units);
  for (size_t i = 0; i < t.units_.size(); ++i) {
    t.by_code_[t.units_[i].code] = i;
    if (t.units_[i].id) t.by_id_[t.units_[i].id] = i;
  }
  t.children_.resize(t.units_.size());
  for (size_t i = 0; i < t.units_.size(); ++i) {
    const auto& parent = t.units_[i].parent_code;
    if (parent.empty()) continue;
    auto it = t.by_code_.find(parent);
    if (it == t.by_code_.end())
      return Error::invalid("parent", fmt::format("unit '{}' names unknown parent '{}'", t.units_[i].code, parent));
    t.children_[it->second].push_back(i);
  }
  t.depth_.assign(t.units_.size(), -1);
  for (size_t i = 0; i < t.units_.size(); ++i) {
    // Walk up to the root; more steps than units means a cycle.
    int d = 0;
    size_t cur = i;
    while (!t.units_[cur].parent_code.empty()) {
      cur = t.by_code_[t.units_[cur].parent_code];
      if (++d > int(t.units_.size()))
        return Error::invalid("parent", fmt::format("unit '{}' is part of a parent cycle", t.units_[i].code));
    }
    t.depth_[i] = d;
  }
  return t;
}

const Unit* UnitTree::find(const std::string& code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &units_[it->second];
}

const Unit* UnitTree::find(UnitId id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &units_[it->second];
}

std::vector<UnitId> UnitTree::subtree_ids(const std::string& code) const {
  std::vector<UnitId> out;
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return out;
  std::vector<size_t> stack{it->second};
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    out.push_back(units_[i].id);
    for (size_t c : children_[i]) stack.push_back(c);
  }
  return out;
}

const Unit* UnitTree::locate(const GeoPoint& p) const {
  const Unit* best = nullptr;
  int best_depth = -1;
  for (size_t i = 0; i < units_.size(); ++i)
    if (depth_[i] > best_depth && units_[i].boundary.contains(p)) {
      best = &units_[i];
      best_depth = depth_[i];
    }
  return best;
}

std::vector<std::string> UnitTree::path(const std::string& code) const {
  std::vector<std::string> out;
  const Unit* u = find(code);
  while (u) {
    out.insert(out.begin(), u->code);
    u = u->parent_code.empty() ? nullptr : find(u->parent_code);
  }
  return out;
}

}  // namespace pingan
