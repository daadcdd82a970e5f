#include "ingest/correction_targets.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace pingan::ingest {

std::uint64_t CorrectionTargets::key(std::string_view case_number, std::string_view code) {
  std::uint64_t a = std::hash<std::string_view>{}(case_number);
  std::uint64_t b = std::hash<std::string_view>{}(code);
  return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

Status CorrectionTargets::load(Engine& engine, const std::string& source) {
  PINGAN_ASSIGN_OR_RETURN(auto records, engine.live_case_records(source));
  targets_.clear();
  targets_.reserve(records.size());
  for (const IncidentStore::CaseRecord& r : records) add(r.id, r.case_number, r.original_code);
  loaded_ = true;
  return {};
}

void CorrectionTargets::add(IncidentId id, std::string_view case_number, std::string_view code) {
  if (case_number.empty()) return;
  targets_.push_back({key(case_number, code), id});
}

std::vector<IncidentId> CorrectionTargets::take_earliest(std::span<const Want> wants) {
  std::vector<IncidentId> taken(wants.size(), 0);
  // The wants of each key in order, and a bit per low key bits so that the
  // pass over all targets rarely needs the map.
  std::unordered_map<std::uint64_t, std::vector<size_t>> waiting;
  std::vector<std::uint64_t> filter(1024, 0);  // 65,536 bits
  size_t open = 0;
  for (size_t i = 0; i < wants.size(); ++i) {
    if (wants[i].case_number.empty()) continue;
    std::uint64_t k = key(wants[i].case_number, wants[i].original_code);
    waiting[k].push_back(i);
    filter[(k >> 6) & 1023] |= std::uint64_t{1} << (k & 63);
    ++open;
  }
  for (auto& [k, w] : waiting) std::reverse(w.begin(), w.end());  // pop_back = earliest want
  for (Target& t : targets_) {
    if (open == 0) break;
    if (t.id == 0 || !(filter[(t.key >> 6) & 1023] & (std::uint64_t{1} << (t.key & 63)))) continue;
    auto it = waiting.find(t.key);
    if (it == waiting.end() || it->second.empty()) continue;
    taken[it->second.back()] = t.id;
    it->second.pop_back();
    t.id = 0;
    --open;
  }
  return taken;
}

}  // namespace pingan::ingest
