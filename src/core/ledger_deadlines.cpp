// Durations ("72h", "15d") and one "deadlines" entry of a ledger definition.

#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "core/ledger_definition.h"
#include "core/ledger_json_reader.h"
#include "core/text_limits.h"

namespace pingan {

Result<std::int64_t> parse_ledger_duration(std::string_view text, const std::string& field) {
  if (text == "0") return std::int64_t{0};
  auto bad = [&](std::string_view why) {
    return Error::invalid(field, fmt::format("'{}' is not a duration: {} (write \"30m\", \"72h\" or \"15d\")",
                                             text, why));
  };
  if (text.empty()) return bad("it is empty");
  if (text.front() == '-') return bad("it is negative");
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return bad("it ends in neither m, h nor d");
  }
  std::string_view digits = text.substr(0, text.size() - 1);
  if (digits.empty()) return bad("it has no number");
  // Up to 100 years: beyond that the figure is a typo, and seconds stay far from overflow.
  constexpr std::int64_t kMaxSeconds = std::int64_t{100} * 366 * 86400;
  std::int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return bad("the number is not a whole number of minutes, hours or days");
    n = n * 10 + (c - '0');
    if (n * unit > kMaxSeconds) return bad("it is longer than 100 years");
  }
  return n * unit;
}

namespace ledger_json {

Result<LedgerDeadline> read_deadline(const Reader& r, const json& value, const std::string& path) {
  PINGAN_RETURN_IF_ERROR(r.object(value, path, {"code", "label", "start_state", "start_step", "until", "due",
                                                "remind_before", "escalations"}));
  LedgerDeadline d;
  PINGAN_ASSIGN_OR_RETURN(d.code, r.code(value, "code", path));
  PINGAN_ASSIGN_OR_RETURN(d.label, r.text(value, "label", path, kMaxNameChars));
  if (value.contains("start_state") == value.contains("start_step"))
    return r.fail(path, "names exactly one of start_state and start_step");
  if (value.contains("start_state")) {
    PINGAN_ASSIGN_OR_RETURN(d.start_state, r.code(value, "start_state", path));
  } else {
    PINGAN_ASSIGN_OR_RETURN(d.start_step, r.code(value, "start_step", path));
  }
  PINGAN_ASSIGN_OR_RETURN(d.until, r.code_list(value, "until", path, true));
  if (!value.contains("due")) return r.fail(join(path, "due"), "is required");
  PINGAN_ASSIGN_OR_RETURN(d.due_s, r.duration(value, "due", path, 0));
  if (d.due_s <= 0) return r.fail(join(path, "due"), "must be longer than 0");
  PINGAN_ASSIGN_OR_RETURN(d.remind_before_s, r.duration(value, "remind_before", path, 0));
  if (d.remind_before_s >= d.due_s)
    return r.fail(join(path, "remind_before"), "must be shorter than due (the reminder would come before the start)");

  if (value.contains("escalations")) {
    const json& list = value["escalations"];
    std::string where = join(path, "escalations");
    if (!list.is_array() || list.empty()) return r.fail(where, "must be a non-empty list of {code, label, after}");
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string item = at(where, i);
      PINGAN_RETURN_IF_ERROR(r.object(list[i], item, {"code", "label", "after"}));
      LedgerEscalation e;
      PINGAN_ASSIGN_OR_RETURN(e.code, r.code(list[i], "code", item));
      PINGAN_ASSIGN_OR_RETURN(e.label, r.text(list[i], "label", item, kMaxNameChars));
      if (!list[i].contains("after")) return r.fail(join(item, "after"), "is required");
      PINGAN_ASSIGN_OR_RETURN(e.after_s, r.duration(list[i], "after", item, 0));
      for (const LedgerEscalation& earlier : d.escalations) {
        if (earlier.code == e.code) return r.fail(join(item, "code"), fmt::format("'{}' is listed twice", e.code));
        if (earlier.after_s >= e.after_s)
          return r.fail(join(item, "after"), fmt::format("must be later than the escalation before it ('{}')",
                                                         earlier.code));
      }
      d.escalations.push_back(std::move(e));
    }
  }
  return d;
}

}  // namespace ledger_json
}  // namespace pingan
