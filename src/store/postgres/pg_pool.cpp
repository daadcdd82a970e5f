#include "store/postgres/pg_pool.h"

namespace pingan::pg {

Lease::~Lease() {
  if (pool_ && c_) pool_->give_back(std::move(c_));
}

Pool::Pool(std::string url, std::string writer, int size)
    : url_(std::move(url)), writer_(std::move(writer)), size_(size < 1 ? 1 : size) {}

Result<Lease> Pool::lease(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy()) return Lease(this, std::move(c));
      --open_;  // broken (the server restarted): dropped, a new one opened below
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();  // connecting takes a round trip or more
      auto c = Connection::open(url_, writer_);
      if (!c.ok()) {
        std::lock_guard relock(mutex_);
        --open_;
        freed_.notify_one();
        return c.error();
      }
      return Lease(this, std::move(c).value());
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= size_)
      return Error::unavailable("PostgreSQL: every connection of the pool is busy; try again");
  }
}

void Pool::give_back(std::unique_ptr<Connection> c) {
  // A call that returned inside a transaction (an error path that skipped
  // its rollback) must not lend that transaction to the next caller.
  if (c->healthy() && PQtransactionStatus(c->raw()) != PQTRANS_IDLE)
    (void)c->exec_script("ROLLBACK", "rolling back a returned connection");
  std::lock_guard lock(mutex_);
  if (c->healthy()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;
  }
  freed_.notify_one();
}

}  // namespace pingan::pg
