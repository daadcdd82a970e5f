#pragma once
// Bulk mode on PostgreSQL (CaseStore and LedgerStore begin_bulk/end_bulk):
// between them a store's write transactions SET LOCAL synchronous_commit =
// off, so a commit returns once in the WAL buffers, not on disk; a crash
// may lose the last of them, never corrupt. wait_for_wal_flush() then
// makes every one of them durable: it waits until the flushed WAL position
// passes the position written now, without a write of its own and without
// a superuser's CHECKPOINT.

#include "core/status.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_pool.h"

namespace pingan::pg {

// Inside a transaction just begun on `c`: commit it without waiting for the
// disk when `bulk`.
Status relax_commit_if_bulk(Connection& c, bool bulk);

// Waits (up to 30 s, then kUnavailable) for the WAL writer to flush
// everything written so far.
Status wait_for_wal_flush(Pool& pool);

}  // namespace pingan::pg
