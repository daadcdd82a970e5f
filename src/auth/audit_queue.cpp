#include "auth/audit_queue.h"

#include <spdlog/spdlog.h>

namespace pingan::auth {

AuditQueue::AuditQueue(std::shared_ptr<AuditLog> log, std::chrono::milliseconds linger, std::size_t max_pending)
    : log_(std::move(log)), linger_(linger), max_pending_(max_pending), thread_([this] { run(); }) {}

AuditQueue::~AuditQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditQueue::write(AuditLog& log, const std::vector<AuditEvent>& events) {
  if (log.append_all(events).ok()) return;
  // One bad entry refuses the batch: write them one by one, so that only
  // that one is lost (and logged).
  for (const AuditEvent& event : events) {
    auto appended = log.append(event);
    if (!appended.ok()) spdlog::error("audit entry not written: {}", appended.error().describe());
  }
}

void AuditQueue::post(AuditEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (pending_.size() < max_pending_) {
      pending_.push_back(std::move(event));
      wake_.notify_one();
      return;
    }
  }
  // Full: the caller waits for the disk like any audited write.
  write(*log_, {event});
}

void AuditQueue::drain() {
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [this] { return pending_.empty() && !writing_; });
}

void AuditQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) break;  // stopping, and nothing left to write
    // Gather what arrives within `linger` of the first: one commit for all.
    if (!stopping_) wake_.wait_for(lock, linger_, [this] { return stopping_; });
    std::vector<AuditEvent> batch(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_.clear();
    writing_ = true;
    lock.unlock();
    write(*log_, batch);
    lock.lock();
    writing_ = false;
    if (pending_.empty()) drained_.notify_all();
  }
  drained_.notify_all();
}

}  // namespace pingan::auth
