#pragma once
// Audit entries written off the request's path (issue 20: the fugitive
// check). A handheld's check must answer in well under a millisecond, and
// an audit entry is a durable commit of the log (an fsync: milliseconds on
// most disks), so the check's entry is handed to this queue and written by
// its own thread after the answer: the entries that arrive within `linger`
// of the first are written together in one commit (one fsync for a burst of
// checks). Measured by bench_fugitive_check on this 2-core machine: a check
// answered in 8 ms at p50 with its entry written before the answer, ~0.2 ms
// with the queue; a 20 ms linger left the p99 at 1.5 ms (a commit every
// 20 ms of checks competes with them for the CPU), 100 ms at 0.9-1.3 ms.
// What that costs: entries posted in the moments before a crash or power
// cut may be lost (the queue holds them for `linger` and one commit);
// writes of records are still audited synchronously by the server. When
// more than `max_pending` entries wait, post() writes on the caller's
// thread instead: the queue never grows without bound and never drops an
// entry.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/audit_log.h"

namespace pingan::auth {

class AuditQueue {
 public:
  explicit AuditQueue(std::shared_ptr<AuditLog> log, std::chrono::milliseconds linger = std::chrono::milliseconds(100),
                      std::size_t max_pending = 10000);
  // Writes what is still queued, then stops the thread.
  ~AuditQueue();
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  void post(AuditEvent event);
  // Returns once every entry posted before the call is written (tests, stop).
  void drain();

 private:
  void run();
  static void write(AuditLog& log, const std::vector<AuditEvent>& events);

  std::shared_ptr<AuditLog> log_;
  const std::chrono::milliseconds linger_;
  const std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::deque<AuditEvent> pending_;  // GUARDED_BY(mutex_)
  bool writing_ = false;            // GUARDED_BY(mutex_): the thread holds a batch
  bool stopping_ = false;           // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace pingan::auth
