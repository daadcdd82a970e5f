#include "ingest/importer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ingest/source_importers.h"

namespace pingan {

std::vector<std::string> incident_formats() { return {"stlouis", "portland-nij", "slo"}; }

Result<ImportReport> import_incidents(Engine& engine, const ImportOptions& options) {
  if (options.format == "stlouis") return ingest::import_stlouis(engine, options);
  if (options.format == "portland-nij") return ingest::import_portland_nij(engine, options);
  if (options.format == "slo") return ingest::import_slo(engine, options);
  return Error::invalid("format", fmt::format("unknown incident format '{}' (one of: {})", options.format,
                                              fmt::join(incident_formats(), ", ")));
}

}  // namespace pingan
