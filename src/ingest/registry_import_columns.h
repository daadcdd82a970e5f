#pragma once
// Which spreadsheet column fills which part of a registry record (issue 21):
// places, cameras, enterprises, rental houses (with landlord and tenants)
// and residents (with their person).
//
// The parts a column may fill (targets) are code, one list per kind
// (registry_targets): they are the records' fields. The header labels that
// name them are data, one file per kind, data/registry_columns/<kind>.json,
// so a bureau edits its labels and aliases without a rebuild:
//
//   {"about": "...", "columns": {"name": ["场所名称", "名称"], "lat": ["纬度"], ...}}
//
// The first label of a target is the one messages show. It is parsed
// strictly: a target the kind does not have, a label that is blank, not a
// string or listed under two targets are refused, every message starting
// with the file's name.
//
// A bureau's own headers for one spreadsheet come from a mapping file
// (`--mapping`), the ledger import's format: one JSON object {"header
// text": "target"}, strict in the same way (a repeated header, two headers
// for one target). Its entries come before the labels, which still map the
// columns it does not name. A two-row header "基本信息/场所名称" matches on
// the whole and on its last part.
//
// Values; no I/O but the load_* functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace pingan::ingest {

enum class RegistryKind { kPlaces, kCameras, kEnterprises, kRentalHouses, kResidents };

const char* registry_kind_name(RegistryKind kind);  // "places", "rental_houses" ...
// Error::invalid("kind", ...) naming the kinds for an unknown name.
Result<RegistryKind> parse_registry_kind(std::string_view name);

// A part of a record a column may fill. `required`: the import is refused
// when no column maps to it (the unit only without a default unit), and a
// row whose cell is empty is refused.
struct RegistryTarget {
  const char* code;
  bool required;
};
// The targets of a kind, in record order. Every kind has "unit" (a unit by
// code or by name).
const std::vector<RegistryTarget>& registry_targets(RegistryKind kind);
inline constexpr const char* kRegistryUnitTarget = "unit";

// Header text (trimmed) to target, in the file's order.
struct RegistryColumns {
  std::string source_name;  // the file's name, for messages
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header naming `target` (the label messages show), else the target itself.
  std::string label_of(const std::string& target) const;
};

// data/registry_columns/<kind>.json: parsed from text, or read from the
// data folder given (the shipped one when empty).
Result<RegistryColumns> parse_registry_labels(std::string_view text, const std::string& source_name,
                                              RegistryKind kind);
Result<RegistryColumns> load_registry_labels(const std::string& data_dir, RegistryKind kind);
inline constexpr const char* kRegistryColumnsDir = "registry_columns";

// A bureau's mapping file {"header": "target"}: parsed from text, or read from `path`.
Result<RegistryColumns> parse_registry_mapping(std::string_view text, const std::string& source_name,
                                               RegistryKind kind);
Result<RegistryColumns> load_registry_mapping(const std::string& path, RegistryKind kind);

struct RegistryColumnTarget {
  size_t column = 0;
  std::string target;
};

// The targets of `headers` (a table's, in column order): the mapping's
// entries first, then the labels; one column per target (the leftmost).
// `unused` receives the non-blank headers that map to nothing.
std::vector<RegistryColumnTarget> map_registry_columns(const std::vector<std::string>& headers,
                                                       const RegistryColumns& labels,
                                                       const RegistryColumns* mapping,
                                                       std::vector<std::string>* unused = nullptr);

}  // namespace pingan::ingest
