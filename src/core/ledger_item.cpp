#include "core/ledger_item.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/step_checks.h"
#include "core/text_limits.h"

namespace pingan {
namespace {

bool holds_any(const LedgerGrants& grants, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return std::find(grants.begin(), grants.end(), w) != grants.end();
  });
}

std::string list_text(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += fmt::format("{}{}", out.empty() ? "" : ", ", n);
  return out;
}

std::string state_text(const LedgerDefinition& d, const std::string& code) {
  const LedgerState* s = d.state(code);
  return s ? fmt::format("{} ({})", s->label, s->code) : fmt::format("'{}'", code);
}

Status check_time(Timestamp at, std::optional<Timestamp> previous, std::optional<Timestamp> now) {
  return check_step_time("at", at, previous, now.value_or(at), now ? kDefaultFutureToleranceS : 0);
}

Status check_assignment(const std::string& unit_code, const std::string& officer_id, bool officer_required) {
  if (unit_code.empty()) return Error::invalid("unit_code", "the responsible unit (责任单位) is required");
  PINGAN_RETURN_IF_ERROR(check_length("unit_code", unit_code, kMaxCodeChars));
  if (officer_required && officer_id.empty())
    return Error::invalid("officer_id", "the responsible officer (责任民警) is required");
  return check_length("officer_id", officer_id, kMaxNameChars);
}

// The changes `fields` makes to `current`, applying them.
std::vector<LedgerFieldChange> merge_fields(LedgerFields& current, const LedgerFields& fields) {
  std::vector<LedgerFieldChange> changes;
  for (const auto& [code, value] : fields) {
    auto it = current.find(code);
    if (it != current.end() && same_ledger_value(it->second, value)) continue;
    LedgerFieldChange change{code, std::nullopt, value};
    if (it != current.end()) change.before = it->second;
    current[code] = value;
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace

std::string allowed_steps_text(const LedgerDefinition& definition, const std::string& state) {
  std::string out;
  for (const LedgerStep* s : definition.steps_from(state))
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", s->code, s->label);
  if (!out.empty()) return out;
  const LedgerState* st = definition.state(state);
  return fmt::format("none ({} is final)", st ? st->label : state);
}

const LedgerHistoryEntry* last_entry_of(const LedgerItem& item, const std::string& step) {
  for (auto it = item.history.rbegin(); it != item.history.rend(); ++it)
    if (it->step == step) return &*it;
  return nullptr;
}

Status validate_new_item(const LedgerDefinition& definition, const LedgerFields& fields) {
  PINGAN_RETURN_IF_ERROR(check_ledger_fields(definition, fields));
  for (const LedgerField& f : definition.fields())
    if (f.required && !fields.count(f.code))
      return Error::invalid("fields." + f.code, fmt::format("{} ({}) is required for a new {}", f.label, f.code,
                                                            definition.label()));
  return {};
}

Result<LedgerItem> create_ledger_item(const LedgerDefinition& definition, const NewLedgerItem& request) {
  PINGAN_RETURN_IF_ERROR(check_actor("actor", request.actor));
  if (!holds_any(request.actor_grants, definition.who_may_create()))
    return Error::permission_denied(fmt::format("{} may not open a {} ({}): that needs one of {}", request.actor,
                                                definition.label(), definition.code(),
                                                list_text(definition.who_may_create())));
  PINGAN_RETURN_IF_ERROR(check_assignment(request.unit_code, request.officer_id, false));
  PINGAN_RETURN_IF_ERROR(validate_new_item(definition, request.fields));
  PINGAN_RETURN_IF_ERROR(check_length("note", request.note, kMaxNoteChars));
  PINGAN_RETURN_IF_ERROR(check_time(request.at, std::nullopt, request.now));

  LedgerItem item;
  item.type_code = definition.code();
  item.type_version = definition.version();
  item.unit_code = request.unit_code;
  item.officer_id = request.officer_id;
  item.state = definition.initial_state().code;
  item.created_at = item.updated_at = request.at;
  LedgerHistoryEntry entry{kLedgerCreateStep, "", item.state, request.actor, request.at, request.note, {},
                           request.unit_code, request.officer_id};
  entry.changes = merge_fields(item.fields, request.fields);
  item.history.push_back(std::move(entry));
  return item;
}

Result<LedgerItem> apply_step(const LedgerDefinition& definition, const LedgerItem& item,
                              const StepRequest& request) {
  if (item.type_code != definition.code())
    return Error::invalid("type", fmt::format("item {} is a '{}', not a {} ({})", item.id, item.type_code,
                                              definition.label(), definition.code()));
  if (!definition.state(item.state))
    return Error::invalid("state", fmt::format("item {} is in state '{}', which {} does not define", item.id,
                                               item.state, definition.source_name()));
  const LedgerStep* step = definition.step(request.step);
  bool allowed = step && std::find(step->from.begin(), step->from.end(), item.state) != step->from.end();
  if (!allowed)
    return Error::conflict(
        "step", fmt::format("{} #{} is {}: {} is not allowed; allowed steps: {}", definition.label(), item.id,
                            state_text(definition, item.state),
                            step ? fmt::format("step {} ({})", step->code, step->label)
                                 : fmt::format("'{}' is no step of {} and", request.step, definition.code()),
                            allowed_steps_text(definition, item.state)));

  PINGAN_RETURN_IF_ERROR(check_actor("actor", request.actor));
  if (!holds_any(request.actor_grants, step->who))
    return Error::permission_denied(fmt::format("{} may not take step {} ({}) of {}: it needs one of {}",
                                                request.actor, step->code, step->label, definition.label(),
                                                list_text(step->who)));
  if (!step->verifies.empty()) {
    const LedgerHistoryEntry* work = last_entry_of(item, step->verifies);
    const LedgerStep* worked = definition.step(step->verifies);
    std::string work_label = worked ? worked->label : step->verifies;
    if (!work)
      return Error::conflict("step", fmt::format("{} ({}) verifies {} ({}), which {} #{} has not had", step->code,
                                                 step->label, step->verifies, work_label, definition.label(),
                                                 item.id));
    if (work->actor == request.actor)
      return Error::conflict("actor", fmt::format("{} ({}) must be by someone other than who did {} ({}): "
                                                  "the verifier {} is the worker {} (at {})",
                                                  step->code, step->label, step->verifies, work_label,
                                                  request.actor, work->actor, format_utc(work->at)));
  }

  PINGAN_RETURN_IF_ERROR(check_ledger_fields(definition, request.fields));
  for (const std::string& code : step->fields)
    if (!request.fields.count(code)) {
      const LedgerField* f = definition.field(code);
      return Error::invalid("fields." + code, fmt::format("{} ({}) is required by step {} ({})",
                                                          f ? f->label : code, code, step->code, step->label));
    }
  if (step->assigns) {
    PINGAN_RETURN_IF_ERROR(check_assignment(request.unit_code, request.officer_id, true));
  } else if (!request.unit_code.empty() || !request.officer_id.empty()) {
    return Error::invalid(request.unit_code.empty() ? "officer_id" : "unit_code",
                          fmt::format("step {} ({}) does not assign the item; only an assigning step names a "
                                      "unit and an officer", step->code, step->label));
  }
  PINGAN_RETURN_IF_ERROR(check_length("note", request.note, kMaxNoteChars));
  std::optional<Timestamp> previous;
  if (!item.history.empty()) previous = item.history.back().at;
  PINGAN_RETURN_IF_ERROR(check_time(request.at, previous, request.now));

  LedgerItem next = item;
  LedgerHistoryEntry entry{step->code, item.state, step->to, request.actor, request.at, request.note, {}, "", ""};
  entry.changes = merge_fields(next.fields, request.fields);
  if (step->assigns) {
    next.unit_code = entry.unit_code = request.unit_code;
    next.officer_id = entry.officer_id = request.officer_id;
  }
  next.state = step->to;
  next.updated_at = request.at;
  next.history.push_back(std::move(entry));
  return next;
}

}  // namespace pingan
