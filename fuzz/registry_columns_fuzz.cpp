// The registry import's column files (ingest/registry_import_columns.h) over
// arbitrary bytes, read both as a labels file (data/registry_columns/<kind>.json)
// and as a bureau's mapping file, for every kind: each answers an error that
// says why, or columns whose every target is one of the kind's and whose
// headers are not blank; mapping a table's headers with them puts each
// target on one column at most.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "ingest/registry_import_columns.h"

namespace {

using pingan::ingest::RegistryColumns;
using pingan::ingest::RegistryKind;

void check_columns(const pingan::Result<RegistryColumns>& parsed, RegistryKind kind) {
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();  // a refusal says why
    return;
  }
  std::set<std::string> targets;
  for (const pingan::ingest::RegistryTarget& t : pingan::ingest::registry_targets(kind)) targets.insert(t.code);
  std::vector<std::string> headers;
  for (const auto& [header, target] : parsed->headers) {
    if (header.empty() || !targets.count(target)) std::abort();
    headers.push_back(header);
  }
  std::set<std::string> mapped;
  for (const auto& c : pingan::ingest::map_registry_columns(headers, *parsed, nullptr)) {
    if (c.column >= headers.size() || !mapped.insert(c.target).second) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (RegistryKind kind : {RegistryKind::kPlaces, RegistryKind::kCameras, RegistryKind::kEnterprises,
                            RegistryKind::kRentalHouses, RegistryKind::kResidents}) {
    check_columns(pingan::ingest::parse_registry_labels(text, "labels.json", kind), kind);
    check_columns(pingan::ingest::parse_registry_mapping(text, "mapping.json", kind), kind);
  }
  return 0;
}
