// The audit log's entries behind the engine's door: auth/audit_log.h chains
// and verifies them, the store keeps them.

#include "engine/engine.h"

namespace pingan {

AuditStore& Engine::audit_store() { return store_->audit(); }

}  // namespace pingan
