#include "cli/change_follower.h"

#include <spdlog/spdlog.h>

namespace pingan::cli {

ChangeFollower::ChangeFollower(Engine& engine, std::chrono::milliseconds period)
    : engine_(engine), period_(period), thread_([this] { run(); }) {}

ChangeFollower::~ChangeFollower() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ChangeFollower::run() {
  bool failing = false;  // log a failure once, and its end
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    // A big import arrives in many batches: take them back to back.
    for (;;) {
      auto applied = engine_.catch_up();
      if (!applied.ok()) {
        if (!failing) spdlog::warn("following other writers failed (retrying): {}", applied.error().describe());
        failing = true;
        break;
      }
      if (failing) spdlog::info("following other writers again");
      failing = false;
      if (*applied > 0) spdlog::debug("applied {} changes written by another process", *applied);
      if (*applied < 10'000) break;
    }
    // PostgreSQL wakes this at another server's commit (LISTEN); SQLite
    // sleeps the period. A failed wait (the database restarting) pauses
    // the period before the next try.
    if (!engine_.wait_for_changes(period_).ok()) {
      lock.lock();
      wake_.wait_for(lock, period_, [this] { return stopping_; });
      continue;
    }
    lock.lock();
  }
}

}  // namespace pingan::cli
