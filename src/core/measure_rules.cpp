#include "core/measure_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace pingan {
namespace {

using nlohmann::json;

constexpr std::string_view kTopKeys[] = {"about", "rules"};
constexpr std::string_view kRuleKeys[] = {"measure", "requires_any", "not_after", "once", "why"};

bool contains(const std::vector<MeasureKind>& kinds, MeasureKind k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

template <size_t N>
Status check_keys(const json& object, const std::string_view (&known)[N], const std::string& path,
                  const std::string& origin) {
  for (const auto& [key, value] : object.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
      std::string list;
      for (std::string_view k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
      return Error::invalid(path.empty() ? key : path + "." + key,
                            fmt::format("{}: unknown key '{}' (known: {})", origin, key, list));
    }
  return {};
}

// JSON text to a document, refusing a key repeated in one object, which the
// library would otherwise resolve silently by keeping the last.
Result<json> parse_strict(std::string_view text, const std::string& origin) {
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  auto watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    else if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    else if (event == json::parse_event_t::key && !open_objects.empty() &&
             !open_objects.back().insert(parsed.get<std::string>()).second && repeated.empty())
      repeated = parsed.get<std::string>();
    return true;
  };
  json doc;
  try {
    doc = json::parse(text.begin(), text.end(), watch);
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (auto cut = what.find("] "); cut != std::string::npos) what = what.substr(cut + 2);
    return Error::invalid("measure_rules", fmt::format("{}: not valid JSON: {}", origin, what));
  }
  if (!repeated.empty())
    return Error::invalid(repeated, fmt::format("{}: key '{}' appears twice in one object", origin, repeated));
  return doc;
}

Result<std::vector<MeasureKind>> read_kinds(const json& list, const std::string& path, const std::string& origin,
                                            MeasureKind self) {
  if (!list.is_array() || list.empty())
    return Error::invalid(path, fmt::format("{}: must be a non-empty list of measures", origin));
  std::vector<MeasureKind> out;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{}[{}]", path, i);
    if (!list[i].is_string())
      return Error::invalid(at, fmt::format("{}: {} is not a measure name", origin, list[i].dump()));
    Result<MeasureKind> k = parse_measure_kind(list[i].get<std::string>(), at);
    if (!k.ok()) return Error::invalid(at, fmt::format("{}: {}", origin, k.error().message));
    if (contains(out, *k))
      return Error::invalid(at, fmt::format("{}: '{}' is listed twice", origin, measure_kind_name(*k)));
    if (*k == self)
      return Error::invalid(at, fmt::format("{}: a rule of '{}' cannot name '{}' itself (use \"once\")", origin,
                                            measure_kind_name(self), measure_kind_name(self)));
    out.push_back(*k);
  }
  return out;
}

Result<MeasureRule> read_rule(const json& r, const std::string& path, const std::string& origin) {
  if (!r.is_object()) return Error::invalid(path, fmt::format("{}: a rule is an object", origin));
  PINGAN_RETURN_IF_ERROR(check_keys(r, kRuleKeys, path, origin));
  if (!r.contains("measure") || !r["measure"].is_string())
    return Error::invalid(path + ".measure", fmt::format("{}: a rule names its measure", origin));
  MeasureRule rule;
  Result<MeasureKind> k = parse_measure_kind(r["measure"].get<std::string>(), path + ".measure");
  if (!k.ok()) return Error::invalid(k.error().field, fmt::format("{}: {}", origin, k.error().message));
  rule.measure = *k;
  if (r.contains("requires_any")) {
    PINGAN_ASSIGN_OR_RETURN(rule.requires_any, read_kinds(r["requires_any"], path + ".requires_any", origin, *k));
  }
  if (r.contains("not_after")) {
    PINGAN_ASSIGN_OR_RETURN(rule.not_after, read_kinds(r["not_after"], path + ".not_after", origin, *k));
  }
  if (r.contains("once")) {
    if (!r["once"].is_boolean()) return Error::invalid(path + ".once", fmt::format("{}: must be true or false", origin));
    rule.once = r["once"].get<bool>();
  }
  if (r.contains("why")) {
    if (!r["why"].is_string()) return Error::invalid(path + ".why", fmt::format("{}: must be text", origin));
    rule.why = r["why"].get<std::string>();
  }
  if (rule.requires_any.empty() && rule.not_after.empty() && !rule.once)
    return Error::invalid(path, fmt::format("{}: the rule of '{}' says nothing (requires_any, not_after or once)",
                                            origin, measure_kind_name(*k)));
  return rule;
}

// Every measure must be recordable on some order: a measure is reachable
// when each of its requires_any rules names a reachable measure it may
// follow. A loop (a needs b, b needs a) or a rule requiring only what it may
// not follow would make a measure impossible; better refused at load than
// found by an officer who cannot record an arrest.
Status check_reachable(const std::vector<MeasureRule>& rules, const std::string& origin) {
  std::set<MeasureKind> reachable;
  for (bool grew = true; grew;) {
    grew = false;
    for (MeasureKind k : kAllMeasureKinds) {
      if (reachable.count(k)) continue;
      bool ok = true;
      for (const MeasureRule& r : rules) {
        if (r.measure != k || r.requires_any.empty()) continue;
        bool met = std::any_of(r.requires_any.begin(), r.requires_any.end(), [&](MeasureKind need) {
          if (!reachable.count(need)) return false;
          return std::none_of(rules.begin(), rules.end(), [&](const MeasureRule& o) {
            return o.measure == k && contains(o.not_after, need);
          });
        });
        if (!met) ok = false;
      }
      if (ok) {
        reachable.insert(k);
        grew = true;
      }
    }
  }
  for (MeasureKind k : kAllMeasureKinds)
    if (!reachable.count(k))
      return Error::invalid("rules", fmt::format("{}: no order of measures reaches {}: its requires_any rules "
                                                 "form a loop or name only measures it may not follow",
                                                 origin, measure_kind_label(k)));
  return {};
}

std::string or_list(const std::vector<MeasureKind>& kinds) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : (i + 1 == kinds.size() ? " or " : ", "), measure_kind_label(kinds[i]));
  return out;
}

std::string because(const MeasureRule& r) { return r.why.empty() ? "" : ": " + r.why; }

}  // namespace

Result<MeasureRules> MeasureRules::parse_json(std::string_view text, const std::string& origin) {
  PINGAN_ASSIGN_OR_RETURN(json doc, parse_strict(text, origin));
  if (!doc.is_object()) return Error::invalid("measure_rules", fmt::format("{}: must be a JSON object", origin));
  PINGAN_RETURN_IF_ERROR(check_keys(doc, kTopKeys, "", origin));
  if (doc.contains("about") && !doc["about"].is_string())
    return Error::invalid("about", fmt::format("{}: must be text", origin));
  if (!doc.contains("rules") || !doc["rules"].is_array())
    return Error::invalid("rules", fmt::format("{}: must be a list of rules", origin));
  MeasureRules out;
  for (size_t i = 0; i < doc["rules"].size(); ++i) {
    PINGAN_ASSIGN_OR_RETURN(MeasureRule rule, read_rule(doc["rules"][i], fmt::format("rules[{}]", i), origin));
    out.rules_.push_back(std::move(rule));
  }
  PINGAN_RETURN_IF_ERROR(check_reachable(out.rules_, origin));
  return out;
}

Status check_measure(const MeasureRules& rules, const std::vector<Measure>& earlier, const Measure& next) {
  std::vector<const Measure*> mine;
  for (const Measure& m : earlier)
    if (m.case_id == next.case_id && m.person_id == next.person_id && (next.id == 0 || m.id != next.id))
      mine.push_back(&m);
  for (const Measure* m : mine)
    if (m->at > next.at)
      return Error::invalid("at", fmt::format("{} on {} is before {} recorded at {}; a suspect's measures are "
                                              "recorded in the order they were taken",
                                              measure_kind_label(next.kind), format_utc(next.at),
                                              measure_kind_label(m->kind), format_utc(m->at)));
  auto recorded = [&](MeasureKind k) -> const Measure* {
    for (const Measure* m : mine)
      if (m->kind == k) return m;
    return nullptr;
  };
  for (const MeasureRule& r : rules.rules()) {
    if (r.measure != next.kind) continue;
    if (!r.requires_any.empty() &&
        std::none_of(r.requires_any.begin(), r.requires_any.end(), [&](MeasureKind k) { return recorded(k); }))
      return Error::conflict("kind", fmt::format("{} needs {} first{}", measure_kind_label(next.kind),
                                                 or_list(r.requires_any), because(r)));
    for (MeasureKind k : r.not_after)
      if (const Measure* m = recorded(k))
        return Error::conflict("kind", fmt::format("{} cannot follow {} (recorded at {}){}",
                                                   measure_kind_label(next.kind), measure_kind_label(k),
                                                   format_utc(m->at), because(r)));
    if (r.once)
      if (const Measure* m = recorded(next.kind))
        return Error::conflict("kind", fmt::format("{} is recorded once per suspect and case; it was at {}{}",
                                                   measure_kind_label(next.kind), format_utc(m->at), because(r)));
  }
  return {};
}

}  // namespace pingan
