#pragma once
// Audit entries written off the request's path (issue 20: the fugitive
// check). A handheld's check must answer in well under a millisecond, and
// an audit entry is a durable commit of the log (an fsync: milliseconds on
// most disks), so the check's entry is handed to this queue and written by
// its own thread, in order, right after. What that costs: entries posted
// in the moments before a crash or power cut may be lost (the queue holds
// them for the time of one commit, a few milliseconds, longer only when
// checks arrive faster than the disk commits); writes of records are still
// audited synchronously by the server. When more than `max_pending` entries
// wait, post() writes on the caller's thread instead: the queue never grows
// without bound and never drops an entry.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "auth/audit_log.h"

namespace pingan::auth {

class AuditQueue {
 public:
  explicit AuditQueue(std::shared_ptr<AuditLog> log, std::size_t max_pending = 10000);
  // Writes what is still queued, then stops the thread.
  ~AuditQueue();
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  void post(AuditEvent event);
  // Returns once every entry posted before the call is written (tests, stop).
  void drain();

 private:
  void run();
  static void write(AuditLog& log, const AuditEvent& event);

  std::shared_ptr<AuditLog> log_;
  const std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::deque<AuditEvent> pending_;  // GUARDED_BY(mutex_)
  bool writing_ = false;            // GUARDED_BY(mutex_): the thread holds an entry
  bool stopping_ = false;           // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace pingan::auth
