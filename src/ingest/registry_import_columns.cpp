#include "ingest/registry_import_columns.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/taxonomy.h"
#include "core/text.h"
#include "ingest/csv_reader.h"

namespace pingan::ingest {

namespace {

constexpr RegistryKind kAllKinds[] = {RegistryKind::kPlaces, RegistryKind::kCameras, RegistryKind::kEnterprises,
                                      RegistryKind::kRentalHouses, RegistryKind::kResidents};

bool is_target(RegistryKind kind, std::string_view code) {
  for (const RegistryTarget& t : registry_targets(kind))
    if (code == t.code) return true;
  return false;
}

std::string target_list(RegistryKind kind) {
  std::string out;
  for (const RegistryTarget& t : registry_targets(kind)) out += (out.empty() ? "" : ", ") + std::string(t.code);
  return out;
}

Error unknown_target(const std::string& source_name, const std::string& key, const std::string& target,
                     RegistryKind kind) {
  return Error::invalid(key, fmt::format("{}: '{}' is not a column of {} (its columns: {})", source_name, target,
                                         registry_kind_name(kind), target_list(kind)));
}

// The header, and its last part after '/' when it has one (a two-row header).
std::vector<std::string_view> header_forms(std::string_view header) {
  header = trim(header);
  std::vector<std::string_view> forms{header};
  const size_t slash = header.rfind('/');
  if (slash != std::string_view::npos) forms.push_back(trim(header.substr(slash + 1)));
  return forms;
}

// Parses JSON whose top-level object keys must not repeat (nlohmann keeps
// the last silently; the callback sees each). `depth` is the keys' depth.
nlohmann::json parse_without_repeats(std::string_view text, int depth, std::string& repeated) {
  std::map<int, std::set<std::string>> seen;
  auto spot = [&](int d, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::object_start) seen[d + 1].clear();
    if (event == nlohmann::json::parse_event_t::key && d == depth && repeated.empty() &&
        !seen[d].insert(parsed.get<std::string>()).second)
      repeated = parsed.get<std::string>();
    return true;
  };
  return nlohmann::json::parse(text, spot, /*allow_exceptions=*/false);
}

}  // namespace

const char* registry_kind_name(RegistryKind kind) {
  switch (kind) {
    case RegistryKind::kPlaces: return "places";
    case RegistryKind::kCameras: return "cameras";
    case RegistryKind::kEnterprises: return "enterprises";
    case RegistryKind::kRentalHouses: return "rental_houses";
    case RegistryKind::kResidents: return "residents";
  }
  return "?";
}

Result<RegistryKind> parse_registry_kind(std::string_view name) {
  for (RegistryKind k : kAllKinds)
    if (name == registry_kind_name(k)) return k;
  return Error::invalid("kind", fmt::format("unknown registry kind '{}' (places, cameras, enterprises, "
                                            "rental_houses, residents)",
                                            name));
}

const std::vector<RegistryTarget>& registry_targets(RegistryKind kind) {
  static const std::vector<RegistryTarget> places = {
      {"code", true},           {"name", true},          {"category", true},      {"address", true},
      {"lat", true},            {"lon", true},           {"unit", true},          {"licence_number", false},
      {"contact_name", false},  {"contact_phone", false}, {"opened", false},      {"closed", false}};
  static const std::vector<RegistryTarget> cameras = {
      {"code", true},       {"name", true},        {"lat", true},         {"lon", true},
      {"direction_deg", false}, {"field_of_view_deg", false}, {"owner_kind", false}, {"owner_name", true},
      {"unit", true},       {"stream_url", true},  {"status", false}};
  static const std::vector<RegistryTarget> enterprises = {{"code", true}, {"name", true}, {"credit_code", true},
                                                          {"address", true}, {"lat", true}, {"lon", true},
                                                          {"unit", true}};
  static const std::vector<RegistryTarget> rental_houses = {
      {"code", true},           {"address", true},           {"lat", true},           {"lon", true},
      {"unit", true},           {"rooms", false},            {"landlord_name", true}, {"landlord_id_number", true},
      {"landlord_phone", false}, {"tenant_name", false},     {"tenant_id_number", false},
      {"tenant_phone", false},  {"room", false},             {"from", false},         {"to", false}};
  static const std::vector<RegistryTarget> residents = {
      {"name", true},    {"id_number", true},   {"phone", false},      {"kind", true},   {"address", true},
      {"house_code", false}, {"unit", true},    {"registered", true},  {"left", false}};
  switch (kind) {
    case RegistryKind::kPlaces: return places;
    case RegistryKind::kCameras: return cameras;
    case RegistryKind::kEnterprises: return enterprises;
    case RegistryKind::kRentalHouses: return rental_houses;
    case RegistryKind::kResidents: return residents;
  }
  return places;
}

std::string RegistryColumns::label_of(const std::string& target) const {
  for (const auto& [header, t] : headers)
    if (t == target) return header;
  return target;
}

Result<RegistryColumns> parse_registry_labels(std::string_view text, const std::string& source_name,
                                              RegistryKind kind) {
  std::string repeated;
  nlohmann::json doc = parse_without_repeats(text, 2, repeated);
  if (doc.is_discarded()) return Error::invalid(source_name, fmt::format("{}: not valid JSON", source_name));
  if (!doc.is_object() || !doc.contains("columns") || !doc["columns"].is_object())
    return Error::invalid(source_name, fmt::format("{}: must be an object {{\"columns\": {{\"target\": "
                                                   "[\"表头\", ...]}}}}",
                                                   source_name));
  if (!repeated.empty())
    return Error::invalid(repeated, fmt::format("{}: column '{}' is listed twice", source_name, repeated));
  RegistryColumns out;
  out.source_name = source_name;
  std::map<std::string, std::string> target_of_label;
  for (const auto& [target, labels] : doc["columns"].items()) {
    if (!is_target(kind, target)) return unknown_target(source_name, target, target, kind);
    if (!labels.is_array() || labels.empty())
      return Error::invalid(target, fmt::format("{}: '{}' must list its header labels [\"表头\", ...]",
                                                source_name, target));
    for (const nlohmann::json& label : labels) {
      if (!label.is_string() || trim(label.get<std::string>()).empty())
        return Error::invalid(target, fmt::format("{}: a label of '{}' is blank or not a string", source_name,
                                                  target));
      const std::string text_label(trim(label.get<std::string>()));
      auto [it, fresh] = target_of_label.emplace(text_label, target);
      if (!fresh)
        return Error::invalid(target, fmt::format("{}: label '{}' is listed under '{}' and '{}'", source_name,
                                                  text_label, it->second, target));
      out.headers.emplace_back(text_label, target);
    }
  }
  return out;
}

Result<RegistryColumns> load_registry_labels(const std::string& data_dir, RegistryKind kind) {
  const std::filesystem::path path = std::filesystem::path(data_dir_or_shipped(data_dir)) / kRegistryColumnsDir /
                                     (std::string(registry_kind_name(kind)) + ".json");
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path.string()));
  return parse_registry_labels(text, path.filename().string(), kind);
}

Result<RegistryColumns> parse_registry_mapping(std::string_view text, const std::string& source_name,
                                               RegistryKind kind) {
  std::string repeated;
  nlohmann::json doc = parse_without_repeats(text, 1, repeated);
  if (doc.is_discarded()) return Error::invalid(source_name, fmt::format("{}: not valid JSON", source_name));
  if (!doc.is_object())
    return Error::invalid(source_name,
                          fmt::format("{}: must be one object {{\"header text\": \"target\"}}", source_name));
  if (!repeated.empty())
    return Error::invalid(repeated, fmt::format("{}: header '{}' is listed twice", source_name, repeated));
  RegistryColumns out;
  out.source_name = source_name;
  std::map<std::string, std::string> header_of_target;
  std::set<std::string> headers;
  for (const auto& [key, value] : doc.items()) {
    const std::string header(trim(key));
    if (header.empty()) return Error::invalid(key, fmt::format("{}: a header is blank", source_name));
    if (!value.is_string())
      return Error::invalid(key, fmt::format("{}: '{}' must map to a target as a string, not {}", source_name, key,
                                             value.type_name()));
    const std::string target = value.get<std::string>();
    if (!is_target(kind, target)) return unknown_target(source_name, key, target, kind);
    auto [it, fresh] = header_of_target.emplace(target, header);
    if (!fresh)
      return Error::invalid(key, fmt::format("{}: '{}' and '{}' both map to '{}'", source_name, it->second, header,
                                             target));
    if (!headers.insert(header).second)
      return Error::invalid(key, fmt::format("{}: header '{}' is listed twice", source_name, header));
    out.headers.emplace_back(header, target);
  }
  return out;
}

Result<RegistryColumns> load_registry_mapping(const std::string& path, RegistryKind kind) {
  PINGAN_ASSIGN_OR_RETURN(std::string text, read_whole_file(path));
  return parse_registry_mapping(text, std::filesystem::path(path).filename().string(), kind);
}

std::vector<RegistryColumnTarget> map_registry_columns(const std::vector<std::string>& headers,
                                                       const RegistryColumns& labels,
                                                       const RegistryColumns* mapping,
                                                       std::vector<std::string>* unused) {
  std::vector<std::optional<std::string>> target_of(headers.size());
  std::set<std::string> taken;
  auto pass = [&](const RegistryColumns& columns) {
    for (size_t c = 0; c < headers.size(); ++c) {
      if (target_of[c]) continue;
      for (std::string_view form : header_forms(headers[c])) {
        for (const auto& [header, target] : columns.headers)
          if (form == header && !taken.count(target)) {
            target_of[c] = target;
            taken.insert(target);
            break;
          }
        if (target_of[c]) break;
      }
    }
  };
  if (mapping) pass(*mapping);
  pass(labels);
  std::vector<RegistryColumnTarget> out;
  for (size_t c = 0; c < headers.size(); ++c) {
    if (target_of[c]) out.push_back({c, *target_of[c]});
    else if (unused && !trim(headers[c]).empty()) unused->push_back(headers[c]);
  }
  return out;
}

}  // namespace pingan::ingest
