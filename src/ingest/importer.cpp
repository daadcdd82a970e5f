#include "ingest/importer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ingest/source_importers.h"

namespace pingan::ingest {

std::vector<std::string> incident_formats() { return {"stlouis", "portland-nij", "slo"}; }

namespace {

Result<ImportReport> import_by_format(Engine& engine, const ImportOptions& options) {
  if (options.format == "stlouis") return import_stlouis(engine, options);
  if (options.format == "portland-nij") return import_portland_nij(engine, options);
  if (options.format == "slo") return import_slo(engine, options);
  return Error::invalid("format", fmt::format("unknown incident format '{}' (one of: {})", options.format,
                                              fmt::join(incident_formats(), ", ")));
}

}  // namespace

Result<ImportReport> import_incidents(Engine& engine, const ImportOptions& options) {
  // The batches commit without waiting for the disk; end_bulk() makes them
  // durable before this returns, also when the import stopped on an error
  // (its stored rows are kept and a retry skips them).
  PINGAN_RETURN_IF_ERROR(engine.begin_bulk());
  Result<ImportReport> report = import_by_format(engine, options);
  Status durable = engine.end_bulk();
  if (!durable.ok()) return durable.error();
  return report;
}

}  // namespace pingan::ingest
