#include "core/ledger_values.h"

#include <fmt/format.h>

#include "core/ledger_people.h"
#include "core/money.h"
#include "core/text.h"
#include "core/text_limits.h"
#include "core/time.h"

namespace pingan {
namespace {

const char* alternative_name(LedgerFieldKind kind) {
  switch (kind) {
    case LedgerFieldKind::kInteger:
    case LedgerFieldKind::kCount:
    case LedgerFieldKind::kMoneyFen:
    case LedgerFieldKind::kDateTime: return "a whole number";
    case LedgerFieldKind::kPoint: return "a point";
    default: return "text";
  }
}

const char* value_name(const LedgerValue& value) {
  if (std::holds_alternative<std::string>(value)) return "text";
  if (std::holds_alternative<std::int64_t>(value)) return "a whole number";
  return "a point";
}

bool holds_right_alternative(LedgerFieldKind kind, const LedgerValue& value) {
  switch (kind) {
    case LedgerFieldKind::kInteger:
    case LedgerFieldKind::kCount:
    case LedgerFieldKind::kMoneyFen:
    case LedgerFieldKind::kDateTime: return std::holds_alternative<std::int64_t>(value);
    case LedgerFieldKind::kPoint: return std::holds_alternative<GeoPoint>(value);
    default: return std::holds_alternative<std::string>(value);
  }
}

// "2024-06-01": four-digit year, a real day of that month.
bool is_calendar_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  auto num = [&](std::size_t from, std::size_t len) {
    int n = 0;
    for (std::size_t i = from; i < from + len; ++i) n = n * 10 + (s[i] - '0');
    return n;
  };
  CivilTime t;
  t.year = num(0, 4);
  t.month = num(5, 2);
  t.day = num(8, 2);
  return t.year >= 1900 && is_valid_civil(t);
}

}  // namespace

bool same_ledger_value(const LedgerValue& a, const LedgerValue& b) {
  if (a.index() != b.index()) return false;
  if (const auto* p = std::get_if<GeoPoint>(&a)) {
    const GeoPoint& q = std::get<GeoPoint>(b);
    return p->lat == q.lat && p->lon == q.lon;
  }
  if (const auto* s = std::get_if<std::string>(&a)) return *s == std::get<std::string>(b);
  return std::get<std::int64_t>(a) == std::get<std::int64_t>(b);
}

std::string ledger_value_text(const LedgerValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
  const GeoPoint& p = std::get<GeoPoint>(value);
  return fmt::format("{},{}", p.lat, p.lon);
}

Status check_ledger_value(const LedgerField& field, const LedgerValue& value) {
  std::string path = "fields." + field.code;
  auto fail = [&](std::string_view why) {
    return Error::invalid(path, fmt::format("{} ({}): {}", field.label, field.code, why));
  };
  if (!holds_right_alternative(field.kind, value))
    return fail(fmt::format("a field of kind {} holds {}, not {}", ledger_field_kind_name(field.kind),
                            alternative_name(field.kind), value_name(value)));

  if (const auto* n = std::get_if<std::int64_t>(&value)) {
    if (field.kind == LedgerFieldKind::kMoneyFen) {
      Status amount = check_amount(path, *n);
      if (!amount.ok()) return fail(amount.error().message);
    }
    if ((field.kind == LedgerFieldKind::kCount || field.kind == LedgerFieldKind::kDateTime) && *n < 0)
      return fail(fmt::format("{} is negative", *n));
    if (field.min && *n < *field.min) return fail(fmt::format("{} is below the least allowed, {}", *n, *field.min));
    if (field.max && *n > *field.max) return fail(fmt::format("{} is above the most allowed, {}", *n, *field.max));
    return {};
  }
  if (const auto* p = std::get_if<GeoPoint>(&value)) {
    Status point = validate_point(*p, path);
    if (!point.ok()) return fail(point.error().message);
    return {};
  }
  const std::string& s = std::get<std::string>(value);
  if (trim(s).empty()) return fail("is blank");
  switch (field.kind) {
    case LedgerFieldKind::kEnum:
      if (!field.choice(s)) {
        std::string allowed;
        for (const LedgerChoice& c : field.values)
          allowed += fmt::format("{}{} ({})", allowed.empty() ? "" : ", ", c.code, c.label);
        return fail(fmt::format("'{}' is not one of {}", s, allowed));
      }
      return {};
    case LedgerFieldKind::kDate:
      if (!is_calendar_date(s)) return fail(fmt::format("'{}' is not a date such as 2024-06-01", s));
      return {};
    case LedgerFieldKind::kPeople: {
      Result<std::vector<LedgerPerson>> people = parse_ledger_people(s, path);
      if (!people.ok()) return Error::invalid(people.error().field, fmt::format("{} ({}): {}", field.label, field.code,
                                                                                people.error().message));
      return {};
    }
    default: {
      Status length = check_length(path, s, field.max_chars);
      if (!length.ok()) return fail(length.error().message);
      return {};
    }
  }
}

Status check_ledger_fields(const LedgerDefinition& definition, const LedgerFields& fields) {
  for (const auto& [code, value] : fields) {
    const LedgerField* field = definition.field(code);
    if (!field) {
      std::string known;
      for (const LedgerField& f : definition.fields()) known += fmt::format("{}{}", known.empty() ? "" : ", ", f.code);
      return Error::invalid("fields." + code, fmt::format("{} ({}) has no field '{}' (its fields: {})",
                                                          definition.label(), definition.code(), code, known));
    }
    PINGAN_RETURN_IF_ERROR(check_ledger_value(*field, value));
  }
  return {};
}

}  // namespace pingan
