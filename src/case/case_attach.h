#pragma once
// The case index attached to an engine (issue 20): filled by one scan of
// the cases, listings and dissuasion tasks, then kept current by the
// engine's case events (its own writes and, through the change log, other
// processes'), its unit tree, and rebuilt on a resync. Subscribes before it
// scans: a record written during the scan is applied again by its event,
// and apply() replaces by id, so nothing is counted twice or missed.

#include <memory>

#include "case/case_index.h"
#include "engine/engine.h"

namespace pingan::cases {

Result<std::shared_ptr<CaseIndex>> attach_case_index(Engine& engine);

}  // namespace pingan::cases
