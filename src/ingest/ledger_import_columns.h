#pragma once
// Which spreadsheet column fills which part of a ledger item (issue 21):
// a field of the type, or one of the item's own parts:
//   @unit        the responsible unit, by code or by name (单位, 所属单位, 责任单位)
//   @officer     the responsible officer (责任民警)
//   @state       the state, by code or label (状态)
//   @created_at  when the item was found or registered (登记时间, 登记日期)
//   @key         the row's own number in the bureau's books: the import key
//                (no default header; a mapping file names it, e.g. "编号")
//
// By default a column maps to the field whose label or code its header
// equals; a two-row header "纠纷情况/纠纷类别" matches on its last part too.
// A money field (money_fen) also matches its label with "(分)" read "(元)":
// money columns are in yuan unless their header ends in "(分)".
//
// A bureau's own headers come from a mapping file (conventionally
// data/ledgers/columns/<type>.json): one JSON object {"header text":
// "field_code" | "@unit" ...}. It is parsed strictly: not an object, a
// repeated header, a blank header, a value that is not a string, a code the
// type does not have, or two headers for one target are refused, every
// message starting with the file's name. Its entries come before the
// defaults, which still map the columns it does not name.
//
// Values; no I/O but load_ledger_columns.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_definition.h"
#include "core/status.h"

namespace pingan::ingest {

// An item's own parts a column may fill, besides the fields.
inline constexpr const char* kUnitTarget = "@unit";
inline constexpr const char* kOfficerTarget = "@officer";
inline constexpr const char* kStateTarget = "@state";
inline constexpr const char* kCreatedAtTarget = "@created_at";
inline constexpr const char* kKeyTarget = "@key";

struct LedgerColumns {
  std::string source_name;                    // the mapping file's name, for messages
  std::map<std::string, std::string> by_header;  // header text (trimmed) -> target
};

// Parses a mapping file's text for `definition`; `source_name` starts every message.
Result<LedgerColumns> parse_ledger_columns(std::string_view text, const std::string& source_name,
                                           const LedgerDefinition& definition);
// Reads and parses the file at `path`.
Result<LedgerColumns> load_ledger_columns(const std::string& path,
                                          const LedgerDefinition& definition);

// The bureau's mapping file of a type, <data_dir>/ledgers/columns/<type>.json
// (the shipped data folder when data_dir is empty): parsed when it exists,
// nullopt when it does not.
Result<std::optional<LedgerColumns>> load_default_ledger_columns(const std::string& data_dir,
                                                                 const LedgerDefinition& definition);

// What column `c` of a table maps to.
struct ColumnTarget {
  size_t column = 0;
  std::string target;      // a field code or an @ target
  bool money_in_fen = false;  // a money field's column headed "...(分)"
};

// The targets of `headers` (a table's, in column order): the mapping's
// entries first, then the defaults; one column per target (the leftmost),
// so a target named twice keeps its first column. `unused` receives the
// headers that map to nothing (blank ones left out).
std::vector<ColumnTarget> map_ledger_columns(const std::vector<std::string>& headers,
                                             const LedgerDefinition& definition,
                                             const LedgerColumns* mapping,
                                             std::vector<std::string>* unused = nullptr);

// A money field's header as exports show it: the label with "(分)" read "(元)".
std::string yuan_label(const LedgerField& field);

}  // namespace pingan::ingest
