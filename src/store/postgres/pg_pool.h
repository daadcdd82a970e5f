#pragma once
// A small pool of libpq connections shared by one store's domain stores. A
// libpq connection serves one thread at a time: each store call leases one
// (waiting when all are out), runs its statements and transaction on it and
// gives it back. A connection found broken is replaced at the next lease, so
// that a restarted database is served again without restarting pingan; the
// call that met the break answers `unavailable` (503), never a half write.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace pingan::pg {

class Pool;

// One connection lent to one call; returned when the lease dies.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
  Lease(Lease&& o) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() { return *c_; }
  Connection* operator->() { return c_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> c_;
};

class Pool {
 public:
  // At most `size` connections to `url`, each naming `writer` (pg_connection.h).
  Pool(std::string url, std::string writer, int size);
  // Waits up to `wait` for a free connection, opening one when under size.
  Result<Lease> lease(std::chrono::milliseconds wait = std::chrono::seconds(10));
  const std::string& url() const { return url_; }
  const std::string& writer() const { return writer_; }

 private:
  friend class Lease;
  void give_back(std::unique_ptr<Connection> c);

  const std::string url_;
  const std::string writer_;
  const int size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;                                   // GUARDED_BY(mutex_): idle and lent
};

}  // namespace pingan::pg
