#pragma once
// The rows an import did not take (ingest/table_source.h RowProblem), as
// the ledger and registry import routes answer them: file, sheet, row,
// column, header, reason.

#include <nlohmann/json.hpp>

#include <vector>

#include "ingest/table_source.h"

namespace pingan {

inline nlohmann::json row_problems_json(const std::vector<ingest::RowProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems)
    out.push_back({{"file", p.file},     {"sheet", p.sheet},   {"row", p.row},
                   {"column", p.column}, {"header", p.header}, {"reason", p.reason}});
  return out;
}

}  // namespace pingan
