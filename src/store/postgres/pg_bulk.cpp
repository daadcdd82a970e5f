#include "store/postgres/pg_bulk.h"

#include <chrono>
#include <thread>

namespace pingan::pg {

namespace {
// How long wait_for_wal_flush() waits for the WAL writer.
constexpr auto kFlushWait = std::chrono::seconds(30);
}  // namespace

Status relax_commit_if_bulk(Connection& c, bool bulk) {
  if (!bulk) return {};
  return c.exec_script("SET LOCAL synchronous_commit = off", "beginning a bulk write");
}

Status wait_for_wal_flush(Pool& pool) {
  PINGAN_ASSIGN_OR_RETURN(Lease c, pool.lease());
  PINGAN_ASSIGN_OR_RETURN(PgResult written, c->exec("SELECT pg_current_wal_insert_lsn()::text", "reading the WAL position"));
  Params p;
  p.add(written.view(0, 0));
  const auto deadline = std::chrono::steady_clock::now() + kFlushWait;
  while (true) {
    PINGAN_ASSIGN_OR_RETURN(PgResult flushed, c->exec("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", p,
                                                      "waiting for the bulk writes to reach the disk"));
    if (flushed.boolean(0, 0)) return {};
    if (std::chrono::steady_clock::now() > deadline)
      return Error::unavailable("the bulk writes did not reach the disk within 30 s (is the WAL writer stalled?)");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace pingan::pg
