#pragma once
// The ledger index attached to an engine (issue 21): filled by one scan of
// every ledger type's items, then kept current by the engine's ledger
// events (its own writes and, through the change log, other processes'),
// its unit tree, and rebuilt on a resync. Subscribes before it scans: an
// item written during the scan is applied again by its event, after the
// scan's copy, and apply() replaces by id, so nothing is counted twice or
// missed.

#include <memory>

#include "engine/engine.h"
#include "ledger/ledger_index.h"

namespace pingan::ledger {

Result<std::shared_ptr<LedgerIndex>> attach_ledger_index(Engine& engine);

}  // namespace pingan::ledger
