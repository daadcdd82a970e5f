#pragma once
// Which rows of the case index a figure query reads: the unit range of its
// subtree and the type-and-method slots its case filters allow. One function
// shared by query_figure (the value) and list_figure_records (the records
// behind it), so that the two cannot disagree on what a query selects.
//
// Call with the index's lock held (inside CaseIndex::read).

#include "case/case_figures.h"
#include "case/case_index_data.h"
#include "core/status.h"

namespace pingan::cases {

struct FigureSelection {
  Selection selection;
  int root = -1;  // the dense unit of query.unit; -1 for every unit
};

// Errors as query_figure's: "unit" for a unit nobody knows, "class", "type",
// "group", "method" for a bad case filter.
Result<FigureSelection> select_figure_rows(const CaseIndexData& data, const FigureInfo& figure,
                                           const FigureQuery& query);

// Whether an event (of one of the figure's kinds) lies in the selection;
// the period is checked apart.
bool selected(const Selection& selection, const Event& event);

}  // namespace pingan::cases
