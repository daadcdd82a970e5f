#include "cli/bulletin_schedule_runner.h"

#include <spdlog/spdlog.h>

#include <set>

#include "engine/engine.h"  // is_postgres_url

namespace pingan::cli {

namespace fs = std::filesystem;

fs::path bulletin_folder(const BulletinSchedule& schedule, const std::string& database, const std::string& override_dir) {
  const fs::path beside = is_postgres_url(database) ? fs::path() : fs::path(database).parent_path();
  return report::scheduled_bulletin_folder(schedule, beside, override_dir);
}

BulletinScheduleRunner::BulletinScheduleRunner(std::shared_ptr<config::LiveSettings> settings, TimeZone zone,
                                               report::BulletinInputs inputs, std::string database,
                                               std::string override_dir, std::chrono::milliseconds period)
    : settings_(std::move(settings)),
      zone_(std::move(zone)),
      inputs_(std::move(inputs)),
      database_(std::move(database)),
      override_dir_(std::move(override_dir)),
      period_(period),
      thread_([this] { run(); }) {}

BulletinScheduleRunner::~BulletinScheduleRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BulletinScheduleRunner::run() {
  std::set<std::string> failing;  // logged once each, until they pass
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const std::shared_ptr<const config::Settings> settings = settings_->current();
    const fs::path folder = bulletin_folder(settings->bulletin_schedule, database_, override_dir_);
    const report::BulletinRound round = report::run_due_bulletins(settings->bulletin_schedule, settings->data_dir, folder,
                                                                  zone_, inputs_, now_utc());
    for (const std::string& path : round.written) spdlog::info("scheduled bulletin written: {}", path);
    std::set<std::string> now_failing(round.failures.begin(), round.failures.end());
    for (const std::string& failure : now_failing)
      if (!failing.count(failure)) spdlog::error("scheduled bulletin failed (retried every round): {}", failure);
    if (!failing.empty() && now_failing.empty()) spdlog::info("scheduled bulletins: every due file written");
    failing = std::move(now_failing);
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace pingan::cli
