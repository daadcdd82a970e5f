#pragma once
// `pingan serve`'s scheduled bulletins (issue 22; docs/bulletins.md
// "Scheduled bulletins"): a thread doing one round of
// report/scheduled_bulletins.h every `period` (a minute), first at start,
// with the settings in force at each round, so a SIGHUP reload changes the
// schedule at the next round. A failing run is logged with spdlog::error
// once, naming the run, and retried every round, never fatal. Stops and
// joins on destruction (after the round in progress).

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/live_settings.h"
#include "core/bulletin_schedule.h"
#include "report/scheduled_bulletins.h"

namespace pingan::cli {

// report::scheduled_bulletin_folder() for a --db: beside a SQLite file, in
// the working directory for a postgresql:// URL.
std::filesystem::path bulletin_folder(const BulletinSchedule& schedule, const std::string& database,
                                      const std::string& override_dir);

class BulletinScheduleRunner {
 public:
  // `settings`, read at every round; `database` and `override_dir` as for
  // bulletin_folder(). `inputs` must stay callable until destruction.
  BulletinScheduleRunner(std::shared_ptr<config::LiveSettings> settings, TimeZone zone, report::BulletinInputs inputs,
                         std::string database, std::string override_dir, std::chrono::milliseconds period);
  ~BulletinScheduleRunner();
  BulletinScheduleRunner(const BulletinScheduleRunner&) = delete;
  BulletinScheduleRunner& operator=(const BulletinScheduleRunner&) = delete;

 private:
  void run();

  const std::shared_ptr<config::LiveSettings> settings_;
  const TimeZone zone_;
  const report::BulletinInputs inputs_;
  const std::string database_;
  const std::string override_dir_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the rest is ready
};

}  // namespace pingan::cli
