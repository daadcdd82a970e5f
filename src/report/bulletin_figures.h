#pragma once
// The named figures a bulletin quotes (issue 22), computed from the records:
// "incidents.criminal", "cases.solved", "money.stopped", "disputes.rate" ...
// Each name is one row of a table (bulletin_figures.cpp) saying which index
// answers it (incidents, cases or ledgers), with which query and filters,
// its measure word, its Chinese label and the web UI's list of the records
// behind it. docs/bulletins.md ("Figures") says what each name counts.
//
// A name the records cannot answer (its ledger type is not in the data
// folder, or the type has no state the figure needs) is absent from the
// answer; a name that answers with no records has records == 0, and the
// bulletin leaves its sentence out.
//
// Thread safety: reads the indexes under their own locks; the sources must
// outlive the call.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytics/incident_index.h"
#include "case/case_index.h"
#include "core/bulletin_document.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unit.h"
#include "ledger/ledger_index.h"

namespace pingan::report {

// What the figures are read from: the three indexes attached to one engine
// (analytics::attach_index, cases::attach_case_index,
// ledger::attach_ledger_index), none null, and the engine's unit tree (the
// unit asked must be in it). Dates in links are local dates of the incident
// index's time zone.
struct BulletinSources {
  const analytics::IncidentIndex* incidents = nullptr;
  const cases::CaseIndex* cases = nullptr;
  const ledger::LedgerIndex* ledgers = nullptr;
  std::shared_ptr<const UnitTree> units;
};

// Every name the table holds, in the table's order (incidents, cases and
// persons, money, dissuasion, ledgers).
std::vector<std::string> bulletin_figure_names();

// Every figure of the table for `unit`'s subtree (empty: every unit) and the
// period [from, to). year_ago is the same period a year earlier (同比) and
// previous the period of equal length just before (环比), as each index
// defines them. Errors (Error::invalid): "unit" for a unit the tree does not
// know, "to" for an empty or inverted period; an index error otherwise.
Result<std::map<std::string, BulletinFigureValue>> bulletin_figures(const BulletinSources& sources,
                                                                    const std::string& unit,
                                                                    Timestamp from, Timestamp to);

}  // namespace pingan::report
