#include "ingest/ledger_import_columns.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/taxonomy.h"
#include "core/text.h"
#include "ingest/csv_reader.h"

namespace pingan::ingest {

namespace {

bool is_item_target(std::string_view target) {
  return target == kUnitTarget || target == kOfficerTarget || target == kStateTarget ||
         target == kCreatedAtTarget || target == kKeyTarget;
}

// The headers each item part answers to without a mapping file.
const std::vector<std::pair<std::string, const char*>>& default_item_headers() {
  static const std::vector<std::pair<std::string, const char*>> headers = {
      {"单位", kUnitTarget},          {"所属单位", kUnitTarget},     {"责任单位", kUnitTarget},
      {"单位代码", kUnitTarget},      {"责任民警", kOfficerTarget},  {"状态", kStateTarget},
      {"登记时间", kCreatedAtTarget}, {"登记日期", kCreatedAtTarget}};
  return headers;
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool headed_in_fen(std::string_view header) {
  return ends_with(header, "(分)") || ends_with(header, "（分）");
}

// The header, and its last part after '/' when it has one (a two-row header).
std::vector<std::string_view> header_forms(std::string_view header) {
  header = trim(header);
  std::vector<std::string_view> forms{header};
  const size_t slash = header.rfind('/');
  if (slash != std::string_view::npos) forms.push_back(trim(header.substr(slash + 1)));
  return forms;
}

}  // namespace

std::string yuan_label(const LedgerField& field) {
  std::string label = field.label;
  for (std::string_view fen : {"(分)", "（分）"}) {
    const size_t at = label.find(fen);
    if (at != std::string::npos) return label.replace(at, fen.size(), "(元)");
  }
  return label + "(元)";
}

Result<LedgerColumns> parse_ledger_columns(std::string_view text, const std::string& source_name,
                                           const LedgerDefinition& definition) {
  // nlohmann keeps the last of repeated keys silently; a callback sees each.
  std::set<std::string> seen;
  std::string repeated;
  auto spot_repeats = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1 && repeated.empty() &&
        !seen.insert(parsed.get<std::string>()).second)
      repeated = parsed.get<std::string>();
    return true;
  };
  nlohmann::json doc = nlohmann::json::parse(text, spot_repeats, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return Error::invalid(source_name, fmt::format("{}: not valid JSON", source_name));
  if (!doc.is_object())
    return Error::invalid(source_name,
                          fmt::format("{}: must be one object {{\"header text\": \"field_code\"}}",
                                      source_name));
  if (!repeated.empty())
    return Error::invalid(repeated, fmt::format("{}: header '{}' is listed twice", source_name, repeated));
  LedgerColumns columns;
  columns.source_name = source_name;
  std::map<std::string, std::string> header_of_target;
  for (const auto& [key, value] : doc.items()) {
    const std::string header(trim(key));
    if (header.empty())
      return Error::invalid(key, fmt::format("{}: a header is blank", source_name));
    if (!value.is_string())
      return Error::invalid(key, fmt::format("{}: '{}' must map to a field code as a string, not {}",
                                             source_name, key, value.type_name()));
    const std::string target = value.get<std::string>();
    if (!is_item_target(target) && !definition.field(target)) {
      std::string known;
      for (const LedgerField& f : definition.fields()) known += (known.empty() ? "" : ", ") + f.code;
      return Error::invalid(
          key, fmt::format("{}: '{}' maps to '{}', which is not a field of {} ({}) nor one of "
                           "@unit, @officer, @state, @created_at, @key; its fields: {}",
                           source_name, key, target, definition.code(), definition.label(), known));
    }
    auto [it, fresh] = header_of_target.emplace(target, header);
    if (!fresh)
      return Error::invalid(key, fmt::format("{}: '{}' and '{}' both map to '{}'", source_name,
                                             it->second, header, target));
    if (!columns.by_header.emplace(header, target).second)
      return Error::invalid(key, fmt::format("{}: header '{}' is listed twice", source_name, header));
  }
  return columns;
}

Result<LedgerColumns> load_ledger_columns(const std::string& path,
                                          const LedgerDefinition& definition) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
  return parse_ledger_columns(text, std::filesystem::path(path).filename().string(), definition);
}

Result<std::optional<LedgerColumns>> load_default_ledger_columns(const std::string& data_dir,
                                                                 const LedgerDefinition& definition) {
  const std::filesystem::path path = std::filesystem::path(data_dir_or_shipped(data_dir)) / kLedgersDir /
                                     "columns" / (definition.code() + ".json");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::optional<LedgerColumns>();
  PINGAN_ASSIGN_OR_RETURN(LedgerColumns columns, load_ledger_columns(path.string(), definition));
  return std::optional<LedgerColumns>(std::move(columns));
}

std::vector<ColumnTarget> map_ledger_columns(const std::vector<std::string>& headers,
                                             const LedgerDefinition& definition,
                                             const LedgerColumns* mapping,
                                             std::vector<std::string>* unused) {
  std::vector<std::optional<std::string>> target_of(headers.size());
  std::set<std::string> taken;
  auto assign = [&](size_t column, const std::string& target) {
    if (target_of[column] || taken.count(target)) return;
    target_of[column] = target;
    taken.insert(target);
  };
  // Pass 1: the mapping file's headers.
  if (mapping) {
    for (size_t c = 0; c < headers.size(); ++c)
      for (std::string_view form : header_forms(headers[c]))
        if (auto it = mapping->by_header.find(std::string(form)); it != mapping->by_header.end()) {
          assign(c, it->second);
          break;
        }
  }
  // Pass 2: labels, codes and the yuan form of money labels; then the item's parts.
  for (size_t c = 0; c < headers.size(); ++c) {
    if (target_of[c]) continue;
    for (std::string_view form : header_forms(headers[c])) {
      for (const LedgerField& f : definition.fields()) {
        if (form == f.label || form == f.code ||
            (f.kind == LedgerFieldKind::kMoneyFen && form == yuan_label(f))) {
          assign(c, f.code);
          break;
        }
      }
      if (target_of[c]) break;
      for (const auto& [header, target] : default_item_headers())
        if (form == header) {
          assign(c, target);
          break;
        }
      if (target_of[c]) break;
    }
  }
  std::vector<ColumnTarget> out;
  for (size_t c = 0; c < headers.size(); ++c) {
    if (target_of[c]) {
      out.push_back({c, *target_of[c], headed_in_fen(trim(headers[c]))});
    } else if (unused && !trim(headers[c]).empty()) {
      unused->push_back(headers[c]);
    }
  }
  return out;
}

}  // namespace pingan::ingest
