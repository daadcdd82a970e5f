#pragma once
// When a long computation must give up: at a point in time (the server's
// per-request deadline) or when cancelled (its client went away). The
// server owns one per request and the computation polls it between units of
// work; polling is one atomic load and, every so often, a clock read.
//
// Thread safety: cancel() may be called from any thread while another polls.

#include <atomic>
#include <chrono>

#include "core/status.h"

namespace pingan {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // Never expires (CLI, tests, the index build).
  Deadline() = default;
  explicit Deadline(Clock::time_point at) : at_(at), bounded_(true) {}
  static Deadline after(Clock::duration d) { return Deadline(Clock::now() + d); }

  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  bool expired() const { return cancelled() || (bounded_ && Clock::now() >= at_); }

  // OK while there is time; otherwise unavailable, naming `what` was cut short
  // and why (the HTTP layer answers 503).
  Status check(const char* what) const;

  // A Deadline that never expires, for callers with no limit.
  static const Deadline& none();

 private:
  Clock::time_point at_{};
  bool bounded_ = false;
  std::atomic<bool> cancelled_{false};
};

}  // namespace pingan
