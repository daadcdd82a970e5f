#include "core/ledger_definition.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>

#include "core/ledger_json_reader.h"
#include "core/text_limits.h"

namespace pingan {

using ledger_json::at;
using ledger_json::join;
using ledger_json::json;
using ledger_json::Reader;

bool is_ledger_code(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeChars || code.front() < 'a' || code.front() > 'z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool is_ledger_grant_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxRoleChars * 2) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!is_ledger_code(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// Reads the file section by section, then checks that the sections agree
// (every name refers to something defined, every state can be reached and
// left). Kept as a friend so the definition has no public setters.
class LedgerDefinitionReader {
 public:
  explicit LedgerDefinitionReader(const std::string& origin) : r_{origin} {}

  Result<LedgerDefinition> read(const json& doc) {
    PINGAN_RETURN_IF_ERROR(r_.object(doc, "", {"code", "label", "version", "who_may_create", "fields", "states",
                                               "steps", "deadlines", "tallies"}));
    PINGAN_ASSIGN_OR_RETURN(d_.code_, r_.code(doc, "code", ""));
    PINGAN_ASSIGN_OR_RETURN(d_.label_, r_.text(doc, "label", "", kMaxNameChars));
    PINGAN_ASSIGN_OR_RETURN(std::optional<std::int64_t> version, r_.integer(doc, "version", ""));
    if (!version) return r_.fail("version", "is required");
    if (*version < 1 || *version > 1'000'000) return r_.fail("version", fmt::format("{} is not 1 or more", *version));
    d_.version_ = static_cast<int>(*version);
    PINGAN_ASSIGN_OR_RETURN(d_.who_may_create_, r_.code_list(doc, "who_may_create", "", true, true));
    PINGAN_RETURN_IF_ERROR(read_list(doc, "fields", true, [&](const json& v, const std::string& p) { return field(v, p); }));
    PINGAN_RETURN_IF_ERROR(read_list(doc, "states", true, [&](const json& v, const std::string& p) { return state(v, p); }));
    PINGAN_RETURN_IF_ERROR(read_list(doc, "steps", true, [&](const json& v, const std::string& p) { return step(v, p); }));
    PINGAN_RETURN_IF_ERROR(
        read_list(doc, "deadlines", false, [&](const json& v, const std::string& p) { return deadline(v, p); }));
    PINGAN_RETURN_IF_ERROR(tallies(doc));
    PINGAN_RETURN_IF_ERROR(check_graph());
    return std::move(d_);
  }

 private:
  template <typename ReadOne>
  Status read_list(const json& doc, std::string_view key, bool required, ReadOne read_one) {
    std::string path(key);
    auto it = doc.find(key);
    if (it == doc.end()) return required ? Status(r_.fail(path, "is required")) : Status();
    if (!it->is_array() || (required && it->empty())) return r_.fail(path, "must be a non-empty list");
    for (std::size_t i = 0; i < it->size(); ++i) PINGAN_RETURN_IF_ERROR(read_one((*it)[i], at(path, i)));
    return {};
  }

  Status field(const json& v, const std::string& path) {
    PINGAN_ASSIGN_OR_RETURN(LedgerField f, ledger_json::read_field(r_, v, path));
    if (d_.field(f.code)) return r_.fail(join(path, "code"), fmt::format("field '{}' is defined twice", f.code));
    d_.fields_.push_back(std::move(f));
    return {};
  }

  Status state(const json& v, const std::string& path) {
    PINGAN_RETURN_IF_ERROR(r_.object(v, path, {"code", "label", "initial", "final", "counts_as"}));
    LedgerState s;
    PINGAN_ASSIGN_OR_RETURN(s.code, r_.code(v, "code", path));
    PINGAN_ASSIGN_OR_RETURN(s.label, r_.text(v, "label", path, kMaxNameChars));
    PINGAN_ASSIGN_OR_RETURN(s.initial, r_.flag(v, "initial", path, false));
    PINGAN_ASSIGN_OR_RETURN(s.final, r_.flag(v, "final", path, false));
    PINGAN_ASSIGN_OR_RETURN(s.counts_as, r_.code_list(v, "counts_as", path, false));
    if (d_.state(s.code)) return r_.fail(join(path, "code"), fmt::format("state '{}' is defined twice", s.code));
    if (s.initial && s.final) return r_.fail(join(path, "final"), "the initial state cannot be final");
    if (s.initial)
      for (const LedgerState& other : d_.states_)
        if (other.initial)
          return r_.fail(join(path, "initial"), fmt::format("'{}' is already the initial state", other.code));
    d_.states_.push_back(std::move(s));
    return {};
  }

  Status step(const json& v, const std::string& path) {
    PINGAN_RETURN_IF_ERROR(
        r_.object(v, path, {"code", "label", "from", "to", "who", "fields", "verifies", "assigns", "opens"}));
    LedgerStep s;
    PINGAN_ASSIGN_OR_RETURN(s.code, r_.code(v, "code", path));
    PINGAN_ASSIGN_OR_RETURN(s.label, r_.text(v, "label", path, kMaxNameChars));
    PINGAN_ASSIGN_OR_RETURN(s.from, r_.code_list(v, "from", path, true));
    PINGAN_ASSIGN_OR_RETURN(s.to, r_.code(v, "to", path));
    PINGAN_ASSIGN_OR_RETURN(s.who, r_.code_list(v, "who", path, true, true));
    PINGAN_ASSIGN_OR_RETURN(s.fields, r_.code_list(v, "fields", path, false));
    if (v.contains("verifies")) {
      PINGAN_ASSIGN_OR_RETURN(s.verifies, r_.code(v, "verifies", path));
    }
    PINGAN_ASSIGN_OR_RETURN(s.assigns, r_.flag(v, "assigns", path, false));
    if (v.contains("opens")) {
      PINGAN_ASSIGN_OR_RETURN(s.opens, r_.code(v, "opens", path));
    }
    if (d_.step(s.code)) return r_.fail(join(path, "code"), fmt::format("step '{}' is defined twice", s.code));
    // "create" names the creating entry of every history (kLedgerCreateStep, ledger_item.h).
    if (s.code == "create") return r_.fail(join(path, "code"), "'create' is reserved for the creating entry");
    for (std::size_t i = 0; i < s.from.size(); ++i)
      PINGAN_RETURN_IF_ERROR(known_state(s.from[i], at(join(path, "from"), i)));
    PINGAN_RETURN_IF_ERROR(known_state(s.to, join(path, "to")));
    for (std::size_t i = 0; i < s.from.size(); ++i)
      if (d_.state(s.from[i])->final)
        return r_.fail(at(join(path, "from"), i),
                       fmt::format("'{}' is a final state; no step leaves it", s.from[i]));
    for (std::size_t i = 0; i < s.fields.size(); ++i)
      if (!d_.field(s.fields[i]))
        return r_.fail(at(join(path, "fields"), i), fmt::format("no field '{}' is defined", s.fields[i]));
    d_.steps_.push_back(std::move(s));
    return {};
  }

  Status deadline(const json& v, const std::string& path) {
    PINGAN_ASSIGN_OR_RETURN(LedgerDeadline d, ledger_json::read_deadline(r_, v, path));
    for (const LedgerDeadline& other : d_.deadlines_)
      if (other.code == d.code) return r_.fail(join(path, "code"), fmt::format("deadline '{}' is defined twice", d.code));
    if (!d.start_state.empty()) PINGAN_RETURN_IF_ERROR(known_state(d.start_state, join(path, "start_state")));
    if (!d.start_step.empty() && !d_.step(d.start_step))
      return r_.fail(join(path, "start_step"), fmt::format("no step '{}' is defined", d.start_step));
    for (std::size_t i = 0; i < d.until.size(); ++i) {
      PINGAN_RETURN_IF_ERROR(known_state(d.until[i], at(join(path, "until"), i)));
      if (d.until[i] == d.start_state)
        return r_.fail(at(join(path, "until"), i), "the clock cannot stop in the state that starts it");
    }
    d_.deadlines_.push_back(std::move(d));
    return {};
  }

  Status tallies(const json& doc) {
    PINGAN_ASSIGN_OR_RETURN(d_.tallies_, r_.code_list(doc, "tallies", "", false));
    for (std::size_t i = 0; i < d_.tallies_.size(); ++i) {
      const LedgerField* f = d_.field(d_.tallies_[i]);
      std::string path = at("tallies", i);
      if (!f) return r_.fail(path, fmt::format("no field '{}' is defined", d_.tallies_[i]));
      if (f->kind != LedgerFieldKind::kInteger && f->kind != LedgerFieldKind::kCount &&
          f->kind != LedgerFieldKind::kMoneyFen)
        return r_.fail(path, fmt::format("'{}' is a {} field; only integer, count and money_fen fields are summed",
                                         f->code, ledger_field_kind_name(f->kind)));
    }
    return {};
  }

  Status known_state(const std::string& code, const std::string& path) {
    if (d_.state(code)) return {};
    return r_.fail(path, fmt::format("no state '{}' is defined (states come before steps and deadlines)", code));
  }

  // One initial and at least one final state; every state reached from the
  // initial one; every state not final has a step out and a way to a final
  // state; a verification names another step.
  Status check_graph() {
    const LedgerState* initial = nullptr;
    bool any_final = false;
    for (const LedgerState& s : d_.states_) {
      if (s.initial) initial = &s;
      any_final = any_final || s.final;
    }
    if (!initial) return r_.fail("states", "no state is marked initial");
    if (!any_final) return r_.fail("states", "no state is marked final: a work item could never be finished");

    for (std::size_t i = 0; i < d_.steps_.size(); ++i) {
      const LedgerStep& s = d_.steps_[i];
      if (s.verifies.empty()) continue;
      std::string path = join(at("steps", i), "verifies");
      if (s.verifies == s.code) return r_.fail(path, "a step cannot verify itself");
      if (!d_.step(s.verifies)) return r_.fail(path, fmt::format("no step '{}' is defined", s.verifies));
    }

    std::set<std::string> reached = {initial->code};
    for (std::deque<std::string> queue = {initial->code}; !queue.empty(); queue.pop_front())
      for (const LedgerStep* s : d_.steps_from(queue.front()))
        if (reached.insert(s->to).second) queue.push_back(s->to);
    for (const LedgerState& s : d_.states_)
      if (!reached.count(s.code))
        return r_.fail("states", fmt::format("{} state '{}' cannot be reached from the initial state '{}'",
                                             s.final ? "final" : "the", s.code, initial->code));

    // Walk backwards from the final states: whatever cannot get there is a dead end.
    std::set<std::string> finishing;
    for (const LedgerState& s : d_.states_)
      if (s.final) finishing.insert(s.code);
    for (bool grew = true; grew;) {
      grew = false;
      for (const LedgerStep& s : d_.steps_)
        if (finishing.count(s.to))
          for (const std::string& from : s.from) grew = finishing.insert(from).second || grew;
    }
    for (const LedgerState& s : d_.states_)
      if (!finishing.count(s.code))
        return r_.fail("states", fmt::format("state '{}' is not final and no steps lead from it to a final state",
                                             s.code));
    return {};
  }

  Reader r_;
  LedgerDefinition d_;
};

Result<LedgerDefinition> LedgerDefinition::parse_json(std::string_view text, const std::string& source_name) {
  PINGAN_ASSIGN_OR_RETURN(json doc, ledger_json::parse_strict(text, source_name));
  LedgerDefinitionReader reader(source_name);
  PINGAN_ASSIGN_OR_RETURN(LedgerDefinition d, reader.read(doc));
  d.source_name_ = source_name;
  return d;
}

const LedgerField* LedgerDefinition::field(std::string_view code) const {
  for (const LedgerField& f : fields_)
    if (f.code == code) return &f;
  return nullptr;
}

const LedgerState* LedgerDefinition::state(std::string_view code) const {
  for (const LedgerState& s : states_)
    if (s.code == code) return &s;
  return nullptr;
}

const LedgerStep* LedgerDefinition::step(std::string_view code) const {
  for (const LedgerStep& s : steps_)
    if (s.code == code) return &s;
  return nullptr;
}

const LedgerState& LedgerDefinition::initial_state() const {
  for (const LedgerState& s : states_)
    if (s.initial) return s;
  return states_.front();  // unreachable for a parsed definition
}

std::vector<const LedgerStep*> LedgerDefinition::steps_from(std::string_view state) const {
  std::vector<const LedgerStep*> out;
  for (const LedgerStep& s : steps_)
    if (std::find(s.from.begin(), s.from.end(), state) != s.from.end()) out.push_back(&s);
  return out;
}

}  // namespace pingan
