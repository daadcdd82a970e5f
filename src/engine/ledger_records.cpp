#include "engine/ledger_records.h"

#include <fmt/format.h>

#include <set>

#include "core/ledger_values.h"
#include "core/scope_match.h"

namespace pingan {

LedgerRecords::LedgerRecords(LedgerStore& store, LedgerCatalogue types, UnitsSource units)
    : store_(store), types_(std::move(types)), units_(std::move(units)) {}

Result<const LedgerDefinition*> LedgerRecords::type(std::string_view code) const {
  return types_.require(code);
}

Status LedgerRecords::check_unit(const std::string& field, const std::string& code,
                                 const UnitScope& scope) const {
  std::shared_ptr<const UnitTree> tree = units_();
  if (!tree || !tree->find(code))
    return Error::invalid(field, fmt::format("unknown unit '{}'", code));
  // As a case's unit (engine/case_records.cpp): 403 naming the unit typed.
  if (!scope_holds(scope, code, *tree))
    return Error::permission_denied(fmt::format("unit '{}' is outside your unit's subtree", code));
  return {};
}

Result<LedgerItem> LedgerRecords::create(const std::string& type_code, const NewLedgerItem& request,
                                         const UnitScope& scope, const LedgerOrigin& origin) {
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* definition, type(type_code));
  if (!request.unit_code.empty()) {
    PINGAN_RETURN_IF_ERROR(check_unit("unit_code", request.unit_code, scope));
  }
  PINGAN_ASSIGN_OR_RETURN(LedgerItem item, create_ledger_item(*definition, request));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem stored, store_.create_item(LedgerNewRow{definition, std::move(item), origin}));
  publish(stored);
  return stored;
}

Result<LedgerNewRow> LedgerRecords::opened_by(const LedgerDefinition& target,
                                              const LedgerItem& item,
                                              const StepRequest& request) const {
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* source, type(item.type_code));
  NewLedgerItem open;
  open.unit_code = item.unit_code;
  open.officer_id = item.officer_id;
  open.actor = request.actor;
  open.actor_grants = request.actor_grants;
  open.at = request.at;
  open.now = request.now;
  const LedgerStep* step = source->step(request.step);
  open.note = fmt::format("由{}第{}号的「{}」生成", source->label(), item.id,
                          step ? step->label : request.step);
  const auto take = [&](const std::string& code, const LedgerValue& value) {
    const LedgerField* field = target.field(code);
    if (field && check_ledger_value(*field, value).ok()) open.fields[code] = value;
  };
  // Same code first, so that a <type>_<code> field of the step wins.
  for (const auto& [code, value] : item.fields) take(code, value);
  const std::string prefix = target.code() + "_";
  for (const auto& [code, value] : item.fields)
    if (code.size() > prefix.size() && code.compare(0, prefix.size(), prefix) == 0)
      take(code.substr(prefix.size()), value);
  take("source", LedgerValue(item.type_code));
  take("source_item", LedgerValue(std::to_string(item.id)));
  PINGAN_ASSIGN_OR_RETURN(LedgerItem opened, create_ledger_item(target, open));
  // The key of this step of this item: the same step opens one item.
  LedgerOrigin origin{"ledger",
                      fmt::format("{}/{}/{}", item.type_code, item.id, item.history.size())};
  return LedgerNewRow{&target, std::move(opened), std::move(origin)};
}

Result<LedgerStepped> LedgerRecords::step(std::int64_t id, const StepRequest& request,
                                          const UnitScope& scope) {
  // The type first (a type never changes); the step itself runs on the item
  // as read under its row lock.
  PINGAN_ASSIGN_OR_RETURN(LedgerItem current, store_.get_item(id, scope));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* definition, type(current.type_code));
  if (!request.unit_code.empty()) {
    PINGAN_RETURN_IF_ERROR(check_unit("unit_code", request.unit_code, scope));
  }
  const LedgerStep* taken = definition->step(request.step);
  const LedgerDefinition* target = nullptr;
  if (taken && !taken->opens.empty()) {
    PINGAN_ASSIGN_OR_RETURN(target, type(taken->opens));
  }
  PINGAN_ASSIGN_OR_RETURN(
      LedgerStepped stepped,
      store_.update_item(id, scope, *definition, [&](const LedgerItem& item) -> Result<LedgerUpdate> {
        LedgerUpdate update;
        PINGAN_ASSIGN_OR_RETURN(update.item, apply_step(*definition, item, request));
        if (target) {
          PINGAN_ASSIGN_OR_RETURN(update.opened, opened_by(*target, update.item, request));
        }
        return update;
      }));
  publish(stepped.item);
  if (stepped.opened) publish(*stepped.opened);
  return stepped;
}

Result<LedgerItem> LedgerRecords::get(std::int64_t id, const UnitScope& scope) {
  return store_.get_item(id, scope);
}

Result<LedgerPage> LedgerRecords::list(const LedgerFilter& filter) {
  PINGAN_RETURN_IF_ERROR(type(filter.type_code));
  return store_.list_items(filter);
}

Result<std::vector<LedgerDue>> LedgerRecords::dues(std::int64_t id, const UnitScope& scope,
                                                   Timestamp now) {
  PINGAN_ASSIGN_OR_RETURN(LedgerItem item, store_.get_item(id, scope));
  PINGAN_ASSIGN_OR_RETURN(const LedgerDefinition* definition, type(item.type_code));
  return ledger_dues(*definition, item, now);
}

Status LedgerRecords::scan(const std::string& type_code,
                           const std::function<void(const LedgerItem&)>& visit) {
  PINGAN_RETURN_IF_ERROR(type(type_code));
  return store_.scan_items(type_code, visit);
}

void LedgerRecords::subscribe_items(std::function<void(const LedgerItem&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void LedgerRecords::publish(const LedgerItem& item) {
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : listeners_) l(item);
}

Status LedgerRecords::follow(const std::vector<ChangeRecord>& changes) {
  std::set<std::int64_t> ids;
  for (const ChangeRecord& c : changes)
    if (c.kind == ChangeKind::kLedger) ids.insert(c.record_id);
  for (std::int64_t id : ids) {
    Result<LedgerItem> item = store_.get_item(id, UnitScope::everything());
    // A logged item always exists (items are never deleted); a read error
    // leaves the position for catch_up's retry.
    if (!item.ok()) return item.error();
    publish(*item);
  }
  return {};
}

}  // namespace pingan
