#include <fmt/format.h>

#include <charconv>

#include "core/text.h"
#include "dispatch/dispatch_service.h"

namespace pingan::dispatch {
namespace {

RunCard default_card() { return RunCard{"*", {RunCardNeed{std::nullopt, "", 1}}}; }

}  // namespace

RunCards RunCards::from_cards(std::vector<RunCard> cards) {
  RunCards out;
  for (RunCard& c : cards) out.by_type_[c.type_code] = std::move(c);
  if (!out.by_type_.count("*")) out.by_type_["*"] = default_card();
  return out;
}

Result<RunCards> RunCards::parse(std::string_view text, const std::string& origin) {
  std::map<std::string, RunCard> cards;
  int line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    if (line_no == 1 || trim(line).empty() || trim(line).front() == '#') continue;
    auto f = split(line, ',');
    const std::string where = fmt::format("{}:{}", origin, line_no);
    if (f.size() != 4)
      return Error::invalid("run_cards", fmt::format("{}: expected 4 fields (type_code,kind,role,count), found {}",
                                                     where, f.size()));
    RunCardNeed need;
    std::string type(trim(f[0]));
    if (type.empty()) return Error::invalid("run_cards", fmt::format("{}: empty type_code", where));
    if (!trim(f[1]).empty()) {
      auto kind = parse_patrol_kind(trim(f[1]));
      if (!kind.ok()) return Error::invalid("run_cards", fmt::format("{}: {}", where, kind.error().message));
      need.kind = *kind;
    }
    need.role = std::string(trim(f[2]));
    std::string_view count = trim(f[3]);
    auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), need.count);
    if (ec != std::errc() || end != count.data() + count.size() || need.count < 1 || need.count > 20)
      return Error::invalid("run_cards", fmt::format("{}: count '{}' is not a whole number in 1..20", where, count));
    RunCard& card = cards[type];
    card.type_code = type;
    card.needs.push_back(std::move(need));
  }
  std::vector<RunCard> list;
  for (auto& [type, card] : cards) list.push_back(std::move(card));
  return from_cards(std::move(list));
}



const RunCard& RunCards::for_type(const std::string& type_code) const {
  auto it = by_type_.find(type_code);
  if (it != by_type_.end()) return it->second;
  static const RunCard kFallback = default_card();
  auto star = by_type_.find("*");
  return star != by_type_.end() ? star->second : kFallback;
}

Status RunCards::check_types(const Taxonomy& taxonomy) const {
  for (const auto& [type, card] : by_type_)
    if (type != "*" && !taxonomy.find_type(type))
      return Error::invalid("run_cards", fmt::format("run card for unknown incident type '{}'", type));
  return {};
}

}  // namespace pingan::dispatch
