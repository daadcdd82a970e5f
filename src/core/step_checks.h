#pragma once
// What every dated, attributed step of a record's life shares: a case moving
// on, a fugitive caught, a dissuasion task's outcome, a measure on a suspect.
// The allowed moves of each life are a table of StepRule pairs beside its
// states (case_lifecycle.h, fugitive.h, dissuasion.h), read by
// is_allowed_step(); the times and the actor are checked here, so every life
// refuses a step back in time or from nobody in the same words.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace pingan {

// How far past `now` a step's time may lie: clocks of terminals and servers
// differ by a little. The caller passes it (the engine from its config,
// tests 0); incidents use 300 s.
inline constexpr std::int64_t kDefaultFutureToleranceS = 300;

// One allowed move of a life.
template <typename State>
struct StepRule {
  State from;
  State to;
};

template <typename State>
bool is_allowed_step(std::span<const StepRule<State>> table, State from, State to) {
  for (const StepRule<State>& r : table)
    if (r.from == from && r.to == to) return true;
  return false;
}

// One append-only entry of a record's history, as the store keeps it.
template <typename State>
struct StepEvent {
  std::optional<State> from;  // empty for the creating entry
  State to{};
  Timestamp at = 0;
  std::string actor;
  std::string note;
};

// Error::invalid(field, ...) when `at` is before `previous` (a life does not
// run backwards; equal times are allowed, two steps can be typed in the same
// second) or later than now + future_tolerance_s.
Status check_step_time(std::string_view field, Timestamp at, std::optional<Timestamp> previous,
                       Timestamp now, std::int64_t future_tolerance_s);

// A step is attributed: `actor` (an officer's name or badge) must not be
// blank and must fit kMaxNameChars.
Status check_actor(std::string_view field, std::string_view actor);

}  // namespace pingan
