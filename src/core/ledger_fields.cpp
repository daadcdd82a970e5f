// Reading one field of a ledger definition ("fields" entries) and the names
// of field kinds and masks.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/ledger_definition.h"
#include "core/ledger_json_reader.h"
#include "core/money.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

constexpr std::array<std::pair<LedgerFieldKind, const char*>, 11> kKindNames = {{
    {LedgerFieldKind::kText, "text"},
    {LedgerFieldKind::kInteger, "integer"},
    {LedgerFieldKind::kCount, "count"},
    {LedgerFieldKind::kMoneyFen, "money_fen"},
    {LedgerFieldKind::kDate, "date"},
    {LedgerFieldKind::kDateTime, "datetime"},
    {LedgerFieldKind::kEnum, "enum"},
    {LedgerFieldKind::kPoint, "point"},
    {LedgerFieldKind::kRegistryRef, "registry_ref"},
    {LedgerFieldKind::kPerson, "person"},
    {LedgerFieldKind::kPeople, "people"},
}};

constexpr std::array<std::pair<LedgerMask, const char*>, 5> kMaskNames = {{
    {LedgerMask::kName, "name"},
    {LedgerMask::kPhone, "phone"},
    {LedgerMask::kIdNumber, "id_number"},
    {LedgerMask::kAddress, "address"},
    {LedgerMask::kPeople, "people"},
}};

bool is_numeric(LedgerFieldKind k) {
  return k == LedgerFieldKind::kInteger || k == LedgerFieldKind::kCount || k == LedgerFieldKind::kMoneyFen;
}
bool is_textual(LedgerFieldKind k) {
  return k == LedgerFieldKind::kText || k == LedgerFieldKind::kPerson || k == LedgerFieldKind::kRegistryRef;
}

// The limit of a textual field when the file gives none: what core's
// validators allow the same kind of text elsewhere.
std::size_t default_max_chars(LedgerFieldKind k) {
  switch (k) {
    case LedgerFieldKind::kPerson: return kMaxNameChars;
    case LedgerFieldKind::kRegistryRef: return kMaxSourceRefChars;
    default: return kMaxDescriptionChars;
  }
}

}  // namespace

const char* ledger_field_kind_name(LedgerFieldKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "text";
}

const char* ledger_mask_name(LedgerMask mask) {
  for (const auto& [m, name] : kMaskNames)
    if (m == mask) return name;
  return "name";
}

const LedgerChoice* LedgerField::choice(std::string_view wanted) const {
  for (const LedgerChoice& c : values)
    if (c.code == wanted) return &c;
  return nullptr;
}

namespace ledger_json {

Result<LedgerField> read_field(const Reader& r, const json& value, const std::string& path) {
  PINGAN_RETURN_IF_ERROR(r.object(value, path, {"code", "label", "kind", "required", "values", "min", "max",
                                                "max_chars", "registry", "personal"}));
  LedgerField f;
  PINGAN_ASSIGN_OR_RETURN(f.code, r.code(value, "code", path));
  PINGAN_ASSIGN_OR_RETURN(f.label, r.text(value, "label", path, kMaxNameChars));
  PINGAN_ASSIGN_OR_RETURN(std::string kind, r.text(value, "kind", path, kMaxCodeChars));
  auto named = std::find_if(kKindNames.begin(), kKindNames.end(), [&](const auto& p) { return kind == p.second; });
  if (named == kKindNames.end())
    return r.fail(join(path, "kind"), fmt::format("unknown kind '{}' (text, integer, count, money_fen, date, "
                                                  "datetime, enum, point, registry_ref, person, people)", kind));
  f.kind = named->first;
  PINGAN_ASSIGN_OR_RETURN(f.required, r.flag(value, "required", path, false));

  // values: enum only, a non-empty list of {code, label}.
  if (value.contains("values") != (f.kind == LedgerFieldKind::kEnum))
    return r.fail(join(path, "values"), f.kind == LedgerFieldKind::kEnum ? "an enum field lists its values"
                                                                         : "only an enum field has values");
  if (f.kind == LedgerFieldKind::kEnum) {
    const json& list = value["values"];
    std::string where = join(path, "values");
    if (!list.is_array() || list.empty()) return r.fail(where, "must be a non-empty list of {code, label}");
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string item = at(where, i);
      PINGAN_RETURN_IF_ERROR(r.object(list[i], item, {"code", "label"}));
      LedgerChoice c;
      PINGAN_ASSIGN_OR_RETURN(c.code, r.code(list[i], "code", item));
      PINGAN_ASSIGN_OR_RETURN(c.label, r.text(list[i], "label", item, kMaxNameChars));
      if (f.choice(c.code)) return r.fail(join(item, "code"), fmt::format("value '{}' is listed twice", c.code));
      f.values.push_back(std::move(c));
    }
  }

  PINGAN_ASSIGN_OR_RETURN(f.min, r.integer(value, "min", path));
  PINGAN_ASSIGN_OR_RETURN(f.max, r.integer(value, "max", path));
  if ((f.min || f.max) && !is_numeric(f.kind))
    return r.fail(join(path, f.min ? "min" : "max"), "only integer, count and money_fen fields have bounds");
  if (f.kind != LedgerFieldKind::kInteger && f.min && *f.min < 0)
    return r.fail(join(path, "min"), fmt::format("{} is negative; a {} is never below 0", *f.min, kind));
  if (f.kind == LedgerFieldKind::kMoneyFen && f.max && *f.max > kMaxAmountFen)
    return r.fail(join(path, "max"), fmt::format("{} is above the largest amount, {} fen", *f.max, kMaxAmountFen));
  if (f.min && f.max && *f.min > *f.max)
    return r.fail(join(path, "max"), fmt::format("{} is below min {}", *f.max, *f.min));

  PINGAN_ASSIGN_OR_RETURN(std::optional<std::int64_t> max_chars, r.integer(value, "max_chars", path));
  if (max_chars && !is_textual(f.kind))
    return r.fail(join(path, "max_chars"), "only text, person and registry_ref fields have max_chars");
  if (max_chars && (*max_chars < 1 || *max_chars > static_cast<std::int64_t>(kMaxDescriptionChars)))
    return r.fail(join(path, "max_chars"), fmt::format("{} is outside 1..{}", *max_chars, kMaxDescriptionChars));
  f.max_chars = max_chars ? static_cast<std::size_t>(*max_chars) : default_max_chars(f.kind);

  if (value.contains("registry") != (f.kind == LedgerFieldKind::kRegistryRef))
    return r.fail(join(path, "registry"), f.kind == LedgerFieldKind::kRegistryRef
                                              ? "a registry_ref field names its registry"
                                              : "only a registry_ref field names a registry");
  if (f.kind == LedgerFieldKind::kRegistryRef) {
    PINGAN_ASSIGN_OR_RETURN(f.registry, r.code(value, "registry", path));
  }

  if (value.contains("personal")) {
    PINGAN_ASSIGN_OR_RETURN(std::string mask, r.text(value, "personal", path, kMaxCodeChars));
    auto m = std::find_if(kMaskNames.begin(), kMaskNames.end(), [&](const auto& p) { return mask == p.second; });
    if (m == kMaskNames.end())
      return r.fail(join(path, "personal"), fmt::format("unknown mask '{}' (name, phone, id_number, address, people)", mask));
    // A people field holds names, phones and ID numbers together: only the
    // people mask fits it, and it fits nothing else.
    if ((f.kind == LedgerFieldKind::kPeople) != (m->first == LedgerMask::kPeople))
      return r.fail(join(path, "personal"), f.kind == LedgerFieldKind::kPeople
                                                ? fmt::format("a people field is masked as people, not '{}'", mask)
                                                : std::string("only a people field is masked as people"));
    if (!is_textual(f.kind) && f.kind != LedgerFieldKind::kPeople)
      return r.fail(join(path, "personal"), fmt::format("a {} field cannot be masked as text", kind));
    f.personal = m->first;
  }
  // Always sealed: the people seen are personal data whatever the file says.
  if (f.kind == LedgerFieldKind::kPeople) f.personal = LedgerMask::kPeople;
  return f;
}

}  // namespace ledger_json
}  // namespace pingan
