#pragma once
// `pingan serve`'s follower of other writers: a thread calling
// Engine::catch_up() every `period`, so that what another process commits
// (`pingan import` while the server runs) reaches the statistics and the
// live stream within a period or so. Stops and joins on destruction.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/engine.h"

namespace pingan::cli {

class ChangeFollower {
 public:
  ChangeFollower(Engine& engine, std::chrono::milliseconds period);
  ~ChangeFollower();
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

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
