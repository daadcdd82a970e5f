#pragma once
// `pingan serve`'s ledger scheduler: a thread calling
// Engine::ledger_notices().run(now) every `period` (a minute), so that the
// reminders and escalations of ledger deadlines (engine/ledger_notices.h)
// are recorded within a period of falling due. Several servers on one
// database may each run one: the store records every event once. The
// first run is at start. Stops and joins on destruction.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/engine.h"

namespace pingan::cli {

class LedgerNoticeRunner {
 public:
  LedgerNoticeRunner(Engine& engine, std::chrono::milliseconds period);
  ~LedgerNoticeRunner();
  LedgerNoticeRunner(const LedgerNoticeRunner&) = delete;
  LedgerNoticeRunner& operator=(const LedgerNoticeRunner&) = delete;

 private:
  void run();

  Engine& engine_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the rest is ready
};

}  // namespace pingan::cli
