#pragma once
// One importer per source format; import_incidents() picks one by name.

#include "engine/engine.h"
#include "ingest/importer.h"

namespace pingan::ingest {

Result<ImportReport> import_stlouis(Engine& engine, const ImportOptions& options);
Result<ImportReport> import_portland_nij(Engine& engine, const ImportOptions& options);
Result<ImportReport> import_slo(Engine& engine, const ImportOptions& options);

}  // namespace pingan::ingest
