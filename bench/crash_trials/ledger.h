#pragma once
// What the crash trials' clients wrote, and what came back: every write
// sent, in order, marked acknowledged (a whole 2xx reply) or in flight (the
// server died before a whole reply). verify.h checks these against the
// restarted server.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pingan::crash {

enum class WriteKind { kCreate, kTransition, kDispatch, kArrive, kClear };
inline constexpr int kWriteKinds = 5;

inline std::string_view kind_name(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreate: return "create";
    case WriteKind::kTransition: return "transition";
    case WriteKind::kDispatch: return "dispatch";
    case WriteKind::kArrive: return "arrive";
    case WriteKind::kClear: return "clear";
  }
  return "?";
}

struct Write {
  WriteKind kind = WriteKind::kCreate;
  bool acknowledged = false;  // false: in flight when the server was killed
  std::int64_t incident = 0;  // 0 only for a create in flight (its id never came back)
  std::string source_id;      // creates: how an unanswered one is found again
  std::string state;          // transitions: the state asked for
  std::string note;           // transitions: unique, to find the very step in the events
  std::string unit;           // dispatch, arrive, clear: the call sign
};

// One client thread's trial. Each client works alone on its own incidents
// and its own patrol units, so its log is the full story of both: at most
// its last write is in flight.
struct ClientLog {
  std::vector<Write> writes;
  std::int64_t refused = 0;              // answered, but not 2xx: no write, nothing to check
  std::vector<std::string> refusals;     // the first few, for the report
  bool transport_error_before_kill = false;
};

}  // namespace pingan::crash
