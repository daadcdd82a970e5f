// Unit boundaries from an arbitrary GeoJSON file (ingest::import_units, the
// layout detected from the file: generic, St. Louis neighbourhoods or
// Portland districts). Checked: it answers with an error on bad input, never
// throws; what it reports upserted is in the engine's tree afterwards.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "ingest/importer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pingan;
  const std::string path = fuzz::scratch().file("units.geojson");
  fuzz::write_file(path, fuzz::as_text(data, size));
  auto engine = fuzz::fresh_engine();
  Result<ingest::UnitImportReport> report = ingest::import_units(*engine, path, "");
  if (!report.ok()) {
    fuzz::check(report.error().code == ErrorCode::kInvalidArgument,
                "a unit import fails only on its input");
    fuzz::check(engine->units()->units().empty(), "nothing is written when a feature is bad");
    return 0;
  }
  fuzz::check(report->upserted <= report->read, "upserted <= read");
  fuzz::check(static_cast<std::int64_t>(engine->units()->units().size()) >=
                  std::min<std::int64_t>(report->upserted, 1),
              "the units are in the tree");
  return 0;
}
