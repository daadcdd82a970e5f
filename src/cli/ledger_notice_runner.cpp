#include "cli/ledger_notice_runner.h"

#include <spdlog/spdlog.h>

namespace pingan::cli {

LedgerNoticeRunner::LedgerNoticeRunner(Engine& engine, std::chrono::milliseconds period)
    : engine_(engine), period_(period), thread_([this] { run(); }) {}

LedgerNoticeRunner::~LedgerNoticeRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LedgerNoticeRunner::run() {
  bool failing = false;  // log a failure once, and its end
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto recorded = engine_.ledger_notices().run(now_utc());
    if (!recorded.ok()) {
      if (!failing) spdlog::warn("ledger reminders failed (retrying): {}", recorded.error().describe());
      failing = true;
    } else {
      if (failing) spdlog::info("ledger reminders recorded again");
      failing = false;
      if (!recorded->empty()) spdlog::info("ledger reminders: {} new notices", recorded->size());
    }
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace pingan::cli
