// LedgerDefinition::parse_json (core/ledger_definition.h) over arbitrary
// bytes: it answers an error naming the file, or a definition whose
// promises hold: one initial state, every step between defined states and
// leaving no final state, every deadline's states and escalations in order,
// and every state's steps listed by steps_from. An item created from an
// accepted definition with no fields either is refused with a reason or
// stands in the initial state.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/ledger_clock.h"
#include "core/ledger_definition.h"
#include "core/ledger_item.h"

namespace {

// Core only (no engine, no settings): a broken promise aborts, so that
// libFuzzer keeps the input.
void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

void check_definition(const pingan::LedgerDefinition& d) {
  int initial = 0;
  for (const pingan::LedgerState& s : d.states()) initial += s.initial;
  check(initial == 1, "exactly one initial state");
  for (const pingan::LedgerStep& s : d.steps()) {
    check(d.state(s.to) != nullptr, "a step goes to a defined state");
    check(!s.who.empty(), "someone may take every step");
    for (const std::string& from : s.from) {
      check(d.state(from) != nullptr && !d.state(from)->final, "a step leaves a defined, non-final state");
    }
    for (const std::string& f : s.fields) check(d.field(f) != nullptr, "a step's fields are defined");
    if (!s.verifies.empty()) check(d.step(s.verifies) != nullptr && s.verifies != s.code, "verifies another step");
  }
  for (const pingan::LedgerDeadline& dl : d.deadlines()) {
    check(dl.due_s > 0 && dl.remind_before_s >= 0 && dl.remind_before_s < dl.due_s, "deadline durations");
    for (std::size_t i = 1; i < dl.escalations.size(); ++i)
      check(dl.escalations[i - 1].after_s < dl.escalations[i].after_s, "escalations ascend");
  }
  for (const pingan::LedgerState& s : d.states())
    check(s.final == d.steps_from(s.code).empty(), "a state has steps out exactly when it is not final");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = pingan::LedgerDefinition::parse_json(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!parsed.ok()) {
    check(parsed.error().message.rfind("fuzz.json: ", 0) == 0, "a refusal names the file");
    return 0;
  }
  check_definition(*parsed);
  pingan::NewLedgerItem n;
  n.unit_code = "S01";
  n.actor = "fuzz";
  n.actor_grants = parsed->who_may_create();
  n.at = 1'717'200'000;
  auto item = pingan::create_ledger_item(*parsed, n);
  if (!item.ok()) {
    check(!item.error().message.empty(), "a refusal says why");
    return 0;
  }
  check(item->state == parsed->initial_state().code, "a new item stands in the initial state");
  auto dues = pingan::ledger_dues(*parsed, *item, n.at + 86400);
  check(dues.size() <= parsed->deadlines().size(), "at most one due per deadline");
  return 0;
}
