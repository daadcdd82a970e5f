#pragma once
// The dated events the case index counts, one kind per thing a bulletin
// counts: a case opened (立案), a case solved (破案), a measure of each kind
// on a suspect (抓获, 刑事拘留 ... 打击处理), a fugitive listed or caught (old
// or new), fraud money stopped, frozen or returned, a warning issued or a
// person dissuaded. A record (case bundle, fugitive, dissuasion task) turns
// into a handful of events; the index keeps them per kind, by unit and type,
// sorted by time.
//
// What each kind counts, and the date and unit it goes by, is written once
// in case_figures.cpp (the figures' definitions), which is where readers
// look; derive_* in case_index_data.cpp is the code of those sentences.

#include <cstdint>
#include <iterator>

#include "core/measure.h"
#include "core/time.h"

namespace pingan::cases {

enum class EventKind : std::uint8_t {
  kCaseOpened,
  kCaseSolved,
  kMeasureFirst,  // one kind per MeasureKind, in its order
  kFugitiveListed = kMeasureFirst + 10,
  kFugitiveCaughtOld,
  kFugitiveCaughtNew,
  kMoneyStopped,
  kMoneyFrozen,
  kMoneyReturned,
  kDissuasionIssued,
  kDissuaded,
  kCaseMoneyInvolved,  // a case opened, valued at its money involved (涉案金额; for fraud the loss)
  kCount,
};

inline constexpr int kEventKindCount = static_cast<int>(EventKind::kCount);
static_assert(std::size(kAllMeasureKinds) == 10, "EventKind holds one kind per measure kind");

inline EventKind measure_event(MeasureKind k) {
  return static_cast<EventKind>(static_cast<int>(EventKind::kMeasureFirst) + static_cast<int>(k));
}

// How the rows of a kind make a figure: counted, summed (money in fen), or
// their persons counted once each (a person detained in two cases, or
// caught twice, is one person of the figure).
enum class Aggregate : std::uint8_t { kCount, kSum, kDistinct };

Aggregate aggregate_of(EventKind kind);

// One event of a record: its time, its value (the person for kDistinct
// kinds, the amount in fen for kSum kinds, the record's id otherwise), the
// dense unit (-1: none) and dense case type (0: none, for fugitives and
// warnings) it counts under.
struct Event {
  Timestamp t = 0;
  std::int64_t value = 0;
  int unit = -1;
  std::uint16_t type = 0;
  EventKind kind = EventKind::kCaseOpened;
};

}  // namespace pingan::cases
