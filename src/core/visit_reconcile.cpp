#include "core/visit_reconcile.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

#include "core/personal_masks.h"
#include "core/text.h"

namespace pingan {
namespace {

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The code point at s[i] of valid UTF-8, advancing i past it.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
  char32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
  ++i;
  for (int k = 0; k < extra; ++k, ++i) c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return c;
}

bool is_blank(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0x00A0; }

bool is_name_dot(char32_t c) {
  return c == '.' || c == 0x00B7 || c == 0x2022 || c == 0x30FB || c == 0x2027 || c == 0xFF0E || c == 0x2219;
}

// Union-find over listed (0..L-1) and seen (L..L+S-1) people.
struct Components {
  explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
  std::vector<std::size_t> parent;
};

}  // namespace

std::string normalise_person_name(std::string_view name) {
  std::string out;
  if (!is_valid_utf8(name)) {
    for (char c : name)
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
    return out;
  }
  for (std::size_t i = 0; i < name.size();) {
    char32_t c = next_code_point(name, i);
    if (is_blank(c)) continue;
    if (is_name_dot(c)) c = 0x00B7;
    else if (c >= 0xFF21 && c <= 0xFF3A) c = c - 0xFF21 + 'A';
    else if (c >= 0xFF41 && c <= 0xFF5A) c = c - 0xFF41 + 'A';
    else if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
    append_utf8(out, c);
  }
  return out;
}

const char* match_basis_name(MatchBasis b) { return b == MatchBasis::kIdKey ? "id_key" : "name_phone"; }

const char* ambiguity_reason_name(AmbiguityReason r) {
  switch (r) {
    case AmbiguityReason::kSharedIdKey: return "shared_id_key";
    case AmbiguityReason::kSeveralMatches: return "several_matches";
    case AmbiguityReason::kNameWithoutPhone: return "name_without_phone";
  }
  return "shared_id_key";
}

const char* ambiguity_reason_zh(AmbiguityReason r) {
  switch (r) {
    case AmbiguityReason::kSharedIdKey: return "身份证号重复";
    case AmbiguityReason::kSeveralMatches: return "姓名和电话对应多人";
    case AmbiguityReason::kNameWithoutPhone: return "姓名相同但缺少电话无法确认";
  }
  return "身份证号重复";
}

VisitReconciliation reconcile_visit(std::span<const VisitPerson> listed, std::span<const VisitPerson> seen) {
  VisitReconciliation out;
  const std::size_t n_listed = listed.size(), n_seen = seen.size();
  std::vector<bool> listed_done(n_listed, false), seen_done(n_seen, false);

  // 1. The ID hash, when both sides carry one.
  std::map<std::string, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> by_key;
  for (std::size_t i = 0; i < n_listed; ++i)
    if (!listed[i].id_key.empty()) by_key[listed[i].id_key].first.push_back(i);
  for (std::size_t j = 0; j < n_seen; ++j)
    if (!seen[j].id_key.empty()) by_key[seen[j].id_key].second.push_back(j);
  for (auto& [key, sides] : by_key) {
    auto& [ls, ss] = sides;
    if (ls.size() == 1 && ss.size() == 1) {
      out.found.push_back({ls[0], ss[0], MatchBasis::kIdKey});
    } else if (ls.size() > 1 || ss.size() > 1) {
      out.ambiguous.push_back({AmbiguityReason::kSharedIdKey, ls, ss});
    } else {
      continue;  // one side only: the name and phone may still match someone without a hash
    }
    for (std::size_t i : ls) listed_done[i] = true;
    for (std::size_t j : ss) seen_done[j] = true;
  }

  // 2. Name and phone among the rest. Edges join people who may be one;
  // a component that is exactly one listed and one seen person joined by a
  // confirmed edge is a match, any larger one an ambiguity.
  std::vector<std::string> listed_names(n_listed), seen_names(n_seen);
  std::map<std::string, std::vector<std::size_t>> listed_by_name;
  for (std::size_t i = 0; i < n_listed; ++i) {
    if (listed_done[i]) continue;
    listed_names[i] = normalise_person_name(listed[i].name);
    if (!listed_names[i].empty()) listed_by_name[listed_names[i]].push_back(i);
  }
  Components parts(n_listed + n_seen);
  struct Edge {
    std::size_t listed, seen;
    bool confirmed;
  };
  std::vector<Edge> edges;
  for (std::size_t j = 0; j < n_seen; ++j) {
    if (seen_done[j]) continue;
    seen_names[j] = normalise_person_name(seen[j].name);
    auto it = listed_by_name.find(seen_names[j]);
    if (seen_names[j].empty() || it == listed_by_name.end()) continue;
    const std::string seen_phone = normalise_phone(seen[j].phone);
    for (std::size_t i : it->second) {
      // Both hashed, and (step 1 left them) the hashes differ: two people.
      if (!listed[i].id_key.empty() && !seen[j].id_key.empty()) continue;
      const std::string listed_phone = normalise_phone(listed[i].phone);
      const bool both_phones = !seen_phone.empty() && !listed_phone.empty();
      if (both_phones && seen_phone != listed_phone) continue;  // the same name, another person
      edges.push_back({i, j, both_phones});
      parts.join(i, n_listed + j);
    }
  }
  struct Group {
    std::vector<std::size_t> listed, seen;
    bool any_confirmed = false, all_confirmed = true;
  };
  std::map<std::size_t, Group> groups;
  for (std::size_t i = 0; i < n_listed; ++i)
    if (!listed_done[i]) groups[parts.find(i)].listed.push_back(i);
  for (std::size_t j = 0; j < n_seen; ++j)
    if (!seen_done[j]) groups[parts.find(n_listed + j)].seen.push_back(j);
  for (const Edge& e : edges) {
    Group& g = groups[parts.find(e.listed)];
    g.any_confirmed |= e.confirmed;
    g.all_confirmed &= e.confirmed;
  }
  for (auto& [root, g] : groups) {
    if (g.seen.empty()) {
      out.left.insert(out.left.end(), g.listed.begin(), g.listed.end());
    } else if (g.listed.empty()) {
      out.new_people.insert(out.new_people.end(), g.seen.begin(), g.seen.end());
    } else if (g.listed.size() == 1 && g.seen.size() == 1 && g.all_confirmed) {
      out.found.push_back({g.listed[0], g.seen[0], MatchBasis::kNamePhone});
    } else {
      out.ambiguous.push_back({g.any_confirmed ? AmbiguityReason::kSeveralMatches : AmbiguityReason::kNameWithoutPhone,
                               std::move(g.listed), std::move(g.seen)});
    }
  }

  std::sort(out.found.begin(), out.found.end(),
            [](const FoundPerson& a, const FoundPerson& b) { return a.listed < b.listed; });
  std::sort(out.new_people.begin(), out.new_people.end());
  std::sort(out.left.begin(), out.left.end());
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  auto first = [&](const std::vector<std::size_t>& v) { return v.empty() ? kNone : v.front(); };
  std::sort(out.ambiguous.begin(), out.ambiguous.end(), [&](const VisitAmbiguity& a, const VisitAmbiguity& b) {
    return std::make_tuple(first(a.listed), first(a.seen)) < std::make_tuple(first(b.listed), first(b.seen));
  });
  return out;
}

}  // namespace pingan
