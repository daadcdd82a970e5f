#pragma once
// The order measures on a suspect may come in, as data
// (data/cases/measure_rules.json), and the one check every writer runs.
//
//   {"about": "...",
//    "rules": [
//      {"measure": "arrest", "requires_any": ["caught", "criminal_detention"], "why": "..."},
//      {"measure": "criminal_detention", "not_after": ["arrest", "sentence"], "why": "..."},
//      {"measure": "dealt_with", "once": true, "why": "..."}]}
//
// A rule constrains one measure against the measures already recorded on
// the same suspect in the same case:
//   requires_any  at least one of these comes first;
//   not_after     refused once any of these is recorded;
//   once          at most one such measure per suspect and case.
// A measure may have several rules; all must hold. A measure no rule names
// may come at any time. The parser is strict: an unknown key or measure, a
// repeated key, an empty list, a rule requiring itself, and a set of rules
// under which some measure could never be recorded are refused, naming what
// is wrong.

#include <string>
#include <string_view>
#include <vector>

#include "core/measure.h"
#include "core/status.h"

namespace pingan {

struct MeasureRule {
  MeasureKind measure = MeasureKind::kCaught;
  std::vector<MeasureKind> requires_any;
  std::vector<MeasureKind> not_after;
  bool once = false;
  std::string why;  // the reason, quoted in refusals
};

class MeasureRules {
 public:
  // Parses the file's text; `origin` (its path) starts every message. An
  // error's field is the JSON path at fault ("rules[3].requires_any[1]").
  static Result<MeasureRules> parse_json(std::string_view text, const std::string& origin);

  const std::vector<MeasureRule>& rules() const { return rules_; }

 private:
  std::vector<MeasureRule> rules_;
};

// The file inside a data folder; the caller reads it.
inline constexpr const char* kMeasureRulesFile = "cases/measure_rules.json";

// Whether `next` may be recorded after `earlier`, the measures already
// recorded (those of other suspects or cases in the list are ignored, so a
// caller may pass a case's whole list). `next` must not be dated before the
// latest of them (Error::invalid("at"): a suspect's measures are recorded in
// the order they were taken). A broken rule is Error::conflict("kind",
// "逮捕 (arrest) needs 抓获 (caught) or 刑事拘留 (criminal_detention) first: <why>").
// The measure's own fields are validate_measure()'s.
Status check_measure(const MeasureRules& rules, const std::vector<Measure>& earlier, const Measure& next);

}  // namespace pingan
